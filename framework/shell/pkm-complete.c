/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-shell-private.h"

/* Tab, as RouterOS has it: the menus, commands, parameters (as name=),
 * choices and item names that may complete the word being typed, from the
 * tables and the menus' items. Nothing here knows readline: the prompt's
 * glue (pkm-interactive.c) shows what this gives, and tests call it alone. */

static void
offer (GPtrArray *out, const char *word, const char *name, const char *suffix)
{
  if (g_str_has_prefix (name, word))
    g_ptr_array_add (out, g_strconcat (name, suffix, NULL));
}

static void
offer_all (GPtrArray *out, const char *word, GPtrArray *names)
{
  for (guint i = 0; i < names->len; i++)
    offer (out, word, g_ptr_array_index (names, i), "");
}

static void
offer_choices (GPtrArray *out, const char *word, const char *const *choices)
{
  for (guint i = 0; choices != NULL && choices[i] != NULL; i++)
    offer (out, word, choices[i], "");
}

/* A name as it must be typed to stay one value: quoted when the lexer would
 * split it, read it as name=value or as where, or when it is not plain text. */
static char *
typed_name (const char *name)
{
  g_autofree char *escaped = NULL;

  if (pkm_text_is_plain (name) && strpbrk (name, " \t=\"") == NULL && !g_str_has_prefix ("where", name))
    return g_strdup (name);
  escaped = pkm_text_escape (name, TRUE);
  return g_strdup_printf ("\"%s\"", escaped);
}

/* The names of @menu_path's items, through print as any front end lists them. */
static void
offer_items (PkmShell *shell, GPtrArray *out, const char *word, const char *menu_path)
{
  static const char *const properties[] = { "name", NULL };
  PkmInvocation invocation = PKM_INVOCATION_INIT;
  g_autoptr (PkmResult) result = NULL;
  GPtrArray *items;

  invocation.menu = menu_path;
  invocation.command = "print";
  invocation.actor = shell->actor;
  invocation.files_dir = shell->files_dir;
  invocation.properties = properties;
  /* A menu that cannot list now has nothing to offer; Tab has no place for an error. */
  result = pkm_invoke (shell->ctx, &invocation, NULL);
  if (result == NULL)
    return;
  items = pkm_result_get_items (result);
  for (guint i = 0; i < items->len; i++)
    {
      const char *name = NULL;

      if (g_variant_lookup (g_ptr_array_index (items, i), "name", "&s", &name) && *name != '\0'
          && g_str_has_prefix (name, word))
        g_ptr_array_add (out, typed_name (name));
    }
}

static void
offer_value (PkmShell *shell, GPtrArray *out, const char *word, const PkmParam *param)
{
  static const char *const yes_no[] = { "yes", "no", NULL };

  switch (param->type)
    {
    case PKM_PARAM_BOOL: offer_choices (out, word, yes_no); break;
    case PKM_PARAM_ENUM:
    case PKM_PARAM_ENUM_LIST: offer_choices (out, word, param->choices); break;
    case PKM_PARAM_ITEM:
      if (param->item_menu != NULL)
        offer_items (shell, out, word, param->item_menu);
      break;
    default: break;
    }
}

static void
offer_arguments (PkmShell *shell, GPtrArray *out, const PkmPartial *partial)
{
  for (const PkmParam *p = partial->command->params; p != NULL && p->name != NULL; p++)
    {
      /* Flag words and print's `where` stand alone; the others take a value. */
      gboolean alone = (p->flags & PKM_PARAM_WORD) || strcmp (p->name, "where") == 0;

      offer (out, partial->word, p->name, alone ? "" : "=");
      if ((p->flags & PKM_PARAM_POSITIONAL) && !partial->positional_used)
        offer_value (shell, out, partial->word, p);
    }
}

static void
offer_menu (PkmShell *shell, GPtrArray *out, const PkmPartial *partial)
{
  g_autoptr (GPtrArray) commands = pkm_resolve_commands (partial->menu, partial->path);
  g_autoptr (GPtrArray) submenus = pkm_resolve_submenus (shell->ctx, partial->path);

  offer_all (out, partial->word, commands);
  offer_all (out, partial->word, submenus);
}

static int
compare_text (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Sorted, each once: a name may be both a choice and an item. */
static void
sort_unique (GPtrArray *candidates)
{
  g_ptr_array_sort (candidates, compare_text);
  for (guint i = 1; i < candidates->len;)
    if (strcmp (g_ptr_array_index (candidates, i - 1), g_ptr_array_index (candidates, i)) == 0)
      g_ptr_array_remove_index (candidates, i);
    else
      i++;
}

GPtrArray *
pkm_complete_line (PkmShell *shell, const char *line, gsize *out_start, gboolean *out_open)
{
  GPtrArray *candidates = g_ptr_array_new_with_free_func (g_free);
  g_auto (PkmPartial) partial = { 0 };

  *out_start = strlen (line);
  *out_open = FALSE;
  /* A line that does not parse so far has no completion: Tab shows nothing. */
  if (!pkm_partial_parse_line (shell, line, &partial, NULL))
    return candidates;
  *out_start = partial.word_start;
  switch (partial.kind)
    {
    case PKM_PARTIAL_MENU: offer_menu (shell, candidates, &partial); break;
    case PKM_PARTIAL_ARGUMENT: offer_arguments (shell, candidates, &partial); break;
    case PKM_PARTIAL_VALUE:
      offer_value (shell, candidates, partial.word, partial.param);
      /* A list takes more after a comma. */
      *out_open = partial.param->type == PKM_PARAM_ENUM_LIST;
      break;
    case PKM_PARTIAL_WHERE:
      if (partial.menu != NULL && partial.menu->fields != NULL)
        offer_choices (candidates, partial.word, partial.menu->fields);
      break;
    }
  sort_unique (candidates);
  return candidates;
}
