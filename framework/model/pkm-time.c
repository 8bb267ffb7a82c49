/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "model/pkm-model.h"

gint64
pkm_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* The local time zone, read once per process: g_date_time_to_local looks at
 * /etc/localtime again for every timestamp (two per certificate in print). */
static GTimeZone *
local_zone (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    g_once_init_leave (&zone, g_time_zone_new_local ());
  return zone;
}

/* RouterOS v7 shows local time as "2025-04-30 16:13:22". */
char *
pkm_format_time (gint64 unix_time)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr (GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_timezone (utc, local_zone ());
  return g_date_time_format (local != NULL ? local : utc, "%Y-%m-%d %H:%M:%S");
}

/* RouterOS durations: "519w4d15h28m25s", zero parts left out. */
char *
pkm_format_duration (gint64 seconds)
{
  static const struct { char unit; gint64 size; } units[] = {
    { 'w', 604800 }, { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 },
  };
  GString *out = g_string_new (NULL);

  if (seconds <= 0)
    return g_string_free (g_string_append (out, "0s"), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (seconds >= units[i].size)
      {
        g_string_append_printf (out, "%" G_GINT64_FORMAT "%c", seconds / units[i].size, units[i].unit);
        seconds %= units[i].size;
      }
  return g_string_free (out, FALSE);
}
