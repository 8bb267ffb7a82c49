/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "menus/pkm-cert-private.h"

/* print builds its items from the stored summaries; nothing is parsed here.
 * The store returns only the fields the wanted properties read (a table of
 * 10,000 reads a dozen small fields of each record, never the DER), and a
 * derived property nobody reads is never derived. */

/* What each derived property reads of the record. */
static const struct {
  const char *property;
  const char *fields[8];
} derived[] = {
  { "invalid-before", { "invalid-before" } },
  { "invalid-after", { "invalid-after" } },
  { "expires-after", { "invalid-after" } },
  { "expired", { "invalid-after" } },
  { "revoked", { "revoked" } },
  { "ca", { "ca-id" } },
  { "issued", { "ca-id", "authority" } },
  { "private-key", { "key-id", "key-uri" } },
  { "smart-card-key", { "key-uri" } },
  { "crl", { "crl-distribution-points" } },
  { "chain-status",
    { "fingerprint", "issuer-fingerprint", "invalid-before", "invalid-after", "trusted", "signature", "revoked" } },
};

typedef struct {
  gint64 id;
  char *name;
  GHashTable *values; /* key -> GVariant value (owned), pkm_record_index */
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
collect_row (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  PkmRow *row = g_new0 (PkmRow, 1);

  row->id = id;
  row->name = g_strdup (name);
  row->values = pkm_record_index (record);
  g_ptr_array_add (user_data, row);
  return TRUE;
}

/* (transfer container) (nullable): the record fields the wanted properties
 * read, NULL-terminated; NULL when every property is wanted (whole records). */
static GPtrArray *
wanted_fields (PkmCall *call)
{
  g_autoptr (GPtrArray) fields = g_ptr_array_new ();
  gboolean every = TRUE;

  g_ptr_array_add (fields, (gpointer) "template");
  for (const PkmCertProperty *p = pkm_cert_properties; p->name != NULL; p++)
    {
      if (!pkm_call_wants_property (call, p->name))
        {
          every = FALSE;
          continue;
        }
      if (p->flags & PROP_STORED)
        g_ptr_array_add (fields, (gpointer) p->name);
      for (guint i = 0; i < G_N_ELEMENTS (derived); i++)
        if (g_str_equal (derived[i].property, p->name))
          for (guint j = 0; j < G_N_ELEMENTS (derived[i].fields) && derived[i].fields[j] != NULL; j++)
            g_ptr_array_add (fields, (gpointer) derived[i].fields[j]);
    }
  if (every)
    return NULL;
  g_ptr_array_add (fields, NULL);
  return g_steal_pointer (&fields);
}

/* What is the same for every row, worked out once. */
typedef struct {
  PkmCall *call;
  GHashTable *names_by_id; /* (nullable) for "ca" */
  GHashTable *key_ids;     /* (nullable) for "private-key" */
  PkmChainIndex *chains;   /* (nullable) for "chain-status" */
  gint64 now;
} PkmListContext;

/* @value: floating (made for the item) or borrowed (from the record). */
static void
add (PkmListContext *lc, GVariantBuilder *item, const char *key, GVariant *value)
{
  if (pkm_call_wants_property (lc->call, key))
    g_variant_builder_add_value (item,
                                 g_variant_new_dict_entry (g_variant_new_string (key), g_variant_new_variant (value)));
  else if (g_variant_is_floating (value))
    g_variant_unref (g_variant_ref_sink (value));
}

static void
add_time (PkmListContext *lc, GVariantBuilder *item, const char *key, GHashTable *values)
{
  gint64 when = pkm_record_int (values, key);

  if (when != 0 && pkm_call_wants_property (lc->call, key))
    {
      g_autofree char *text = pkm_format_time (when);
      add (lc, item, key, g_variant_new_string (text));
    }
}

static void
add_derived (PkmListContext *lc, GVariantBuilder *item, PkmRow *row)
{
  const char *key_id = pkm_record_string (row->values, "key-id");
  gboolean on_token = pkm_record_string (row->values, "key-uri") != NULL;
  gint64 ca_id = pkm_record_int (row->values, "ca-id");
  gint64 not_after = pkm_record_int (row->values, "invalid-after");
  GVariant *cdp = g_hash_table_lookup (row->values, "crl-distribution-points");

  add_time (lc, item, "invalid-before", row->values);
  add_time (lc, item, "invalid-after", row->values);
  add_time (lc, item, "revoked", row->values);
  if (not_after > lc->now && pkm_call_wants_property (lc->call, "expires-after"))
    {
      g_autofree char *left = pkm_format_duration (not_after - lc->now);
      add (lc, item, "expires-after", g_variant_new_string (left));
    }
  if (ca_id != 0 && lc->names_by_id != NULL && g_hash_table_contains (lc->names_by_id, &ca_id))
    add (lc, item, "ca", g_variant_new_string (g_hash_table_lookup (lc->names_by_id, &ca_id)));
  add (lc, item, "private-key",
       g_variant_new_boolean (on_token
                              || (key_id != NULL && lc->key_ids != NULL && g_hash_table_contains (lc->key_ids, key_id))));
  add (lc, item, "issued", g_variant_new_boolean (ca_id != 0 && !pkm_record_bool (row->values, "authority")));
  add (lc, item, "crl", g_variant_new_boolean (cdp != NULL && g_variant_n_children (cdp) > 0));
  add (lc, item, "smart-card-key", g_variant_new_boolean (on_token));
  add (lc, item, "expired", g_variant_new_boolean (not_after != 0 && not_after < lc->now));
  if (lc->chains != NULL)
    add (lc, item, "chain-status", g_variant_new_string (pkm_chain_status (lc->chains, row->values)));
}

static GVariant *
build_item (PkmListContext *lc, PkmRow *row)
{
  GVariantBuilder item;

  g_variant_builder_init (&item, G_VARIANT_TYPE_VARDICT);
  add (lc, &item, ".id", g_variant_new_int64 (row->id));
  add (lc, &item, "name", g_variant_new_string (row->name));
  /* The stored properties, as they are. */
  for (const PkmCertProperty *p = pkm_cert_properties; p->name != NULL; p++)
    {
      GVariant *value = (p->flags & PROP_STORED) ? g_hash_table_lookup (row->values, p->name) : NULL;
      if (value != NULL)
        add (lc, &item, p->name, value);
    }
  if (!pkm_record_bool (row->values, "template"))
    add_derived (lc, &item, row);
  return g_variant_builder_end (&item);
}

static GPtrArray *
build_items (PkmListContext *lc, GPtrArray *rows, guint n_shown)
{
  GPtrArray *items = g_ptr_array_new_full (n_shown, (GDestroyNotify) g_variant_unref);

  if (lc->chains != NULL)
    for (guint i = 0; i < rows->len; i++)
      pkm_chain_index_add (lc->chains, ((PkmRow *) g_ptr_array_index (rows, i))->values);
  for (guint i = 0; i < n_shown; i++)
    g_ptr_array_add (items, g_variant_ref_sink (build_item (lc, g_ptr_array_index (rows, i))));
  if (lc->chains != NULL)
    pkm_chain_index_free (lc->chains);
  return items;
}

GPtrArray *
pkm_cert_list (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (row_free);
  g_autoptr (GPtrArray) fields = wanted_fields (call);
  g_autoptr (GHashTable) names_by_id = NULL;
  g_autoptr (GHashTable) key_ids = NULL;
  PkmStoreQuery all = { .struct_size = sizeof (PkmStoreQuery) };
  PkmListContext lc = { call, NULL, NULL, NULL, pkm_now () };

  all.projection = fields != NULL ? (const char *const *) fields->pdata : NULL;
  if (pkm_call_wants_property (call, "private-key") && (key_ids = pkm_keys_all_ids (ctx, error)) == NULL)
    return NULL;
  if (!pkm_store_query (ctx, PKM_COLLECTION_CERTIFICATE, &all, collect_row, rows, error))
    return NULL;
  if (pkm_call_wants_property (call, "ca"))
    {
      names_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
      for (guint i = 0; i < rows->len; i++)
        {
          PkmRow *row = g_ptr_array_index (rows, i);
          g_hash_table_insert (names_by_id, &row->id, row->name);
        }
    }
  if (pkm_call_wants_property (call, "chain-status"))
    lc.chains = pkm_chain_index_new (lc.now);
  lc.names_by_id = names_by_id;
  lc.key_ids = key_ids;
  return build_items (&lc, rows, rows->len);
}

static gboolean
load_row (PkmContext *ctx, gint64 id, GPtrArray *rows, GError **error)
{
  g_autofree char *name = NULL;
  g_autoptr (GVariant) record = pkm_store_get (ctx, PKM_COLLECTION_CERTIFICATE, id, &name, error);

  return record != NULL && collect_row (id, name, 0, record, rows);
}

static gboolean
first_id (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  *(gint64 *) user_data = id;
  return FALSE;
}

/* The first certificate whose indexed @field is @value; 0 when none. */
gint64
pkm_cert_find_by (PkmContext *ctx, const char *field, const char *value, GError **error)
{
  static const char *const nothing[] = { NULL };
  g_autoptr (GVariant) key = g_variant_ref_sink (g_variant_new_string (value));
  PkmStoreQuery query = { .struct_size = sizeof query, .field = field, .lower = key, .upper = key,
                          .projection = nothing, .limit = 1 };
  gint64 id = 0;

  return pkm_store_query (ctx, PKM_COLLECTION_CERTIFICATE, &query, first_id, &id, error) ? id : -1;
}

/* One item as print shows it, read from the indexes: the record, the issuers
 * above it (for its chain status) and its CA's name, not the whole store. */
GVariant *
pkm_cert_item (PkmCall *call, gint64 id, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (row_free);
  g_autoptr (GHashTable) names_by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr (GHashTable) key_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) items = NULL;
  gint64 now = pkm_now ();
  PkmListContext lc = { call, names_by_id, key_ids, pkm_chain_index_new (now), now };
  PkmRow *row;
  const char *key_id, *link;
  gint64 ca_id;

  if (!load_row (ctx, id, rows, error))
    {
      pkm_chain_index_free (lc.chains);
      return NULL;
    }
  row = g_ptr_array_index (rows, 0);
  key_id = pkm_record_string (row->values, "key-id");
  if (pkm_keys_has (ctx, key_id))
    g_hash_table_add (key_ids, (gpointer) key_id);
  if ((ca_id = pkm_record_int (row->values, "ca-id")) != 0)
    {
      g_autofree char *ca_name = NULL;
      g_autoptr (GVariant) ca = pkm_store_get (ctx, PKM_COLLECTION_CERTIFICATE, ca_id, &ca_name, NULL);
      if (ca != NULL)
        g_hash_table_insert (names_by_id, g_memdup2 (&ca_id, sizeof ca_id), g_steal_pointer (&ca_name));
    }
  /* The issuers, as far up as a chain status looks (pkm-chain.c). */
  link = pkm_record_string (row->values, "issuer-fingerprint");
  for (guint depth = 0; depth < 16 && link != NULL; depth++)
    {
      PkmRow *last = g_ptr_array_index (rows, rows->len - 1);
      gint64 issuer = g_strcmp0 (link, pkm_record_string (last->values, "fingerprint")) == 0
                          ? 0
                          : pkm_cert_find_by (ctx, "fingerprint", link, NULL);
      if (issuer <= 0 || !load_row (ctx, issuer, rows, NULL))
        break;
      link = pkm_record_string (((PkmRow *) g_ptr_array_index (rows, rows->len - 1))->values, "issuer-fingerprint");
    }
  items = build_items (&lc, rows, 1);
  return pkm_menu_decorate_item (call, pkm_context_find_menu (ctx, PKM_CERTIFICATE_MENU), g_ptr_array_index (items, 0),
                                 error);
}

gint64
pkm_cert_lookup (PkmCall *call, const char *name, GError **error)
{
  return pkm_store_find (pkm_call_get_context (call), PKM_COLLECTION_CERTIFICATE, name, error);
}
