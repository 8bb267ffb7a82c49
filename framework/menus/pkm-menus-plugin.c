/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pkm-config.h"
#include "menus/pkm-menus.h"

/* The RouterOS menus as a plugin, built into libpkiman: the core loads it
 * first, through the same checks and lifecycle as any module, and it
 * registers its menus with the public API, so that other plugins can
 * extend them. */

static const PkmMenu *const menus[] = {
  &pkm_menu_certificate_key, &pkm_menu_system_plugin, &pkm_menu_system_store, &pkm_menu_system_clock, &pkm_menu_system_token,
  &pkm_menu_system_master_key, &pkm_menu_log, &pkm_menu_file, &pkm_menu_ip_service, &pkm_menu_user,
};

static gboolean
menus_init (PkmContext *ctx, GError **error)
{
  if (!pkm_context_register_menu (ctx, pkm_menu_certificate_get (), error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (menus); i++)
    if (!pkm_context_register_menu (ctx, menus[i], error))
      return FALSE;
  return TRUE;
}

static const PkmPluginDescriptor descriptor = {
  .abi_version = PKM_PLUGIN_ABI_VERSION,
  .struct_size = sizeof (PkmPluginDescriptor),
  .api_minor = PKM_API_MINOR,
  .kind = PKM_PLUGIN_KIND_FEATURE,
  .name = "menus-routeros",
  .version = PKM_VERSION,
  .description = "the RouterOS menus: /certificate, /file, /ip service, /log, /system",
  .init = menus_init,
};

const PkmPluginDescriptor *pkm_menus_plugin_query (void);

const PkmPluginDescriptor *
pkm_menus_plugin_query (void)
{
  return &descriptor;
}
