/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sqlite-store.h"

static gboolean
run (PkmStore *store, const char *sql, GError **error)
{
  if (sqlite3_exec (store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return pkm_sqlite_fail (store, sql, error);
  return TRUE;
}

static void
end (PkmStoreTxn *txn)
{
  g_clear_pointer (&txn->indexes, g_hash_table_unref);
  txn->store->in_transaction = FALSE;
  txn->store->conflicted = FALSE;
}

/* Deferred, for writers too: the write lock is taken by the first write, so
 * a command's slow steps before it (key generation, parsing a file) hold no
 * lock. A writer that lost a conflict runs again with LOCK_NOW (BEGIN
 * IMMEDIATE): it waits for the lock first, and then no one can change what
 * it reads. */
PkmStoreTxn *
pkm_sqlite_begin (PkmStore *store, PkmStoreTxnFlags flags, GError **error)
{
  gboolean lock_now = (flags & PKM_STORE_TXN_WRITE) && (flags & PKM_STORE_TXN_LOCK_NOW);

  if (store->in_transaction)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-sqlite: a transaction is already open");
      return NULL;
    }
  if (!run (store, lock_now ? "BEGIN IMMEDIATE" : "BEGIN", error))
    return NULL;
  store->in_transaction = TRUE;
  store->conflicted = FALSE;
  store->txn = (PkmStoreTxn) { .store = store, .flags = flags };
  return &store->txn;
}

gboolean
pkm_sqlite_commit (PkmStoreTxn *txn, GError **error)
{
  PkmStore *store = txn->store;

  /* Even if a caller swallowed the conflict, its transaction cannot commit. */
  if (store->conflicted || !run (store, "COMMIT", error))
    {
      if (store->conflicted)
        pkm_sqlite_conflict (error);
      pkm_sqlite_rollback (txn);
      return FALSE;
    }
  end (txn);
  return TRUE;
}

void
pkm_sqlite_rollback (PkmStoreTxn *txn)
{
  if (!txn->store->in_transaction)
    return;
  if (!sqlite3_get_autocommit (txn->store->db))
    sqlite3_exec (txn->store->db, "ROLLBACK", NULL, NULL, NULL);
  end (txn);
}

gboolean
pkm_sqlite_check_writable (PkmStoreTxn *txn, GError **error)
{
  if (txn == NULL || !txn->store->in_transaction || txn != &txn->store->txn)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-sqlite: a change outside a transaction");
      return FALSE;
    }
  if (!(txn->flags & PKM_STORE_TXN_WRITE))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-sqlite: a change in a read transaction");
      return FALSE;
    }
  if (txn->store->conflicted)
    return pkm_sqlite_conflict (error);
  return TRUE;
}

gboolean
pkm_sqlite_step_done (PkmStore *store, sqlite3_stmt *stmt, const char *collection, const char *name,
                      const char *what, GError **error)
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
