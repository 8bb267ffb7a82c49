/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Indexes: per declared field a tree of (value, id) kept beside the
 * records (files-state.c), and the queries that read ranges of it: a query
 * on an indexed field reads the record files of the ids it selects only. */
#include <string.h>
#include "files-store.h"

/* The records already stored get their index values: each file is read once. */
static gboolean
backfill (PkmStoreTxn *txn, PkmFilesCollection *c, PkmFilesIndex *index, GError **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  PkmFilesState *state = txn->store->state;

  for (GTreeNode *node = g_tree_node_first (c->records); node != NULL; node = g_tree_node_next (node))
    g_array_append_val (ids, ((PkmFilesEntry *) g_tree_node_key (node))->id);
  for (guint i = 0; i < ids->len; i++)
    {
      PkmFilesEntry *entry = pkm_files_state_lookup (c, g_array_index (ids, gint64, i));
      g_autoptr (GVariant) record = pkm_files_read_record (txn, c, entry, error);
      g_autoptr (GVariant) value = NULL;
      g_autoptr (GVariant) values = NULL;
      PkmFilesEntry *updated;

      if (record == NULL)
        return FALSE;
      value = g_variant_lookup_value (record, index->field, G_VARIANT_TYPE (index->type));
      if (value == NULL)
        continue;
      pkm_files_txn_touch (txn, c, entry->id);
      values = pkm_files_state_index_values (c, record);
      updated = pkm_files_entry_new (entry->id, entry->name, entry->revision, entry->cursor, values);
      pkm_files_state_attach (state, c, updated);
    }
  return TRUE;
}

gboolean
pkm_files_declare_index (PkmStoreTxn *txn, const char *collection, const char *field, const char *type_string,
                         GError **error)
{
  PkmFilesCollection *c;
  PkmFilesIndex *existing, *index;

  if (!pkm_store_index_type_valid (type_string))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "store-files: %s.%s: \"%s\" is not an index type",
                   collection, field, type_string != NULL ? type_string : "");
      return FALSE;
    }
  if (!pkm_files_check_txn (txn, FALSE, error))
    return FALSE;
  c = pkm_files_state_collection (txn->store->state, collection, FALSE);
  /* Read first: a declaration that is already there is no change at all. */
  if ((existing = pkm_files_state_find_index (c, field)) != NULL)
    {
      if (g_str_equal (existing->type, type_string))
        return TRUE;
      g_set_error (error, PKM_ERROR, PKM_ERROR_EXISTS, "store-files: %s.%s is indexed as \"%s\", not \"%s\"",
                   collection, field, existing->type, type_string);
      return FALSE;
    }
  if (!pkm_files_check_txn (txn, TRUE, error))
    return FALSE;
  c = pkm_files_state_collection (txn->store->state, collection, TRUE);
  index = pkm_files_state_add_index (c, field, type_string);
  pkm_files_state_build_index (c, index);
  g_ptr_array_add (txn->declared, index);
  g_ptr_array_add (txn->declared_in, c);
  return backfill (txn, c, index, error);
}

/* A caller built with an older PkmStoreQuery gives a shorter one: the
 * members past its size read as zero. */
static PkmStoreQuery
query_at_our_size (const PkmStoreQuery *query)
{
  PkmStoreQuery q = { 0 };

  memcpy (&q, query, MIN (query->struct_size, sizeof q));
  return q;
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The entries @q selects, in id order; NULL and an error for a field that
 * is not indexed or bounds of another type. */
static GPtrArray *
select_entries (PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *q, GError **error)
{
  PkmFilesCollection *c;
  GPtrArray *out;
  guint64 limit = q->limit > 0 ? q->limit : G_MAXUINT64;

  if (!pkm_files_check_txn (txn, FALSE, error))
    return NULL;
  c = pkm_files_state_collection (txn->store->state, collection, FALSE);
  out = g_ptr_array_new ();
  if (q->field == NULL)
    {
      PkmFilesEntry probe = { .id = q->after_id < G_MAXINT64 ? MAX (q->after_id, 0) + 1 : G_MAXINT64 };
      GTreeNode *node = c != NULL ? g_tree_lower_bound (c->records, &probe) : NULL;

      for (; node != NULL && out->len < limit; node = g_tree_node_next (node))
        {
          PkmFilesEntry *entry = g_tree_node_key (node);
          if (entry->id > q->after_id)
            g_ptr_array_add (out, entry);
        }
      return out;
    }

  PkmFilesIndex *index = pkm_files_state_find_index (c, q->field);
  g_autoptr (GArray) ids = NULL;
  GTreeNode *node;

  if (index == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "store-files: %s.%s is not indexed", collection,
                   q->field);
      g_ptr_array_unref (out);
      return NULL;
    }
  if ((q->lower != NULL && !g_variant_is_of_type (q->lower, G_VARIANT_TYPE (index->type)))
      || (q->upper != NULL && !g_variant_is_of_type (q->upper, G_VARIANT_TYPE (index->type))))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "store-files: %s.%s takes values of type %s",
                   collection, q->field, index->type);
      g_ptr_array_unref (out);
      return NULL;
    }
  pkm_files_state_build_index (c, index);
  if (q->lower != NULL)
    {
      PkmFilesKey *probe = pkm_files_key_new (q->lower, G_MININT64);
      node = g_tree_lower_bound (index->entries, probe);
      pkm_files_key_free (probe);
    }
  else
    node = g_tree_node_first (index->entries);
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (; node != NULL; node = g_tree_node_next (node))
    {
      PkmFilesKey *key = g_tree_node_key (node);
      if (q->upper != NULL && pkm_store_value_compare (key->value, q->upper) > 0)
        break;
      if (key->id > q->after_id)
        g_array_append_val (ids, key->id);
    }
  g_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len && out->len < limit; i++)
    g_ptr_array_add (out, pkm_files_state_lookup (c, g_array_index (ids, gint64, i)));
  return out;
}

gboolean
pkm_files_query (PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query, PkmStoreRowFunc func,
                 gpointer user_data, GError **error)
{
  PkmStoreQuery q = query_at_our_size (query);
  g_autoptr (GPtrArray) entries = select_entries (txn, collection, &q, error);
  PkmFilesCollection *c;

  if (entries == NULL)
    return FALSE;
  c = pkm_files_state_collection (txn->store->state, collection, FALSE);
  /* A callback may call get and find, which change nothing: the entries stay. */
  for (guint i = 0; i < entries->len; i++)
    {
      const PkmFilesEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr (GVariant) record = pkm_files_read_record (txn, c, entry, error);
      g_autoptr (GVariant) projected = NULL;

      if (record == NULL)
        return FALSE;
      if (q.projection != NULL)
        projected = pkm_store_record_project (record, q.projection);
      if (!func (entry->id, entry->name, entry->revision, projected != NULL ? projected : record, user_data))
        break;
    }
  return TRUE;
}

gboolean
pkm_files_count (PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query, guint64 *out_count,
                 GError **error)
{
  PkmStoreQuery q = query_at_our_size (query);
  g_autoptr (GPtrArray) entries = NULL;

  /* The whole collection is counted without a walk. */
  if (q.field == NULL && q.after_id <= 0 && q.limit == 0 && pkm_files_check_txn (txn, FALSE, NULL))
    {
      PkmFilesCollection *c = pkm_files_state_collection (txn->store->state, collection, FALSE);
      *out_count = c != NULL ? (guint64) g_tree_nnodes (c->records) : 0;
      return TRUE;
    }
  if ((entries = select_entries (txn, collection, &q, error)) == NULL)
    return FALSE;
  *out_count = entries->len;
  return TRUE;
}
