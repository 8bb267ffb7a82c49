/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include "menus/pkm-files.h"
#include "core/pkm-context.h"

/* With a configured files directory, a name that would leave it is refused:
 * the directory is then a boundary (a daemon's upload area), not a default. */
char *
pkm_files_resolve (PkmCall *call, const char *param, const char *name, GError **error)
{
  const char *configured = pkm_context_get_files_dir (pkm_call_get_context (call));
  const char *dir = pkm_call_get_files_dir (call);
  g_auto (GStrv) parts = NULL;

  if (name == NULL || *name == '\0')
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: must not be empty", param);
      return NULL;
    }
  if (configured != NULL)
    {
      parts = g_strsplit (name, "/", -1);
      if (g_path_is_absolute (name) || g_strv_contains ((const char *const *) parts, ".."))
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_PERMISSION_DENIED, "%s: %s: leaves the files directory", param,
                       name);
          return NULL;
        }
    }
  if (g_path_is_absolute (name))
    return g_strdup (name);
  return dir != NULL ? g_build_filename (dir, name, NULL) : g_strdup (name);
}

gboolean
pkm_files_write (const char *param, const char *path, const void *data, gsize size, int mode, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "%s: %s: %s", param, dir, g_strerror (errno));
      return FALSE;
    }
  /* Written whole then renamed into place, created with its final mode: a
   * key file is never readable by others, not even for an instant. */
  if (!g_file_set_contents_full (path, data, size, G_FILE_SET_CONTENTS_CONSISTENT, mode, &local))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "%s: %s", param, local->message);
      return FALSE;
    }
  return TRUE;
}
