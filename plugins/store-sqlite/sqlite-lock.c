/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sqlite-store.h"

/* Waiting for another writer, and what SQLITE_BUSY means here. SQLite's own
 * busy_timeout waits in silence and then fails with "database is locked";
 * this handler says once that it waits, then polls with a short backoff up
 * to [store] lock-timeout. The plugin never prints: it logs a message and
 * the program decides how to show it. */

#define BACKOFF_FIRST_US 1000
#define BACKOFF_MAX_US 100000

static int
busy_handler (void *data, int count)
{
  PkmStore *store = data;
  gint64 now = g_get_monotonic_time ();
  gint64 limit = store->config.lock_timeout * G_USEC_PER_SEC;
  gint64 pause;

  if (count == 0)
    {
      store->wait_started = now;
      store->gave_up = FALSE;
      if (limit > 0)
        g_message ("waiting for another pkiman that is writing the store (up to %" G_GINT64_FORMAT
                   " s, [store] lock-timeout)...",
                   store->config.lock_timeout);
    }
  if (now - store->wait_started >= limit)
    {
      store->gave_up = TRUE;
      return 0;
    }
  pause = MIN ((gint64) BACKOFF_FIRST_US << MIN (count, 7), BACKOFF_MAX_US);
  g_usleep (MIN (pause, limit - (now - store->wait_started)));
  return 1;
}

void
pkm_sqlite_watch_locks (PkmStore *store)
{
  sqlite3_busy_handler (store->db, busy_handler, store);
}

/* SQLITE_BUSY after the handler gave up is a wait that ran out. Without a
 * wait, inside a transaction, it is a lost write conflict: the snapshot this
 * command read is stale (SQLITE_BUSY_SNAPSHOT), or another writer held the
 * lock when this one first wrote (SQLite cannot wait there: the waiter's
 * snapshot would be stale by the time it got the lock). Either way the
 * command must run again on a fresh snapshot. Outside a transaction (opening
 * the store) there is nothing to run again. */
static gboolean
fail_busy (PkmStore *store, const char *what, GError **error)
{
  if (store->gave_up)
    {
      store->gave_up = FALSE;
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED,
                   "store-sqlite: another pkiman kept writing the store for over %" G_GINT64_FORMAT
                   " s ([store] lock-timeout); nothing was changed",
                   store->config.lock_timeout);
      return FALSE;
    }
  if (!store->in_transaction)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-sqlite: %s: another pkiman is using the store",
                   what);
      return FALSE;
    }
  store->conflicted = TRUE;
  return pkm_sqlite_conflict (error);
}

gboolean
pkm_sqlite_conflict (GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_CONFLICT,
               "store-sqlite: another pkiman wrote the store while this command ran");
  return FALSE;
}

gboolean
pkm_sqlite_fail_code (PkmStore *store, int rc, const char *what, GError **error)
{
  if ((rc & 0xff) == SQLITE_BUSY)
    return fail_busy (store, what, error);
  g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-sqlite: %s: %s", what,
               store->db != NULL ? sqlite3_errmsg (store->db) : sqlite3_errstr (rc));
  return FALSE;
}
