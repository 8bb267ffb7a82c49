/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "files-store.h"

/* The [store] keys beside "path" (read in files-open.c). The same bounds and
 * words as store-sqlite: a user who switches stores keeps the setting. */

/* Five minutes: far longer than any command holds the lock, short enough
 * that a writer stuck on a hung process says so within a coffee break. */
#define DEFAULT_LOCK_TIMEOUT 300
/* A day: a bound, so a stray digit cannot make a writer wait for ever. */
#define MAX_LOCK_TIMEOUT 86400

gboolean
pkm_files_config_parse (GKeyFile *config, PkmFilesConfig *out, GError **error)
{
  g_autofree char *value = config != NULL ? g_key_file_get_string (config, "store", "lock-timeout", NULL) : NULL;
  guint64 seconds = 0;

  out->lock_timeout = DEFAULT_LOCK_TIMEOUT;
  if (value == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (g_strstrip (value), 10, 0, MAX_LOCK_TIMEOUT, &seconds, NULL))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                   "[store] lock-timeout: \"%s\" is not a whole number of seconds from 0 to %d", value,
                   MAX_LOCK_TIMEOUT);
      return FALSE;
    }
  out->lock_timeout = (gint64) seconds;
  return TRUE;
}
