/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "gnutls-private.h"

/* PBKDF2-HMAC-SHA256 (RFC 8018 section 5.2) for keys a person carries as a
 * passphrase. The bounds are the caller's floor, not a policy: fewer than
 * 1000 rounds protect nothing (SP 800-132), and more than 64 bytes, two
 * blocks of SHA-256, is never a key pkiman needs. */

#define DERIVE_MIN_ITERATIONS 1000
#define DERIVE_MAX_SIZE 64

PkmSecret *
pkm_gnutls_derive_key (gpointer self, const char *passphrase, GBytes *salt, guint iterations, gsize size,
                       GError **error)
{
  gnutls_datum_t key, salt_datum;
  gsize salt_size = 0;
  PkmSecret *derived;
  int rc;

  if (passphrase == NULL || *passphrase == '\0')
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "passphrase: must not be empty");
      return NULL;
    }
  if (salt == NULL || g_bytes_get_size (salt) == 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "key derivation: no salt");
      return NULL;
    }
  if (iterations < DERIVE_MIN_ITERATIONS)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                   "key derivation: %u iterations are fewer than %d", iterations, DERIVE_MIN_ITERATIONS);
      return NULL;
    }
  if (size == 0 || size > DERIVE_MAX_SIZE)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                   "key derivation: %" G_GSIZE_FORMAT " bytes asked for, 1 to %d can be", size, DERIVE_MAX_SIZE);
      return NULL;
    }
  key.data = (unsigned char *) passphrase;
  key.size = strlen (passphrase);
  salt_datum.data = (unsigned char *) g_bytes_get_data (salt, &salt_size);
  salt_datum.size = salt_size;
  derived = pkm_secret_new (size);
  rc = gnutls_pbkdf2 (GNUTLS_MAC_SHA256, &key, &salt_datum, iterations, pkm_secret_get_data (derived), size);
  if (rc < 0)
    {
      pkm_secret_free (derived);
      pkm_gnutls_fail (rc, "key derivation", PKM_ERROR_CRYPTO_FAILED, error);
      return NULL;
    }
  return derived;
}
