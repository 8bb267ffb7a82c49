/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "model/pkm-model.h"
#include "core/pkm-providers.h"

/* A revocation is a record of its own (CA, serial, time, reason), indexed
 * by the CA: a CRL of a million entries is one indexed scan of small
 * records, and never decodes a certificate. */

gboolean
pkm_revocations_add (PkmContext *ctx, gint64 ca_id, const char *ca_fingerprint, gint64 certificate_id,
                     const char *serial, gint64 when, const char *reason, GError **error)
{
  GVariantDict record;

  g_variant_dict_init (&record, NULL);
  g_variant_dict_insert (&record, "ca-id", "x", ca_id);
  if (ca_fingerprint != NULL)
    g_variant_dict_insert (&record, "ca-fingerprint", "s", ca_fingerprint);
  g_variant_dict_insert (&record, "certificate", "x", certificate_id);
  g_variant_dict_insert (&record, "serial-number", "s", serial != NULL ? serial : "");
  g_variant_dict_insert (&record, "time", "x", when);
  g_variant_dict_insert (&record, "reason", "s", reason);
  return pkm_store_insert (ctx, PKM_COLLECTION_REVOCATION, NULL, g_variant_dict_end (&record), error) > 0;
}

static gboolean
collect_id (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  g_array_append_val ((GArray *) user_data, id);
  return TRUE;
}

gboolean
pkm_revocations_remove_for_ca (PkmContext *ctx, gint64 ca_id, GError **error)
{
  static const char *const nothing[] = { NULL };
  g_autoptr (GVariant) key = g_variant_ref_sink (g_variant_new_int64 (ca_id));
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  PkmStoreQuery query = { .struct_size = sizeof query, .field = "ca-id", .lower = key, .upper = key,
                          .projection = nothing };

  if (!pkm_store_query (ctx, PKM_COLLECTION_REVOCATION, &query, collect_id, ids, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    if (!pkm_store_remove (ctx, PKM_COLLECTION_REVOCATION, g_array_index (ids, gint64, i), error))
      return FALSE;
  return TRUE;
}
