/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "model/pkm-model.h"

const char *const pkm_key_size_names[] = {
  "1024", "1536", "2048", "4096", "8192", "prime256v1", "secp384r1", "secp521r1", NULL,
};

const char *const pkm_digest_names[] = { "md5", "sha1", "sha256", "sha384", "sha512", NULL };

/* RouterOS puts key usages and extended key usages in one list. */
typedef struct {
  const char *name;
  guint32 key_usage;
  guint32 ext_key_usage;
} PkmUsageName;

static const PkmUsageName usage_table[] = {
  { "digital-signature", PKM_KU_DIGITAL_SIGNATURE, 0 },
  { "content-commitment", PKM_KU_CONTENT_COMMITMENT, 0 },
  { "key-encipherment", PKM_KU_KEY_ENCIPHERMENT, 0 },
  { "data-encipherment", PKM_KU_DATA_ENCIPHERMENT, 0 },
  { "key-agreement", PKM_KU_KEY_AGREEMENT, 0 },
  { "key-cert-sign", PKM_KU_KEY_CERT_SIGN, 0 },
  { "crl-sign", PKM_KU_CRL_SIGN, 0 },
  { "encipher-only", PKM_KU_ENCIPHER_ONLY, 0 },
  { "decipher-only", PKM_KU_DECIPHER_ONLY, 0 },
  { "tls-server", 0, PKM_EKU_TLS_SERVER },
  { "tls-client", 0, PKM_EKU_TLS_CLIENT },
  { "code-sign", 0, PKM_EKU_CODE_SIGN },
  { "email-protect", 0, PKM_EKU_EMAIL_PROTECT },
  { "timestamp", 0, PKM_EKU_TIMESTAMP },
  { "ocsp-sign", 0, PKM_EKU_OCSP_SIGN },
  { "dvcs", 0, PKM_EKU_DVCS },
};

const char *const pkm_key_usage_names[] = {
  "digital-signature", "content-commitment", "key-encipherment", "data-encipherment", "key-agreement",
  "key-cert-sign", "crl-sign", "encipher-only", "decipher-only", "tls-server", "tls-client", "code-sign",
  "email-protect", "timestamp", "ocsp-sign", "dvcs", NULL,
};

const char *const pkm_default_key_usage[] = {
  "digital-signature", "key-encipherment", "data-encipherment", "key-cert-sign", "crl-sign", "tls-server",
  "tls-client", NULL,
};

typedef struct {
  const char *name;
  PkmKeyType type;
  guint bits;
} PkmKeySizeName;

static const PkmKeySizeName key_sizes[] = {
  { "1024", PKM_KEY_TYPE_RSA, 1024 },       { "1536", PKM_KEY_TYPE_RSA, 1536 },
  { "2048", PKM_KEY_TYPE_RSA, 2048 },       { "4096", PKM_KEY_TYPE_RSA, 4096 },
  { "8192", PKM_KEY_TYPE_RSA, 8192 },       { "prime256v1", PKM_KEY_TYPE_EC, 256 },
  { "secp384r1", PKM_KEY_TYPE_EC, 384 },    { "secp521r1", PKM_KEY_TYPE_EC, 521 },
};

gboolean
pkm_key_spec_from_size (const char *key_size, PkmKeySpec *spec)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_sizes); i++)
    if (g_strcmp0 (key_sizes[i].name, key_size) == 0)
      {
        spec->type = key_sizes[i].type;
        spec->bits = key_sizes[i].bits;
        spec->curve = key_sizes[i].type == PKM_KEY_TYPE_EC ? key_sizes[i].name : NULL;
        return TRUE;
      }
  return FALSE;
}

char *
pkm_key_size_from_info (const PkmCertInfo *info)
{
  if (info->key_type == PKM_KEY_TYPE_EC && info->key_curve != NULL)
    return g_strdup (info->key_curve);
  return g_strdup_printf ("%u", info->key_bits);
}

PkmDigest
pkm_digest_from_name (const char *name)
{
  for (guint i = 0; pkm_digest_names[i] != NULL; i++)
    if (g_strcmp0 (pkm_digest_names[i], name) == 0)
      return PKM_DIGEST_MD5 + i;
  return PKM_DIGEST_SHA256;
}

const char *
pkm_digest_name (PkmDigest digest)
{
  if (digest < PKM_DIGEST_MD5 || digest > PKM_DIGEST_SHA512)
    return "sha256";
  return pkm_digest_names[digest - PKM_DIGEST_MD5];
}

void
pkm_key_usage_bits (const char *const *names, guint32 *key_usage, guint32 *ext_key_usage)
{
  *key_usage = 0;
  *ext_key_usage = 0;
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    for (guint k = 0; k < G_N_ELEMENTS (usage_table); k++)
      if (strcmp (names[i], usage_table[k].name) == 0)
        {
          *key_usage |= usage_table[k].key_usage;
          *ext_key_usage |= usage_table[k].ext_key_usage;
        }
}

char **
pkm_key_usage_names_from_bits (guint32 key_usage, guint32 ext_key_usage)
{
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();

  for (guint k = 0; k < G_N_ELEMENTS (usage_table); k++)
    if ((usage_table[k].key_usage & key_usage) != 0 || (usage_table[k].ext_key_usage & ext_key_usage) != 0)
      g_strv_builder_add (names, usage_table[k].name);
  return g_strv_builder_end (names);
}

gboolean
pkm_strv_contains (const char *const *strv, const char *value)
{
  return strv != NULL && g_strv_contains (strv, value);
}
