/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-shell-private.h"

/* From words to an invocation: the menu path, the command, its arguments by
 * the command's table (named, bare words, the positional one, numbers from
 * the last print turned into ids), then pkm_invoke, and the result rendered. */

static const PkmCommand *
find_command (const PkmMenu *menu, const char *name)
{
  return menu != NULL ? pkm_menu_find_command (menu, name) : NULL;
}

static char *
join_path (const char *base, const char *word)
{
  return *base == '\0' ? g_strconcat ("/", word, NULL) : g_strconcat (base, " ", word, NULL);
}

static char *
parent_path (const char *path)
{
  const char *space = strrchr (path, ' ');

  return space != NULL ? g_strndup (path, space - path) : g_strdup ("");
}

/* "/certificate/scep-server" and "/certificate scep-server" name one menu. */
static char *
absolute_path (const char *word)
{
  g_auto (GStrv) parts = g_strsplit (word + 1, "/", -1);
  g_autofree char *joined = g_strjoinv (" ", parts);

  return *joined == '\0' ? g_strdup ("") : g_strconcat ("/", joined, NULL);
}

/* A path exists when a menu is there or below it ("/system" holds "/system plugin"). */
static gboolean
menu_exists (PkmShell *shell, const char *path)
{
  g_autoptr (GPtrArray) menus = NULL;
  g_autofree char *prefix = g_strconcat (path, " ", NULL);

  if (*path == '\0' || pkm_context_find_menu (shell->ctx, path) != NULL)
    return TRUE;
  menus = pkm_context_get_menus (shell->ctx);
  for (guint i = 0; i < menus->len; i++)
    if (g_str_has_prefix (((const PkmMenu *) g_ptr_array_index (menus, i))->path, prefix))
      return TRUE;
  return FALSE;
}

/* Consumes the path words at the front; returns the index of the first other word. */
static gboolean
resolve_path (PkmShell *shell, PkmTokens *tokens, char **out_path, guint *out_index, GError **error)
{
  g_autofree char *path = g_strdup (shell->menu);
  guint i = 0;

  for (; i < tokens->tokens->len; i++)
    {
      PkmToken *token = g_ptr_array_index (tokens->tokens, i);
      g_autofree char *next = NULL;

      if (token->name != NULL)
        break;
      if (token->value[0] == '/')
        {
          next = absolute_path (token->value);
          /* "/import" and "/certificate/print": the last word is a command. */
          if (!menu_exists (shell, next) && strcmp (token->value, "/") != 0)
            {
              char *last = strrchr (next, ' ');
              g_autofree char *parent = last != NULL ? g_strndup (next, last - next) : g_strdup ("");
              const char *command = last != NULL ? last + 1 : next + 1;
              if (find_command (pkm_context_find_menu (shell->ctx, parent), command) != NULL
                  || (*parent == '\0' && strcmp (command, "import") == 0))
                {
                  g_free (token->value);
                  token->value = g_strdup (command);
                  g_free (path);
                  path = g_steal_pointer (&parent);
                  break;
                }
            }
        }
      else if (strcmp (token->value, "..") == 0)
        next = parent_path (path);
      else
        {
          next = join_path (path, token->value);
          if (!menu_exists (shell, next))
            break;
        }
      if (!menu_exists (shell, next))
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: no such menu", token->value);
          return FALSE;
        }
      g_free (path);
      path = g_steal_pointer (&next);
    }
  *out_path = g_steal_pointer (&path);
  *out_index = i;
  return TRUE;
}

/* The positional parameter after @last (NULL: the first): `get ITEM PROPERTY` fills two in order. */
static const PkmParam *
positional_param (const PkmCommand *command, const PkmParam *last)
{
  for (const PkmParam *p = last != NULL ? last + 1 : command->params; p != NULL && p->name != NULL; p++)
    if (p->flags & PKM_PARAM_POSITIONAL)
      return p;
  return NULL;
}

static const char *
menu_label (const PkmMenu *menu)
{
  return menu != NULL && *menu->path != '\0' ? menu->path : "/";
}

typedef struct {
  GVariantBuilder args;
  GHashTable *given;   /* parameter names already given */
  GHashTable *numbers; /* ITEM parameter name -> the number typed, for errors */
} PkmArguments;

static void
arguments_clear (PkmArguments *a)
{
  g_variant_builder_clear (&a->args);
  g_clear_pointer (&a->given, g_hash_table_unref);
  g_clear_pointer (&a->numbers, g_hash_table_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PkmArguments, arguments_clear)

/* Arguments cross as text ("s"), which GVariant holds only as UTF-8. */
static gboolean
add_text (PkmArguments *args, const char *name, const char *raw, GError **error)
{
  if (!g_utf8_validate (raw, -1, NULL))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: is not valid UTF-8", name);
      return FALSE;
    }
  g_variant_builder_add (&args->args, "{sv}", name, g_variant_new_string (raw));
  return TRUE;
}

/* Maps every word to its parameter; the core types and checks the values. */
static gboolean
collect_arguments (PkmShell *shell, const PkmMenu *menu, const PkmCommand *command, PkmTokens *tokens, guint start,
                   PkmArguments *out, GError **error)
{
  const PkmParam *positional = NULL;

  for (guint i = start; i < tokens->tokens->len; i++)
    {
      PkmToken *token = g_ptr_array_index (tokens->tokens, i);
      const PkmParam *param = NULL;
      const char *raw = token->value;
      g_autofree char *id = NULL;
      const PkmParam *word = token->name == NULL ? pkm_command_find_param (command, token->value) : NULL;

      if (token->name != NULL)
        param = pkm_command_find_param (command, token->name);
      else if (word != NULL && (word->flags & PKM_PARAM_WORD))
        {
          param = word;
          raw = "yes";
        }
      else if ((param = positional_param (command, positional)) != NULL)
        positional = param;
      if (param == NULL)
        {
          if (token->name != NULL)
            g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: no such parameter of %s %s", token->name,
                         menu_label (menu), command->name);
          else
            g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: unexpected word for %s %s", token->value,
                         menu_label (menu), command->name);
          return FALSE;
        }
      if (!g_hash_table_add (out->given, (gpointer) param->name))
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: given twice", param->name);
          return FALSE;
        }
      if (param->type == PKM_PARAM_ITEM && pkm_item_ref_is_number (raw) && raw[0] != '*')
        {
          if ((id = pkm_numbers_to_id (shell, param, menu->path, raw, error)) == NULL)
            return FALSE;
          g_hash_table_insert (out->numbers, g_strdup (param->name), g_strdup (raw));
          raw = id;
        }
      if (!add_text (out, param->name, raw, error))
        return FALSE;
    }
  return tokens->where == NULL || add_text (out, "where", tokens->where, error);
}

/* "item: no such item: *1A" of an id the shell made from a number reads as
 * the number the user typed. */
static void
explain_number (PkmArguments *args, GError *error)
{
  GHashTableIter iter;
  gpointer name, number;

  if (error == NULL || !g_error_matches (error, PKM_ERROR, PKM_ERROR_NOT_FOUND))
    return;
  g_hash_table_iter_init (&iter, args->numbers);
  while (g_hash_table_iter_next (&iter, &name, &number))
    {
      g_autofree char *prefix = g_strdup_printf ("%s: no such item: *", (const char *) name);
      if (g_str_has_prefix (error->message, prefix))
        {
          g_free (error->message);
          error->message = g_strdup_printf ("%s: no such item: %s (removed since the last print)",
                                            (const char *) name, (const char *) number);
          return;
        }
    }
}

static void
show_progress (const char *message, gpointer user_data)
{
  PkmShell *shell = user_data;
  /* A note may name a template: escaped like everything else printed. */
  g_autofree char *shown = pkm_text_escape (message, FALSE);

  fprintf (shell->err, "%s\n", shown);
  fflush (shell->err);
}

/* With @captured, the result is handed back instead of rendered. */
static gboolean
dispatch (PkmShell *shell, PkmTokens *tokens, PkmResult **captured, GError **error)
{
  g_autofree char *path = NULL;
  g_auto (PkmArguments) args = { 0 };
  PkmInvocation invocation = PKM_INVOCATION_INIT;
  g_autoptr (PkmResult) result = NULL;
  g_autoptr (GPtrArray) shown = NULL;
  GError *local = NULL;
  const PkmMenu *menu;
  const PkmCommand *command;
  PkmToken *word;
  guint index;
  gboolean is_print;

  if (!resolve_path (shell, tokens, &path, &index, error))
    return FALSE;
  if (index == tokens->tokens->len && tokens->where == NULL && captured != NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: a command is expected", *path != '\0' ? path : "/");
      return FALSE;
    }
  if (index == tokens->tokens->len && tokens->where == NULL)
    {
      /* A path alone moves to that menu. */
      g_free (shell->menu);
      shell->menu = g_steal_pointer (&path);
      return TRUE;
    }
  word = index < tokens->tokens->len ? g_ptr_array_index (tokens->tokens, index) : NULL;
  if (word == NULL || word->name != NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: a command is expected",
                   word != NULL ? word->name : "where");
      return FALSE;
    }
  menu = pkm_context_find_menu (shell->ctx, path);
  if (*path == '\0' && strcmp (word->value, "import") == 0 && find_command (menu, "import") == NULL)
    return pkm_shell_import (shell, tokens, index + 1, error);
  command = find_command (menu, word->value);
  if (command == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: no such command in %s", word->value,
                   *path != '\0' ? path : "/");
      return FALSE;
    }
  is_print = strcmp (command->name, "print") == 0 && menu->list != NULL;
  if (tokens->where != NULL && pkm_command_find_param (command, "where") == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "where: only print and find take where");
      return FALSE;
    }
  g_variant_builder_init (&args.args, G_VARIANT_TYPE_VARDICT);
  args.given = g_hash_table_new (g_str_hash, g_str_equal);
  args.numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!collect_arguments (shell, menu, command, tokens, index + 1, &args, error))
    return FALSE;
  invocation.menu = path;
  invocation.command = command->name;
  invocation.args = g_variant_builder_end (&args.args);
  invocation.actor = shell->actor;
  invocation.files_dir = shell->files_dir;
  invocation.progress = show_progress;
  invocation.progress_data = shell;
  if (is_print && captured == NULL && (shown = pkm_render_print_properties (shell, menu, args.given)) != NULL)
    invocation.properties = (const char *const *) shown->pdata;
  g_variant_ref_sink (invocation.args);
  result = pkm_invoke (shell->ctx, &invocation, &local);
  g_variant_unref (invocation.args);
  if (result == NULL)
    {
      explain_number (&args, local);
      g_propagate_error (error, local);
      return FALSE;
    }
  if (captured != NULL)
    {
      *captured = g_steal_pointer (&result);
      return TRUE;
    }
  if (is_print)
    {
      const gint64 *ids;
      guint n_ids;

      /* A count from an index listed nothing: the numbers stay as they were. */
      ids = pkm_result_get_listed_ids (result, &n_ids);
      if (pkm_result_has_listing (result))
        pkm_numbers_bind (shell, menu->path, ids, n_ids);
      return pkm_render_print (shell, result, error);
    }
  else
    pkm_output_result (shell, result);
  return TRUE;
}

gboolean
pkm_dispatch (PkmShell *shell, PkmTokens *tokens, GError **error)
{
  return dispatch (shell, tokens, NULL, error);
}

PkmResult *
pkm_dispatch_capture (PkmShell *shell, PkmTokens *tokens, GError **error)
{
  PkmResult *result = NULL;

  if (!dispatch (shell, tokens, &result, error))
    return NULL;
  if (result == NULL)
    g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "import: gives no value");
  return result;
}
