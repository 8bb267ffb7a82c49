/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>
#include "core/pkm-invoke-private.h"

/* One parser per parameter type, each turning the typed text into the
 * GVariant the handler reads, or an error that names the parameter. */

static gboolean
invalid (GError **error, const PkmParam *param, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError **error, const PkmParam *param, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: %s", param->name, reason);
  return FALSE;
}

static char *
choices_text (const char *const *choices)
{
  return g_strjoinv (", ", (char **) choices);
}

static gboolean
parse_bool (const char *raw, gboolean *out)
{
  static const char *const yes[] = { "yes", "true", "on", NULL };
  static const char *const no[] = { "no", "false", "off", NULL };

  if (g_strv_contains (yes, raw))
    *out = TRUE;
  else if (g_strv_contains (no, raw))
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_uint (const PkmParam *param, const char *raw, GVariant **out, GError **error)
{
  guint64 min = param->min, max = (param->min == 0 && param->max == 0) ? G_MAXUINT64 : param->max;
  guint64 value = 0;
  g_autoptr (GError) local = NULL;

  if (!g_ascii_string_to_unsigned (raw, 10, 0, G_MAXUINT64, &value, &local))
    return invalid (error, param, "%s is not a whole number in %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT, raw,
                    min, max);
  if (value < min || value > max)
    return invalid (error, param, "%s is out of range %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT, raw, min, max);
  *out = g_variant_new_uint64 (value);
  return TRUE;
}

/* A DURATION parameter: a time (pkm_duration_parse) or bare seconds ("90"). */
static gboolean
parse_duration (const PkmParam *param, const char *raw, GVariant **out, GError **error)
{
  gint64 total = 0;
  guint64 seconds;

  if (*raw == '\0')
    return invalid (error, param, "an empty duration");
  if (g_ascii_string_to_unsigned (raw, 10, 0, G_MAXINT64 / 2, &seconds, NULL))
    total = (gint64) seconds;
  else if (!pkm_duration_parse (raw, &total))
    return invalid (error, param, "%s is not a duration such as 1d2h3m4s", raw);
  *out = g_variant_new_int64 (total);
  return TRUE;
}

gboolean
pkm_duration_parse (const char *text, gint64 *out_seconds)
{
  const char *p = text;
  gint64 total = 0;
  gboolean unit = FALSE;
  guint h, m, sec;
  int used = 0;

  while (g_ascii_isdigit (*p))
    {
      char *end;
      guint64 n = g_ascii_strtoull (p, &end, 10);
      gint64 size;

      if (*end == ':')
        break;
      switch (*end)
        {
        case 'w': size = 604800; break;
        case 'd': size = 86400; break;
        case 'h': size = 3600; break;
        case 'm': size = 60; break;
        case 's': size = 1; break;
        default: return FALSE;
        }
      if (n > G_MAXINT32 || (guint64) n * size > (guint64) (G_MAXINT64 / 2 - total))
        return FALSE;
      total += (gint64) n * size;
      unit = TRUE;
      p = end + 1;
    }
  if (*p != '\0')
    {
      if (sscanf (p, "%4u:%2u:%2u%n", &h, &m, &sec, &used) != 3 || p[used] != '\0' || m > 59 || sec > 59)
        return FALSE;
      total += (gint64) h * 3600 + m * 60 + sec;
      unit = TRUE;
    }
  if (!unit)
    return FALSE;
  *out_seconds = total;
  return TRUE;
}

static gboolean
parse_list (const PkmParam *param, const char *raw, gboolean check, GVariant **out, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (raw, ",", -1);
  g_autoptr (GStrvBuilder) items = g_strv_builder_new ();
  g_auto (GStrv) list = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      if (check && !g_strv_contains (param->choices, parts[i]))
        {
          g_autofree char *all = choices_text (param->choices);
          return invalid (error, param, "%s is not one of %s", parts[i], all);
        }
      g_strv_builder_add (items, parts[i]);
    }
  list = g_strv_builder_end (items);
  *out = g_variant_new_strv ((const char *const *) list, -1);
  return TRUE;
}

/* Length bounds count characters; the value itself is never quoted back,
 * since it may be a passphrase. */
static gboolean
parse_string (const PkmParam *param, const char *raw, GVariant **out, GError **error)
{
  glong length;

  if (!g_utf8_validate (raw, -1, NULL))
    return invalid (error, param, "is not valid UTF-8");
  length = g_utf8_strlen (raw, -1);
  if (length > 0 && param->min > 0 && (guint64) length < param->min)
    return invalid (error, param, "at least %" G_GUINT64_FORMAT " characters", param->min);
  if (param->max > 0 && (guint64) length > param->max)
    return invalid (error, param, "at most %" G_GUINT64_FORMAT " characters", param->max);
  *out = g_variant_new_string (raw);
  return TRUE;
}

gboolean
pkm_value_parse (const PkmParam *param, const char *raw, GVariant **out, GError **error)
{
  gboolean flag;

  /* GVariant strings are UTF-8: other bytes would be dropped with a critical, not stored. */
  if (!g_utf8_validate (raw, -1, NULL))
    return invalid (error, param, "is not valid UTF-8");
  switch (param->type)
    {
    case PKM_PARAM_STRING:
      return parse_string (param, raw, out, error);
    case PKM_PARAM_ITEM:
    case PKM_PARAM_ITEM_LIST:
      *out = g_variant_new_string (raw);
      return TRUE;
    case PKM_PARAM_BOOL:
      if (!parse_bool (raw, &flag))
        return invalid (error, param, "%s is not yes or no", raw);
      *out = g_variant_new_boolean (flag);
      return TRUE;
    case PKM_PARAM_UINT:
      return parse_uint (param, raw, out, error);
    case PKM_PARAM_ENUM:
      if (param->choices != NULL && !g_strv_contains (param->choices, raw))
        {
          g_autofree char *all = choices_text (param->choices);
          return invalid (error, param, "%s is not one of %s", raw, all);
        }
      *out = g_variant_new_string (raw);
      return TRUE;
    case PKM_PARAM_ENUM_LIST:
      return parse_list (param, raw, param->choices != NULL, out, error);
    case PKM_PARAM_STRING_LIST:
      return parse_list (param, raw, FALSE, out, error);
    case PKM_PARAM_DURATION:
      return parse_duration (param, raw, out, error);
    default:
      return invalid (error, param, "has an unknown type");
    }
}

static gboolean
no_such_item (const PkmParam *param, const char *raw, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: no such item: %s", param->name, raw);
  return FALSE;
}

/* The item whose .id is @id, or whose name is @name, in @menu's list. */
static gboolean
find_in_list (PkmCall *call, const PkmMenu *menu, gint64 id, const char *name, gint64 *out_id, GError **error)
{
  g_autoptr (PkmCall) list_call = pkm_call_new (call->ctx, menu, NULL, NULL);
  g_autoptr (GPtrArray) items = pkm_menu_list_items (list_call, menu, error);

  if (items == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      GVariant *item = g_ptr_array_index (items, i);
      gint64 item_id = 0;

      g_variant_lookup (item, ".id", "x", &item_id);
      if (name != NULL)
        {
          g_autofree char *item_name = pkm_item_get_text (item, "name");
          if (strcmp (item_name, name) != 0)
            continue;
        }
      else if (item_id != id)
        continue;
      *out_id = item_id;
      return TRUE;
    }
  *out_id = 0;
  return TRUE;
}

/* An id (*1A) must name an item of the menu; a name goes to the menu's
 * lookup, or is searched for in its list. Numbers are a shell's: it turns
 * them into ids from its last print before it invokes. */
gboolean
pkm_value_resolve_item (PkmCall *call, const PkmParam *param, const char *raw, gint64 *out_id, GError **error)
{
  /* No item_menu: the command's own menu (get, which every menu with items has). */
  const PkmMenu *menu = param->item_menu != NULL ? pkm_context_find_menu (call->ctx, param->item_menu) : call->menu;
  gint64 id = 0;

  if (menu == NULL || menu->list == NULL)
    return invalid (error, param, "refers to %s, which has no items",
                    param->item_menu != NULL ? param->item_menu : menu != NULL ? menu->path : "/");
  if (pkm_item_id_parse (raw, &id))
    {
      if (!find_in_list (call, menu, id, NULL, out_id, error))
        return FALSE;
      return *out_id != 0 || no_such_item (param, raw, error);
    }
  if (pkm_item_ref_is_number (raw))
    return invalid (error, param, "%s is a number from a print; this takes a name or an id (*1A)", raw);
  if (menu->lookup != NULL)
    {
      id = menu->lookup (call, raw, error);
      if (id < 0)
        return FALSE;
      *out_id = id;
    }
  else if (!find_in_list (call, menu, 0, raw, out_id, error))
    return FALSE;
  return *out_id != 0 || no_such_item (param, raw, error);
}
