/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "menus/pkm-cert-private.h"
#include "core/pkm-providers.h"

/* print builds its items from the stored summaries; nothing is parsed here,
 * so listing 10,000 certificates costs one pass over the store. */

typedef struct {
  gint64 id;
  char *name;
  GVariant *record;
} PkmRow;

static void
row_free (gpointer data)
{
  PkmRow *row = data;

  g_free (row->name);
  g_variant_unref (row->record);
  g_free (row);
}

static gboolean
collect_row (gint64 id, const char *name, GVariant *record, gpointer user_data)
{
  PkmRow *row = g_new0 (PkmRow, 1);

  row->id = id;
  row->name = g_strdup (name);
  row->record = g_variant_ref (record);
  g_ptr_array_add (user_data, row);
  return TRUE;
}

/* Stored keys copied to the item as they are. */
static const char *const copied_fields[] = {
  "common-name", "country", "state", "locality", "organization", "unit", "subject-alt-name", "key-size",
  "key-type", "days-valid", "trusted", "trust-store", "key-usage", "digest-algorithm", "serial-number",
  "fingerprint", "akid", "skid", "issuer", "subject", "ca-fingerprint", "ca-crl-host", "signature-algorithm",
  "authority", "template", NULL,
};

static void
add_time (GVariantDict *item, const char *key, GVariant *record)
{
  gint64 when = 0;

  if (g_variant_lookup (record, key, "x", &when) && when != 0)
    {
      g_autofree char *text = pkm_format_time (when);
      g_variant_dict_insert (item, key, "s", text);
    }
}

static GVariant *
build_item (PkmRow *row, GHashTable *names_by_id, GHashTable *key_ids, PkmChainIndex *chains, gint64 now)
{
  GVariantDict item;
  const char *key_id = NULL;
  gint64 ca_id = 0, not_after = 0, revoked = 0;
  gboolean is_template = FALSE, authority = FALSE;
  g_autoptr (GVariant) cdp = g_variant_lookup_value (row->record, "crl-distribution-points", G_VARIANT_TYPE ("as"));

  g_variant_dict_init (&item, NULL);
  g_variant_dict_insert (&item, ".id", "x", row->id);
  g_variant_dict_insert (&item, "name", "s", row->name);
  for (guint i = 0; copied_fields[i] != NULL; i++)
    {
      g_autoptr (GVariant) value = g_variant_lookup_value (row->record, copied_fields[i], NULL);
      if (value != NULL)
        g_variant_dict_insert_value (&item, copied_fields[i], value);
    }
  g_variant_lookup (row->record, "template", "b", &is_template);
  if (is_template)
    return g_variant_dict_end (&item);

  g_variant_lookup (row->record, "key-id", "&s", &key_id);
  g_variant_lookup (row->record, "ca-id", "x", &ca_id);
  g_variant_lookup (row->record, "invalid-after", "x", &not_after);
  g_variant_lookup (row->record, "revoked", "x", &revoked);
  g_variant_lookup (row->record, "authority", "b", &authority);
  add_time (&item, "invalid-before", row->record);
  add_time (&item, "invalid-after", row->record);
  add_time (&item, "revoked", row->record);
  if (not_after > now)
    {
      g_autofree char *left = pkm_format_duration (not_after - now);
      g_variant_dict_insert (&item, "expires-after", "s", left);
    }
  if (ca_id != 0 && g_hash_table_contains (names_by_id, &ca_id))
    g_variant_dict_insert (&item, "ca", "s", (const char *) g_hash_table_lookup (names_by_id, &ca_id));
  g_variant_dict_insert (&item, "private-key", "b", key_id != NULL && g_hash_table_contains (key_ids, key_id));
  g_variant_dict_insert (&item, "issued", "b", ca_id != 0 && !authority);
  g_variant_dict_insert (&item, "crl", "b", cdp != NULL && g_variant_n_children (cdp) > 0);
  g_variant_dict_insert (&item, "smart-card-key", "b", FALSE);
  g_variant_dict_insert (&item, "expired", "b", not_after != 0 && not_after < now);
  g_variant_dict_insert (&item, "chain-status", "s", pkm_chain_status (chains, row->record));
  return g_variant_dict_end (&item);
}

GPtrArray *
pkm_cert_list (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (row_free);
  g_autoptr (GHashTable) names_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GHashTable) key_ids = pkm_keys_all_ids (ctx, error);
  GPtrArray *items;
  gint64 now = pkm_now ();
  PkmChainIndex *chains = pkm_chain_index_new (now);

  if (key_ids == NULL || !pkm_store_foreach (ctx, PKM_COLLECTION_CERTIFICATE, collect_row, rows, error))
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    {
      PkmRow *row = g_ptr_array_index (rows, i);
      g_hash_table_insert (names_by_id, &row->id, row->name);
      pkm_chain_index_add (chains, row->record);
    }
  items = g_ptr_array_new_full (rows->len, (GDestroyNotify) g_variant_unref);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (items, g_variant_ref_sink (build_item (g_ptr_array_index (rows, i), names_by_id, key_ids, chains,
                                                            now)));
  pkm_chain_index_free (chains);
  return items;
}

gint64
pkm_cert_lookup (PkmCall *call, const char *name, GError **error)
{
  return pkm_store_find (pkm_call_get_context (call), PKM_COLLECTION_CERTIFICATE, name, error);
}
