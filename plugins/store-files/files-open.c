/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "files-store.h"

char *
pkm_files_path (PkmStore *store, const char *name)
{
  return g_build_filename (store->dir, name, NULL);
}

/* Opening replays a journal a dead commit left and reads the catalog, so a
 * store that cannot be read fails here, not at its first command. */
static gboolean
check_store (PkmStore *store, GError **error)
{
  gboolean ok = pkm_files_lock (store, LOCK_SH, error);

  if (ok && pkm_files_journal_present (store))
    ok = pkm_files_lock (store, LOCK_EX, error) && pkm_files_journal_recover (store, error);
  ok = ok && pkm_files_catalog_refresh (store, FALSE, error);
  pkm_files_unlock (store);
  return ok;
}

PkmStore *
pkm_files_open (const char *state_dir, GKeyFile *config, GError **error)
{
  PkmStore *store = g_new0 (PkmStore, 1);
  g_autofree char *configured = config != NULL ? g_key_file_get_string (config, "store", "path", NULL) : NULL;
  g_autofree char *lock = NULL;

  store->lock_fd = -1;
  store->catalog_fd = -1;
  store->txn.store = store; /* a call on the transaction after it ended finds its store */
  if (!pkm_files_config_parse (config, &store->config, error))
    {
      g_free (store);
      return NULL;
    }
  if (configured != NULL)
    g_strstrip (configured);
  store->dir = configured != NULL && *configured != '\0' ? g_steal_pointer (&configured)
                                                         : g_build_filename (state_dir, "files-store", NULL);
  /* Records hold sealed keys: the directory is the owner's alone. */
  if (g_mkdir_with_parents (store->dir, 0700) != 0 || g_chmod (store->dir, 0700) != 0)
    {
      pkm_files_fail_errno (errno, store->dir, NULL, error);
      pkm_files_close (store);
      return NULL;
    }
  lock = pkm_files_path (store, "lock");
  store->lock_fd = open (lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (store->lock_fd < 0)
    {
      pkm_files_fail_errno (errno, lock, "open", error);
      pkm_files_close (store);
      return NULL;
    }
  if (!check_store (store, error))
    {
      pkm_files_close (store);
      return NULL;
    }
  return store;
}

void
pkm_files_close (PkmStore *store)
{
  if (store == NULL)
    return;
  if (store->in_transaction)
    pkm_files_rollback (&store->txn);
  pkm_files_unlock (store);
  if (store->lock_fd >= 0)
    close (store->lock_fd);
  pkm_files_catalog_forget (store);
  g_free (store->dir);
  g_free (store);
}
