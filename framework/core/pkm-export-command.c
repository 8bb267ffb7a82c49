/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "core/pkm-invoke-private.h"

/* export, which every menu has: the commands that make the menu and the
 * menus below it again, as RouterOS writes them: a path line, then `add`
 * for each item that add can make (PkmMenu.export_where), `set NAME` for
 * items that are there by themselves (/ip service), and `set` for a menu
 * of settings. A property is written only when it is set and differs from
 * its parameter's default_value; secret parameters never are. Everything
 * comes from the menus' tables: a plugin's menu exports with no code. The
 * lines are the result's messages: the front end prints them. */

/* Bare words pass through the lexer as they are; anything else is quoted. */
static gboolean
plain_word (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._:/@*+,-", *p) == NULL)
      return FALSE;
  return TRUE;
}

static void
append_value (GString *line, const char *text)
{
  if (plain_word (text))
    {
      g_string_append (line, text);
      return;
    }
  g_string_append_c (line, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p == '"' || *p == '\\' || *p == '$' || *p == '[' || *p == ']')
      g_string_append_printf (line, "\\%c", *p);
    else if (*p == '\n')
      g_string_append (line, "\\n");
    else if (*p == '\r')
      g_string_append (line, "\\r");
    else if (*p == '\t')
      g_string_append (line, "\\t");
    else if (*p < 0x20 || *p == 0x7f)
      g_string_append_printf (line, "\\%02X", *p);
    else
      g_string_append_c (line, (char) *p);
  g_string_append_c (line, '"');
}

/* Whether @param's value is written: a property of the item, not secret,
 * not the item being set, not the default. */
static gboolean
exported (const PkmParam *param, const char *text)
{
  if ((param->flags & PKM_PARAM_SECRET) || param->type == PKM_PARAM_ITEM || text == NULL || *text == '\0')
    return FALSE;
  return param->default_value == NULL || strcmp (param->default_value, text) != 0;
}

/* " p=v" for each parameter of @command that @value_of gives a value. */
static gboolean
append_params (GString *line, const PkmCommand *command, char *(*value_of) (gpointer source, const char *property),
               gpointer source)
{
  gboolean any = FALSE;

  for (const PkmParam *p = command->params; p != NULL && p->name != NULL; p++)
    {
      g_autofree char *text = value_of (source, p->name);

      if (!exported (p, text))
        continue;
      g_string_append_printf (line, " %s=", p->name);
      append_value (line, text);
      any = TRUE;
    }
  return any;
}

/* @property of the a{sv} @dict (an item, or a settings print's values) as
 * print shows it; NULL when it has none. */
static char *
value_text (gpointer dict, const char *property)
{
  g_autoptr (GVariant) value = g_variant_lookup_value (dict, property, NULL);

  return value != NULL ? pkm_value_to_text (value) : NULL;
}

/* The `add` lines of @menu's items that add can make again. */
static gboolean
export_added (PkmCall *call, const PkmMenu *menu, const PkmCommand *add, GPtrArray *lines, GError **error)
{
  g_autoptr (GPtrArray) items = pkm_menu_list (call, menu, menu->export_where, error);

  if (items == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      GString *line = g_string_new ("add");
      append_params (line, add, value_text, g_ptr_array_index (items, i));
      g_ptr_array_add (lines, g_string_free (line, FALSE));
    }
  return TRUE;
}

/* `set NAME ...` for items that are there by themselves, when anything differs. */
static gboolean
export_set_items (PkmCall *call, const PkmMenu *menu, const PkmCommand *set, GPtrArray *lines, GError **error)
{
  g_autoptr (GPtrArray) items = pkm_menu_list (call, menu, menu->export_where, error);

  if (items == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      GVariant *item = g_ptr_array_index (items, i);
      const char *name = NULL;
      GString *line = g_string_new ("set ");

      if (!g_variant_lookup (item, "name", "&s", &name))
        {
          g_string_free (line, TRUE);
          continue;
        }
      append_value (line, name);
      if (append_params (line, set, value_text, item))
        g_ptr_array_add (lines, g_string_free (line, FALSE));
      else
        g_string_free (line, TRUE);
    }
  return TRUE;
}

/* `set ...` of a menu of settings: what its print says, where it differs. */
static gboolean
export_settings (PkmCall *call, const PkmMenu *menu, const PkmCommand *set, GPtrArray *lines, GError **error)
{
  const PkmCommand *print = pkm_menu_find_command (menu, "print");
  g_autoptr (PkmCall) inner = NULL;
  GString *line;

  /* A print that takes arguments is not a plain view of the settings. */
  if (print == NULL || print->run == NULL || (print->params != NULL && print->params[0].name != NULL))
    return TRUE;
  inner = pkm_call_new (call->ctx, menu, print, NULL);
  if (!print->run (inner, error))
    return FALSE;
  line = g_string_new ("set");
  if (append_params (line, set, value_text, pkm_result_get_values (inner->result)))
    g_ptr_array_add (lines, g_string_free (line, FALSE));
  else
    g_string_free (line, TRUE);
  return TRUE;
}

static gboolean
export_menu (PkmCall *call, const PkmMenu *menu, GError **error)
{
  const PkmCommand *add = pkm_menu_find_command (menu, "add"), *set = pkm_menu_find_command (menu, "set");
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;

  if (menu->list != NULL && add != NULL)
    ok = export_added (call, menu, add, lines, error);
  else if (menu->list != NULL && set != NULL)
    ok = export_set_items (call, menu, set, lines, error);
  else if (menu->list == NULL && set != NULL)
    ok = export_settings (call, menu, set, lines, error);
  if (!ok)
    return FALSE;
  if (lines->len > 0)
    pkm_call_print (call, "%s", menu->path);
  for (guint i = 0; i < lines->len; i++)
    pkm_call_print (call, "%s", (const char *) g_ptr_array_index (lines, i));
  return TRUE;
}

static gboolean
export_run (PkmCall *call, GError **error)
{
  g_autoptr (GPtrArray) menus = pkm_context_get_menus (call->ctx);
  g_autofree char *below = g_strconcat (call->menu->path, " ", NULL);

  for (guint i = 0; i < menus->len; i++)
    {
      const PkmMenu *menu = g_ptr_array_index (menus, i);

      if ((strcmp (menu->path, call->menu->path) == 0 || g_str_has_prefix (menu->path, below))
          && !export_menu (call, menu, error))
        return FALSE;
    }
  return TRUE;
}

const PkmCommand pkm_export_command = { "export", export_run, NULL, PKM_COMMAND_READ,
                                        "the commands that make this menu and those below it again" };
