/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sqlite-store.h"

static gboolean
run (PkmStore *store, const char *sql, GError **error)
{
  if (sqlite3_exec (store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return pkm_sqlite_fail (store, sql, error);
  return TRUE;
}

/* A writer takes the lock at once (IMMEDIATE), so two writers queue on the
 * busy timeout instead of failing later on a lock upgrade. */
gboolean
pkm_sqlite_begin (PkmStore *store, gboolean write, GError **error)
{
  if (store->in_transaction)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-sqlite: a transaction is already open");
      return FALSE;
    }
  if (!run (store, write ? "BEGIN IMMEDIATE" : "BEGIN", error))
    return FALSE;
  store->in_transaction = TRUE;
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
}
