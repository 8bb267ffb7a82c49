/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "gnutls-private.h"

/* Public keys as JWKs (RFC 7517/7518) with only the required members, in
 * the lexicographic order and without the whitespace of RFC 7638, so that
 * the text is the thumbprint's input as it is: ACME's account key and its
 * key authorizations are built from it. */

/* base64url without padding (RFC 7515 section 2). */
static char *
base64url (const guint8 *data, gsize size)
{
  char *text = g_base64_encode (data, size);
  char *end;

  for (char *p = text; *p != '\0'; p++)
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
  end = strchr (text, '=');
  if (end != NULL)
    *end = '\0';
  return text;
}

/* An unsigned big-endian integer in the fewest octets (RFC 7518 6.3.1.1),
 * or left-padded with zeros to @width octets (6.2.1.2: a coordinate is the
 * full size of the field). */
static char *
base64url_integer (const gnutls_datum_t *value, gsize width)
{
  gsize skip = 0, size;
  g_autofree guint8 *padded = NULL;

  while (skip + 1 < value->size && value->data[skip] == 0)
    skip++;
  size = value->size - skip;
  if (width == 0 || size >= width)
    return base64url (value->data + skip + (width != 0 ? size - width : 0), width != 0 ? width : size);
  padded = g_malloc0 (width);
  memcpy (padded + width - size, value->data + skip, size);
  return base64url (padded, width);
}

static char *
rsa_jwk (gnutls_pubkey_t pubkey, GError **error)
{
  gnutls_datum_t n = { NULL, 0 }, e = { NULL, 0 };
  int rc = gnutls_pubkey_export_rsa_raw2 (pubkey, &n, &e, GNUTLS_EXPORT_FLAG_NO_LZ);
  g_autofree char *n64 = NULL, *e64 = NULL;

  if (rc < 0)
    {
      pkm_gnutls_fail (rc, "public key", PKM_ERROR_INVALID_ARGUMENT, error);
      return NULL;
    }
  n64 = base64url_integer (&n, 0);
  e64 = base64url_integer (&e, 0);
  gnutls_free (n.data);
  gnutls_free (e.data);
  return g_strdup_printf ("{\"e\":\"%s\",\"kty\":\"RSA\",\"n\":\"%s\"}", e64, n64);
}

static const struct {
  gnutls_ecc_curve_t curve;
  const char *crv;
  gsize size; /* octets of a coordinate */
} curves[] = {
  { GNUTLS_ECC_CURVE_SECP256R1, "P-256", 32 },
  { GNUTLS_ECC_CURVE_SECP384R1, "P-384", 48 },
  { GNUTLS_ECC_CURVE_SECP521R1, "P-521", 66 },
};

static char *
ec_jwk (gnutls_pubkey_t pubkey, GError **error)
{
  gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
  gnutls_datum_t x = { NULL, 0 }, y = { NULL, 0 };
  int rc = gnutls_pubkey_export_ecc_raw2 (pubkey, &curve, &x, &y, GNUTLS_EXPORT_FLAG_NO_LZ);
  char *jwk = NULL;

  if (rc < 0)
    {
      pkm_gnutls_fail (rc, "public key", PKM_ERROR_INVALID_ARGUMENT, error);
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (curves) && jwk == NULL; i++)
    if (curves[i].curve == curve)
      {
        g_autofree char *x64 = base64url_integer (&x, curves[i].size);
        g_autofree char *y64 = base64url_integer (&y, curves[i].size);
        jwk = g_strdup_printf ("{\"crv\":\"%s\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", curves[i].crv, x64, y64);
      }
  if (jwk == NULL)
    g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "public key: curve %s has no JWK name",
                 gnutls_ecc_curve_get_name (curve));
  gnutls_free (x.data);
  gnutls_free (y.data);
  return jwk;
}

char *
pkm_gnutls_public_jwk (gpointer self, GBytes *spki, GError **error)
{
  gnutls_pubkey_t pubkey = NULL;
  char *jwk = NULL;
  int pk;

  if (!pkm_gnutls_import_spki (spki, &pubkey, error))
    return NULL;
  pk = gnutls_pubkey_get_pk_algorithm (pubkey, NULL);
  if (pk == GNUTLS_PK_RSA)
    jwk = rsa_jwk (pubkey, error);
  else if (pk == GNUTLS_PK_ECDSA)
    jwk = ec_jwk (pubkey, error);
  else
    g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "public key: %s keys have no JWK form here",
                 gnutls_pk_get_name (pk));
  gnutls_pubkey_deinit (pubkey);
  return jwk;
}

char *
pkm_gnutls_jwk_thumbprint (gpointer self, GBytes *spki, GError **error)
{
  g_autofree char *jwk = pkm_gnutls_public_jwk (self, spki, error);
  guint8 hash[32];
  int rc;

  if (jwk == NULL)
    return NULL;
  rc = gnutls_hash_fast (GNUTLS_DIG_SHA256, jwk, strlen (jwk), hash);
  if (rc < 0)
    {
      pkm_gnutls_fail (rc, "thumbprint", PKM_ERROR_CRYPTO_FAILED, error);
      return NULL;
    }
  return base64url (hash, sizeof hash);
}
