/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "gnutls-private.h"

gboolean
pkm_gnutls_random (gpointer self, void *buffer, gsize size, GError **error)
{
  int rc = gnutls_rnd (GNUTLS_RND_RANDOM, buffer, size);

  return rc >= 0 || pkm_gnutls_fail (rc, "random", PKM_ERROR_CRYPTO_FAILED, error);
}

gboolean
pkm_gnutls_load_key (PkmSecret *key, gnutls_x509_privkey_t *out, GError **error)
{
  gnutls_datum_t der = { pkm_secret_get_data (key), pkm_secret_get_size (key) };
  int rc;

  gnutls_x509_privkey_init (out);
  rc = gnutls_x509_privkey_import_pkcs8 (*out, &der, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN);
  if (rc < 0)
    {
      gnutls_x509_privkey_deinit (*out);
      *out = NULL;
      return pkm_gnutls_fail (rc, "private key", PKM_ERROR_INVALID_ARGUMENT, error);
    }
  return TRUE;
}

gboolean
pkm_gnutls_load_privkey (PkmSecret *key, gnutls_privkey_t *out, GError **error)
{
  gnutls_x509_privkey_t x509 = NULL;
  int rc;

  if (!pkm_gnutls_load_key (key, &x509, error))
    return FALSE;
  gnutls_privkey_init (out);
  rc = gnutls_privkey_import_x509 (*out, x509, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE);
  if (rc < 0)
    {
      gnutls_x509_privkey_deinit (x509);
      gnutls_privkey_deinit (*out);
      *out = NULL;
      return pkm_gnutls_fail (rc, "private key", PKM_ERROR_CRYPTO_FAILED, error);
    }
  return TRUE;
}

PkmSecret *
pkm_gnutls_export_plain (gnutls_x509_privkey_t key, GError **error)
{
  gnutls_datum_t out = { NULL, 0 };
  int rc = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN, &out);

  if (rc < 0)
    {
      pkm_gnutls_fail (rc, "private key export", PKM_ERROR_CRYPTO_FAILED, error);
      return NULL;
    }
  return pkm_gnutls_take_secret (&out);
}

static gboolean
curve_of (const char *name, gnutls_ecc_curve_t *curve)
{
  static const struct { const char *name; gnutls_ecc_curve_t curve; } curves[] = {
    { "prime256v1", GNUTLS_ECC_CURVE_SECP256R1 },
    { "secp384r1", GNUTLS_ECC_CURVE_SECP384R1 },
    { "secp521r1", GNUTLS_ECC_CURVE_SECP521R1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (curves); i++)
    if (g_strcmp0 (curves[i].name, name) == 0)
      {
        *curve = curves[i].curve;
        return TRUE;
      }
  return FALSE;
}

PkmSecret *
pkm_gnutls_generate_key (gpointer self, const PkmKeySpec *spec, GError **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
  PkmSecret *result;
  int rc;

  if (spec->type == PKM_KEY_TYPE_EC && !curve_of (spec->curve, &curve))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "key-size: %s is not a supported curve",
                   spec->curve != NULL ? spec->curve : "(none)");
      return NULL;
    }
  if (spec->type == PKM_KEY_TYPE_RSA && (spec->bits < 1024 || spec->bits > 16384))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "key-size: %u is not a supported RSA size", spec->bits);
      return NULL;
    }
  if (spec->type != PKM_KEY_TYPE_RSA && spec->type != PKM_KEY_TYPE_EC)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "key type %d is not supported", spec->type);
      return NULL;
    }
  gnutls_x509_privkey_init (&key);
  rc = spec->type == PKM_KEY_TYPE_EC
         ? gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS (curve), 0)
         : gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA, spec->bits, 0);
  result = rc >= 0 ? pkm_gnutls_export_plain (key, error) : NULL;
  if (rc < 0)
    pkm_gnutls_fail (rc, "key generation", PKM_ERROR_CRYPTO_FAILED, error);
  gnutls_x509_privkey_deinit (key);
  return result;
}

GBytes *
pkm_gnutls_export_key_pkcs8 (gpointer self, PkmSecret *key, const char *passphrase, GError **error)
{
  gnutls_x509_privkey_t x509 = NULL;
  gnutls_datum_t out = { NULL, 0 };
  int rc;

  if (!pkm_gnutls_load_key (key, &x509, error))
    return NULL;
  rc = gnutls_x509_privkey_export2_pkcs8 (x509, GNUTLS_X509_FMT_PEM, passphrase,
                                          passphrase != NULL ? GNUTLS_PKCS_PBES2_AES_256 : GNUTLS_PKCS_PLAIN, &out);
  gnutls_x509_privkey_deinit (x509);
  if (rc < 0)
    {
      pkm_gnutls_fail (rc, "key export", PKM_ERROR_CRYPTO_FAILED, error);
      return NULL;
    }
  return pkm_gnutls_take_datum (&out);
}

/* Whether @data holds an encrypted key: then any failure to read it is a
 * passphrase problem, and says so. */
static gboolean
is_encrypted (const gnutls_datum_t *data, gnutls_x509_crt_fmt_t format)
{
  unsigned schema = 0, cipher = 0;

  if (format == GNUTLS_X509_FMT_PEM)
    return g_strstr_len ((const char *) data->data, data->size, "ENCRYPTED") != NULL;
  return gnutls_pkcs8_info (data, format, &schema, &cipher, NULL, NULL, NULL, NULL) >= 0 && schema != 0;
}

/* PKCS#8 says its iteration count in the clear; legacy PEM encryption has none (one MD5 round). */
static gboolean
kdf_affordable (const gnutls_datum_t *data, gnutls_x509_crt_fmt_t format, GError **error)
{
  unsigned schema = 0, cipher = 0, iterations = 0;
  guint64 budget = PKM_GNUTLS_KDF_BUDGET;
  char *oid = NULL;
  int rc = gnutls_pkcs8_info (data, format, &schema, &cipher, NULL, NULL, &iterations, &oid);

  gnutls_free (oid);
  return rc < 0 || pkm_gnutls_kdf_spend (&budget, iterations, "private key", error);
}

PkmSecret *
pkm_gnutls_import_key (gpointer self, GBytes *data, const char *passphrase, GError **error)
{
  gsize size;
  gnutls_datum_t datum = { (unsigned char *) g_bytes_get_data (data, &size), 0 };
  gnutls_x509_crt_fmt_t format;
  gnutls_x509_privkey_t key = NULL;
  gboolean encrypted;
  PkmSecret *result = NULL;
  int rc;

  datum.size = size;
  format = g_strstr_len ((const char *) datum.data, size, "-----BEGIN ") != NULL ? GNUTLS_X509_FMT_PEM
                                                                                : GNUTLS_X509_FMT_DER;
  encrypted = is_encrypted (&datum, format);
  if (encrypted && (passphrase == NULL || *passphrase == '\0'))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE, "the key is encrypted and no passphrase was given");
      return NULL;
    }
  if (encrypted && !kdf_affordable (&datum, format, error))
    return NULL;
  gnutls_x509_privkey_init (&key);
  rc = gnutls_x509_privkey_import2 (key, &datum, format, encrypted ? passphrase : NULL,
                                    encrypted ? 0 : GNUTLS_PKCS_PLAIN);
  if (rc < 0 && !encrypted)
    rc = gnutls_x509_privkey_import2 (key, &datum, format, NULL, 0);
  if (rc >= 0)
    result = pkm_gnutls_export_plain (key, error);
  else if (encrypted)
    g_set_error (error, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE, "the passphrase does not open the key");
  else
    g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "not a private key in PEM or DER (%s)",
                 gnutls_strerror (rc));
  gnutls_x509_privkey_deinit (key);
  return result;
}
