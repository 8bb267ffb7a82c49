/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-shell-private.h"

/* Item numbers, as RouterOS has them: each print of a menu numbers its items,
 * and those numbers name the same items for the rest of the session, until
 * the next print of that menu, whatever is added or removed meanwhile. A
 * number used before any print is bound as if print had run. They are the
 * shell's alone: the core is given the item's id (*1A), which never changes. */

void
pkm_numbers_bind (PkmShell *shell, const char *menu_path, const gint64 *ids, guint n_ids)
{
  GArray *bound = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);

  g_array_append_vals (bound, ids, n_ids);
  g_hash_table_replace (shell->bound_numbers, g_strdup (menu_path), bound);
}

static gboolean
bind_by_printing (PkmShell *shell, const char *menu_path, GError **error)
{
  PkmInvocation invocation = PKM_INVOCATION_INIT;
  g_autoptr (PkmResult) result = NULL;
  const gint64 *ids;
  guint n_ids;

  invocation.menu = menu_path;
  invocation.command = "print";
  invocation.args = g_variant_ref_sink (g_variant_new_parsed ("{'count-only': <true>}"));
  invocation.actor = shell->actor;
  result = pkm_invoke (shell->ctx, &invocation, error);
  g_variant_unref (invocation.args);
  if (result == NULL)
    return FALSE;
  ids = pkm_result_get_listed_ids (result, &n_ids);
  pkm_numbers_bind (shell, menu_path, ids, n_ids);
  return TRUE;
}

char *
pkm_numbers_to_id (PkmShell *shell, const PkmParam *param, const char *menu_path, const char *raw, GError **error)
{
  const char *item_menu = param->item_menu != NULL ? param->item_menu : menu_path;
  GArray *bound;
  guint64 number;

  if (!g_ascii_string_to_unsigned (raw, 10, 0, G_MAXUINT32, &number, NULL))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: no such item: %s", param->name, raw);
      return NULL;
    }
  bound = g_hash_table_lookup (shell->bound_numbers, item_menu);
  if (bound == NULL)
    {
      if (!bind_by_printing (shell, item_menu, error))
        return NULL;
      bound = g_hash_table_lookup (shell->bound_numbers, item_menu);
    }
  if (number >= bound->len)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: no such item: %s", param->name, raw);
      return NULL;
    }
  return pkm_item_id_format (g_array_index (bound, gint64, number));
}
