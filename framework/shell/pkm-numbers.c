/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "shell/pkm-shell-private.h"

/* Item numbers, as RouterOS has them: each print of a menu numbers its items,
 * and those numbers name the same items for the rest of the session, until
 * the next print of that menu, whatever is added or removed meanwhile. A
 * number used before any print is bound as if print had run. Ids (*1A) are
 * the store's own and never change. */

void
pkm_numbers_bind (PkmShell *shell, const PkmMenu *menu, GPtrArray *items)
{
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), items->len);

  for (guint i = 0; i < items->len; i++)
    {
      gint64 id = 0;
      g_variant_lookup (g_ptr_array_index (items, i), ".id", "x", &id);
      g_array_append_val (ids, id);
    }
  g_hash_table_replace (shell->bound_numbers, g_strdup (menu->path), ids);
}

static gboolean
items_hold (GPtrArray *items, gint64 id)
{
  for (guint i = 0; i < items->len; i++)
    {
      gint64 item_id = 0;
      if (g_variant_lookup (g_ptr_array_index (items, i), ".id", "x", &item_id) && item_id == id)
        return TRUE;
    }
  return FALSE;
}

char *
pkm_item_id_format (gint64 id)
{
  return g_strdup_printf ("*%" G_GINT64_MODIFIER "X", id);
}

gboolean
pkm_item_id_parse (const char *text, gint64 *out_id)
{
  guint64 id;

  if (text[0] != '*' || !g_ascii_isxdigit (text[1])
      || !g_ascii_string_to_unsigned (text + 1, 16, 1, G_MAXINT64, &id, NULL))
    return FALSE;
  *out_id = (gint64) id;
  return TRUE;
}

static gboolean
no_such_item (const PkmParam *param, const char *raw, const char *why, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: no such item: %s%s", param->name, raw, why);
  return FALSE;
}

/* @raw is a number (0, 12) or an id (*1A); anything else is a name for the caller. */
gboolean
pkm_numbers_resolve (PkmCall *call, const PkmParam *param, const PkmMenu *menu, const char *raw, gint64 *out_id,
                     GError **error)
{
  g_autoptr (PkmCall) list_call = pkm_call_new (call->shell, menu, NULL);
  g_autoptr (GPtrArray) items = menu->list (list_call, error);
  GArray *bound;
  guint64 number;
  gint64 id;

  if (items == NULL)
    return FALSE;
  if (pkm_item_id_parse (raw, &id))
    {
      if (!items_hold (items, id))
        return no_such_item (param, raw, "", error);
      *out_id = id;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (raw, 10, 0, G_MAXUINT32, &number, NULL))
    return no_such_item (param, raw, "", error);
  bound = g_hash_table_lookup (call->shell->bound_numbers, menu->path);
  if (bound == NULL)
    {
      pkm_numbers_bind (call->shell, menu, items);
      bound = g_hash_table_lookup (call->shell->bound_numbers, menu->path);
    }
  if (number >= bound->len)
    return no_such_item (param, raw, "", error);
  id = g_array_index (bound, gint64, number);
  if (!items_hold (items, id))
    return no_such_item (param, raw, " (removed since the last print)", error);
  *out_id = id;
  return TRUE;
}

gboolean
pkm_item_ref_is_number (const char *text)
{
  gint64 id;

  if (pkm_item_id_parse (text, &id))
    return TRUE;
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}
