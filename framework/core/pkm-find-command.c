/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "core/pkm-invoke-private.h"

/* find and get, which every menu with items has beside print: what scripts
 * read items with. find answers the ids of the items `where` matches (ret,
 * "*1A" each, in print's order); get answers one item's properties, or one
 * of them (value-name), as named values. Neither numbers anything. */

static const PkmParam find_params[] = {
  { "where", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "the items to find: a condition on their properties" },
  { NULL },
};

static gboolean
find_run (PkmCall *call, GError **error)
{
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  g_auto (GStrv) found = NULL;

  pkm_call_want_property (call, ".id");
  if ((items = pkm_menu_list (call, call->menu, pkm_call_get_string (call, "where"), error)) == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *text = NULL;
      gint64 id = 0;

      pkm_vardict_lookup_int64 (g_ptr_array_index (items, i), ".id", &id);
      text = pkm_item_id_format (id);
      g_strv_builder_add (ids, text);
    }
  found = g_strv_builder_end (ids);
  pkm_call_set_result (call, g_variant_new_parsed ("{'ret': <%^as>}", found));
  return TRUE;
}

const PkmCommand pkm_find_command = { "find", find_run, find_params, PKM_COMMAND_READ,
                                      "the ids of the items that match: [find where ...] in scripts" };

/* item_menu NULL: an item of the command's own menu (pkm_value_resolve_item). */
static const PkmParam get_params[] = {
  { "number", PKM_PARAM_ITEM, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, NULL,
    "the item: a name or an id (*1A)" },
  { "value-name", PKM_PARAM_STRING, PKM_PARAM_POSITIONAL, NULL, 0, 0, NULL, "the property; every one when not given" },
  { NULL },
};

/* (transfer full): the item @id as print shows it, with what extensions add. */
static GVariant *
read_item (PkmCall *call, gint64 id, GError **error)
{
  const PkmMenu *menu = call->menu;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GVariant) item = NULL;

  if (menu->get != NULL)
    {
      if ((item = menu->get (call, id, error)) == NULL)
        return NULL;
      return pkm_menu_decorate_item (call, menu, item, error);
    }
  if ((items = pkm_menu_list_items (call, menu, error)) == NULL)
    return NULL;
  for (guint i = 0; i < items->len; i++)
    {
      gint64 item_id = 0;
      pkm_vardict_lookup_int64 (g_ptr_array_index (items, i), ".id", &item_id);
      if (item_id == id)
        return g_variant_ref (g_ptr_array_index (items, i));
    }
  g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "number: no such item: *%" G_GINT64_MODIFIER "X", id);
  return NULL;
}

static gboolean
get_run (PkmCall *call, GError **error)
{
  const char *property = pkm_call_get_string (call, "value-name");
  g_autoptr (GVariant) item = NULL;
  GVariantDict answer;
  GVariant *value;

  if (property != NULL && !pkm_menu_has_property (call->menu, property))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "value-name: no such property of %s: %s",
                   call->menu->path, property);
      return FALSE;
    }
  if ((item = read_item (call, pkm_call_get_item (call, "number"), error)) == NULL)
    return FALSE;
  if (property == NULL)
    {
      /* set_result takes a reference of its own: @item is not floating. */
      pkm_call_set_result (call, item);
      return TRUE;
    }
  /* A property the item does not have is an answer without a value. */
  if ((value = g_variant_lookup_value (item, property, NULL)) == NULL)
    return TRUE;
  g_variant_dict_init (&answer, NULL);
  g_variant_dict_insert_value (&answer, property, value);
  g_variant_unref (value);
  pkm_call_set_result (call, g_variant_dict_end (&answer));
  return TRUE;
}

const PkmCommand pkm_get_command = { "get", get_run, get_params, PKM_COMMAND_READ,
                                     "an item's properties, or one of them: [get ITEM PROPERTY] in scripts" };
