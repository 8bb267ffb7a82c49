/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "menus/pkm-menus.h"

/* /system clock, read-only: the local date and time as RouterOS v7.10 and
 * later write them (date 2026-12-03, time 14:05:09), for scripts that name
 * things by date. Setting the clock is the host's business, not pkiman's. */

static const char *const clock_properties[] = { "time", "date", "time-zone-name", NULL };

static GVariant *
clock_values (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  GVariantDict values;

  g_variant_dict_init (&values, NULL);
  g_variant_dict_insert (&values, "time", "s", time);
  g_variant_dict_insert (&values, "date", "s", date);
  g_variant_dict_insert (&values, "time-zone-name", "s", g_time_zone_get_identifier (g_date_time_get_timezone (now)));
  return g_variant_dict_end (&values);
}

static gboolean
clock_print (PkmCall *call, GError **error)
{
  pkm_call_set_result (call, clock_values ());
  return TRUE;
}

/* get date: that value alone; get: all of them. */
static gboolean
clock_get (PkmCall *call, GError **error)
{
  const char *name = pkm_call_get_string (call, "value-name");
  g_autoptr (GVariant) values = g_variant_ref_sink (clock_values ());
  g_autoptr (GVariant) value = NULL;
  GVariantDict answer;

  if (name == NULL)
    {
      /* set_result takes a reference of its own: @values is not floating. */
      pkm_call_set_result (call, values);
      return TRUE;
    }
  g_variant_dict_init (&answer, NULL);
  value = g_variant_lookup_value (values, name, NULL);
  g_variant_dict_insert_value (&answer, name, value);
  pkm_call_set_result (call, g_variant_dict_end (&answer));
  return TRUE;
}

static const PkmParam get_params[] = {
  { "value-name", PKM_PARAM_ENUM, PKM_PARAM_POSITIONAL, clock_properties, 0, 0, NULL,
    "time, date (YYYY-MM-DD) or time-zone-name; every one when not given" },
  { NULL },
};

static const PkmCommand clock_commands[] = {
  { "print", clock_print, NULL, PKM_COMMAND_READ, "show the date and time" },
  { "get", clock_get, get_params, PKM_COMMAND_READ, "the date, the time or the time zone: [get date] in scripts" },
  { NULL },
};

const PkmMenu pkm_menu_system_clock = {
  PKM_MENU_SIZES,
  .path = "/system clock",
  .help = "the date and time (read-only)",
  .commands = clock_commands,
};
