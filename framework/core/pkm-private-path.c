/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include "core/pkm-context-private.h"

/* The state directory and the master key are ours alone: another user who
 * can read them reads the keys, one who can write them swaps them. */

static const struct {
  const char *what;
  mode_t type;
  mode_t forbidden;    /* mode bits that let others in */
  gboolean root_owned; /* may root own it, as /etc does */
  const char *why;
  const char *fix;
} kinds[] = {
  [PKM_PRIVATE_STATE_DIR] = { "state directory", S_IFDIR, S_IWGRP | S_IRWXO, FALSE,
                              "lets others in", "chmod 700 it" },
  [PKM_PRIVATE_MASTER_KEY] = { "master key", S_IFREG, S_IRWXG | S_IRWXO, FALSE,
                               "lets others read it", "chmod 600 it" },
  [PKM_PRIVATE_KEY_DIR] = { "master key directory", S_IFDIR, S_IWGRP | S_IWOTH, TRUE,
                            "lets others replace the key", "chmod go-w it" },
};

gboolean
pkm_private_path_check (PkmPrivateKind kind, const char *path, GError **error)
{
  struct stat st;
  uid_t me = geteuid ();

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "%s %s: %s", kinds[kind].what, path,
                   saved == ENOENT ? "does not exist" : g_strerror (saved));
      return FALSE;
    }
  if ((st.st_mode & S_IFMT) != kinds[kind].type)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "%s %s: not a %s", kinds[kind].what, path,
                   kinds[kind].type == S_IFDIR ? "directory" : "regular file");
      return FALSE;
    }
  if (st.st_uid != me && !(kinds[kind].root_owned && st.st_uid == 0))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_PERMISSION_DENIED,
                   "%s %s: owned by uid %u, not by uid %u that runs pkiman", kinds[kind].what, path,
                   (guint) st.st_uid, (guint) me);
      return FALSE;
    }
  if ((st.st_mode & kinds[kind].forbidden) != 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_PERMISSION_DENIED, "%s %s: mode %04o %s; %s", kinds[kind].what,
                   path, (guint) (st.st_mode & 07777), kinds[kind].why, kinds[kind].fix);
      return FALSE;
    }
  return TRUE;
}
