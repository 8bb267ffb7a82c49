/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "core/pkm-invoke-private.h"

/* print, which every menu with items has: the menu's list, filtered by
 * `where`, as items of the result. How they look (table, detail, as-value,
 * JSON) is the front end's: the options that only shape the text are taken
 * here so that every front end accepts the same command. */

static const PkmParam print_params[] = {
  { "detail", PKM_PARAM_BOOL, PKM_PARAM_WORD, NULL, 0, 0, NULL, "every property of each item" },
  { "count-only", PKM_PARAM_BOOL, PKM_PARAM_WORD, NULL, 0, 0, NULL, "only the number of items" },
  { "as-value", PKM_PARAM_BOOL, PKM_PARAM_WORD, NULL, 0, 0, NULL, "name=value;... lines for scripts" },
  { "terse", PKM_PARAM_BOOL, PKM_PARAM_WORD, NULL, 0, 0, NULL, "as detail, one line per item" },
  { "without-paging", PKM_PARAM_BOOL, PKM_PARAM_WORD, NULL, 0, 0, NULL, "all at once, without a pager" },
  { "brief", PKM_PARAM_BOOL, PKM_PARAM_WORD, NULL, 0, 0, NULL, "the table (the default form)" },
  { "value-list", PKM_PARAM_BOOL, PKM_PARAM_WORD, NULL, 0, 0, NULL, "a row per property, a column per item" },
  { "show-ids", PKM_PARAM_BOOL, PKM_PARAM_WORD, NULL, 0, 0, NULL, "the table with item ids instead of numbers" },
  { "file", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL,
    "write the output to this file of the files directory (.txt added to a name without one)" },
  { "proplist", PKM_PARAM_STRING_LIST, 0, NULL, 0, 0, NULL, "the properties to show" },
  { "from", PKM_PARAM_ITEM_LIST, 0, NULL, 0, 0, NULL, "only these items: names, ids or numbers, comma-separated" },
  { "where", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "the items to show: a condition on their properties" },
  { NULL },
};

static void
want_property (const char *property, gpointer call)
{
  pkm_call_want_property (call, property);
}

/* (nullable): the flag whose count answers `count-only where <flag>`. */
static const PkmFlag *
counted_flag (const PkmMenu *menu, PkmWhere *where)
{
  const char *property = pkm_where_sole_flag (where);

  for (const PkmFlag *f = menu->flags; property != NULL && f != NULL && f->letter != 0; f++)
    if (strcmp (f->property, property) == 0)
      return f->count != NULL ? f : NULL;
  return NULL;
}

/* The one item @where names, read with the menu's get: *@done when this
 * answered the print (the item, or nothing when there is none). */
static gboolean
print_one (PkmCall *call, PkmWhere *where, gboolean *done, GError **error)
{
  const PkmMenu *menu = call->menu;
  const char *property, *value;
  g_autoptr (GVariant) item = NULL;
  g_autoptr (GVariant) decorated = NULL;
  g_autoptr (PkmVardictView) view = NULL;
  g_autoptr (GError) local = NULL;
  gint64 id = 0;

  *done = FALSE;
  if (!call->unnumbered || menu->get == NULL || !pkm_where_names_one (where, &property, &value))
    return TRUE;
  if (strcmp (property, ".id") == 0)
    {
      if (!g_ascii_string_to_signed (value, 10, 1, G_MAXINT64, &id, NULL))
        return (*done = TRUE);
    }
  else if (menu->lookup == NULL)
    return TRUE; /* a name needs the list */
  else if ((id = menu->lookup (call, value, error)) < 0)
    return FALSE;
  *done = TRUE;
  if (id == 0)
    return TRUE;
  if ((item = menu->get (call, id, &local)) == NULL)
    {
      if (g_error_matches (local, PKM_ERROR, PKM_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if ((decorated = pkm_menu_decorate_item (call, menu, item, error)) == NULL)
    return FALSE;
  /* The same test the listing would make (a lookup may find a near name). */
  view = pkm_vardict_view_new (decorated);
  if (pkm_where_match (where, view, &local))
    pkm_call_add_item (call, g_variant_ref (decorated));
  else if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static gboolean
print_run (PkmCall *call, GError **error)
{
  const PkmMenu *menu = call->menu;
  const char *where_text = pkm_call_get_string (call, "where");
  g_autoptr (PkmWhere) where = NULL;
  g_autoptr (GPtrArray) items = NULL;
  gboolean count_only = pkm_call_get_bool (call, "count-only", FALSE);
  guint shown = 0;

  const PkmFlag *counted;
  guint64 count;
  gsize n_from = 0;
  const gint64 *from = pkm_call_get_items (call, "from", &n_from);
  g_autoptr (GHashTable) only = NULL;

  if (from != NULL)
    {
      only = g_hash_table_new (g_int64_hash, g_int64_equal);
      for (gsize i = 0; i < n_from; i++)
        g_hash_table_add (only, (gpointer) &from[i]);
    }
  if (where_text != NULL && (where = pkm_where_parse (where_text, menu, error)) == NULL)
    return FALSE;
  /* A count the menu's index answers: nothing is listed. */
  if (count_only && only == NULL && (counted = counted_flag (menu, where)) != NULL)
    {
      if (!counted->count (call, &count, error))
        return FALSE;
      pkm_call_set_result (call, g_variant_new_parsed ("{'count': <%t>}", count));
      return TRUE;
    }
  if (!count_only && only == NULL)
    {
      gboolean done;
      if (!print_one (call, where, &done, error))
        return FALSE;
      if (done)
        return TRUE;
    }
  call->result->listed = TRUE;
  pkm_where_foreach_property (where, want_property, call);
  items = pkm_menu_list_items (call, menu, error);
  if (items == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      GVariant *item = g_ptr_array_index (items, i);
      g_autoptr (PkmVardictView) view = where != NULL ? pkm_vardict_view_new (item) : NULL;
      g_autoptr (GError) local = NULL;
      gint64 id = 0;

      pkm_vardict_lookup_int64 (item, ".id", &id);

      g_array_append_val (call->result->listed_ids, id);
      if (only != NULL && !g_hash_table_contains (only, &id))
        continue;
      if (pkm_where_match (where, view, &local))
        {
          shown++;
          if (!count_only)
            pkm_call_add_numbered_item (call, item, i);
        }
      else if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  if (count_only)
    pkm_call_set_result (call, g_variant_new_parsed ("{'count': <%t>}", (guint64) shown));
  return TRUE;
}

const PkmCommand pkm_print_command = { "print", print_run, print_params, PKM_COMMAND_READ, "show the items" };
