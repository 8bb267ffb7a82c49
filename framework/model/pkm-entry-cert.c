/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "model/pkm-model.h"

/* What a certificate says about itself is stored beside its DER, so that
 * print never has to parse 10,000 certificates. */
void
pkm_entry_set_certificate (PkmEntry *entry, GBytes *der, const PkmCertInfo *info)
{
  static const struct { const char *key; gsize offset; } subject_fields[] = {
    { "common-name", G_STRUCT_OFFSET (PkmCertInfo, common_name) },
    { "country", G_STRUCT_OFFSET (PkmCertInfo, country) },
    { "state", G_STRUCT_OFFSET (PkmCertInfo, state) },
    { "locality", G_STRUCT_OFFSET (PkmCertInfo, locality) },
    { "organization", G_STRUCT_OFFSET (PkmCertInfo, organization) },
    { "unit", G_STRUCT_OFFSET (PkmCertInfo, unit) },
  };
  GVariantDict *d = entry->dict;
  g_autofree char *san = g_strjoinv (",", info->san);
  g_autofree char *key_size = pkm_key_size_from_info (info);
  g_autofree char *key_id = pkm_key_id (info->spki);
  g_auto (GStrv) usages = pkm_key_usage_names_from_bits (info->key_usage, info->ext_key_usage);
  gint64 days = (info->not_after - info->not_before) / 86400;

  g_variant_dict_remove (d, "template");
  g_variant_dict_insert_value (d, "der", g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, der, TRUE));
  for (guint i = 0; i < G_N_ELEMENTS (subject_fields); i++)
    {
      const char *value = G_STRUCT_MEMBER (const char *, info, subject_fields[i].offset);
      pkm_entry_set_string (entry, subject_fields[i].key, value != NULL ? value : "");
    }
  pkm_entry_set_string (entry, "subject-alt-name", san);
  pkm_entry_set_string (entry, "subject", info->subject);
  pkm_entry_set_string (entry, "issuer", info->issuer);
  pkm_entry_set_string (entry, "serial-number", info->serial);
  pkm_entry_set_string (entry, "fingerprint", info->fingerprint);
  pkm_entry_set_string (entry, "skid", info->skid);
  pkm_entry_set_string (entry, "akid", info->akid);
  pkm_entry_set_string (entry, "key-type", info->key_type == PKM_KEY_TYPE_EC ? "ec" : "rsa");
  pkm_entry_set_string (entry, "key-size", key_size);
  pkm_entry_set_string (entry, "key-id", key_id);
  pkm_entry_set_string (entry, "signature-algorithm", info->signature_algorithm);
  if (info->digest != PKM_DIGEST_NONE)
    pkm_entry_set_string (entry, "digest-algorithm", pkm_digest_names[info->digest - PKM_DIGEST_MD5]);
  g_variant_dict_insert (d, "days-valid", "t", (guint64) MAX (days, 0));
  g_variant_dict_insert (d, "key-usage", "^as", usages);
  g_variant_dict_insert (d, "invalid-before", "x", info->not_before);
  g_variant_dict_insert (d, "invalid-after", "x", info->not_after);
  g_variant_dict_insert (d, "authority", "b",
                         info->is_ca && (!info->has_key_usage || (info->key_usage & PKM_KU_KEY_CERT_SIGN) != 0));
  g_variant_dict_insert (d, "crl-distribution-points", "^as", info->crl_distribution_points);
}
