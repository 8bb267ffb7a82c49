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

/* @value's last @width decimal digits, zero-padded, at @p. */
static char *
put_digits (char *p, guint64 value, guint width)
{
  for (guint i = width; i > 0; i--, value /= 10)
    p[i - 1] = (char) ('0' + value % 10);
  return p + width;
}

/* The civil date of @days since 1970-01-01 (proleptic Gregorian; H. Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms", days_from_civil's inverse). */
static void
civil_from_days (gint64 days, gint64 *year, guint *month, guint *day)
{
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  guint64 doe = (guint64) (z - era * 146097);
  guint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  guint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  guint64 mp = (5 * doy + 2) / 153;

  *day = (guint) (doy - (153 * mp + 2) / 5 + 1);
  *month = (guint) (mp < 10 ? mp + 3 : mp - 9);
  *year = (gint64) yoe + era * 400 + (*month <= 2);
}

/* RouterOS v7 shows local time as "2025-04-30 16:13:22". The zone's offset
 * at that instant comes from GTimeZone; the digits are written by hand:
 * GDateTime and its formatter cost more than the rest of a table row (print
 * detail shows three timestamps a certificate). */
char *
pkm_format_time (gint64 unix_time)
{
  GTimeZone *zone = local_zone ();
  char text[sizeof "9999-12-31 23:59:59"], *p = text;
  gint64 local, days, seconds, year;
  guint month, day;
  gint interval;

  /* GDateTime's range: years 1 to 9999. */
  if (unix_time < G_GINT64_CONSTANT (-62135596800) || unix_time > G_GINT64_CONSTANT (253402300799))
    return g_strdup ("");
  interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, unix_time);
  local = unix_time + (interval >= 0 ? g_time_zone_get_offset (zone, interval) : 0);
  days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  seconds = local - days * 86400;
  civil_from_days (days, &year, &month, &day);
  if (year < 1 || year > 9999)
    return g_strdup ("");
  p = put_digits (p, (guint64) year, 4);
  *p++ = '-';
  p = put_digits (p, month, 2);
  *p++ = '-';
  p = put_digits (p, day, 2);
  *p++ = ' ';
  p = put_digits (p, (guint64) seconds / 3600, 2);
  *p++ = ':';
  p = put_digits (p, (guint64) seconds / 60 % 60, 2);
  *p++ = ':';
  p = put_digits (p, (guint64) seconds % 60, 2);
  *p = '\0';
  return g_strdup (text);
}

/* RouterOS durations: "519w4d15h28m25s", zero parts left out. */
char *
pkm_format_duration (gint64 seconds)
{
  static const struct { char unit; gint64 size; } units[] = {
    { 'w', 604800 }, { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 },
  };
  char text[64], *p = text;

  if (seconds <= 0)
    return g_strdup ("0s");
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (seconds >= units[i].size)
      {
        guint64 count = (guint64) (seconds / units[i].size);
        guint digits = 1;

        for (guint64 v = count; v >= 10; v /= 10)
          digits++;
        p = put_digits (p, count, digits);
        *p++ = units[i].unit;
        seconds %= units[i].size;
      }
  *p = '\0';
  return g_strdup (text);
}
