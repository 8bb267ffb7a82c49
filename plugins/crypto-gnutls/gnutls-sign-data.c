/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gnutls-private.h"

/* Signatures over data (a CRL's TBS, a JWS signing input), as X.509
 * carries them: RSA PKCS#1 v1.5, ECDSA a DER Ecdsa-Sig-Value. The data is
 * hashed here and the key signs the hash, so a token's key signs the same
 * way as ours. */

static gboolean
known_digest (PkmDigest digest, GError **error)
{
  if (digest >= PKM_DIGEST_MD5 && digest <= PKM_DIGEST_SHA512)
    return TRUE;
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "digest-algorithm: %d is not a known digest", digest);
  return FALSE;
}

GBytes *
pkm_gnutls_sign_data (gpointer self, PkmKey *key, PkmDigest digest, GBytes *data, GError **error)
{
  gnutls_digest_algorithm_t algorithm = pkm_gnutls_digest (digest);
  guint8 hash[64];
  gsize size;
  const void *bytes = g_bytes_get_data (data, &size);
  g_autoptr (GBytes) hashed = NULL;
  int rc;

  if (!known_digest (digest, error))
    return NULL;
  rc = gnutls_hash_fast (algorithm, bytes != NULL ? bytes : "", size, hash);
  if (rc < 0)
    {
      pkm_gnutls_fail (rc, "sign", PKM_ERROR_CRYPTO_FAILED, error);
      return NULL;
    }
  hashed = g_bytes_new (hash, gnutls_hash_get_len (algorithm));
  return pkm_key_sign_hash (key, digest, hashed, error);
}

/* A signature that does not verify is FALSE and no error; a key that cannot
 * take this digest at all is an error, so that a caller does not mistake
 * "unsupported" for "forged". */
gboolean
pkm_gnutls_verify_data (gpointer self, GBytes *spki, PkmDigest digest, GBytes *data, GBytes *signature,
                        GError **error)
{
  gnutls_pubkey_t pubkey = NULL;
  gsize size;
  gnutls_datum_t in = { (unsigned char *) g_bytes_get_data (data, &size), 0 };
  gnutls_datum_t sig = { NULL, 0 };
  gnutls_sign_algorithm_t algorithm;
  int rc;

  in.size = size;
  sig.data = (unsigned char *) g_bytes_get_data (signature, &size);
  sig.size = size;
  if (!known_digest (digest, error) || !pkm_gnutls_import_spki (spki, &pubkey, error))
    return FALSE;
  algorithm = gnutls_pk_to_sign (gnutls_pubkey_get_pk_algorithm (pubkey, NULL), pkm_gnutls_digest (digest));
  if (algorithm == GNUTLS_SIGN_UNKNOWN)
    {
      gnutls_pubkey_deinit (pubkey);
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "verify: no signature algorithm for this key and digest");
      return FALSE;
    }
  /* The caller names the digest; SHA-1 is its choice to make, not refused here. */
  rc = gnutls_pubkey_verify_data2 (pubkey, algorithm, GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, &in, &sig);
  gnutls_pubkey_deinit (pubkey);
  if (rc == GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM || rc == GNUTLS_E_INSUFFICIENT_SECURITY)
    {
      pkm_gnutls_fail (rc, "verify", PKM_ERROR_NOT_SUPPORTED, error);
      return FALSE;
    }
  return rc >= 0;
}
