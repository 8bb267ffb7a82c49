/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "gnutls-private.h"

static int
set_dn (void *crq, const char *oid, unsigned raw, const void *data, unsigned size)
{
  return gnutls_x509_crq_set_dn_by_oid (crq, oid, raw, data, size);
}

/* gnutls marks a request's SAN and EKU critical whatever it is told; the
 * certificates signed here carry them non-critical (RFC 5280 4.2.1.6, 4.2.1.12),
 * so the request asks for the same. */
static int
mark_non_critical (gnutls_x509_crq_t crq, const char *oid)
{
  gnutls_datum_t der = { NULL, 0 };
  unsigned critical = 0;
  int rc = gnutls_x509_crq_get_extension_by_oid2 (crq, oid, 0, &der, &critical);

  if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
    return 0;
  if (rc >= 0 && critical)
    rc = gnutls_x509_crq_set_extension_by_oid (crq, oid, der.data, der.size, 0);
  gnutls_free (der.data);
  return rc;
}

static gboolean
set_requested_extensions (gnutls_x509_crq_t crq, const PkmCertSpec *spec, GError **error)
{
  int rc = 0;

  if (spec->key_usage != 0)
    rc = gnutls_x509_crq_set_key_usage (crq, pkm_gnutls_key_usage_bits (spec->key_usage));
  if (rc >= 0 && spec->is_ca)
    rc = gnutls_x509_crq_set_basic_constraints (crq, 1, -1);
  if (rc < 0)
    return pkm_gnutls_fail (rc, "request extensions", PKM_ERROR_INVALID_ARGUMENT, error);
  if (!pkm_gnutls_set_sans_and_ekus (spec, (PkmGnutlsSetSan) gnutls_x509_crq_set_subject_alt_name,
                                     (PkmGnutlsSetOid) gnutls_x509_crq_set_key_purpose_oid, crq, error))
    return FALSE;
  rc = mark_non_critical (crq, GNUTLS_X509EXT_OID_SAN);
  if (rc >= 0)
    rc = mark_non_critical (crq, GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE);
  return rc >= 0 || pkm_gnutls_fail (rc, "request extensions", PKM_ERROR_INVALID_ARGUMENT, error);
}

/* Version, the key's public half (whoever holds the key) and the challenge. */
static gboolean
set_request_basics (gnutls_x509_crq_t crq, PkmKey *key, const char *challenge_password, GError **error)
{
  g_autoptr (GBytes) spki = pkm_key_get_public_key (key, error);
  gnutls_pubkey_t pubkey = NULL;
  int rc;

  if (spki == NULL || !pkm_gnutls_import_spki (spki, &pubkey, error))
    return FALSE;
  rc = gnutls_x509_crq_set_version (crq, 1);
  if (rc >= 0)
    rc = gnutls_x509_crq_set_pubkey (crq, pubkey);
  gnutls_pubkey_deinit (pubkey);
  if (rc >= 0 && challenge_password != NULL && *challenge_password != '\0')
    rc = gnutls_x509_crq_set_challenge_password (crq, challenge_password);
  return rc >= 0 || pkm_gnutls_fail (rc, "request", PKM_ERROR_INVALID_ARGUMENT, error);
}

static gboolean
sign_request (gnutls_x509_crq_t crq, const PkmCertSpec *spec, PkmKey *key, gnutls_datum_t *out, GError **error)
{
  PkmGnutlsSigner signer = { NULL };
  GError *provider_error;
  int rc;

  if (!pkm_gnutls_signer_init (&signer, key, error))
    return FALSE;
  rc = gnutls_x509_crq_privkey_sign (crq, signer.privkey, pkm_gnutls_digest (spec->digest), 0);
  if (rc >= 0)
    rc = gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_DER, out);
  provider_error = rc < 0 ? pkm_gnutls_signer_take_error (&signer) : NULL;
  pkm_gnutls_signer_clear (&signer);
  if (provider_error != NULL)
    g_propagate_error (error, provider_error);
  else if (rc < 0)
    pkm_gnutls_fail (rc, "request signing", PKM_ERROR_CRYPTO_FAILED, error);
  return rc >= 0;
}

GBytes *
pkm_gnutls_create_csr (gpointer self, const PkmCertSpec *spec, PkmKey *key, const char *challenge_password,
                       GError **error)
{
  gnutls_x509_crq_t crq = NULL;
  gnutls_datum_t out = { NULL, 0 };
  GBytes *result = NULL;

  gnutls_x509_crq_init (&crq);
  if (set_request_basics (crq, key, challenge_password, error) && pkm_gnutls_set_subject (spec, set_dn, crq, error)
      && set_requested_extensions (crq, spec, error) && sign_request (crq, spec, key, &out, error))
    result = pkm_gnutls_take_datum (&out);
  gnutls_x509_crq_deinit (crq);
  return result;
}

static void
read_requested (gnutls_x509_crq_t crq, PkmCertInfo *info)
{
  g_autoptr (GStrvBuilder) sans = g_strv_builder_new ();
  unsigned ku = 0, critical = 0, ca = 0;
  int pathlen;

  for (unsigned i = 0; i < 1024; i++)
    {
      guint8 buffer[1024];
      size_t size = sizeof buffer;
      unsigned type = 0;
      int rc = gnutls_x509_crq_get_subject_alt_name (crq, i, buffer, &size, &type, NULL);
      char *text;

      if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (rc < 0)
        continue;
      text = pkm_gnutls_san_text (type, buffer, size);
      if (text != NULL)
        g_strv_builder_add (sans, text);
      g_free (text);
    }
  info->san = g_strv_builder_end (sans);
  if (gnutls_x509_crq_get_key_usage (crq, &ku, &critical) >= 0)
    {
      info->has_key_usage = TRUE;
      info->key_usage = pkm_gnutls_key_usage_from (ku);
    }
  info->ext_key_usage = pkm_gnutls_read_ekus ((PkmGnutlsGetOid) gnutls_x509_crq_get_key_purpose_oid, crq);
  info->is_ca = gnutls_x509_crq_get_basic_constraints (crq, &critical, &ca, &pathlen) >= 0 && ca;
}

static void
read_public_key (gnutls_x509_crq_t crq, PkmCertInfo *info)
{
  gnutls_pubkey_t pubkey = NULL;
  gnutls_datum_t spki = { NULL, 0 };
  unsigned bits = 0;
  gnutls_ecc_curve_t curve;
  int pk;

  gnutls_pubkey_init (&pubkey);
  if (gnutls_pubkey_import_x509_crq (pubkey, crq, 0) >= 0)
    {
      pk = gnutls_pubkey_get_pk_algorithm (pubkey, &bits);
      info->key_bits = bits;
      info->key_type = pk == GNUTLS_PK_ECDSA ? PKM_KEY_TYPE_EC : PKM_KEY_TYPE_RSA;
      if (pk == GNUTLS_PK_ECDSA && gnutls_pubkey_export_ecc_raw (pubkey, &curve, NULL, NULL) >= 0)
        info->key_curve = g_strdup (pkm_gnutls_curve_name (curve));
      if (gnutls_pubkey_export2 (pubkey, GNUTLS_X509_FMT_DER, &spki) >= 0)
        info->spki = pkm_gnutls_take_datum (&spki);
    }
  gnutls_pubkey_deinit (pubkey);
  if (info->spki == NULL)
    info->spki = g_bytes_new (NULL, 0);
}

PkmCertInfo *
pkm_gnutls_parse_csr (gpointer self, GBytes *der, GError **error)
{
  gsize size;
  gnutls_datum_t datum = { (unsigned char *) g_bytes_get_data (der, &size), 0 }, dn = { NULL, 0 };
  gnutls_x509_crq_t crq = NULL;
  PkmCertInfo *info;
  char password[256];
  size_t password_size = sizeof password;
  int rc, sign;

  datum.size = size;
  gnutls_x509_crq_init (&crq);
  rc = gnutls_x509_crq_import (crq, &datum, GNUTLS_X509_FMT_DER);
  if (rc < 0)
    {
      gnutls_x509_crq_deinit (crq);
      pkm_gnutls_fail (rc, "not a certificate request", PKM_ERROR_INVALID_ARGUMENT, error);
      return NULL;
    }
  if (gnutls_x509_crq_verify (crq, GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1) < 0)
    {
      gnutls_x509_crq_deinit (crq);
      g_set_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED, "CSR: signature does not verify");
      return NULL;
    }
  info = g_new0 (PkmCertInfo, 1);
  if (gnutls_x509_crq_get_dn3 (crq, &dn, 0) >= 0)
    info->subject = pkm_gnutls_text (dn.data, dn.size);
  gnutls_free (dn.data);
  pkm_gnutls_read_subject ((PkmGnutlsGetDn) gnutls_x509_crq_get_dn_by_oid, crq, info);
  info->crl_distribution_points = g_new0 (char *, 1);
  read_requested (crq, info);
  read_public_key (crq, info);
  if (gnutls_x509_crq_get_challenge_password (crq, password, &password_size) >= 0)
    info->challenge_password = pkm_gnutls_text (password, password_size);
  sign = gnutls_x509_crq_get_signature_algorithm (crq);
  info->digest = pkm_gnutls_digest_from (gnutls_sign_get_hash_algorithm (sign));
  info->signature_algorithm = g_strdup (gnutls_sign_get_name (sign) != NULL ? gnutls_sign_get_name (sign) : "unknown");
  gnutls_x509_crq_deinit (crq);
  return info;
}
