/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <pkiman/pkm-files.h>
#include "core/pkm-context.h"

/* The files directory is a boundary: every name a command reads or writes
 * resolves inside it. A name is refused when it is absolute or has a ".."
 * component, and when the deepest part of it that exists (the file itself
 * for a read, its directory for a new file) leads elsewhere once symlinks
 * are followed. Writes then go to a temporary file in that directory and are
 * renamed into place, which replaces a symlink rather than following it. */

static char *
leaves (const char *param, const char *name, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_PERMISSION_DENIED, "%s: %s leaves the files directory", param, name);
  return NULL;
}

static gboolean
inside (const char *root, const char *path)
{
  gsize len = strlen (root);

  return strcmp (root, "/") == 0 || (strncmp (path, root, len) == 0 && (path[len] == '\0' || path[len] == '/'));
}

char *
pkm_files_resolve_in (const char *dir, const char *param, const char *name, GError **error)
{
  g_auto (GStrv) parts = NULL;
  g_autofree char *root = NULL, *full = NULL, *probe = NULL;
  char real[PATH_MAX];

  if (name == NULL || *name == '\0')
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: must not be empty", param);
      return NULL;
    }
  parts = g_strsplit (name, "/", -1);
  if (g_path_is_absolute (name) || g_strv_contains ((const char *const *) parts, ".."))
    return leaves (param, name, error);
  if (realpath (dir != NULL ? dir : ".", real) == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "%s: the files directory %s: %s", param, dir != NULL ? dir : ".",
                   g_strerror (errno));
      return NULL;
    }
  root = g_strdup (real);
  full = g_build_filename (root, name, NULL);
  /* The deepest existing ancestor: one step per component, so bounded by the name. */
  probe = g_strdup (full);
  while (realpath (probe, real) == NULL)
    {
      char *parent = g_path_get_dirname (probe);
      gboolean stuck = strcmp (parent, probe) == 0 || !inside (root, parent);

      g_free (probe);
      probe = parent;
      if (stuck)
        return leaves (param, name, error);
    }
  if (!inside (root, real))
    return leaves (param, name, error);
  return g_steal_pointer (&full);
}

char *
pkm_files_resolve (PkmCall *call, const char *param, const char *name, GError **error)
{
  return pkm_files_resolve_in (pkm_call_get_files_dir (call), param, name, error);
}

GBytes *
pkm_files_read (const char *path, const char *param, const char *name, gsize max_size, GError **error)
{
  g_autofree char *data = NULL;
  gsize size = 0;
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: %s: %s", param, name, g_strerror (errno));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: %s: not a regular file", param, name);
      return NULL;
    }
  if ((guint64) st.st_size > max_size)
    {
      /* In the unit the limit was set in: 16 MiB, 64 KiB. */
      gboolean mib = max_size % (1024 * 1024) == 0;
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: %s: %lld bytes is over the %" G_GSIZE_FORMAT
                   " %s limit", param, name, (long long) st.st_size, mib ? max_size >> 20 : max_size >> 10,
                   mib ? "MiB" : "KiB");
      return NULL;
    }
  if (st.st_size == 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: %s: the file is empty", param, name);
      return NULL;
    }
  /* The file may have grown since the stat: the limit holds for what is read. */
  if (!g_file_get_contents (path, &data, &size, NULL) || size > max_size)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "%s: %s: cannot be read", param, name);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&data), size);
}

gboolean
pkm_files_write (const char *param, const char *path, const void *data, gsize size, int mode, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  /* pkiman makes no directories: a name in a missing one is a typo, not a wish. */
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *base = g_path_get_basename (dir);
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: %s: no such directory", param, base);
      return FALSE;
    }
  /* A temporary file in the same directory, created with its final mode,
   * fsynced, then renamed over the name: never a half-written file, never a
   * key file readable by others, and a symlink at the name is replaced. */
  if (!g_file_set_contents_full (path, data, size, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, mode,
                                 &local))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "%s: %s", param, local->message);
      return FALSE;
    }
  return TRUE;
}
