/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "menus/pkm-menus.h"
#include "model/pkm-model.h"

/* /system plugin: what the loader loaded, from where. */

/* The context's list, numbered: a plugin's id is its place in load order. */
static GPtrArray *
plugin_list (PkmCall *call, GError **error)
{
  GPtrArray *plugins = pkm_context_list_plugins (pkm_call_get_context (call));

  for (guint i = 0; i < plugins->len; i++)
    {
      GVariantDict item;

      g_variant_dict_init (&item, g_ptr_array_index (plugins, i));
      g_variant_dict_insert (&item, ".id", "x", (gint64) i + 1);
      g_variant_unref (plugins->pdata[i]);
      plugins->pdata[i] = g_variant_ref_sink (g_variant_dict_end (&item));
    }
  return plugins;
}

static const char *const plugin_columns[] = { "name", "kind", "version", "file", NULL };
static const char *const plugin_fields[] = { "name", "kind", "version", "description", "file", NULL };

const PkmMenu pkm_menu_system_plugin = {
  PKM_MENU_SIZES,
  .path = "/system plugin",
  .help = "the loaded plugins",
  .commands = (const PkmCommand[]) { { NULL } },
  .list = plugin_list,
  .columns = plugin_columns,
  .fields = plugin_fields,
};

/* /system store dump: every record of every collection, in a stable text
 * form; what tests compare to prove that a failed command changed nothing. */

typedef struct {
  PkmCall *call;
  const char *collection;
} PkmDumpState;

static gboolean
dump_record (gint64 id, const char *name, GVariant *record, gpointer user_data)
{
  PkmDumpState *state = user_data;
  g_autofree char *text = g_variant_print (record, TRUE);

  pkm_call_print (state->call, "%s %" G_GINT64_FORMAT " %s %s", state->collection, id, name != NULL ? name : "",
                  text);
  return TRUE;
}

static gboolean
store_dump (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_auto (GStrv) collections = pkm_store_list_collections (ctx, error);

  if (collections == NULL)
    return FALSE;
  for (guint i = 0; collections[i] != NULL; i++)
    {
      PkmDumpState state = { call, collections[i] };
      if (!pkm_store_foreach (ctx, collections[i], dump_record, &state, error))
        return FALSE;
    }
  return TRUE;
}

static const PkmCommand store_commands[] = {
  { "dump", store_dump, NULL, PKM_COMMAND_READ, "print every record of the store" },
  { NULL },
};

const PkmMenu pkm_menu_system_store = {
  PKM_MENU_SIZES,
  .path = "/system store",
  .help = "the active store",
  .commands = store_commands,
};
