/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "gnutls-private.h"

/* The last instant X.509 can express: 9999-12-31 23:59:59 UTC (RFC 5280 4.1.2.5). */
#define PKM_NOT_AFTER_MAX G_GINT64_CONSTANT (253402300799)

static gboolean
import_crt (GBytes *der, gnutls_x509_crt_t *crt, const char *what, GError **error)
{
  gsize size;
  gnutls_datum_t datum = { (unsigned char *) g_bytes_get_data (der, &size), 0 };
  int rc;

  datum.size = size;
  gnutls_x509_crt_init (crt);
  rc = gnutls_x509_crt_import (*crt, &datum, GNUTLS_X509_FMT_DER);
  if (rc < 0)
    {
      gnutls_x509_crt_deinit (*crt);
      *crt = NULL;
      return pkm_gnutls_fail (rc, what, PKM_ERROR_INVALID_ARGUMENT, error);
    }
  return TRUE;
}

static int
set_dn (void *crt, const char *oid, unsigned raw, const void *data, unsigned size)
{
  return gnutls_x509_crt_set_dn_by_oid (crt, oid, raw, data, size);
}

static gboolean
set_extensions (gnutls_x509_crt_t crt, const PkmCertSpec *spec, GError **error)
{
  int rc = gnutls_x509_crt_set_basic_constraints (crt, spec->is_ca, -1);

  if (rc >= 0 && spec->key_usage != 0)
    rc = gnutls_x509_crt_set_key_usage (crt, pkm_gnutls_key_usage_bits (spec->key_usage));
  if (rc >= 0 && spec->crl_distribution_point != NULL && *spec->crl_distribution_point != '\0')
    rc = gnutls_x509_crt_set_crl_dist_points2 (crt, GNUTLS_SAN_URI, spec->crl_distribution_point,
                                               strlen (spec->crl_distribution_point), 0);
  if (rc < 0)
    return pkm_gnutls_fail (rc, "certificate extensions", PKM_ERROR_INVALID_ARGUMENT, error);
  return pkm_gnutls_set_sans_and_ekus (spec, (PkmGnutlsSetSan) gnutls_x509_crt_set_subject_alt_name,
                                       (PkmGnutlsSetOid) gnutls_x509_crt_set_key_purpose_oid, crt, error);
}

static gboolean
set_key_ids (gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer, GError **error)
{
  guint8 id[64];
  size_t size = sizeof id;
  int rc = gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA1, id, &size);

  if (rc >= 0)
    rc = gnutls_x509_crt_set_subject_key_id (crt, id, size);
  if (rc >= 0 && issuer != NULL)
    {
      size = sizeof id;
      rc = gnutls_x509_crt_get_subject_key_id (issuer, id, &size, NULL);
      if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        {
          size = sizeof id;
          rc = gnutls_x509_crt_get_key_id (issuer, GNUTLS_KEYID_USE_SHA1, id, &size);
        }
    }
  if (rc >= 0)
    rc = gnutls_x509_crt_set_authority_key_id (crt, id, size);
  return rc >= 0 || pkm_gnutls_fail (rc, "key identifiers", PKM_ERROR_CRYPTO_FAILED, error);
}

static gboolean
set_basics (gnutls_x509_crt_t crt, const PkmCertSpec *spec, GBytes *subject_spki, GError **error)
{
  gnutls_pubkey_t pubkey = NULL;
  gsize size;
  gnutls_datum_t spki = { (unsigned char *) g_bytes_get_data (subject_spki, &size), 0 };
  gsize serial_size;
  const void *serial = g_bytes_get_data (spec->serial, &serial_size);
  int rc;

  spki.size = size;
  rc = gnutls_x509_crt_set_version (crt, 3);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_serial (crt, serial, serial_size);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_activation_time (crt, (time_t) spec->not_before);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_expiration_time (crt, (time_t) MIN (spec->not_after, PKM_NOT_AFTER_MAX));
  if (rc >= 0)
    {
      gnutls_pubkey_init (&pubkey);
      rc = gnutls_pubkey_import (pubkey, &spki, GNUTLS_X509_FMT_DER);
      if (rc >= 0)
        rc = gnutls_x509_crt_set_pubkey (crt, pubkey);
      gnutls_pubkey_deinit (pubkey);
    }
  return rc >= 0 || pkm_gnutls_fail (rc, "certificate", PKM_ERROR_INVALID_ARGUMENT, error);
}

/* A refusal of the digest is the user's to fix: say which digest and key. */
static void
signing_failed (int rc, PkmGnutlsSigner *signer, const PkmCertSpec *spec, GError **error)
{
  GError *provider_error = pkm_gnutls_signer_take_error (signer);
  g_autofree char *digest = NULL;

  if (provider_error != NULL)
    g_propagate_error (error, provider_error);
  else if (rc == GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM || rc == GNUTLS_E_INSUFFICIENT_SECURITY)
    {
      digest = g_ascii_strdown (gnutls_digest_get_name (pkm_gnutls_digest (spec->digest)), -1);
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "digest-algorithm: %s cannot sign with this CA's %s key",
                   digest, gnutls_pk_get_name (gnutls_privkey_get_pk_algorithm (signer->privkey, NULL)));
    }
  else
    pkm_gnutls_fail (rc, "signing", PKM_ERROR_CRYPTO_FAILED, error);
}

GBytes *
pkm_gnutls_sign_certificate (gpointer self, const PkmCertSpec *spec, GBytes *subject_spki, GBytes *issuer_cert,
                             PkmKey *issuer_key, GError **error)
{
  gnutls_x509_crt_t crt = NULL, issuer = NULL;
  PkmGnutlsSigner signer = { NULL };
  gnutls_datum_t out = { NULL, 0 };
  GBytes *result = NULL;
  int rc;

  gnutls_x509_crt_init (&crt);
  if ((issuer_cert != NULL && !import_crt (issuer_cert, &issuer, "issuer certificate", error))
      || !set_basics (crt, spec, subject_spki, error) || !pkm_gnutls_set_subject (spec, set_dn, crt, error)
      || !set_extensions (crt, spec, error) || !set_key_ids (crt, issuer, error)
      || !pkm_gnutls_signer_init (&signer, issuer_key, error))
    goto out;
  rc = gnutls_x509_crt_privkey_sign (crt, issuer != NULL ? issuer : crt, signer.privkey,
                                     pkm_gnutls_digest (spec->digest), 0);
  if (rc >= 0)
    rc = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &out);
  if (rc < 0)
    signing_failed (rc, &signer, spec, error);
  else
    result = pkm_gnutls_take_datum (&out);
out:
  pkm_gnutls_signer_clear (&signer);
  if (issuer != NULL)
    gnutls_x509_crt_deinit (issuer);
  gnutls_x509_crt_deinit (crt);
  return result;
}

static char **
read_sans (gnutls_x509_crt_t crt)
{
  g_autoptr (GStrvBuilder) sans = g_strv_builder_new ();

  for (unsigned i = 0; i < 1024; i++)
    {
      guint8 buffer[1024];
      size_t size = sizeof buffer;
      int type = gnutls_x509_crt_get_subject_alt_name (crt, i, buffer, &size, NULL);
      char *text;

      if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (type < 0)
        continue;
      text = pkm_gnutls_san_text (type, buffer, size);
      if (text != NULL)
        g_strv_builder_add (sans, text);
      g_free (text);
    }
  return g_strv_builder_end (sans);
}

static char **
read_crl_points (gnutls_x509_crt_t crt)
{
  g_autoptr (GStrvBuilder) urls = g_strv_builder_new ();

  for (unsigned i = 0; i < 64; i++)
    {
      char buffer[2048];
      size_t size = sizeof buffer;
      int type = gnutls_x509_crt_get_crl_dist_points (crt, i, buffer, &size, NULL, NULL);

      if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (type == GNUTLS_SAN_URI)
        {
          g_autofree char *url = pkm_gnutls_text (buffer, size);
          g_strv_builder_add (urls, url);
        }
    }
  return g_strv_builder_end (urls);
}

static char *
read_id (int (*get) (gnutls_x509_crt_t, void *, size_t *, unsigned int *), gnutls_x509_crt_t crt)
{
  guint8 id[128];
  size_t size = sizeof id;

  if (get (crt, id, &size, NULL) < 0)
    return NULL;
  return pkm_gnutls_hex (id, size, FALSE);
}

static void
read_key_info (gnutls_pubkey_t pubkey, PkmCertInfo *info)
{
  unsigned bits = 0;
  int pk = gnutls_pubkey_get_pk_algorithm (pubkey, &bits);
  gnutls_ecc_curve_t curve;

  info->key_bits = bits;
  if (pk == GNUTLS_PK_ECDSA && gnutls_pubkey_export_ecc_raw (pubkey, &curve, NULL, NULL) >= 0)
    {
      info->key_type = PKM_KEY_TYPE_EC;
      info->key_curve = g_strdup (pkm_gnutls_curve_name (curve));
    }
  else if (pk == GNUTLS_PK_RSA || pk == GNUTLS_PK_RSA_PSS)
    info->key_type = PKM_KEY_TYPE_RSA;
}

PkmCertInfo *
pkm_gnutls_parse_certificate (gpointer self, GBytes *der, GError **error)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_pubkey_t pubkey = NULL;
  gnutls_datum_t dn = { NULL, 0 }, spki = { NULL, 0 };
  PkmCertInfo *info;
  guint8 buffer[64];
  size_t size = sizeof buffer;
  unsigned ku = 0, critical = 0, ca = 0;
  int sign, pathlen;

  if (!import_crt (der, &crt, "certificate", error))
    return NULL;
  info = g_new0 (PkmCertInfo, 1);
  if (gnutls_x509_crt_get_dn3 (crt, &dn, 0) >= 0)
    info->subject = pkm_gnutls_text (dn.data, dn.size);
  gnutls_free (dn.data);
  dn.data = NULL;
  if (gnutls_x509_crt_get_issuer_dn3 (crt, &dn, 0) >= 0)
    info->issuer = pkm_gnutls_text (dn.data, dn.size);
  gnutls_free (dn.data);
  pkm_gnutls_read_subject ((PkmGnutlsGetDn) gnutls_x509_crt_get_dn_by_oid, crt, info);
  info->san = read_sans (crt);
  info->crl_distribution_points = read_crl_points (crt);
  if (gnutls_x509_crt_get_serial (crt, buffer, &size) >= 0)
    {
      /* DER's leading zero for a positive serial is not part of the number. */
      gsize skip = 0;
      while (skip + 1 < size && buffer[skip] == 0)
        skip++;
      info->serial = pkm_gnutls_hex (buffer + skip, size - skip, TRUE);
    }
  info->not_before = gnutls_x509_crt_get_activation_time (crt);
  info->not_after = gnutls_x509_crt_get_expiration_time (crt);
  size = sizeof buffer;
  if (gnutls_x509_crt_get_fingerprint (crt, GNUTLS_DIG_SHA256, buffer, &size) >= 0)
    info->fingerprint = pkm_gnutls_hex (buffer, size, FALSE);
  info->skid = read_id ((void *) gnutls_x509_crt_get_subject_key_id, crt);
  info->akid = read_id ((void *) gnutls_x509_crt_get_authority_key_id, crt);
  gnutls_pubkey_init (&pubkey);
  if (gnutls_pubkey_import_x509 (pubkey, crt, 0) >= 0)
    {
      read_key_info (pubkey, info);
      if (gnutls_pubkey_export2 (pubkey, GNUTLS_X509_FMT_DER, &spki) >= 0)
        info->spki = pkm_gnutls_take_datum (&spki);
    }
  gnutls_pubkey_deinit (pubkey);
  if (info->spki == NULL)
    info->spki = g_bytes_new (NULL, 0);
  if (gnutls_x509_crt_get_key_usage (crt, &ku, &critical) >= 0)
    {
      info->has_key_usage = TRUE;
      info->key_usage = pkm_gnutls_key_usage_from (ku);
    }
  info->ext_key_usage = pkm_gnutls_read_ekus ((PkmGnutlsGetOid) gnutls_x509_crt_get_key_purpose_oid, crt);
  info->is_ca = gnutls_x509_crt_get_basic_constraints (crt, &critical, &ca, &pathlen) >= 0 && ca;
  sign = gnutls_x509_crt_get_signature_algorithm (crt);
  info->digest = pkm_gnutls_digest_from (gnutls_sign_get_hash_algorithm (sign));
  info->signature_algorithm = g_strdup (gnutls_sign_get_name (sign) != NULL ? gnutls_sign_get_name (sign) : "unknown");
  gnutls_x509_crt_deinit (crt);
  return info;
}

/* The TBSCertificate: the first element of the outer SEQUENCE, header included. */
static gboolean
tbs_of (GBytes *der, gnutls_datum_t *tbs)
{
  gsize size;
  const guint8 *p = g_bytes_get_data (der, &size);
  gsize offset = 0, len = 0, header;

  if (size < 4 || p[0] != 0x30)
    return FALSE;
  /* Skip the outer header. */
  offset = (p[1] & 0x80) ? 2 + (p[1] & 0x7f) : 2;
  if (offset + 2 > size || p[offset] != 0x30)
    return FALSE;
  if (p[offset + 1] & 0x80)
    {
      guint n = p[offset + 1] & 0x7f;
      if (n == 0 || n > 4 || offset + 2 + n > size)
        return FALSE;
      for (guint i = 0; i < n; i++)
        len = (len << 8) | p[offset + 2 + i];
      header = 2 + n;
    }
  else
    {
      len = p[offset + 1];
      header = 2;
    }
  if (offset + header + len > size)
    return FALSE;
  tbs->data = (unsigned char *) p + offset;
  tbs->size = header + len;
  return TRUE;
}

gboolean
pkm_gnutls_verify_signature (gpointer self, GBytes *cert, GBytes *issuer_cert, GError **error)
{
  gnutls_x509_crt_t crt = NULL, issuer = NULL;
  gnutls_pubkey_t pubkey = NULL;
  gnutls_datum_t tbs, signature = { NULL, 0 };
  guint8 sig[2048];
  size_t sig_size = sizeof sig;
  gboolean ok = FALSE;
  int rc;

  if (!import_crt (cert, &crt, "certificate", error))
    return FALSE;
  if (!import_crt (issuer_cert, &issuer, "issuer certificate", error))
    {
      gnutls_x509_crt_deinit (crt);
      return FALSE;
    }
  gnutls_pubkey_init (&pubkey);
  rc = gnutls_pubkey_import_x509 (pubkey, issuer, 0);
  if (rc >= 0 && tbs_of (cert, &tbs) && gnutls_x509_crt_get_signature (crt, (char *) sig, &sig_size) >= 0)
    {
      signature.data = sig;
      signature.size = sig_size;
      /* Old algorithms are verified, not refused: the signature algorithm is shown to the user instead. */
      rc = gnutls_pubkey_verify_data2 (pubkey, gnutls_x509_crt_get_signature_algorithm (crt),
                                       GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 | GNUTLS_VERIFY_ALLOW_BROKEN, &tbs,
                                       &signature);
      ok = rc >= 0;
    }
  if (!ok && gnutls_sign_get_pk_algorithm (gnutls_x509_crt_get_signature_algorithm (crt)) == GNUTLS_PK_RSA_PSS)
    {
      /* RSA-PSS carries its salt length in the algorithm parameters, which
       * only the certificate-level check reads. */
      unsigned status = 0;
      rc = gnutls_x509_crt_verify (crt, &issuer, 1,
                                   GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS
                                     | GNUTLS_VERIFY_DISABLE_CA_SIGN | GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1,
                                   &status);
      ok = rc >= 0 && (status & (GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_NOT_FOUND)) == 0;
    }
  gnutls_pubkey_deinit (pubkey);
  gnutls_x509_crt_deinit (issuer);
  gnutls_x509_crt_deinit (crt);
  return ok;
}
