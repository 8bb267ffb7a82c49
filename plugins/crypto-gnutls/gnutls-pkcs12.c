/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "gnutls-private.h"

/* Export: certificates in one PBES2/AES-256 encrypted bag, the key shrouded
 * with PBES2/AES-256 in its own bag, a SHA-256 MAC; the leaf and the key share
 * a localKeyId and the friendly name, as openssl and certtool expect. */

static int
add_cert_bag (gnutls_pkcs12_t p12, GBytes *const *certs, guint n_certs, const char *passphrase,
              const char *friendly_name, const gnutls_datum_t *key_id)
{
  gnutls_pkcs12_bag_t bag;
  int rc = gnutls_pkcs12_bag_init (&bag);

  for (guint i = 0; rc >= 0 && i < n_certs; i++)
    {
      gsize size;
      gnutls_datum_t der = { (unsigned char *) g_bytes_get_data (certs[i], &size), 0 };
      int index;

      der.size = size;
      index = rc = gnutls_pkcs12_bag_set_data (bag, GNUTLS_BAG_CERTIFICATE, &der);
      if (rc >= 0 && i == 0 && key_id != NULL)
        rc = gnutls_pkcs12_bag_set_key_id (bag, index, key_id);
      if (rc >= 0 && i == 0 && friendly_name != NULL)
        rc = gnutls_pkcs12_bag_set_friendly_name (bag, index, friendly_name);
    }
  if (rc >= 0)
    rc = gnutls_pkcs12_bag_encrypt (bag, passphrase, GNUTLS_PKCS_PBES2_AES_256);
  if (rc >= 0)
    rc = gnutls_pkcs12_set_bag (p12, bag);
  gnutls_pkcs12_bag_deinit (bag);
  return rc;
}

static int
add_key_bag (gnutls_pkcs12_t p12, gnutls_x509_privkey_t key, const char *passphrase, const char *friendly_name,
             const gnutls_datum_t *key_id)
{
  gnutls_pkcs12_bag_t bag;
  gnutls_datum_t shrouded = { NULL, 0 };
  int rc = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_DER, passphrase, GNUTLS_PKCS_PBES2_AES_256,
                                              &shrouded);
  int index;

  if (rc < 0)
    return rc;
  gnutls_pkcs12_bag_init (&bag);
  index = rc = gnutls_pkcs12_bag_set_data (bag, GNUTLS_BAG_PKCS8_ENCRYPTED_KEY, &shrouded);
  if (rc >= 0)
    rc = gnutls_pkcs12_bag_set_key_id (bag, index, key_id);
  if (rc >= 0 && friendly_name != NULL)
    rc = gnutls_pkcs12_bag_set_friendly_name (bag, index, friendly_name);
  if (rc >= 0)
    rc = gnutls_pkcs12_set_bag (p12, bag);
  gnutls_pkcs12_bag_deinit (bag);
  gnutls_free (shrouded.data);
  return rc;
}

GBytes *
pkm_gnutls_export_pkcs12 (gpointer self, GBytes *const *certs, guint n_certs, PkmSecret *key,
                          const char *passphrase, const char *friendly_name, GError **error)
{
  gnutls_pkcs12_t p12 = NULL;
  gnutls_x509_privkey_t x509 = NULL;
  guint8 id[64];
  size_t id_size = sizeof id;
  gnutls_datum_t key_id = { id, 0 }, out = { NULL, 0 };
  GBytes *result = NULL;
  int rc = 0;

  if (n_certs == 0 || passphrase == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "PKCS#12: needs a certificate and a passphrase");
      return NULL;
    }
  if (key != NULL)
    {
      if (!pkm_gnutls_load_key (key, &x509, error))
        return NULL;
      rc = gnutls_x509_privkey_get_key_id (x509, GNUTLS_KEYID_USE_SHA1, id, &id_size);
      key_id.size = id_size;
    }
  gnutls_pkcs12_init (&p12);
  if (rc >= 0)
    rc = add_cert_bag (p12, certs, n_certs, passphrase, friendly_name, x509 != NULL ? &key_id : NULL);
  if (rc >= 0 && x509 != NULL)
    rc = add_key_bag (p12, x509, passphrase, friendly_name, &key_id);
  if (rc >= 0)
    rc = gnutls_pkcs12_generate_mac2 (p12, GNUTLS_MAC_SHA256, passphrase);
  if (rc >= 0)
    rc = gnutls_pkcs12_export2 (p12, GNUTLS_X509_FMT_DER, &out);
  if (rc < 0)
    pkm_gnutls_fail (rc, "PKCS#12 export", PKM_ERROR_CRYPTO_FAILED, error);
  else
    result = pkm_gnutls_take_datum (&out);
  gnutls_pkcs12_deinit (p12);
  if (x509 != NULL)
    gnutls_x509_privkey_deinit (x509);
  return result;
}

static gboolean
bad_passphrase (GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE, "PKCS#12: wrong passphrase (MAC verification failed)");
  return FALSE;
}

/* One element of a (decrypted) bag: a certificate or a key. */
static gboolean
read_element (gnutls_pkcs12_bag_t bag, unsigned index, const char *passphrase, GPtrArray *certs, PkmSecret **key,
              guint64 *budget, GError **error)
{
  unsigned schema = 0, cipher = 0, iterations = 0;
  char *oid = NULL;
  gnutls_datum_t data = { NULL, 0 };
  gnutls_x509_privkey_t x509 = NULL;
  int type = gnutls_pkcs12_bag_get_type (bag, index);
  int rc;

  if (gnutls_pkcs12_bag_get_data (bag, index, &data) < 0)
    return TRUE;
  if (type == GNUTLS_BAG_CERTIFICATE)
    {
      g_ptr_array_add (certs, g_bytes_new (data.data, data.size));
      return TRUE;
    }
  if ((type != GNUTLS_BAG_PKCS8_KEY && type != GNUTLS_BAG_PKCS8_ENCRYPTED_KEY) || *key != NULL)
    return TRUE;
  rc = type == GNUTLS_BAG_PKCS8_ENCRYPTED_KEY
         ? gnutls_pkcs8_info (&data, GNUTLS_X509_FMT_DER, &schema, &cipher, NULL, NULL, &iterations, &oid)
         : -1;
  gnutls_free (oid);
  if (rc >= 0 && !pkm_gnutls_kdf_spend (budget, iterations, "PKCS#12 key", error))
    return FALSE;
  gnutls_x509_privkey_init (&x509);
  rc = gnutls_x509_privkey_import_pkcs8 (x509, &data, GNUTLS_X509_FMT_DER,
                                         type == GNUTLS_BAG_PKCS8_KEY ? NULL : passphrase,
                                         type == GNUTLS_BAG_PKCS8_KEY ? GNUTLS_PKCS_PLAIN : 0);
  if (rc >= 0)
    *key = pkm_gnutls_export_plain (x509, error);
  gnutls_x509_privkey_deinit (x509);
  if (rc < 0)
    return bad_passphrase (error);
  return *key != NULL;
}

gboolean
pkm_gnutls_import_pkcs12 (gpointer self, GBytes *data, const char *passphrase, GPtrArray **out_certs,
                          PkmSecret **out_key, GError **error)
{
  gsize size;
  gnutls_datum_t der = { (unsigned char *) g_bytes_get_data (data, &size), 0 };
  gnutls_pkcs12_t p12 = NULL;
  g_autoptr (GPtrArray) certs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  PkmSecret *key = NULL;
  gboolean ok = TRUE;
  guint64 budget = PKM_GNUTLS_KDF_BUDGET;
  unsigned mac = 0, schema = 0, cipher = 0, iterations = 0;
  char *oid = NULL;
  int rc;

  der.size = size;
  gnutls_pkcs12_init (&p12);
  rc = gnutls_pkcs12_import (p12, &der, GNUTLS_X509_FMT_DER, 0);
  if (rc < 0)
    {
      gnutls_pkcs12_deinit (p12);
      return pkm_gnutls_fail (rc, "not a PKCS#12 file", PKM_ERROR_INVALID_ARGUMENT, error);
    }
  rc = gnutls_pkcs12_mac_info (p12, &mac, NULL, NULL, &iterations, &oid);
  gnutls_free (oid);
  if (rc >= 0 && !pkm_gnutls_kdf_spend (&budget, iterations, "PKCS#12 MAC", error))
    ok = FALSE;
  rc = ok ? gnutls_pkcs12_verify_mac (p12, passphrase) : 0;
  if (rc < 0 && rc != GNUTLS_E_UNKNOWN_HASH_ALGORITHM)
    ok = bad_passphrase (error);
  for (unsigned i = 0; ok && i < 256; i++)
    {
      gnutls_pkcs12_bag_t bag;

      gnutls_pkcs12_bag_init (&bag);
      rc = gnutls_pkcs12_get_bag (p12, i, bag);
      if (rc < 0)
        {
          gnutls_pkcs12_bag_deinit (bag);
          break;
        }
      if (gnutls_pkcs12_bag_get_type (bag, 0) == GNUTLS_BAG_ENCRYPTED)
        {
          iterations = 0;
          oid = NULL;
          rc = gnutls_pkcs12_bag_enc_info (bag, &schema, &cipher, NULL, NULL, &iterations, &oid);
          gnutls_free (oid);
          if (rc >= 0 && !pkm_gnutls_kdf_spend (&budget, iterations, "PKCS#12 bag", error))
            ok = FALSE;
          else if (gnutls_pkcs12_bag_decrypt (bag, passphrase) < 0)
            ok = bad_passphrase (error);
        }
      for (int e = 0; ok && e < gnutls_pkcs12_bag_get_count (bag); e++)
        ok = read_element (bag, e, passphrase, certs, &key, &budget, error);
      gnutls_pkcs12_bag_deinit (bag);
    }
  gnutls_pkcs12_deinit (p12);
  if (!ok)
    {
      pkm_secret_free (key);
      return FALSE;
    }
  *out_certs = g_steal_pointer (&certs);
  *out_key = key;
  return TRUE;
}
