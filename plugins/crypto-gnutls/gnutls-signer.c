/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "gnutls-private.h"

/* What signs a certificate or a request: our own key's gnutls_privkey_t as
 * it is (no copy, no callback: EC issuance is measured), or any other
 * provider's key behind gnutls_privkey_import_ext4, whose callback hands the
 * hash to pkm_key_sign_hash. */

struct _PkmGnutlsExt {
  PkmKey *key;
  gnutls_pk_algorithm_t pk;
  unsigned bits;
  GError *error; /* what the provider said when it failed */
};

/* GnuTLS passes an RSA PKCS#1 v1.5 key the DigestInfo (algorithm
 * GNUTLS_SIGN_RSA_RAW, whatever the certificate's hash), and an ECDSA key the
 * bare hash with the signature algorithm that names it. PkmKeyOps.sign_hash
 * takes the bare hash and its digest in both cases: the DigestInfo is taken
 * apart here and the provider puts it back, as a PKCS#11 CKM_SHA256_RSA_PKCS
 * token would. */
static gboolean
bare_hash (gnutls_sign_algorithm_t algo, const gnutls_datum_t *in, PkmDigest *digest, GBytes **hash, GError **error)
{
  gnutls_digest_algorithm_t algorithm;
  guint8 value[64];
  unsigned size = sizeof value;

  if (algo != GNUTLS_SIGN_RSA_RAW)
    {
      algorithm = gnutls_sign_get_hash_algorithm (algo);
      *hash = g_bytes_new (in->data, in->size);
    }
  else if (gnutls_decode_ber_digest_info (in, &algorithm, value, &size) >= 0)
    *hash = g_bytes_new (value, size);
  else
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED, "sign: GnuTLS gave no DigestInfo to sign");
      return FALSE;
    }
  *digest = pkm_gnutls_digest_from (algorithm);
  if (*digest != PKM_DIGEST_NONE)
    return TRUE;
  g_clear_pointer (hash, g_bytes_unref);
  g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "sign: %s is not a digest a key is asked to sign",
               gnutls_digest_get_name (algorithm));
  return FALSE;
}

static int
ext_sign_hash (gnutls_privkey_t privkey, gnutls_sign_algorithm_t algo, void *userdata, unsigned int flags,
               const gnutls_datum_t *in, gnutls_datum_t *signature)
{
  PkmGnutlsExt *ext = userdata;
  g_autoptr (GBytes) hash = NULL, sig = NULL;
  PkmDigest digest;
  gsize size;
  const void *data;

  g_clear_error (&ext->error);
  if (!bare_hash (algo, in, &digest, &hash, &ext->error)
      || (sig = pkm_key_sign_hash (ext->key, digest, hash, &ext->error)) == NULL)
    return GNUTLS_E_PK_SIGN_FAILED;
  data = g_bytes_get_data (sig, &size);
  signature->data = gnutls_malloc (MAX (size, 1));
  if (signature->data == NULL)
    return GNUTLS_E_MEMORY_ERROR;
  memcpy (signature->data, data, size);
  signature->size = size;
  return 0;
}

/* PKCS#1 v1.5 and ECDSA with the digests pkiman knows; no RSA-PSS, which
 * PkmKeyOps.sign_hash does not make. */
static gboolean
supports (PkmGnutlsExt *ext, gnutls_sign_algorithm_t sign)
{
  if (sign == GNUTLS_SIGN_RSA_RAW)
    return ext->pk == GNUTLS_PK_RSA;
  return (int) gnutls_sign_get_pk_algorithm (sign) == (int) ext->pk
         && pkm_gnutls_digest_from (gnutls_sign_get_hash_algorithm (sign)) != PKM_DIGEST_NONE;
}

static int
ext_info (gnutls_privkey_t privkey, unsigned int flags, void *userdata)
{
  PkmGnutlsExt *ext = userdata;

  /* The queried algorithm rides in the high bits of @flags. */
  if (flags & GNUTLS_PRIVKEY_INFO_HAVE_SIGN_ALGO)
    return supports (ext, GNUTLS_FLAGS_TO_SIGN_ALGO (flags));
  if (flags == GNUTLS_PRIVKEY_INFO_PK_ALGO)
    return ext->pk;
  if (flags == GNUTLS_PRIVKEY_INFO_PK_ALGO_BITS)
    return ext->bits;
  return -1;
}

static void
ext_deinit (gnutls_privkey_t privkey, void *userdata)
{
  PkmGnutlsExt *ext = userdata;

  pkm_key_unref (ext->key);
  g_clear_error (&ext->error);
  g_free (ext);
}

static gboolean
wrap_foreign (PkmGnutlsSigner *signer, PkmKey *key, GError **error)
{
  PkmGnutlsExt *ext;
  int rc;

  if (pkm_key_get_key_type (key) != PKM_KEY_TYPE_RSA && pkm_key_get_key_type (key) != PKM_KEY_TYPE_EC)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "key %s: neither an RSA nor an EC key",
                   pkm_key_get_uri (key));
      return FALSE;
    }
  ext = g_new0 (PkmGnutlsExt, 1);
  ext->key = pkm_key_ref (key);
  ext->pk = pkm_key_get_key_type (key) == PKM_KEY_TYPE_RSA ? GNUTLS_PK_RSA : GNUTLS_PK_ECDSA;
  ext->bits = pkm_key_get_bits (key);
  gnutls_privkey_init (&signer->privkey);
  /* Once imported, the wrapper owns @ext and frees it with ext_deinit; an
   * import that fails has not taken it. */
  rc = gnutls_privkey_import_ext4 (signer->privkey, ext, NULL, ext_sign_hash, NULL, ext_deinit, ext_info, 0);
  if (rc < 0)
    {
      gnutls_privkey_deinit (signer->privkey);
      signer->privkey = NULL;
      ext_deinit (NULL, ext);
      return pkm_gnutls_fail (rc, "signing key", PKM_ERROR_CRYPTO_FAILED, error);
    }
  signer->ext = ext;
  return TRUE;
}

gboolean
pkm_gnutls_signer_init (PkmGnutlsSigner *signer, PkmKey *key, GError **error)
{
  signer->ext = NULL;
  signer->privkey = pkm_gnutls_key_privkey (key);
  return signer->privkey != NULL || wrap_foreign (signer, key, error);
}

GError *
pkm_gnutls_signer_take_error (PkmGnutlsSigner *signer)
{
  return signer->ext != NULL ? g_steal_pointer (&signer->ext->error) : NULL;
}

void
pkm_gnutls_signer_clear (PkmGnutlsSigner *signer)
{
  /* Only the wrapper is ours to free: it frees @ext (ext_deinit). */
  if (signer->ext != NULL && signer->privkey != NULL)
    gnutls_privkey_deinit (signer->privkey);
  signer->privkey = NULL;
  signer->ext = NULL;
}
