/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "core/pkm-invoke-private.h"

/* unset and reset, which every menu with a set command has: `unset ITEM PROPERTY` in
 * a menu with items (pkm_unset_command), `unset PROPERTY` in a menu of
 * settings (pkm_unset_setting_command) is the menu's own set with the
 * property back at its default (PkmParam.default_value), or empty when it
 * has none and may be empty. It runs set inside its own transaction, so
 * set's checks, events and audit lines are those of a set. */

#define VALUE_NAME_PARAM                                                                                       \
  { "value-name", PKM_PARAM_STRING, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, NULL,               \
    "the property to return to its default" }

static const PkmParam unset_item_params[] = {
  { "numbers", PKM_PARAM_ITEM, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, NULL,
    "the item: a name, an id or a number" },
  VALUE_NAME_PARAM,
  { NULL },
};

static const PkmParam unset_setting_params[] = { VALUE_NAME_PARAM, { NULL } };

static const PkmParam reset_item_params[] = {
  { "numbers", PKM_PARAM_ITEM, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, NULL,
    "the item: a name, an id or a number" },
  { NULL },
};

/* The default to return to: set's own, or else what add takes when the
 * property is not given (set has none: it changes only what it is given). */
static const char *
default_of (const PkmMenu *menu, const PkmParam *property)
{
  const PkmCommand *add = pkm_menu_find_command (menu, "add");
  const PkmParam *added = add != NULL ? pkm_command_find_param (add, property->name) : NULL;

  if (property->default_value != NULL)
    return property->default_value;
  return added != NULL && added->default_value != NULL ? added->default_value : "";
}

static const PkmParam *
item_param (const PkmCommand *set)
{
  for (const PkmParam *p = set->params; p != NULL && p->name != NULL; p++)
    if (p->type == PKM_PARAM_ITEM && (p->flags & PKM_PARAM_POSITIONAL))
      return p;
  return NULL;
}

/* The menu's set of the item (when it has items) with @names at @values,
 * in its own call, so that set's checks, events and audit lines are a set's. */
static gboolean
run_set_all (PkmCall *call, const PkmCommand *set, const PkmParam *item, GPtrArray *names, GPtrArray *values,
             GError **error)
{
  PkmInvocation invocation = PKM_INVOCATION_INIT;
  g_autoptr (PkmCall) inner = NULL;

  invocation.actor = call->actor;
  invocation.files_dir = call->files_dir;
  inner = pkm_call_new (call->ctx, call->menu, set, &invocation);
  if (item != NULL)
    g_variant_dict_insert (inner->args, item->name, "x", pkm_call_get_item (call, "numbers"));
  for (guint i = 0; i < names->len; i++)
    g_variant_dict_insert_value (inner->args, g_ptr_array_index (names, i), g_ptr_array_index (values, i));
  return set->run (inner, error) && pkm_call_write_audit (inner, error);
}

static gboolean
run_set (PkmCall *call, const PkmCommand *set, const PkmParam *item, const char *name, GVariant *value,
         GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  g_ptr_array_add (names, (gpointer) name);
  g_ptr_array_add (values, g_variant_ref_sink (value));
  return run_set_all (call, set, item, names, values, error);
}

static gboolean
unset_run (PkmCall *call, GError **error)
{
  const PkmCommand *set = pkm_menu_find_command (call->menu, "set");
  const char *name = pkm_call_get_string (call, "value-name");
  const PkmParam *property = set != NULL ? pkm_command_find_param (set, name) : NULL;
  const PkmParam *item = set != NULL ? item_param (set) : NULL;
  GVariant *value = NULL;

  if (property == NULL || property == item || property->type == PKM_PARAM_ITEM)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "value-name: %s is not a property set can change",
                   name);
      return FALSE;
    }
  if (!pkm_value_parse (property, default_of (call->menu, property), &value, NULL))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "value-name: %s has no default to return to",
                   name);
      return FALSE;
    }
  return run_set (call, set, item, property->name, value, error);
}

/* reset: every property of set that has a default back to it (the others
 * are as they are: an item's name, its common-name). */
static gboolean
reset_run (PkmCall *call, GError **error)
{
  const PkmCommand *set = pkm_menu_find_command (call->menu, "set");
  const PkmParam *item = set != NULL ? item_param (set) : NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  for (const PkmParam *p = set != NULL ? set->params : NULL; p != NULL && p->name != NULL; p++)
    {
      const char *fallback = p != item && p->type != PKM_PARAM_ITEM ? default_of (call->menu, p) : "";
      GVariant *value = NULL;

      if (*fallback == '\0' || !pkm_value_parse (p, fallback, &value, NULL))
        continue;
      g_ptr_array_add (names, (gpointer) p->name);
      g_ptr_array_add (values, g_variant_ref_sink (value));
    }
  if (names->len == 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s has no property with a default to reset",
                   call->menu->path);
      return FALSE;
    }
  return run_set_all (call, set, item, names, values, error);
}

const PkmCommand pkm_unset_command = { "unset", unset_run, unset_item_params, PKM_COMMAND_WRITE,
                                       "return a property of an item to its default: unset ITEM PROPERTY" };
const PkmCommand pkm_unset_setting_command = { "unset", unset_run, unset_setting_params, PKM_COMMAND_WRITE,
                                               "return a setting to its default: unset PROPERTY" };
const PkmCommand pkm_reset_command = { "reset", reset_run, reset_item_params, PKM_COMMAND_WRITE,
                                       "every property of an item that has a default back to it" };
const PkmCommand pkm_reset_setting_command = { "reset", reset_run, NULL, PKM_COMMAND_WRITE,
                                               "every setting back to its default" };
