/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sqlite-store.h"

static gboolean
run (PkmStore *store, const char *sql, GError **error)
{
  if (sqlite3_exec (store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return pkm_sqlite_fail (store, sql, error);
  return TRUE;
}

/* Deferred, for writers too: the write lock is taken by the first write, so
 * a command's slow steps before it (key generation, parsing a file) hold no
 * lock. A writer that lost a conflict runs again under BEGIN IMMEDIATE: it
 * waits for the lock first, and then no one can change what it reads. */
gboolean
pkm_sqlite_begin (PkmStore *store, gboolean write, GError **error)
{
  const char *sql = write && store->next_immediate ? "BEGIN IMMEDIATE" : "BEGIN";

  if (store->in_transaction)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-sqlite: a transaction is already open");
      return FALSE;
    }
  if (write)
    store->next_immediate = FALSE;
  if (!run (store, sql, error))
    return FALSE;
  store->in_transaction = TRUE;
  store->conflicted = FALSE;
  return TRUE;
}

gboolean
pkm_sqlite_commit (PkmStore *store, GError **error)
{
  if (!store->in_transaction)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-sqlite: commit outside a transaction");
      return FALSE;
    }
  /* Even if a handler swallowed the conflict, its transaction cannot commit. */
  if (store->conflicted)
    return pkm_sqlite_conflict (error);
  if (!run (store, "COMMIT", error))
    return FALSE;
  store->in_transaction = FALSE;
  return TRUE;
}

void
pkm_sqlite_rollback (PkmStore *store)
{
  if (!store->in_transaction)
    return;
  sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
  store->in_transaction = FALSE;
  if (store->conflicted)
    store->next_immediate = TRUE;
  store->conflicted = FALSE;
}
