/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gnutls-private.h"

/* Software keys as handles: the PKCS#8 is parsed once, when the handle is
 * made, and the parsed key signs for as long as the handle lives. The handle
 * keeps its own copy of the PKCS#8 (wiped on free) for export. */

typedef struct {
  gnutls_privkey_t privkey;
  PkmSecret *pkcs8;
} PkmGnutlsKey;

GBytes *
pkm_gnutls_privkey_spki (gnutls_privkey_t privkey, GError **error)
{
  gnutls_pubkey_t pubkey = NULL;
  gnutls_datum_t out = { NULL, 0 };
  int rc;

  gnutls_pubkey_init (&pubkey);
  rc = gnutls_pubkey_import_privkey (pubkey, privkey, 0, 0);
  if (rc >= 0)
    rc = gnutls_pubkey_export2 (pubkey, GNUTLS_X509_FMT_DER, &out);
  gnutls_pubkey_deinit (pubkey);
  if (rc < 0)
    {
      pkm_gnutls_fail (rc, "public key", PKM_ERROR_CRYPTO_FAILED, error);
      return NULL;
    }
  return pkm_gnutls_take_datum (&out);
}

gboolean
pkm_gnutls_import_spki (GBytes *spki, gnutls_pubkey_t *out, GError **error)
{
  gsize size;
  gnutls_datum_t der = { (unsigned char *) g_bytes_get_data (spki, &size), 0 };
  int rc;

  der.size = size;
  gnutls_pubkey_init (out);
  rc = gnutls_pubkey_import (*out, &der, GNUTLS_X509_FMT_DER);
  if (rc < 0)
    {
      gnutls_pubkey_deinit (*out);
      *out = NULL;
      return pkm_gnutls_fail (rc, "public key", PKM_ERROR_INVALID_ARGUMENT, error);
    }
  return TRUE;
}

static GBytes *
key_public_key (gpointer data, GError **error)
{
  PkmGnutlsKey *key = data;

  return pkm_gnutls_privkey_spki (key->privkey, error);
}

/* gnutls_privkey_sign_hash adds the DigestInfo itself for RSA (PKCS#1 v1.5)
 * and writes ECDSA as a DER Ecdsa-Sig-Value: what PkmKeyOps.sign_hash gives. */
static GBytes *
key_sign_hash (gpointer data, PkmDigest digest, GBytes *hash, GError **error)
{
  PkmGnutlsKey *key = data;
  gnutls_digest_algorithm_t algorithm = pkm_gnutls_digest (digest);
  gsize size;
  gnutls_datum_t in = { (unsigned char *) g_bytes_get_data (hash, &size), 0 };
  gnutls_datum_t out = { NULL, 0 };
  int rc;

  in.size = size;
  if (digest == PKM_DIGEST_NONE || size != gnutls_hash_get_len (algorithm))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "sign: a %zu-byte hash is not a %s digest", size,
                   gnutls_digest_get_name (algorithm));
      return NULL;
    }
  rc = gnutls_privkey_sign_hash (key->privkey, algorithm, 0, &in, &out);
  if (rc < 0)
    {
      pkm_gnutls_fail (rc, "sign", PKM_ERROR_CRYPTO_FAILED, error);
      return NULL;
    }
  return pkm_gnutls_take_datum (&out);
}

static PkmSecret *
key_decrypt (gpointer data, GBytes *ciphertext, GError **error)
{
  PkmGnutlsKey *key = data;
  gsize size;
  gnutls_datum_t in = { (unsigned char *) g_bytes_get_data (ciphertext, &size), 0 };
  gnutls_datum_t out = { NULL, 0 };
  int rc;

  in.size = size;
  if (gnutls_privkey_get_pk_algorithm (key->privkey, NULL) != GNUTLS_PK_RSA)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "decrypt: only an RSA key can decrypt");
      return NULL;
    }
  rc = gnutls_privkey_decrypt_data (key->privkey, 0, &in, &out);
  if (rc < 0)
    {
      pkm_gnutls_fail (rc, "decrypt", PKM_ERROR_CRYPTO_FAILED, error);
      return NULL;
    }
  return pkm_gnutls_take_secret (&out);
}

static PkmSecret *
key_export_pkcs8 (gpointer data, GError **error)
{
  PkmGnutlsKey *key = data;

  return pkm_secret_dup (key->pkcs8);
}

static void
key_free (gpointer data)
{
  PkmGnutlsKey *key = data;

  gnutls_privkey_deinit (key->privkey);
  pkm_secret_free (key->pkcs8);
  g_free (key);
}

/* Its address tells this plugin's keys from any other provider's. */
static const PkmKeyOps key_ops = {
  .version = PKM_KEY_OPS_VERSION,
  .struct_size = sizeof (PkmKeyOps),
  .public_key = key_public_key,
  .sign_hash = key_sign_hash,
  .decrypt = key_decrypt,
  .export_pkcs8 = key_export_pkcs8,
  .free = key_free,
};

PkmKey *
pkm_gnutls_load_key_handle (gpointer self, PkmSecret *pkcs8, const char *uri, GError **error)
{
  gnutls_privkey_t privkey = NULL;
  PkmGnutlsKey *key;
  unsigned bits = 0;
  int pk;

  if (!pkm_gnutls_load_privkey (pkcs8, &privkey, error))
    return NULL;
  pk = gnutls_privkey_get_pk_algorithm (privkey, &bits);
  if (pk != GNUTLS_PK_RSA && pk != GNUTLS_PK_ECDSA)
    {
      gnutls_privkey_deinit (privkey);
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "private key: %s keys are not supported",
                   gnutls_pk_get_name (pk));
      return NULL;
    }
  key = g_new0 (PkmGnutlsKey, 1);
  key->privkey = privkey;
  key->pkcs8 = pkm_secret_dup (pkcs8);
  return pkm_key_new (&key_ops, key, pk == GNUTLS_PK_RSA ? PKM_KEY_TYPE_RSA : PKM_KEY_TYPE_EC, bits, uri);
}

gnutls_privkey_t
pkm_gnutls_key_privkey (PkmKey *key)
{
  PkmGnutlsKey *own = pkm_key_get_data (key, &key_ops);

  return own != NULL ? own->privkey : NULL;
}
