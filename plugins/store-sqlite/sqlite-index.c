/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Indexes: a table of (collection, field, value, id) the store keeps beside
 * the records, and the queries that read ranges of it. */
#include <string.h>
#include "sqlite-store.h"

void
pkm_sqlite_index_free (gpointer data)
{
  PkmSqliteIndex *index = data;

  g_free (index->field);
  g_free (index->type);
  g_free (index);
}

/* (transfer none): the indexes of @collection, read once per transaction. */
static GPtrArray *
indexes_of (PkmStoreTxn *txn, const char *collection, GError **error)
{
  GPtrArray *list;
  sqlite3_stmt *stmt;
  int rc;

  if (txn->indexes == NULL)
    txn->indexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  list = g_hash_table_lookup (txn->indexes, collection);
  if (list != NULL)
    return list;
  if ((stmt = pkm_sqlite_stmt (txn->store, STMT_INDEXES_OF, error)) == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func (pkm_sqlite_index_free);
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PkmSqliteIndex *index = g_new0 (PkmSqliteIndex, 1);
      index->field = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      index->type = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      g_ptr_array_add (list, index);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      g_ptr_array_unref (list);
      pkm_sqlite_fail_code (txn->store, rc, "indexes", error);
      return NULL;
    }
  g_hash_table_insert (txn->indexes, g_strdup (collection), list);
  return list;
}

static const PkmSqliteIndex *
find_index (GPtrArray *list, const char *field)
{
  for (guint i = 0; i < list->len; i++)
    {
      const PkmSqliteIndex *index = g_ptr_array_index (list, i);
      if (g_str_equal (index->field, field))
        return index;
    }
  return NULL;
}

/* Integers (and booleans) as SQLite integers, strings as text, bytes as
 * blobs: SQLite orders each as pkm_store_value_compare does. */
static void
bind_value (sqlite3_stmt *stmt, int column, GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    sqlite3_bind_text (stmt, column, g_variant_get_string (value, NULL), -1, SQLITE_TRANSIENT);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
    pkm_sqlite_bind_bytes (stmt, column, g_variant_get_data (value), g_variant_get_size (value), SQLITE_TRANSIENT);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    sqlite3_bind_int64 (stmt, column, g_variant_get_boolean (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    sqlite3_bind_int64 (stmt, column, g_variant_get_int32 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    sqlite3_bind_int64 (stmt, column, g_variant_get_uint32 (value));
  else
    sqlite3_bind_int64 (stmt, column, g_variant_get_int64 (value));
}

static gboolean
add_entries (PkmStoreTxn *txn, const char *collection, gint64 id, GVariant *record, GPtrArray *list,
             GError **error)
{
  for (guint i = 0; i < list->len; i++)
    {
      const PkmSqliteIndex *index = g_ptr_array_index (list, i);
      g_autoptr (GVariant) value = g_variant_lookup_value (record, index->field, G_VARIANT_TYPE (index->type));
      sqlite3_stmt *stmt;

      if (value == NULL)
        continue; /* records without the field are not in its index */
      if ((stmt = pkm_sqlite_stmt (txn->store, STMT_INDEX_ADD, error)) == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, index->field, -1, SQLITE_STATIC);
      bind_value (stmt, 3, value);
      sqlite3_bind_int64 (stmt, 4, id);
      if (!pkm_sqlite_step_done (txn->store, stmt, collection, NULL, "index", error))
        return FALSE;
    }
  return TRUE;
}

gboolean
pkm_sqlite_index_record (PkmStoreTxn *txn, const char *collection, gint64 id, GVariant *record, GError **error)
{
  GPtrArray *list = indexes_of (txn, collection, error);
  sqlite3_stmt *stmt;

  if (list == NULL)
    return FALSE;
  if (list->len == 0)
    return TRUE;
  if ((stmt = pkm_sqlite_stmt (txn->store, STMT_INDEX_DROP, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!pkm_sqlite_step_done (txn->store, stmt, collection, NULL, "index", error))
    return FALSE;
  return record == NULL || add_entries (txn, collection, id, record, list, error);
}

static gboolean
backfill (PkmStoreTxn *txn, const char *collection, PkmSqliteIndex *index, GError **error)
{
  g_autoptr (GPtrArray) one = g_ptr_array_new ();
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;
  int rc;

  g_ptr_array_add (one, index);
  if (sqlite3_prepare_v2 (txn->store->db, "SELECT id, data FROM records WHERE collection = ?1", -1, &stmt, NULL)
      != SQLITE_OK)
    return pkm_sqlite_fail (txn->store, "index", error);
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (GVariant) record = pkm_sqlite_column_record (stmt, 1);
      ok = add_entries (txn, collection, sqlite3_column_int64 (stmt, 0), record, one, error);
    }
  sqlite3_finalize (stmt);
  if (ok && rc != SQLITE_DONE)
    return pkm_sqlite_fail_code (txn->store, rc, "index", error);
  return ok;
}

gboolean
pkm_sqlite_declare_index (PkmStoreTxn *txn, const char *collection, const char *field, const char *type_string,
                          GError **error)
{
  GPtrArray *list;
  const PkmSqliteIndex *existing;
  PkmSqliteIndex *index;
  sqlite3_stmt *stmt;

  if (!pkm_store_index_type_valid (type_string))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "store-sqlite: %s.%s: \"%s\" is not an index type",
                   collection, field, type_string != NULL ? type_string : "");
      return FALSE;
    }
  if ((list = indexes_of (txn, collection, error)) == NULL)
    return FALSE;
  /* Read first: a declaration that is already there takes no write lock. */
  if ((existing = find_index (list, field)) != NULL)
    {
      if (g_str_equal (existing->type, type_string))
        return TRUE;
      g_set_error (error, PKM_ERROR, PKM_ERROR_EXISTS, "store-sqlite: %s.%s is indexed as \"%s\", not \"%s\"",
                   collection, field, existing->type, type_string);
      return FALSE;
    }
  if (!pkm_sqlite_check_writable (txn, error) || (stmt = pkm_sqlite_stmt (txn->store, STMT_INDEX_DECLARE, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, type_string, -1, SQLITE_STATIC);
  if (!pkm_sqlite_step_done (txn->store, stmt, collection, field, "index", error))
    return FALSE;
  index = g_new0 (PkmSqliteIndex, 1);
  index->field = g_strdup (field);
  index->type = g_strdup (type_string);
  g_ptr_array_add (list, index);
  return backfill (txn, collection, index, error);
}

/* The statement for @query, with its values bound; NULL and an error for a
 * field that is not indexed or bounds of another type. @select is what a
 * row returns. */
static sqlite3_stmt *
prepare_query (PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query, const char *select,
               gboolean counting, GError **error)
{
  /* A count without a limit needs no order and no record: the index alone
   * (entries are written in the same transaction as their records). */
  gboolean bare_count = counting && (query->limit == 0 || query->limit >= G_MAXINT64);
  g_autoptr (GString) sql = g_string_new (NULL);
  GVariant *lower = query->lower, *upper = query->upper;
  sqlite3_stmt *stmt = NULL;

  if (query->field == NULL && bare_count)
    g_string_printf (sql, "SELECT count(*) FROM records r WHERE r.collection = ?1 AND r.id > ?5");
  else if (query->field == NULL)
    g_string_printf (sql, "SELECT %s FROM records r WHERE r.collection = ?1 AND r.id > ?5 ORDER BY r.id LIMIT ?6",
                     select);
  else
    {
      GPtrArray *list = indexes_of (txn, collection, error);
      const PkmSqliteIndex *index = list != NULL ? find_index (list, query->field) : NULL;

      if (list == NULL)
        return NULL;
      if (index == NULL)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "store-sqlite: %s.%s is not indexed", collection,
                       query->field);
          return NULL;
        }
      if ((lower != NULL && !g_variant_is_of_type (lower, G_VARIANT_TYPE (index->type)))
          || (upper != NULL && !g_variant_is_of_type (upper, G_VARIANT_TYPE (index->type))))
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "store-sqlite: %s.%s takes values of type %s",
                       collection, query->field, index->type);
          return NULL;
        }
      if (bare_count)
        g_string_printf (sql,
                         "SELECT count(*) FROM index_entries e"
                         " WHERE e.collection = ?1 AND e.field = ?2%s%s AND e.id > ?5",
                         lower != NULL ? " AND e.value >= ?3" : "", upper != NULL ? " AND e.value <= ?4" : "");
      else
        g_string_printf (sql,
                         "SELECT %s FROM index_entries e JOIN records r ON r.collection = e.collection AND r.id = e.id"
                         " WHERE e.collection = ?1 AND e.field = ?2%s%s AND e.id > ?5 ORDER BY e.id LIMIT ?6",
                         select, lower != NULL ? " AND e.value >= ?3" : "", upper != NULL ? " AND e.value <= ?4" : "");
    }
  if (sqlite3_prepare_v2 (txn->store->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      pkm_sqlite_fail (txn->store, "query", error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_TRANSIENT);
  if (query->field != NULL)
    sqlite3_bind_text (stmt, 2, query->field, -1, SQLITE_TRANSIENT);
  if (lower != NULL)
    bind_value (stmt, 3, lower);
  if (upper != NULL)
    bind_value (stmt, 4, upper);
  sqlite3_bind_int64 (stmt, 5, query->after_id);
  if (!bare_count)
    sqlite3_bind_int64 (stmt, 6, query->limit > 0 && query->limit < G_MAXINT64 ? (gint64) query->limit : -1);
  return stmt;
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

/* The row's record, or its projection read from SQLite's own buffer (no
 * copy of the whole record). The blob before its size, as SQLite asks. */
static GVariant *
row_record (sqlite3_stmt *stmt, int column, const char *const *projection)
{
  const void *data;

  if (projection == NULL)
    return pkm_sqlite_column_record (stmt, column);
  data = sqlite3_column_blob (stmt, column);
  return pkm_store_record_project_data (data, sqlite3_column_bytes (stmt, column), projection);
}

gboolean
pkm_sqlite_query (PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query, PkmStoreRowFunc func,
                  gpointer user_data, GError **error)
{
  PkmStoreQuery q = query_at_our_size (query);
  /* An empty projection (ids and names only) never reads a record. */
  gboolean no_fields = q.projection != NULL && q.projection[0] == NULL;
  /* Its own statement, not a cached one: a callback may call back into the store. */
  sqlite3_stmt *stmt = prepare_query (txn, collection, &q,
                                      no_fields ? "r.id, r.name, r.revision" : "r.id, r.name, r.revision, r.data", FALSE,
                                      error);
  g_autoptr (GVariant) empty = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (GVariant) record = no_fields ? g_variant_ref (empty) : row_record (stmt, 3, q.projection);

      if (!func (sqlite3_column_int64 (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
                 sqlite3_column_int64 (stmt, 2), record, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return pkm_sqlite_fail_code (txn->store, rc, "query", error);
  return TRUE;
}

gboolean
pkm_sqlite_count (PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query, guint64 *out_count,
                  GError **error)
{
  PkmStoreQuery q = query_at_our_size (query);
  gboolean bare_count = q.limit == 0 || q.limit >= G_MAXINT64;
  sqlite3_stmt *stmt = prepare_query (txn, collection, &q, "1", TRUE, error);
  guint64 n = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  /* count(*) answers in one row; with a limit, each row of the page counts. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    n += bare_count ? (guint64) sqlite3_column_int64 (stmt, 0) : 1;
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return pkm_sqlite_fail_code (txn->store, rc, "count", error);
  *out_count = n;
  return TRUE;
}
