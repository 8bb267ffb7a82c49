/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sqlite-store.h"

static gboolean
check_writable (PkmStore *store, GError **error)
{
  if (!store->in_transaction)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-sqlite: a change outside a transaction");
      return FALSE;
    }
  if (store->conflicted)
    return pkm_sqlite_conflict (error);
  return TRUE;
}

static gboolean
check_record (GVariant *record, GError **error)
{
  if (record == NULL || !g_variant_is_of_type (record, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "store-sqlite: a record must be an a{sv} dictionary");
      return FALSE;
    }
  return TRUE;
}

/* Binds collection, id, name and the record's normal-form bytes to ?1..?4. */
static void
bind_record (sqlite3_stmt *stmt, const char *collection, gint64 id, const char *name, GVariant *normal)
{
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (name != NULL)
    sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_blob (stmt, 4, g_variant_get_data (normal), (int) g_variant_get_size (normal), SQLITE_STATIC);
}

static gboolean
step_done (PkmStore *store, sqlite3_stmt *stmt, const char *collection, const char *name, const char *what,
           GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_EXISTS, "%s \"%s\" already exists", collection,
                   name != NULL ? name : "");
      return FALSE;
    }
  return pkm_sqlite_fail_code (store, rc, what, error);
}

static gint64
next_id (PkmStore *store, const char *collection, GError **error)
{
  sqlite3_stmt *stmt = pkm_sqlite_stmt (store, STMT_NEXT_ID, error);
  sqlite3_stmt *bump;
  gint64 id = 1;
  int rc;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0) + 1;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pkm_sqlite_fail_code (store, rc, "next id", error) ? 0 : 0;
  bump = pkm_sqlite_stmt (store, STMT_BUMP_ID, error);
  if (bump == NULL)
    return 0;
  sqlite3_bind_text (bump, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (bump, 2, id);
  return step_done (store, bump, collection, NULL, "next id", error) ? id : 0;
}

gint64
pkm_sqlite_insert (PkmStore *store, const char *collection, const char *name, GVariant *record, GError **error)
{
  g_autoptr (GVariant) normal = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_variant_ref_sink (record);
  normal = check_record (record, error) ? g_variant_get_normal_form (record) : NULL;
  g_variant_unref (record);
  if (normal == NULL || !check_writable (store, error))
    return 0;
  /* A taken name is found before an id is spent on it. */
  if (name != NULL && pkm_sqlite_find (store, collection, name, error) != 0)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, PKM_ERROR, PKM_ERROR_EXISTS, "%s \"%s\" already exists", collection, name);
      return 0;
    }
  id = next_id (store, collection, error);
  stmt = id > 0 ? pkm_sqlite_stmt (store, STMT_INSERT, error) : NULL;
  if (stmt == NULL)
    return 0;
  bind_record (stmt, collection, id, name, normal);
  return step_done (store, stmt, collection, name, "insert", error) ? id : 0;
}

gboolean
pkm_sqlite_update (PkmStore *store, const char *collection, gint64 id, const char *name, GVariant *record,
                   GError **error)
{
  g_autoptr (GVariant) normal = NULL;
  sqlite3_stmt *stmt;

  g_variant_ref_sink (record);
  normal = check_record (record, error) ? g_variant_get_normal_form (record) : NULL;
  g_variant_unref (record);
  if (normal == NULL || !check_writable (store, error) || (stmt = pkm_sqlite_stmt (store, STMT_UPDATE, error)) == NULL)
    return FALSE;
  bind_record (stmt, collection, id, name, normal);
  if (!step_done (store, stmt, collection, name, "update", error))
    return FALSE;
  if (sqlite3_changes (store->db) == 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s %" G_GINT64_FORMAT " does not exist", collection, id);
      return FALSE;
    }
  return TRUE;
}

gboolean
pkm_sqlite_remove (PkmStore *store, const char *collection, gint64 id, GError **error)
{
  sqlite3_stmt *stmt;

  if (!check_writable (store, error) || (stmt = pkm_sqlite_stmt (store, STMT_DELETE, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!step_done (store, stmt, collection, NULL, "remove", error))
    return FALSE;
  if (sqlite3_changes (store->db) == 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s %" G_GINT64_FORMAT " does not exist", collection, id);
      return FALSE;
    }
  return TRUE;
}

static GVariant *
column_record (sqlite3_stmt *stmt, int column)
{
  const void *data = sqlite3_column_blob (stmt, column);
  gsize size = sqlite3_column_bytes (stmt, column);
  GBytes *bytes = g_bytes_new (data, size);
  GVariant *record = g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, TRUE);

  g_bytes_unref (bytes);
  return g_variant_ref_sink (record);
}

GVariant *
pkm_sqlite_get (PkmStore *store, const char *collection, gint64 id, char **out_name, GError **error)
{
  sqlite3_stmt *stmt = pkm_sqlite_stmt (store, STMT_GET, error);
  GVariant *record = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      record = column_record (stmt, 1);
      if (out_name != NULL)
        *out_name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s %" G_GINT64_FORMAT " does not exist", collection, id);
  else if (rc != SQLITE_ROW)
    pkm_sqlite_fail_code (store, rc, "get", error);
  return record;
}

gint64
pkm_sqlite_find (PkmStore *store, const char *collection, const char *name, GError **error)
{
  sqlite3_stmt *stmt = pkm_sqlite_stmt (store, STMT_FIND, error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pkm_sqlite_fail_code (store, rc, "find", error) ? -1 : -1;
  return id;
}

gboolean
pkm_sqlite_foreach (PkmStore *store, const char *collection, PkmStoreForeachFunc func, gpointer user_data,
                    GError **error)
{
  /* Its own statement, not the cached one: a callback may call back into the store. */
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (store->db, "SELECT id, name, data FROM records WHERE collection = ?1 ORDER BY id", -1, &stmt,
                          NULL) != SQLITE_OK)
    return pkm_sqlite_fail (store, "foreach", error);
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (GVariant) record = column_record (stmt, 2);
      if (!func (sqlite3_column_int64 (stmt, 0), (const char *) sqlite3_column_text (stmt, 1), record, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return pkm_sqlite_fail_code (store, rc, "foreach", error);
  return TRUE;
}

char **
pkm_sqlite_list_collections (PkmStore *store, GError **error)
{
  sqlite3_stmt *stmt = pkm_sqlite_stmt (store, STMT_COLLECTIONS, error);
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pkm_sqlite_fail_code (store, rc, "collections", error);
      return NULL;
    }
  return g_strv_builder_end (names);
}
