/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "core/pkm-context-private.h"
#include "core/pkm-invoke-private.h"

/* The menus of a context. A registered menu is copied into the core's own
 * structs at the core's sizes: each table is read at the size its plugin was
 * built with (the SQLite VFS and SPA way), members past that size keep their
 * defaults, and extensions from other plugins append to the copy. */

struct _PkmMenuEntry {
  PkmMenu menu;        /* first: a const PkmMenu * of ours is the entry */
  GArray *commands;    /* PkmCommand, name-terminated */
  GPtrArray *tables;   /* the param tables copied, freed with the entry */
  GPtrArray *columns;  /* NULL-terminated */
  GPtrArray *fields;   /* NULL-terminated */
  GArray *flags;       /* PkmFlag, letter-terminated */
  GPtrArray *decorations; /* const PkmMenuExtension * with a decorate */
};

static void
entry_free (gpointer p)
{
  PkmMenuEntry *entry = p;

  g_array_unref (entry->commands);
  g_ptr_array_unref (entry->tables);
  g_ptr_array_unref (entry->columns);
  g_ptr_array_unref (entry->fields);
  g_array_unref (entry->flags);
  g_ptr_array_unref (entry->decorations);
  g_free (entry);
}

void
pkm_menu_registry_init (PkmContext *ctx)
{
  ctx->menus = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, entry_free);
}

void
pkm_menu_registry_clear (PkmContext *ctx)
{
  g_clear_pointer (&ctx->menus, g_hash_table_unref);
}

/* Element @i of a table whose elements are @size bytes, as the core's struct
 * (members past @size zero). */
static void
read_element (void *out, gsize out_size, const void *table, gsize size, guint i)
{
  memset (out, 0, out_size);
  memcpy (out, (const guint8 *) table + (gsize) i * size, MIN (size, out_size));
}

/* A menu has at least its sizes and its path. */
#define MENU_MIN_SIZE (G_STRUCT_OFFSET (PkmMenu, path) + sizeof (char *))

static gboolean
check_sizes (const char *what, const char *path, guint32 struct_size, gsize min_struct_size, guint32 command_size,
             guint32 param_size, guint32 flag_size, GError **error)
{
  /* The first members of each struct are there from the first version on. */
  if (struct_size < min_struct_size
      || command_size < G_STRUCT_OFFSET (PkmCommand, help) + sizeof (char *)
      || param_size < G_STRUCT_OFFSET (PkmParam, help) + sizeof (char *)
      || flag_size < G_STRUCT_OFFSET (PkmFlag, legend) + sizeof (char *))
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_BAD_DESCRIPTOR,
                   "%s %s: its table sizes are missing or too small (initialise it with %s)", what, path,
                   strcmp (what, "menu") == 0 ? "PKM_MENU_SIZES" : "PKM_MENU_EXTENSION_SIZES");
      return FALSE;
    }
  return TRUE;
}

/* A parameter table at the plugin's size, copied at ours. */
static const PkmParam *
copy_params (PkmMenuEntry *entry, const PkmParam *table, gsize size)
{
  GArray *params = g_array_new (TRUE, TRUE, sizeof (PkmParam));

  for (guint i = 0; table != NULL; i++)
    {
      PkmParam param;
      read_element (&param, sizeof param, table, size, i);
      if (param.name == NULL)
        break;
      if (param.help == NULL)
        param.help = "";
      g_array_append_val (params, param);
    }
  g_ptr_array_add (entry->tables, params);
  return (const PkmParam *) params->data;
}

static const PkmCommand *
find_command (PkmMenuEntry *entry, const char *name)
{
  for (guint i = 0; i < entry->commands->len; i++)
    if (strcmp (g_array_index (entry->commands, PkmCommand, i).name, name) == 0)
      return &g_array_index (entry->commands, PkmCommand, i);
  return NULL;
}

static gboolean
add_commands (PkmMenuEntry *entry, const PkmCommand *table, gsize size, gsize param_size, GError **error)
{
  for (guint i = 0; table != NULL; i++)
    {
      PkmCommand command;
      read_element (&command, sizeof command, table, size, i);
      if (command.name == NULL)
        break;
      if (find_command (entry, command.name) != NULL || (pkm_item_command_find (command.name) != NULL && entry->menu.list != NULL))
        {
          g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_DUPLICATE, "menu %s already has a command %s",
                       entry->menu.path, command.name);
          return FALSE;
        }
      if ((command.run == NULL) == (command.run_async == NULL) || (command.run_async != NULL) != (command.run_finish != NULL)
          || (command.run_async != NULL && (command.flags & (PKM_COMMAND_WRITE | PKM_COMMAND_READ)) != 0))
        {
          g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_BAD_DESCRIPTOR,
                       "menu %s: command %s needs run, or run_async and run_finish (with no transaction flags)",
                       entry->menu.path, command.name);
          return FALSE;
        }
      if (command.help == NULL)
        command.help = "";
      command.params = copy_params (entry, command.params, param_size);
      g_array_append_val (entry->commands, command);
    }
  return TRUE;
}

static gboolean
strv_has (GPtrArray *strings, const char *s)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_ptr_array_index (strings, i) != NULL && strcmp (g_ptr_array_index (strings, i), s) == 0)
      return TRUE;
  return FALSE;
}

/* Appends @more to a NULL-terminated list; a name it has already is refused when @unique. */
static gboolean
add_names (PkmMenuEntry *entry, GPtrArray *list, const char *const *more, gboolean unique, const char *what,
           GError **error)
{
  for (guint i = 0; more != NULL && more[i] != NULL; i++)
    {
      if (unique && strv_has (list, more[i]))
        {
          g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_DUPLICATE, "menu %s already has a %s %s",
                       entry->menu.path, what, more[i]);
          return FALSE;
        }
      g_ptr_array_insert (list, list->len - 1, (gpointer) more[i]);
    }
  return TRUE;
}

static gboolean
add_flags (PkmMenuEntry *entry, const PkmFlag *table, gsize size, GError **error)
{
  for (guint i = 0; table != NULL; i++)
    {
      PkmFlag flag;
      read_element (&flag, sizeof flag, table, size, i);
      if (flag.letter == 0)
        break;
      for (guint j = 0; j < entry->flags->len; j++)
        if (g_array_index (entry->flags, PkmFlag, j).letter == flag.letter)
          {
            g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_DUPLICATE, "menu %s already has a flag %c",
                         entry->menu.path, flag.letter);
            return FALSE;
          }
      /* A front end keeps an item's flags in one 64-bit word. */
      if (entry->flags->len == PKM_MENU_MAX_FLAGS)
        {
          g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_BAD_DESCRIPTOR, "menu %s: more than %d flags",
                       entry->menu.path, PKM_MENU_MAX_FLAGS);
          return FALSE;
        }
      g_array_append_val (entry->flags, flag);
    }
  return TRUE;
}

/* Points the copy's members at its (possibly grown) arrays. */
static void
publish (PkmMenuEntry *entry)
{
  entry->menu.commands = (const PkmCommand *) entry->commands->data;
  entry->menu.columns = (const char *const *) entry->columns->pdata;
  entry->menu.fields = (const char *const *) entry->fields->pdata;
  entry->menu.flags = (const PkmFlag *) entry->flags->data;
}

static GPtrArray *
names_new (void)
{
  GPtrArray *names = g_ptr_array_new ();

  g_ptr_array_add (names, NULL);
  return names;
}

gboolean
pkm_context_register_menu (PkmContext *ctx, const PkmMenu *menu, GError **error)
{
  g_autoptr (GError) local = NULL;
  PkmMenuEntry *entry;
  PkmMenu copy;

  g_return_val_if_fail (menu != NULL, FALSE);
  if (!check_sizes ("menu", menu->struct_size >= MENU_MIN_SIZE && menu->path != NULL ? menu->path : "(unnamed)",
                    menu->struct_size, MENU_MIN_SIZE, menu->command_size, menu->param_size, menu->flag_size, error))
    return FALSE;
  read_element (&copy, sizeof copy, menu, menu->struct_size, 0);
  if (g_hash_table_contains (ctx->menus, copy.path))
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_DUPLICATE, "menu %s is already registered", copy.path);
      return FALSE;
    }
  entry = g_new0 (PkmMenuEntry, 1);
  entry->menu = copy;
  if (entry->menu.help == NULL)
    entry->menu.help = "";
  entry->commands = g_array_new (TRUE, TRUE, sizeof (PkmCommand));
  entry->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  entry->columns = names_new ();
  entry->fields = names_new ();
  entry->flags = g_array_new (TRUE, TRUE, sizeof (PkmFlag));
  entry->decorations = g_ptr_array_new ();
  if (!add_commands (entry, copy.commands, menu->command_size, menu->param_size, &local)
      || !add_names (entry, entry->columns, copy.columns, FALSE, "column", &local)
      || !add_names (entry, entry->fields, copy.fields, TRUE, "field", &local)
      || !add_flags (entry, copy.flags, menu->flag_size, &local))
    {
      entry_free (entry);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  publish (entry);
  g_hash_table_insert (ctx->menus, (gpointer) entry->menu.path, entry);
  return TRUE;
}

gboolean
pkm_context_extend_menu (PkmContext *ctx, const char *path, const PkmMenuExtension *extension, GError **error)
{
  PkmMenuEntry *entry = g_hash_table_lookup (ctx->menus, path);
  PkmMenuExtension ext;

  g_return_val_if_fail (extension != NULL, FALSE);
  if (entry == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "menu %s: no such menu to extend", path);
      return FALSE;
    }
  if (!check_sizes ("extension of", path, extension->struct_size, G_STRUCT_OFFSET (PkmMenuExtension, commands),
                    extension->command_size, extension->param_size, extension->flag_size, error))
    return FALSE;
  read_element (&ext, sizeof ext, extension, extension->struct_size, 0);
  /* All or nothing: a refused extension leaves the menu as it was. */
  {
    guint n_commands = entry->commands->len, n_columns = entry->columns->len, n_fields = entry->fields->len,
          n_flags = entry->flags->len;
    if (!add_commands (entry, ext.commands, ext.command_size, ext.param_size, error)
        || !add_names (entry, entry->columns, ext.columns, FALSE, "column", error)
        || !add_names (entry, entry->fields, ext.fields, TRUE, "field", error)
        || !add_flags (entry, ext.flags, ext.flag_size, error))
      {
        g_array_set_size (entry->commands, n_commands);
        g_ptr_array_remove_range (entry->columns, n_columns - 1, entry->columns->len - n_columns);
        g_ptr_array_remove_range (entry->fields, n_fields - 1, entry->fields->len - n_fields);
        g_array_set_size (entry->flags, n_flags);
        publish (entry);
        return FALSE;
      }
  }
  if (ext.decorate != NULL)
    g_ptr_array_add (entry->decorations, (gpointer) extension);
  publish (entry);
  return TRUE;
}

const PkmMenu *
pkm_context_find_menu (PkmContext *ctx, const char *path)
{
  PkmMenuEntry *entry = g_hash_table_lookup (ctx->menus, path);

  return entry != NULL ? &entry->menu : NULL;
}

static gint
compare_menu_paths (gconstpointer a, gconstpointer b)
{
  const PkmMenu *ma = *(const PkmMenu *const *) a;
  const PkmMenu *mb = *(const PkmMenu *const *) b;

  return g_strcmp0 (ma->path, mb->path);
}

GPtrArray *
pkm_context_get_menus (PkmContext *ctx)
{
  GPtrArray *menus = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer entry;

  g_hash_table_iter_init (&iter, ctx->menus);
  while (g_hash_table_iter_next (&iter, NULL, &entry))
    g_ptr_array_add (menus, &((PkmMenuEntry *) entry)->menu);
  g_ptr_array_sort (menus, compare_menu_paths);
  return menus;
}

GVariant *
pkm_menu_decorate_item (PkmCall *call, const PkmMenu *menu, GVariant *item, GError **error)
{
  const PkmMenuEntry *entry = (const PkmMenuEntry *) menu;
  GVariantDict dict;

  g_return_val_if_fail (menu != NULL && item != NULL, NULL);
  if (entry->decorations->len == 0)
    return g_variant_ref (item);
  g_variant_dict_init (&dict, item);
  for (guint d = 0; d < entry->decorations->len; d++)
    {
      const PkmMenuExtension *ext = g_ptr_array_index (entry->decorations, d);
      if (!ext->decorate (call, item, &dict, error))
        {
          g_variant_dict_clear (&dict);
          return NULL;
        }
    }
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

/* The menu's list with every extension's properties added. */
GPtrArray *
pkm_menu_list_items (PkmCall *call, const PkmMenu *menu, GError **error)
{
  const PkmMenuEntry *entry = (const PkmMenuEntry *) menu;
  g_autoptr (GPtrArray) items = menu->list (call, error);

  if (items == NULL || entry->decorations->len == 0)
    return g_steal_pointer (&items);
  for (guint i = 0; i < items->len; i++)
    {
      GVariant *item = g_ptr_array_index (items, i);
      GVariant *decorated = pkm_menu_decorate_item (call, menu, item, error);

      if (decorated == NULL)
        return NULL;
      items->pdata[i] = decorated;
      g_variant_unref (item);
    }
  return g_steal_pointer (&items);
}

static void
want_property (const char *property, gpointer call)
{
  pkm_call_want_property (call, property);
}

GPtrArray *
pkm_menu_list (PkmCall *call, const PkmMenu *menu, const char *where_text, GError **error)
{
  g_autoptr (PkmWhere) where = NULL;
  g_autoptr (GPtrArray) items = NULL;
  GPtrArray *matched;

  g_return_val_if_fail (menu != NULL, NULL);
  if (menu->list == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "%s has no items", menu->path);
      return NULL;
    }
  if (where_text != NULL && (where = pkm_where_parse (where_text, menu, error)) == NULL)
    return NULL;
  /* A caller that names what it reads reads what the condition reads too. */
  pkm_where_foreach_property (where, want_property, call);
  if ((items = pkm_menu_list_items (call, menu, error)) == NULL)
    return NULL;
  if (where == NULL)
    return g_steal_pointer (&items);
  matched = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  for (guint i = 0; i < items->len; i++)
    {
      GVariant *item = g_ptr_array_index (items, i);
      g_autoptr (PkmVardictView) view = pkm_vardict_view_new (item);
      g_autoptr (GError) local = NULL;

      if (pkm_where_match (where, view, &local))
        g_ptr_array_add (matched, g_variant_ref (item));
      else if (local != NULL)
        {
          g_ptr_array_unref (matched);
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
  return matched;
}
