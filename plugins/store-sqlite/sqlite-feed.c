/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sequences and the change feed. The feed keeps one row per record ever
 * changed (its latest change and the cursor of it), so it grows with the
 * records, not with the writes, and needs no compaction. */
#include "sqlite-store.h"

static gint64
single_int (PkmStore *store, sqlite3_stmt *stmt, gint64 fallback, const char *what, GError **error)
{
  gint64 value = fallback;
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pkm_sqlite_fail_code (store, rc, what, error) ? -1 : -1;
  return value;
}

gint64
pkm_sqlite_next_sequence (PkmStoreTxn *txn, const char *name, GError **error)
{
  PkmStore *store = txn != NULL ? txn->store : NULL;
  sqlite3_stmt *stmt;
  gint64 value;

  if (!pkm_sqlite_check_writable (txn, error) || (stmt = pkm_sqlite_stmt (store, STMT_SEQUENCE_GET, error)) == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if ((value = single_int (store, stmt, 0, "sequence", error)) < 0
      || (stmt = pkm_sqlite_stmt (store, STMT_SEQUENCE_SET, error)) == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, value + 1);
  return pkm_sqlite_step_done (store, stmt, name, NULL, "sequence", error) ? value + 1 : 0;
}

gboolean
pkm_sqlite_note_change (PkmStoreTxn *txn, const char *collection, gint64 id, PkmStoreChange change, GError **error)
{
  sqlite3_stmt *stmt = pkm_sqlite_stmt (txn->store, STMT_CHANGE, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  sqlite3_bind_int (stmt, 3, change);
  return pkm_sqlite_step_done (txn->store, stmt, collection, NULL, "change feed", error);
}

gint64
pkm_sqlite_current_cursor (PkmStoreTxn *txn, GError **error)
{
  sqlite3_stmt *stmt = pkm_sqlite_stmt (txn->store, STMT_CURSOR, error);

  return stmt != NULL ? single_int (txn->store, stmt, 0, "cursor", error) : -1;
}

gboolean
pkm_sqlite_changes_since (PkmStoreTxn *txn, gint64 cursor, PkmStoreChangeFunc func, gpointer user_data,
                          GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (txn->store->db,
                          "SELECT cursor, collection, id, kind FROM changes WHERE cursor > ?1 ORDER BY cursor", -1,
                          &stmt, NULL)
      != SQLITE_OK)
    return pkm_sqlite_fail (txn->store, "changes", error);
  sqlite3_bind_int64 (stmt, 1, cursor);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!func (sqlite3_column_int64 (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
               sqlite3_column_int64 (stmt, 2), (PkmStoreChange) sqlite3_column_int (stmt, 3), user_data))
      {
        rc = SQLITE_DONE;
        break;
      }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return pkm_sqlite_fail_code (txn->store, rc, "changes", error);
  return TRUE;
}
