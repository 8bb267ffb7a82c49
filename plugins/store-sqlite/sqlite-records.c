/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sqlite-store.h"

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

/* The record's normal form (what is stored), consuming a floating @record;
 * NULL and an error for anything but an a{sv}. */
static GVariant *
normal_record (GVariant *record, GError **error)
{
  GVariant *normal = NULL;

  if (record != NULL)
    g_variant_ref_sink (record);
  if (check_record (record, error))
    normal = g_variant_get_normal_form (record);
  if (record != NULL)
    g_variant_unref (record);
  return normal;
}

static gboolean
not_found (const char *collection, gint64 id, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s %" G_GINT64_FORMAT " does not exist", collection, id);
  return FALSE;
}

/* An empty GVariant (a{sv} with no entry, ay []) has no data pointer, and
 * sqlite3_bind_blob of NULL binds SQL NULL: bind an empty blob instead.
 * @destructor: SQLITE_TRANSIENT (SQLite copies), or SQLITE_STATIC when
 * @data outlives the statement's step. */
void
pkm_sqlite_bind_bytes (sqlite3_stmt *stmt, int column, const void *data, gsize size, sqlite3_destructor_type destructor)
{
  if (size == 0)
    sqlite3_bind_zeroblob (stmt, column, 0);
  else
    sqlite3_bind_blob (stmt, column, data, (int) size, destructor);
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
  /* The record outlives the step that writes it: no copy (a CRL of a
   * million entries is a 46 MB record). */
  pkm_sqlite_bind_bytes (stmt, 4, g_variant_get_data (normal), g_variant_get_size (normal), SQLITE_STATIC);
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
  return pkm_sqlite_step_done (store, bump, collection, NULL, "next id", error) ? id : 0;
}

/* The revision of @id, 0 (no error) when there is no such record, -1 on error. */
static gint64
revision_of (PkmStore *store, const char *collection, gint64 id, GError **error)
{
  sqlite3_stmt *stmt = pkm_sqlite_stmt (store, STMT_REVISION, error);
  gint64 revision = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    revision = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pkm_sqlite_fail_code (store, rc, "revision", error) ? -1 : -1;
  return revision;
}

/* The current revision of @id when it is @expected (0: any), else 0 and an error. */
static gint64
check_revision (PkmStore *store, const char *collection, gint64 id, gint64 expected, GError **error)
{
  gint64 revision = revision_of (store, collection, id, error);

  if (revision == 0)
    return not_found (collection, id, error);
  if (revision > 0 && expected != 0 && revision != expected)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_CONFLICT,
                   "%s %" G_GINT64_FORMAT " is at revision %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT
                   ": another writer changed it",
                   collection, id, revision, expected);
      return 0;
    }
  return MAX (revision, 0);
}

gint64
pkm_sqlite_insert (PkmStoreTxn *txn, const char *collection, const char *name, GVariant *record, GError **error)
{
  g_autoptr (GVariant) normal = normal_record (record, error);
  PkmStore *store = txn != NULL ? txn->store : NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  if (normal == NULL || !pkm_sqlite_check_writable (txn, error))
    return 0;
  /* A taken name is found before an id is spent on it. */
  if (name != NULL && pkm_sqlite_find (txn, collection, name, error) != 0)
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
  if (!pkm_sqlite_step_done (store, stmt, collection, name, "insert", error)
      || !pkm_sqlite_index_record (txn, collection, id, normal, error)
      || !pkm_sqlite_note_change (txn, collection, id, PKM_STORE_CHANGE_INSERTED, error))
    return 0;
  return id;
}

gint64
pkm_sqlite_update (PkmStoreTxn *txn, const char *collection, gint64 id, const char *name, GVariant *record,
                   gint64 expected_revision, GError **error)
{
  g_autoptr (GVariant) normal = normal_record (record, error);
  PkmStore *store = txn != NULL ? txn->store : NULL;
  sqlite3_stmt *stmt;
  gint64 revision;

  if (normal == NULL || !pkm_sqlite_check_writable (txn, error))
    return 0;
  revision = check_revision (store, collection, id, expected_revision, error);
  if (revision == 0 || (stmt = pkm_sqlite_stmt (store, STMT_UPDATE, error)) == NULL)
    return 0;
  bind_record (stmt, collection, id, name, normal);
  if (!pkm_sqlite_step_done (store, stmt, collection, name, "update", error)
      || !pkm_sqlite_index_record (txn, collection, id, normal, error)
      || !pkm_sqlite_note_change (txn, collection, id, PKM_STORE_CHANGE_UPDATED, error))
    return 0;
  return revision + 1;
}

gboolean
pkm_sqlite_remove (PkmStoreTxn *txn, const char *collection, gint64 id, gint64 expected_revision, GError **error)
{
  PkmStore *store = txn != NULL ? txn->store : NULL;
  sqlite3_stmt *stmt;

  if (!pkm_sqlite_check_writable (txn, error) || check_revision (store, collection, id, expected_revision, error) == 0
      || (stmt = pkm_sqlite_stmt (store, STMT_DELETE, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  return pkm_sqlite_step_done (store, stmt, collection, NULL, "remove", error)
         && pkm_sqlite_index_record (txn, collection, id, NULL, error)
         && pkm_sqlite_note_change (txn, collection, id, PKM_STORE_CHANGE_REMOVED, error);
}

GVariant *
pkm_sqlite_column_record (sqlite3_stmt *stmt, int column)
{
  const void *data = sqlite3_column_blob (stmt, column);
  gsize size = sqlite3_column_bytes (stmt, column);
  GBytes *bytes = g_bytes_new (data, size);
  GVariant *record = g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, TRUE);

  g_bytes_unref (bytes);
  return g_variant_ref_sink (record);
}

GVariant *
pkm_sqlite_get (PkmStoreTxn *txn, const char *collection, gint64 id, char **out_name, gint64 *out_revision,
                GError **error)
{
  sqlite3_stmt *stmt = pkm_sqlite_stmt (txn->store, STMT_GET, error);
  GVariant *record = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      record = pkm_sqlite_column_record (stmt, 1);
      if (out_name != NULL)
        *out_name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (out_revision != NULL)
        *out_revision = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc == SQLITE_DONE)
    not_found (collection, id, error);
  else if (rc != SQLITE_ROW)
    pkm_sqlite_fail_code (txn->store, rc, "get", error);
  return record;
}

gint64
pkm_sqlite_find (PkmStoreTxn *txn, const char *collection, const char *name, GError **error)
{
  sqlite3_stmt *stmt = pkm_sqlite_stmt (txn->store, STMT_FIND, error);
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
    return pkm_sqlite_fail_code (txn->store, rc, "find", error) ? -1 : -1;
  return id;
}

char **
pkm_sqlite_list_collections (PkmStoreTxn *txn, GError **error)
{
  sqlite3_stmt *stmt = pkm_sqlite_stmt (txn->store, STMT_COLLECTIONS, error);
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pkm_sqlite_fail_code (txn->store, rc, "collections", error);
      return NULL;
    }
  return g_strv_builder_end (names);
}
