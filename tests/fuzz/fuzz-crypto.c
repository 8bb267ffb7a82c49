/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The crypto provider's parsers, called directly: every input is offered to
 * each of them as import would (certificate, CSR, private key with and
 * without the passphrase, PKCS#12), and each PEM block of it too. Seeds are
 * real openssl and certtool files, encrypted with FUZZ_PASSPHRASE. */
#include "fuzz.h"
#include "fuzz-sandbox.h"
#include "model/pkm-model.h"
#include "../../plugins/crypto-gnutls/gnutls-private.h"

/* The plugin's instance, as the core opens it. */
static gpointer self;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  self = pkm_gnutls_open (NULL, NULL);
  return 0;
}

static void
check_info (PkmCertInfo *info, GError *error)
{
  if (info == NULL)
    {
      g_assert_nonnull (error);
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (info->san);
  g_assert_nonnull (info->crl_distribution_points);
  g_assert_nonnull (info->spki);
  g_assert_nonnull (info->signature_algorithm);
  pkm_cert_info_free (info);
}

static void
parse_certificate (GBytes *der)
{
  g_autoptr (GError) error = NULL;
  PkmCertInfo *info = pkm_gnutls_parse_certificate (self, der, &error);
  gboolean parsed = info != NULL;

  check_info (info, error);
  g_clear_error (&error);
  /* Import checks a self-issued certificate's signature against itself. */
  if (parsed && !pkm_gnutls_verify_signature (self, der, der, &error))
    g_clear_error (&error);
}

static void
parse_csr (GBytes *der)
{
  g_autoptr (GError) error = NULL;
  PkmCertInfo *info = pkm_gnutls_parse_csr (self, der, &error);

  check_info (info, error);
}

static void
import_key (GBytes *data, const char *passphrase)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmSecret) key = pkm_gnutls_import_key (self, data, passphrase, &error);
  g_autoptr (PkmKey) handle = NULL;
  g_autoptr (GBytes) spki = NULL;

  if (key == NULL)
    {
      g_assert_nonnull (error);
      return;
    }
  /* What import does next with every key: a handle, and its public half for the key id. */
  handle = pkm_gnutls_load_key_handle (self, key, NULL, &error);
  g_assert_true ((handle != NULL) == (error == NULL));
  spki = handle != NULL ? pkm_key_get_public_key (handle, &error) : NULL;
  g_assert_true ((spki != NULL) == (error == NULL));
}

static void
import_pkcs12 (GBytes *data, const char *passphrase)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) certs = NULL;
  g_autoptr (PkmSecret) key = NULL;

  if (!pkm_gnutls_import_pkcs12 (self, data, passphrase, &certs, &key, &error))
    {
      g_assert_nonnull (error);
      return;
    }
  g_assert_no_error (error);
  for (guint i = 0; i < certs->len; i++)
    parse_certificate (g_ptr_array_index (certs, i));
}

static void
parse_all (GBytes *data)
{
  parse_certificate (data);
  parse_csr (data);
  import_key (data, NULL);
  import_key (data, FUZZ_PASSPHRASE);
  import_pkcs12 (data, FUZZ_PASSPHRASE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  g_autoptr (GPtrArray) blocks = NULL;

  /* Import never passes an empty file on (it says "the file is empty"). */
  if (size == 0)
    return 0;
  parse_all (bytes);
  if (g_strstr_len ((const char *) data, size, "-----BEGIN ") == NULL)
    return 0;
  blocks = pkm_pem_blocks ((const char *) data, size, NULL);
  for (guint i = 0; blocks != NULL && i < blocks->len; i++)
    {
      PkmPemBlock *block = g_ptr_array_index (blocks, i);
      if (block->der != NULL)
        parse_all (block->der);
    }
  return 0;
}
