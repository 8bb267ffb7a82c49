/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The lock file: flock on <dir>/lock, shared for a reader, exclusive for a
 * writer. flock locks belong to an open file description, so two handles
 * on one store in one process exclude each other as two processes do, and
 * the kernel drops a dead process's lock with it. Waiting polls with a short
 * backoff up to [store] lock-timeout and says once that it waits, as
 * store-sqlite does; the plugin never prints, it logs a message. */
#include <errno.h>
#include <sys/file.h>
#include "files-store.h"

#define BACKOFF_FIRST_US 1000
#define BACKOFF_MAX_US 100000

static gboolean
try_lock (PkmStore *store, int mode, gboolean *busy, GError **error)
{
  *busy = FALSE;
  for (;;)
    {
      if (flock (store->lock_fd, mode | LOCK_NB) == 0)
        {
          store->held = mode;
          return TRUE;
        }
      if (errno == EINTR)
        continue;
      if (errno == EWOULDBLOCK)
        {
          *busy = TRUE;
          return FALSE;
        }
      g_autofree char *path = pkm_files_path (store, "lock");
      return pkm_files_fail_errno (errno, path, "flock", error);
    }
}

gboolean
pkm_files_lock (PkmStore *store, int mode, GError **error)
{
  gint64 limit = store->config.lock_timeout * G_USEC_PER_SEC;
  gint64 started = g_get_monotonic_time ();
  gboolean busy = FALSE;

  if (store->held == mode)
    return TRUE;
  /* Converting a lock drops the old one first (flock(2)): whoever held the
   * lock between is seen by the catalog refresh that follows every lock. */
  for (guint count = 0;; count++)
    {
      gint64 now = g_get_monotonic_time (), pause;

      if (try_lock (store, mode, &busy, error))
        return TRUE;
      if (!busy)
        break;
      if (now - started >= limit)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED,
                       "store-files: another pkiman kept the store busy for over %" G_GINT64_FORMAT
                       " s ([store] lock-timeout); nothing was changed",
                       store->config.lock_timeout);
          break;
        }
      if (count == 0)
        g_message ("waiting for another pkiman that is %s the store (up to %" G_GINT64_FORMAT
                   " s, [store] lock-timeout)...",
                   mode == LOCK_EX ? "using" : "writing", store->config.lock_timeout);
      pause = MIN ((gint64) BACKOFF_FIRST_US << MIN (count, 7), BACKOFF_MAX_US);
      g_usleep ((gulong) MIN (pause, limit - (now - started)));
    }
  /* A failed conversion may have dropped the old lock: say none is held. */
  pkm_files_unlock (store);
  return FALSE;
}

void
pkm_files_unlock (PkmStore *store)
{
  if (store->held != 0)
    flock (store->lock_fd, LOCK_UN);
  store->held = 0;
}
