/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "menus/pkm-cert-private.h"

/* print builds its items from the stored summaries; nothing is parsed here,
 * so listing 10,000 certificates costs one pass over the store. */

/* A stored record is a serialized a{sv}; GVariantDict and g_variant_lookup
 * go through the varargs "{sv}" path, which costs thousands of instructions
 * per entry. Rows are indexed once with g_variant_iter_next_value instead,
 * and items are built with a builder from those values. */
typedef struct {
  gint64 id;
  char *name;
  GHashTable *values; /* key -> GVariant value (owned) */
} PkmRow;

static void
row_free (gpointer data)
{
  PkmRow *row = data;

  g_free (row->name);
  g_hash_table_unref (row->values);
  g_free (row);
}

static gboolean
collect_row (gint64 id, const char *name, GVariant *record, gpointer user_data)
{
  PkmRow *row = g_new0 (PkmRow, 1);

  row->id = id;
  row->name = g_strdup (name);
  row->values = pkm_record_index (record);
  g_ptr_array_add (user_data, row);
  return TRUE;
}

static void
add (GVariantBuilder *item, const char *key, GVariant *value)
{
  g_variant_builder_add_value (item, g_variant_new_dict_entry (g_variant_new_string (key), g_variant_new_variant (value)));
}

static void
add_time (GVariantBuilder *item, const char *key, GHashTable *values)
{
  gint64 when = pkm_record_int (values, key);

  if (when != 0)
    {
      g_autofree char *text = pkm_format_time (when);
      add (item, key, g_variant_new_string (text));
    }
}

static GVariant *
build_item (PkmRow *row, GHashTable *names_by_id, GHashTable *key_ids, PkmChainIndex *chains, gint64 now)
{
  GVariantBuilder item;
  const char *key_id = pkm_record_string (row->values, "key-id");
  gboolean on_token = pkm_record_string (row->values, "key-uri") != NULL;
  gint64 ca_id = pkm_record_int (row->values, "ca-id");
  gint64 not_after = pkm_record_int (row->values, "invalid-after");
  gboolean authority = pkm_record_bool (row->values, "authority");
  GVariant *cdp = g_hash_table_lookup (row->values, "crl-distribution-points");

  g_variant_builder_init (&item, G_VARIANT_TYPE_VARDICT);
  add (&item, ".id", g_variant_new_int64 (row->id));
  add (&item, "name", g_variant_new_string (row->name));
  /* The stored properties, as they are. */
  for (const PkmCertProperty *p = pkm_cert_properties; p->name != NULL; p++)
    {
      GVariant *value = (p->flags & PROP_STORED) ? g_hash_table_lookup (row->values, p->name) : NULL;
      if (value != NULL)
        add (&item, p->name, value);
    }
  if (pkm_record_bool (row->values, "template"))
    return g_variant_builder_end (&item);

  add_time (&item, "invalid-before", row->values);
  add_time (&item, "invalid-after", row->values);
  add_time (&item, "revoked", row->values);
  if (not_after > now)
    {
      g_autofree char *left = pkm_format_duration (not_after - now);
      add (&item, "expires-after", g_variant_new_string (left));
    }
  if (ca_id != 0 && g_hash_table_contains (names_by_id, &ca_id))
    add (&item, "ca", g_variant_new_string (g_hash_table_lookup (names_by_id, &ca_id)));
  add (&item, "private-key",
       g_variant_new_boolean (on_token || (key_id != NULL && g_hash_table_contains (key_ids, key_id))));
  add (&item, "issued", g_variant_new_boolean (ca_id != 0 && !authority));
  add (&item, "crl", g_variant_new_boolean (cdp != NULL && g_variant_n_children (cdp) > 0));
  add (&item, "smart-card-key", g_variant_new_boolean (on_token));
  add (&item, "expired", g_variant_new_boolean (not_after != 0 && not_after < now));
  add (&item, "chain-status", g_variant_new_string (pkm_chain_status (chains, row->values)));
  return g_variant_builder_end (&item);
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
      pkm_chain_index_add (chains, row->values);
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
