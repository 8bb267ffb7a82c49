/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gnutls-private.h"

#define NONCE_SIZE 12
#define TAG_SIZE 16
#define KEY_SIZE 32

static gboolean
init_cipher (PkmSecret *key, gnutls_aead_cipher_hd_t *handle, GError **error)
{
  gnutls_datum_t k = { pkm_secret_get_data (key), pkm_secret_get_size (key) };
  int rc;

  if (pkm_secret_get_size (key) != KEY_SIZE)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "AES-256-GCM needs a %d-byte key", KEY_SIZE);
      return FALSE;
    }
  rc = gnutls_aead_cipher_init (handle, GNUTLS_CIPHER_AES_256_GCM, &k);
  return rc >= 0 || pkm_gnutls_fail (rc, "AES-256-GCM", PKM_ERROR_CRYPTO_FAILED, error);
}

GBytes *
pkm_gnutls_seal (gpointer self, PkmSecret *key, PkmSecret *plaintext, GBytes *aad, GError **error)
{
  gnutls_aead_cipher_hd_t handle;
  gsize pt_size = pkm_secret_get_size (plaintext);
  gsize out_size = NONCE_SIZE + pt_size + TAG_SIZE;
  gsize ct_size = pt_size + TAG_SIZE;
  guint8 *out;
  gsize aad_size = 0;
  const void *aad_data = aad != NULL ? g_bytes_get_data (aad, &aad_size) : NULL;
  int rc;

  if (!init_cipher (key, &handle, error))
    return NULL;
  out = g_malloc (out_size);
  rc = gnutls_rnd (GNUTLS_RND_NONCE, out, NONCE_SIZE);
  if (rc >= 0)
    rc = gnutls_aead_cipher_encrypt (handle, out, NONCE_SIZE, aad_data, aad_size, TAG_SIZE,
                                     pkm_secret_get_data (plaintext), pt_size, out + NONCE_SIZE, &ct_size);
  gnutls_aead_cipher_deinit (handle);
  if (rc < 0)
    {
      g_free (out);
      pkm_gnutls_fail (rc, "seal", PKM_ERROR_CRYPTO_FAILED, error);
      return NULL;
    }
  return g_bytes_new_take (out, NONCE_SIZE + ct_size);
}

PkmSecret *
pkm_gnutls_unseal (gpointer self, PkmSecret *key, GBytes *sealed, GBytes *aad, GError **error)
{
  gnutls_aead_cipher_hd_t handle;
  gsize size;
  const guint8 *data = g_bytes_get_data (sealed, &size);
  gsize aad_size = 0;
  const void *aad_data = aad != NULL ? g_bytes_get_data (aad, &aad_size) : NULL;
  PkmSecret *plain;
  gsize pt_size;
  int rc;

  if (size < NONCE_SIZE + TAG_SIZE)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED, "sealed key: too short");
      return NULL;
    }
  if (!init_cipher (key, &handle, error))
    return NULL;
  pt_size = size - NONCE_SIZE - TAG_SIZE;
  plain = pkm_secret_new (pt_size);
  rc = gnutls_aead_cipher_decrypt (handle, data, NONCE_SIZE, aad_data, aad_size, TAG_SIZE, data + NONCE_SIZE,
                                   size - NONCE_SIZE, pkm_secret_get_data (plain), &pt_size);
  gnutls_aead_cipher_deinit (handle);
  if (rc < 0)
    {
      pkm_secret_free (plain);
      g_set_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED,
                   "sealed key: does not decrypt with the master key (wrong key or tampered record)");
      return NULL;
    }
  return plain;
}
