/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Listings and records as values, so that checks compare what they expect
 * with what the store gave in one call, and say what differed. */
#include <stdarg.h>
#include "conformance.h"

static void
row_free (gpointer data)
{
  CfRow *row = data;

  g_free (row->name);
  g_clear_pointer (&row->record, g_variant_unref);
  g_free (row);
}

static gboolean
collect_row (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  CfRow *row = g_new0 (CfRow, 1);

  row->id = id;
  row->name = g_strdup (name);
  row->revision = revision;
  row->record = record != NULL ? g_variant_ref (record) : NULL;
  g_ptr_array_add (user_data, row);
  return TRUE;
}

GPtrArray *
cf_rows (Cf *cf, PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query, GError **error)
{
  PkmStoreQuery all = { .struct_size = sizeof (PkmStoreQuery) };
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (row_free);

  if (!cf_query (cf, txn, collection, query != NULL ? query : &all, collect_row, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

const CfRow *
cf_rows_find (GPtrArray *rows, gint64 id)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const CfRow *row = g_ptr_array_index (rows, i);
      if (row->id == id)
        return row;
    }
  return NULL;
}

gboolean
cf_rows_in_id_order (Cf *cf, GPtrArray *rows, const char *what)
{
  for (guint i = 1; i < rows->len; i++)
    {
      const CfRow *before = g_ptr_array_index (rows, i - 1), *row = g_ptr_array_index (rows, i);
      if (row->id <= before->id)
        return cf_broken (cf, "every listing is in id order",
                          "%s listed id %" G_GINT64_FORMAT " after id %" G_GINT64_FORMAT, what, row->id,
                          before->id);
    }
  return TRUE;
}

gboolean
cf_records_equal (GVariant *a, GVariant *b)
{
  g_autoptr (GVariant) na = NULL;
  g_autoptr (GVariant) nb = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  na = g_variant_get_normal_form (a);
  nb = g_variant_get_normal_form (b);
  return g_variant_equal (na, nb);
}

static gboolean
row_equal (Cf *cf, const CfRow *expected, const CfRow *got, const char *what)
{
  if (g_strcmp0 (expected->name, got->name) != 0)
    return cf_fail (cf, "%s: record %" G_GINT64_FORMAT " is named %s%s%s, expected %s%s%s", what, got->id,
                    got->name ? "\"" : "", got->name ? got->name : "NULL", got->name ? "\"" : "",
                    expected->name ? "\"" : "", expected->name ? expected->name : "NULL",
                    expected->name ? "\"" : "");
  if (expected->revision != got->revision)
    return cf_fail (
        cf, "%s: record %" G_GINT64_FORMAT " is at revision %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
        what, got->id, got->revision, expected->revision);
  if (!cf_records_equal (expected->record, got->record))
    {
      g_autofree char *e = cf_describe (expected->record);
      g_autofree char *g = cf_describe (got->record);
      return cf_fail (cf, "%s: record %" G_GINT64_FORMAT " holds %s, expected %s", what, got->id, g, e);
    }
  return TRUE;
}

gboolean
cf_rows_equal (Cf *cf, GPtrArray *expected, GPtrArray *got, const char *what)
{
  for (guint i = 0; i < MAX (expected->len, got->len); i++)
    {
      const CfRow *e = i < expected->len ? g_ptr_array_index (expected, i) : NULL;
      const CfRow *g = i < got->len ? g_ptr_array_index (got, i) : NULL;

      if (e == NULL)
        return cf_fail (cf, "%s: record %" G_GINT64_FORMAT " is there and should not be", what, g->id);
      if (g == NULL || g->id != e->id)
        return cf_fail (cf, "%s: record %" G_GINT64_FORMAT " is missing%s", what, e->id,
                        g != NULL ? " (another id is in its place)" : "");
      if (!row_equal (cf, e, g, what))
        return FALSE;
    }
  return TRUE;
}

static void
change_free (gpointer data)
{
  CfChange *change = data;

  g_free (change->collection);
  g_free (change);
}

static gboolean
collect_change (gint64 cursor, const char *collection, gint64 id, PkmStoreChange kind, gpointer user_data)
{
  CfChange *change = g_new0 (CfChange, 1);

  change->cursor = cursor;
  change->collection = g_strdup (collection);
  change->id = id;
  change->change = kind;
  g_ptr_array_add (user_data, change);
  return TRUE;
}

GPtrArray *
cf_changes (Cf *cf, PkmStoreTxn *txn, gint64 cursor, GError **error)
{
  g_autoptr (GPtrArray) changes = g_ptr_array_new_with_free_func (change_free);

  if (!cf_changes_since (cf, txn, cursor, collect_change, changes, error))
    return NULL;
  return g_steal_pointer (&changes);
}

const char *
cf_change_name (PkmStoreChange change)
{
  switch (change)
    {
    case PKM_STORE_CHANGE_INSERTED: return "inserted";
    case PKM_STORE_CHANGE_UPDATED: return "updated";
    case PKM_STORE_CHANGE_REMOVED: return "removed";
    default: return "an unknown change";
    }
}

GVariant *
cf_record (const char *key, ...)
{
  GVariantDict dict;
  va_list args;

  g_variant_dict_init (&dict, NULL);
  va_start (args, key);
  for (const char *k = key; k != NULL; k = va_arg (args, const char *))
    g_variant_dict_insert_value (&dict, k, va_arg (args, GVariant *));
  va_end (args);
  return g_variant_dict_end (&dict);
}

PkmStoreQuery
cf_range (const char *field, GVariant *lower, GVariant *upper)
{
  PkmStoreQuery query = {
    .struct_size = sizeof (PkmStoreQuery), .field = field, .lower = lower, .upper = upper,
  };

  return query;
}
