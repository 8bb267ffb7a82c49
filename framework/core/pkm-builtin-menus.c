/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "core/pkm-context-private.h"
#include "menus/pkm-menus.h"

static const PkmMenu *const builtin_menus[] = {
  &pkm_menu_certificate_key,
  &pkm_menu_system_plugin,
  &pkm_menu_system_store,
  &pkm_menu_system_token,
  &pkm_menu_log,
  &pkm_menu_file,
};

gboolean
pkm_builtin_menus_register (PkmContext *ctx, GError **error)
{
  if (!pkm_context_register_menu (ctx, pkm_menu_certificate_get (), error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (builtin_menus); i++)
    if (!pkm_context_register_menu (ctx, builtin_menus[i], error))
      return FALSE;
  return TRUE;
}
