/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-shell-private.h"

/* `?` as RouterOS has it: what may come next where the cursor is, each with
 * its help, all read from the menus' tables, so that a plugin's menu is
 * explained as the core's are. Only what begins with the word being typed
 * is listed. */

#define NAME_WIDTH 22
#define LINE_WIDTH 96

static void
add_line (GString *out, const char *name, const char *detail, const char *help)
{
  g_string_append_printf (out, "  %-*s %s%s%s\n", NAME_WIDTH, name, detail, *detail != '\0' ? " " : "", help);
}

static void
add_help (GString *out, const char *name, const char *help)
{
  g_autofree char *text = g_strdup_printf ("-- %s", help != NULL ? help : "");

  add_line (out, name, "", text);
}

static const char *
menu_label (const char *path)
{
  return *path != '\0' ? path : "/";
}

static char *
string_type (const PkmParam *param)
{
  if (param->min > 0 && param->max > 0)
    return g_strdup_printf ("string of %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT " characters", param->min,
                            param->max);
  if (param->max > 0)
    return g_strdup_printf ("string of at most %" G_GUINT64_FORMAT " characters", param->max);
  if (param->min > 0)
    return g_strdup_printf ("string of at least %" G_GUINT64_FORMAT " characters", param->min);
  return g_strdup ("string");
}

static char *
choices_type (const char *what, const PkmParam *param)
{
  g_autofree char *all = param->choices != NULL ? g_strjoinv (" | ", (char **) param->choices) : g_strdup ("text");

  return g_strconcat (what, all, NULL);
}

/* What a value of @param is, as pkm-menu.h defines the types. */
static char *
type_text (const PkmParam *param)
{
  switch (param->type)
    {
    case PKM_PARAM_STRING: return string_type (param);
    case PKM_PARAM_BOOL: return g_strdup ((param->flags & PKM_PARAM_WORD) ? "flag: the word alone" : "yes | no");
    case PKM_PARAM_UINT:
      return g_strdup_printf ("integer %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT, param->min,
                              param->min == 0 && param->max == 0 ? G_MAXUINT64 : param->max);
    case PKM_PARAM_ENUM: return choices_type ("one of ", param);
    case PKM_PARAM_ENUM_LIST: return choices_type ("comma list of ", param);
    case PKM_PARAM_STRING_LIST: return g_strdup ("comma list of strings");
    case PKM_PARAM_DURATION: return g_strdup ("time: 1d2h3m4s, 30m, 90 (seconds)");
    case PKM_PARAM_ITEM:
      return g_strdup_printf ("item of %s: a name or a number", param->item_menu != NULL ? param->item_menu : "this menu");
    case PKM_PARAM_ITEM_LIST:
      return g_strdup_printf ("comma list of items of %s: names or numbers",
                              param->item_menu != NULL ? param->item_menu : "this menu");
    default: return g_strdup ("value");
    }
}

/* "<type>" and how the parameter is given: "<string> (required, unnamed)". */
static char *
param_detail (const PkmParam *param)
{
  g_autofree char *type = type_text (param);
  g_autoptr (GString) detail = g_string_new (NULL);
  g_autoptr (GPtrArray) marks = g_ptr_array_new ();
  g_autofree char *default_mark = NULL;

  g_string_append_printf (detail, "<%s>", type);
  if (param->flags & PKM_PARAM_REQUIRED)
    g_ptr_array_add (marks, "required");
  if (param->flags & PKM_PARAM_POSITIONAL)
    g_ptr_array_add (marks, "may be given unnamed");
  if (param->flags & PKM_PARAM_SECRET)
    g_ptr_array_add (marks, "secret");
  if (param->default_value != NULL)
    g_ptr_array_add (marks, default_mark = g_strdup_printf ("default %s", param->default_value));
  if (marks->len > 0)
    {
      g_autofree char *joined = NULL;
      g_ptr_array_add (marks, NULL);
      joined = g_strjoinv (", ", (char **) marks->pdata);
      g_string_append_printf (detail, " (%s)", joined);
    }
  return g_string_free (g_steal_pointer (&detail), FALSE);
}

static void
add_param (GString *out, const PkmParam *param)
{
  g_autofree char *detail = param_detail (param);
  g_autofree char *help = g_strdup_printf ("-- %s", param->help != NULL ? param->help : "");

  add_line (out, param->name, detail, help);
}

static void
nothing_begins (GString *out, const char *word)
{
  g_autofree char *shown = pkm_text_escape (word, TRUE);

  g_string_append_printf (out, "  (nothing begins with \"%s\")\n", shown);
}

static void
describe_menu (PkmShell *shell, const PkmPartial *partial, GString *out)
{
  g_autoptr (GPtrArray) commands = pkm_resolve_commands (partial->menu, partial->path);
  g_autoptr (GPtrArray) submenus = pkm_resolve_submenus (shell->ctx, partial->path);
  gboolean any = FALSE;

  g_string_append_printf (out, "%s", menu_label (partial->path));
  if (partial->menu != NULL && partial->menu->help != NULL && *partial->menu->help != '\0')
    g_string_append_printf (out, " -- %s", partial->menu->help);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < commands->len; i++)
    {
      const char *name = g_ptr_array_index (commands, i);
      const PkmCommand *command = pkm_resolve_find_command (partial->menu, partial->path, name);

      if (!g_str_has_prefix (name, partial->word))
        continue;
      if (!any)
        g_string_append (out, "commands:\n");
      any = TRUE;
      add_help (out, name, command->help);
    }
  for (guint i = 0, listed = 0; i < submenus->len; i++)
    {
      const char *name = g_ptr_array_index (submenus, i);
      g_autofree char *path = *partial->path != '\0' ? g_strconcat (partial->path, " ", name, NULL)
                                                     : g_strconcat ("/", name, NULL);
      const PkmMenu *menu = pkm_context_find_menu (shell->ctx, path);

      if (!g_str_has_prefix (name, partial->word))
        continue;
      if (listed++ == 0)
        g_string_append (out, "menus:\n");
      any = TRUE;
      add_help (out, name, menu != NULL ? menu->help : "menus below");
    }
  if (!any)
    nothing_begins (out, partial->word);
}

static void
describe_command (const PkmPartial *partial, GString *out)
{
  gboolean any = FALSE;

  g_string_append_printf (out, "%s%s%s -- %s\n", partial->path, *partial->path != '\0' ? " " : "/",
                          partial->command->name, partial->command->help != NULL ? partial->command->help : "");
  for (const PkmParam *p = partial->command->params; p != NULL && p->name != NULL; p++)
    {
      if (!g_str_has_prefix (p->name, partial->word))
        continue;
      if (!any)
        g_string_append (out, "parameters:\n");
      any = TRUE;
      add_param (out, p);
    }
  if (!any && *partial->word != '\0' && !partial->positional_used)
    g_string_append (out, "  (a value: no parameter begins so)\n");
  else if (!any)
    nothing_begins (out, partial->word);
}

static void
describe_value (const PkmPartial *partial, GString *out)
{
  static const char *const yes_no[] = { "yes", "no", NULL };
  const PkmParam *param = partial->param;
  const char *const *choices = param->type == PKM_PARAM_BOOL ? yes_no : param->choices;
  gboolean any = FALSE;

  g_string_append_printf (out, "%s -- %s\n", param->name, param->help != NULL ? param->help : "");
  {
    g_autofree char *detail = param_detail (param);
    g_string_append_printf (out, "  %s\n", detail);
  }
  if (param->type != PKM_PARAM_BOOL && param->type != PKM_PARAM_ENUM && param->type != PKM_PARAM_ENUM_LIST)
    return;
  for (guint i = 0; choices != NULL && choices[i] != NULL; i++)
    {
      if (!g_str_has_prefix (choices[i], partial->word))
        continue;
      if (!any)
        g_string_append (out, "values:\n");
      any = TRUE;
      g_string_append_printf (out, "  %s\n", choices[i]);
    }
  if (!any)
    nothing_begins (out, partial->word);
}

/* The properties a condition may name, as many to a line as fit. */
static void
describe_where (const PkmPartial *partial, GString *out)
{
  const char *const *fields = partial->menu != NULL ? partial->menu->fields : NULL;
  g_autoptr (GString) line = g_string_new (NULL);
  gboolean any = FALSE;

  g_string_append_printf (out, "where -- a condition on the properties of the items of %s\n",
                          menu_label (partial->path));
  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    {
      if (!g_str_has_prefix (fields[i], partial->word))
        continue;
      if (!any)
        g_string_append (out, "properties:\n");
      any = TRUE;
      if (line->len > 0 && line->len + strlen (fields[i]) > LINE_WIDTH)
        {
          g_string_append_printf (out, "  %s,\n", line->str);
          g_string_truncate (line, 0);
        }
      g_string_append_printf (line, "%s%s", line->len > 0 ? ", " : "", fields[i]);
    }
  if (line->len > 0)
    g_string_append_printf (out, "  %s\n", line->str);
  if (!any)
    nothing_begins (out, partial->word);
}

static char *
describe (PkmShell *shell, const PkmPartial *partial)
{
  GString *out = g_string_new (NULL);

  switch (partial->kind)
    {
    case PKM_PARTIAL_MENU: describe_menu (shell, partial, out); break;
    case PKM_PARTIAL_ARGUMENT: describe_command (partial, out); break;
    case PKM_PARTIAL_VALUE: describe_value (partial, out); break;
    case PKM_PARTIAL_WHERE: describe_where (partial, out); break;
    }
  return g_string_free (out, FALSE);
}

char *
pkm_help_for_line (PkmShell *shell, const char *line, GError **error)
{
  g_auto (PkmPartial) partial = { 0 };

  if (!pkm_partial_parse_line (shell, line, &partial, error))
    return NULL;
  return describe (shell, &partial);
}

static gboolean
is_help_word (const char *word)
{
  return strcmp (word, "?") == 0 || strcmp (word, "--help") == 0;
}

/* The condition's own text ends in " ?" (or is "?"): where's help. */
static gboolean
where_asks (const char *where)
{
  gsize len = strlen (where);

  return len > 0 && where[len - 1] == '?' && (len == 1 || g_ascii_isspace (where[len - 2]));
}

gboolean
pkm_help_requested (PkmTokens *tokens)
{
  PkmToken *last;

  if (tokens->where != NULL)
    return where_asks (tokens->where);
  if (tokens->tokens->len == 0)
    return FALSE;
  last = g_ptr_array_index (tokens->tokens, tokens->tokens->len - 1);
  return last->name == NULL && is_help_word (last->value);
}

gboolean
pkm_help_print (PkmShell *shell, PkmTokens *tokens, GError **error)
{
  g_auto (PkmPartial) partial = { 0 };
  g_autofree char *text = NULL;
  gsize offset;

  if (tokens->where != NULL)
    {
      tokens->where[strlen (tokens->where) - 1] = '\0';
      g_strchomp (tokens->where);
    }
  else
    g_ptr_array_remove_index (tokens->tokens, tokens->tokens->len - 1);
  if (!pkm_partial_parse_tokens (shell, tokens, "", &partial, &offset, error))
    return FALSE;
  text = describe (shell, &partial);
  fputs (text, shell->out);
  fflush (shell->out);
  return TRUE;
}
