/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sqlite-store.h"

/* The [store] keys as data: each names the parser that fills its field. */

/* Five minutes: far longer than any command holds the lock, short enough
 * that a writer stuck on a hung process says so within a coffee break. */
#define DEFAULT_LOCK_TIMEOUT 300
/* A day: a bound, so a stray digit cannot make a writer wait for ever. */
#define MAX_LOCK_TIMEOUT 86400

typedef gboolean (*PkmSqliteParseFunc) (const char *key, const char *value, PkmSqliteConfig *out,
                                        GError **error);

static gboolean
parse_lock_timeout (const char *key, const char *value, PkmSqliteConfig *out, GError **error)
{
  guint64 seconds = 0;

  if (!g_ascii_string_to_unsigned (value, 10, 0, MAX_LOCK_TIMEOUT, &seconds, NULL))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                   "[store] %s: \"%s\" is not a whole number of seconds from 0 to %d", key, value,
                   MAX_LOCK_TIMEOUT);
      return FALSE;
    }
  out->lock_timeout = (gint64) seconds;
  return TRUE;
}

/* NORMAL exists to measure what FULL costs (docs/PERFORMANCE.md): with it a
 * power cut may take back the last commands that had already returned. */
static gboolean
parse_synchronous (const char *key, const char *value, PkmSqliteConfig *out, GError **error)
{
  static const char *const choices[][2] = { { "full", "FULL" }, { "normal", "NORMAL" } };

  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    if (g_ascii_strcasecmp (value, choices[i][0]) == 0)
      {
        out->synchronous = choices[i][1];
        return TRUE;
      }
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "[store] %s: \"%s\" is not one of full, normal",
               key, value);
  return FALSE;
}

static const struct {
  const char *key;
  PkmSqliteParseFunc parse;
} config_table[] = {
  { "lock-timeout", parse_lock_timeout },
  { "synchronous", parse_synchronous },
};

gboolean
pkm_sqlite_config_parse (GKeyFile *config, PkmSqliteConfig *out, GError **error)
{
  out->lock_timeout = DEFAULT_LOCK_TIMEOUT;
  out->synchronous = "FULL";
  for (guint i = 0; config != NULL && i < G_N_ELEMENTS (config_table); i++)
    {
      g_autofree char *value = g_key_file_get_string (config, "store", config_table[i].key, NULL);

      if (value != NULL && !config_table[i].parse (config_table[i].key, g_strstrip (value), out, error))
        return FALSE;
    }
  return TRUE;
}
