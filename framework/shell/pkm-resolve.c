/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-shell-private.h"

/* Names as administrators type them, as in RouterOS: any unique prefix of a
 * menu word, a command, a parameter or a choice names it, and a whole name
 * wins over the longer names it begins (sign, not sign-certificate-request). */

static const PkmParam import_params[] = {
  { "file-name", PKM_PARAM_STRING, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, NULL,
    "the script, in the files directory" },
  { NULL },
};

/* /import is the shell's own (pkm-script.c runs it); described here so that
 * it is named, explained and completed as the tables' commands are. */
const PkmCommand pkm_shell_import_command = { "import", NULL, import_params, 0, "run a script file" };

gboolean
pkm_resolve_name (const char *typed, GPtrArray *names, const char **out_name, GError **error)
{
  g_autoptr (GPtrArray) matches = g_ptr_array_new ();
  g_autofree char *all = NULL;

  *out_name = NULL;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      if (strcmp (name, typed) == 0)
        {
          *out_name = name;
          return TRUE;
        }
      if (*typed != '\0' && g_str_has_prefix (name, typed))
        g_ptr_array_add (matches, (gpointer) name);
    }
  if (matches->len <= 1)
    {
      *out_name = matches->len == 1 ? g_ptr_array_index (matches, 0) : NULL;
      return TRUE;
    }
  g_ptr_array_add (matches, NULL);
  all = g_strjoinv (", ", (char **) matches->pdata);
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: ambiguous, could be: %s", typed, all);
  return FALSE;
}

static gboolean
has_name (GPtrArray *names, const char *name)
{
  return g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL);
}

GPtrArray *
pkm_resolve_submenus (PkmContext *ctx, const char *path)
{
  g_autoptr (GPtrArray) menus = pkm_context_get_menus (ctx);
  g_autofree char *prefix = *path == '\0' ? g_strdup ("/") : g_strconcat (path, " ", NULL);
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < menus->len; i++)
    {
      const char *other = ((const PkmMenu *) g_ptr_array_index (menus, i))->path;
      const char *rest;
      char *word;

      if (!g_str_has_prefix (other, prefix) || other[strlen (prefix)] == '\0')
        continue;
      rest = other + strlen (prefix);
      word = g_strndup (rest, strcspn (rest, " "));
      if (has_name (words, word))
        g_free (word);
      else
        g_ptr_array_add (words, word);
    }
  return words;
}

GPtrArray *
pkm_resolve_commands (const PkmMenu *menu, const char *path)
{
  GPtrArray *names = g_ptr_array_new ();
  g_autoptr (GPtrArray) commands = menu != NULL ? pkm_menu_get_commands (menu) : NULL;

  for (guint i = 0; commands != NULL && i < commands->len; i++)
    g_ptr_array_add (names, (gpointer) ((const PkmCommand *) g_ptr_array_index (commands, i))->name);
  if (*path == '\0' && !has_name (names, pkm_shell_import_command.name))
    g_ptr_array_add (names, (gpointer) pkm_shell_import_command.name);
  return names;
}

const PkmCommand *
pkm_resolve_find_command (const PkmMenu *menu, const char *path, const char *name)
{
  const PkmCommand *command = menu != NULL ? pkm_menu_find_command (menu, name) : NULL;

  if (command == NULL && *path == '\0' && strcmp (name, pkm_shell_import_command.name) == 0)
    return &pkm_shell_import_command;
  return command;
}

static char *
join_path (const char *base, const char *word)
{
  return *base == '\0' ? g_strconcat ("/", word, NULL) : g_strconcat (base, " ", word, NULL);
}

gboolean
pkm_resolve_step (PkmContext *ctx, const char *path, const char *typed, PkmStep *out_step, char **out_next,
                  GError **error)
{
  g_autoptr (GPtrArray) submenus = pkm_resolve_submenus (ctx, path);
  g_autoptr (GPtrArray) names = pkm_resolve_commands (pkm_context_find_menu (ctx, path), path);
  const char *name;

  /* Commands first, as an ambiguity lists them: "set, sign, scep-server". */
  for (guint i = 0; i < submenus->len; i++)
    if (!has_name (names, g_ptr_array_index (submenus, i)))
      g_ptr_array_add (names, g_ptr_array_index (submenus, i));
  *out_step = PKM_STEP_NONE;
  *out_next = NULL;
  if (!pkm_resolve_name (typed, names, &name, error))
    return FALSE;
  if (name == NULL)
    return TRUE;
  if (has_name (submenus, name))
    {
      *out_step = PKM_STEP_MENU;
      *out_next = join_path (path, name);
    }
  else
    {
      *out_step = PKM_STEP_COMMAND;
      *out_next = g_strdup (name);
    }
  return TRUE;
}

static char *
parent_path (const char *path)
{
  const char *space = strrchr (path, ' ');

  return space != NULL ? g_strndup (path, space - path) : g_strdup ("");
}

gboolean
pkm_resolve_absolute (PkmContext *ctx, const char *word, gboolean command_allowed, char **out_path,
                      char **out_command, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (word + 1, "/", -1);
  g_autofree char *path = g_strdup ("");
  guint n = g_strv_length (parts);

  *out_command = NULL;
  for (guint i = 0; i < n; i++)
    {
      PkmStep step;
      char *next;

      if (*parts[i] == '\0')
        continue;
      if (!pkm_resolve_step (ctx, path, parts[i], &step, &next, error))
        return FALSE;
      if (step == PKM_STEP_MENU)
        {
          g_free (path);
          path = next;
          continue;
        }
      /* "/import" and "/certificate/print": the last word may be a command. */
      if (step == PKM_STEP_COMMAND && command_allowed && i == n - 1)
        {
          *out_command = next;
          break;
        }
      g_free (next);
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: no such menu", word);
      return FALSE;
    }
  *out_path = g_steal_pointer (&path);
  return TRUE;
}

gboolean
pkm_resolve_path (PkmShell *shell, PkmTokens *tokens, char **out_path, guint *out_index, GError **error)
{
  g_autofree char *path = g_strdup (shell->menu);
  guint i = 0;

  for (; i < tokens->tokens->len; i++)
    {
      PkmToken *token = g_ptr_array_index (tokens->tokens, i);
      g_autofree char *next = NULL;
      PkmStep step;

      if (token->name != NULL)
        break;
      if (token->value[0] == '/')
        {
          char *command;
          if (!pkm_resolve_absolute (shell->ctx, token->value, TRUE, &next, &command, error))
            return FALSE;
          g_free (path);
          path = g_steal_pointer (&next);
          if (command != NULL)
            {
              g_free (token->value);
              token->value = command;
              break;
            }
          continue;
        }
      if (strcmp (token->value, "..") == 0)
        {
          next = parent_path (path);
          g_free (path);
          path = g_steal_pointer (&next);
          continue;
        }
      if (!pkm_resolve_step (shell->ctx, path, token->value, &step, &next, error))
        return FALSE;
      if (step == PKM_STEP_COMMAND)
        {
          g_free (token->value);
          token->value = g_steal_pointer (&next);
        }
      if (step != PKM_STEP_MENU)
        break;
      g_free (path);
      path = g_steal_pointer (&next);
    }
  *out_path = g_steal_pointer (&path);
  *out_index = i;
  return TRUE;
}

gboolean
pkm_resolve_param (const PkmCommand *command, const char *typed, gboolean words_only, const PkmParam **out,
                   GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  const char *name;

  *out = NULL;
  for (const PkmParam *p = command->params; p != NULL && p->name != NULL; p++)
    if (!words_only || (p->flags & PKM_PARAM_WORD))
      g_ptr_array_add (names, (gpointer) p->name);
  if (!pkm_resolve_name (typed, names, &name, error))
    return FALSE;
  if (name != NULL)
    *out = pkm_command_find_param (command, name);
  return TRUE;
}

/* One choice as typed, whole when it begins only one. */
static gboolean
resolve_choice (const PkmParam *param, const char *typed, GString *out, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (GError) local = NULL;
  const char *name;

  for (guint i = 0; param->choices[i] != NULL; i++)
    g_ptr_array_add (names, (gpointer) param->choices[i]);
  if (!pkm_resolve_name (typed, names, &name, &local))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: %s", param->name, local->message);
      return FALSE;
    }
  /* What names no choice goes on as typed, for the core's own refusal. */
  g_string_append (out, name != NULL ? name : typed);
  return TRUE;
}

char *
pkm_resolve_choices (const PkmParam *param, const char *value, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_auto (GStrv) parts = NULL;

  if ((param->type != PKM_PARAM_ENUM && param->type != PKM_PARAM_ENUM_LIST) || param->choices == NULL)
    return g_strdup (value);
  if (param->type == PKM_PARAM_ENUM)
    return resolve_choice (param, value, out, error) ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
  parts = g_strsplit (value, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      if (!resolve_choice (param, g_strstrip (parts[i]), out, error))
        return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
