/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <string.h>
#include "gnutls-private.h"

const struct PkmGnutlsEku pkm_gnutls_ekus[] = {
  { PKM_EKU_TLS_SERVER, GNUTLS_KP_TLS_WWW_SERVER },
  { PKM_EKU_TLS_CLIENT, GNUTLS_KP_TLS_WWW_CLIENT },
  { PKM_EKU_CODE_SIGN, GNUTLS_KP_CODE_SIGNING },
  { PKM_EKU_EMAIL_PROTECT, GNUTLS_KP_EMAIL_PROTECTION },
  { PKM_EKU_TIMESTAMP, GNUTLS_KP_TIME_STAMPING },
  { PKM_EKU_OCSP_SIGN, GNUTLS_KP_OCSP_SIGNING },
  { PKM_EKU_DVCS, "1.3.6.1.5.5.7.3.10" },
};

static const struct { guint32 ours; unsigned theirs; } key_usages[] = {
  { PKM_KU_DIGITAL_SIGNATURE, GNUTLS_KEY_DIGITAL_SIGNATURE },
  { PKM_KU_CONTENT_COMMITMENT, GNUTLS_KEY_NON_REPUDIATION },
  { PKM_KU_KEY_ENCIPHERMENT, GNUTLS_KEY_KEY_ENCIPHERMENT },
  { PKM_KU_DATA_ENCIPHERMENT, GNUTLS_KEY_DATA_ENCIPHERMENT },
  { PKM_KU_KEY_AGREEMENT, GNUTLS_KEY_KEY_AGREEMENT },
  { PKM_KU_KEY_CERT_SIGN, GNUTLS_KEY_KEY_CERT_SIGN },
  { PKM_KU_CRL_SIGN, GNUTLS_KEY_CRL_SIGN },
  { PKM_KU_ENCIPHER_ONLY, GNUTLS_KEY_ENCIPHER_ONLY },
  { PKM_KU_DECIPHER_ONLY, GNUTLS_KEY_DECIPHER_ONLY },
};

unsigned
pkm_gnutls_key_usage_bits (guint32 usage)
{
  unsigned bits = 0;

  for (guint i = 0; i < G_N_ELEMENTS (key_usages); i++)
    if (usage & key_usages[i].ours)
      bits |= key_usages[i].theirs;
  return bits;
}

guint32
pkm_gnutls_key_usage_from (unsigned bits)
{
  guint32 usage = 0;

  for (guint i = 0; i < G_N_ELEMENTS (key_usages); i++)
    if (bits & key_usages[i].theirs)
      usage |= key_usages[i].ours;
  return usage;
}

/* C first and CN last, the order openssl prints and RouterOS writes. */
gboolean
pkm_gnutls_set_subject (const PkmCertSpec *spec,
                        int (*set) (void *obj, const char *oid, unsigned raw, const void *data, unsigned size),
                        void *obj, GError **error)
{
  const struct { const char *oid; const char *value; const char *param; } fields[] = {
    { GNUTLS_OID_X520_COUNTRY_NAME, spec->country, "country" },
    { GNUTLS_OID_X520_STATE_OR_PROVINCE_NAME, spec->state, "state" },
    { GNUTLS_OID_X520_LOCALITY_NAME, spec->locality, "locality" },
    { GNUTLS_OID_X520_ORGANIZATION_NAME, spec->organization, "organization" },
    { GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME, spec->unit, "unit" },
    { GNUTLS_OID_X520_COMMON_NAME, spec->common_name, "common-name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      int rc;
      if (fields[i].value == NULL || *fields[i].value == '\0')
        continue;
      rc = set (obj, fields[i].oid, 0, fields[i].value, strlen (fields[i].value));
      if (rc < 0)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: %s", fields[i].param, gnutls_strerror (rc));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
pkm_gnutls_san_item (const char *item, gnutls_x509_subject_alt_name_t *type, guint8 *buffer, gsize *size,
                     GError **error)
{
  const char *value = strchr (item, ':');
  gsize len;

  if (value == NULL || value[1] == '\0')
    goto bad;
  value++;
  len = strlen (value);
  if (g_ascii_strncasecmp (item, "IP:", 3) == 0)
    {
      *type = GNUTLS_SAN_IPADDRESS;
      if (inet_pton (AF_INET, value, buffer) == 1)
        *size = 4;
      else if (inet_pton (AF_INET6, value, buffer) == 1)
        *size = 16;
      else
        goto bad;
      return TRUE;
    }
  if (len >= 256)
    goto bad;
  memcpy (buffer, value, len);
  *size = len;
  if (g_ascii_strncasecmp (item, "DNS:", 4) == 0)
    *type = GNUTLS_SAN_DNSNAME;
  else if (g_ascii_strncasecmp (item, "email:", 6) == 0)
    *type = GNUTLS_SAN_RFC822NAME;
  else
    goto bad;
  return TRUE;
bad:
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
               "subject-alt-name: \"%s\" is not DNS:name, IP:address or email:address", item);
  return FALSE;
}

char *
pkm_gnutls_san_text (gnutls_x509_subject_alt_name_t type, const guint8 *data, gsize size)
{
  char ip[INET6_ADDRSTRLEN];
  g_autofree char *text = NULL;

  switch (type)
    {
    case GNUTLS_SAN_DNSNAME: return g_strconcat ("DNS:", text = pkm_gnutls_text (data, size), NULL);
    case GNUTLS_SAN_RFC822NAME: return g_strconcat ("email:", text = pkm_gnutls_text (data, size), NULL);
    case GNUTLS_SAN_URI: return g_strconcat ("URI:", text = pkm_gnutls_text (data, size), NULL);
    case GNUTLS_SAN_IPADDRESS:
      if ((size == 4 && inet_ntop (AF_INET, data, ip, sizeof ip) != NULL)
          || (size == 16 && inet_ntop (AF_INET6, data, ip, sizeof ip) != NULL))
        return g_strdup_printf ("IP:%s", ip);
      return NULL;
    default: return NULL;
    }
}

/* Certificates and requests have getters of the same shape: one reader each. */
void
pkm_gnutls_read_subject (PkmGnutlsGetDn get, void *obj, PkmCertInfo *info)
{
  const struct { const char *oid; gsize offset; } fields[] = {
    { GNUTLS_OID_X520_COUNTRY_NAME, G_STRUCT_OFFSET (PkmCertInfo, country) },
    { GNUTLS_OID_X520_STATE_OR_PROVINCE_NAME, G_STRUCT_OFFSET (PkmCertInfo, state) },
    { GNUTLS_OID_X520_LOCALITY_NAME, G_STRUCT_OFFSET (PkmCertInfo, locality) },
    { GNUTLS_OID_X520_ORGANIZATION_NAME, G_STRUCT_OFFSET (PkmCertInfo, organization) },
    { GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME, G_STRUCT_OFFSET (PkmCertInfo, unit) },
    { GNUTLS_OID_X520_COMMON_NAME, G_STRUCT_OFFSET (PkmCertInfo, common_name) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      char buffer[1024];
      size_t size = sizeof buffer;

      if (get (obj, fields[i].oid, 0, 0, buffer, &size) >= 0)
        G_STRUCT_MEMBER (char *, info, fields[i].offset) = pkm_gnutls_text (buffer, size);
    }
}

guint32
pkm_gnutls_read_ekus (PkmGnutlsGetOid get, void *obj)
{
  guint32 bits = 0;

  for (unsigned i = 0; i < 64; i++)
    {
      char oid[128];
      size_t size = sizeof oid;

      if (get (obj, i, oid, &size, NULL) < 0)
        break;
      for (guint k = 0; k < G_N_ELEMENTS (pkm_gnutls_ekus); k++)
        if (strcmp (oid, pkm_gnutls_ekus[k].oid) == 0)
          bits |= pkm_gnutls_ekus[k].bit;
    }
  return bits;
}

gboolean
pkm_gnutls_set_sans_and_ekus (const PkmCertSpec *spec, PkmGnutlsSetSan set_san, PkmGnutlsSetOid set_eku, void *obj,
                              GError **error)
{
  int rc = 0;

  for (guint i = 0; rc >= 0 && i < G_N_ELEMENTS (pkm_gnutls_ekus); i++)
    if (spec->ext_key_usage & pkm_gnutls_ekus[i].bit)
      rc = set_eku (obj, pkm_gnutls_ekus[i].oid, 0);
  for (guint i = 0; rc >= 0 && spec->san != NULL && spec->san[i] != NULL; i++)
    {
      gnutls_x509_subject_alt_name_t type;
      guint8 buffer[256];
      gsize size;

      if (!pkm_gnutls_san_item (spec->san[i], &type, buffer, &size, error))
        return FALSE;
      rc = set_san (obj, type, buffer, size, GNUTLS_FSAN_APPEND);
    }
  return rc >= 0 || pkm_gnutls_fail (rc, "subject-alt-name or key usage", PKM_ERROR_INVALID_ARGUMENT, error);
}
