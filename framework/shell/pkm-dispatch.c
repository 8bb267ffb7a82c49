/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-shell-private.h"

/* From words to an invocation: the menu path, the command, its arguments by
 * the command's table (named, bare words, the positional one, numbers from
 * the last print turned into ids), then pkm_invoke, and the result rendered. */

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
  /* A list of items for the positional one (`remove 0,2,5`, `remove
   * [find]`): the command runs once for each, in order. */
  const char *each_param;
  GPtrArray *each;     /* (nullable) the items as the core reads them: ids or names */
} PkmArguments;

static void
arguments_clear (PkmArguments *a)
{
  g_variant_builder_clear (&a->args);
  g_clear_pointer (&a->given, g_hash_table_unref);
  g_clear_pointer (&a->numbers, g_hash_table_unref);
  g_clear_pointer (&a->each, g_ptr_array_unref);
}

/* RouterOS's item lists: numbers of the last print, names and ids, joined
 * by commas. Every number is turned into its id here (numbers are the
 * front end's) before anything runs, so a wrong one stops the command
 * before it changed anything. (transfer full) (nullable) */
#define ITEM_LIST_MAX 100000

static GPtrArray *
list_items (PkmShell *shell, const PkmMenu *menu, const PkmParam *param, const char *raw, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (raw, ",", ITEM_LIST_MAX + 1);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_free);

  if (g_strv_length (parts) > ITEM_LIST_MAX)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: more than %d items", param->name, ITEM_LIST_MAX);
      return NULL;
    }
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);

      if (*part == '\0')
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: an empty item in the list \"%s\"",
                       param->name, raw);
          return NULL;
        }
      if (pkm_item_ref_is_number (part) && part[0] != '*')
        {
          char *id = pkm_numbers_to_id (shell, param, menu->path, part, error);
          if (id == NULL)
            return NULL;
          g_ptr_array_add (items, id);
        }
      else
        g_ptr_array_add (items, g_strdup (part));
    }
  return g_steal_pointer (&items);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PkmArguments, arguments_clear)

/* Arguments cross as text ("s"), which GVariant holds only as UTF-8. */
static gboolean
valid_text (const char *name, const char *raw, GError **error)
{
  if (g_utf8_validate (raw, -1, NULL))
    return TRUE;
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: is not valid UTF-8", name);
  return FALSE;
}

static gboolean
add_text (PkmArguments *args, const char *name, const char *raw, GError **error)
{
  if (!valid_text (name, raw, error))
    return FALSE;
  g_variant_builder_add (&args->args, "{sv}", name, g_variant_new_string (raw));
  return TRUE;
}

/* The parameter @token gives, and in *@raw its value as text. */
static gboolean
token_param (const PkmCommand *command, PkmToken *token, const PkmParam **positional, const PkmParam **out,
             const char **raw, GError **error)
{
  const PkmParam *word;

  *raw = token->value;
  if (token->name != NULL)
    return pkm_resolve_param (command, token->name, FALSE, out, error);
  word = pkm_command_find_param (command, token->value);
  if (word != NULL && (word->flags & PKM_PARAM_WORD))
    {
      *out = word;
      *raw = "yes";
      return TRUE;
    }
  if ((*out = positional_param (command, *positional)) != NULL)
    {
      *positional = *out;
      return TRUE;
    }
  /* A value fills the positional parameter first: `sign det` signs "det". */
  if (!pkm_resolve_param (command, token->value, TRUE, out, error))
    return FALSE;
  if (*out != NULL)
    *raw = "yes";
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
      const char *raw;
      g_autofree char *id = NULL;
      g_autofree char *whole = NULL;

      if (!token_param (command, token, &positional, &param, &raw, error))
        return FALSE;
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
      /* The positional item given as a list: the command runs for each. */
      if (param->type == PKM_PARAM_ITEM && (param->flags & PKM_PARAM_POSITIONAL) && strchr (raw, ',') != NULL)
        {
          /* Each item goes to the core as text, one command each. */
          if (!valid_text (param->name, raw, error) || (out->each = list_items (shell, menu, param, raw, error)) == NULL)
            return FALSE;
          out->each_param = param->name;
          continue;
        }
      if (param->type == PKM_PARAM_ITEM_LIST)
        {
          g_autoptr (GPtrArray) items = list_items (shell, menu, param, raw, error);
          if (items == NULL)
            return FALSE;
          g_ptr_array_add (items, NULL);
          whole = g_strjoinv (",", (char **) items->pdata);
          if (!add_text (out, param->name, whole, error))
            return FALSE;
          continue;
        }
      if (param->type == PKM_PARAM_ITEM && pkm_item_ref_is_number (raw) && raw[0] != '*')
        {
          if ((id = pkm_numbers_to_id (shell, param, menu->path, raw, error)) == NULL)
            return FALSE;
          g_hash_table_insert (out->numbers, g_strdup (param->name), g_strdup (raw));
          raw = id;
        }
      if ((whole = pkm_resolve_choices (param, raw, error)) == NULL || !add_text (out, param->name, whole, error))
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
/* Runs @invocation with @base, and with the @i-th item of a list when
 * there is one. (transfer full) (nullable) */
static PkmResult *
invoke_for (PkmShell *shell, PkmInvocation *invocation, GVariant *base, PkmArguments *args, guint i, GError **error)
{
  GVariantDict with;
  PkmResult *result;
  GError *local = NULL;

  /* Only a list's item is added: a single command passes its arguments as they are. */
  if (args->each == NULL)
    invocation->args = g_variant_ref (base);
  else
    {
      g_variant_dict_init (&with, base);
      g_variant_dict_insert (&with, args->each_param, "s", (const char *) g_ptr_array_index (args->each, i));
      invocation->args = g_variant_ref_sink (g_variant_dict_end (&with));
    }
  result = pkm_invoke (shell->ctx, invocation, &local);
  g_clear_pointer (&invocation->args, g_variant_unref);
  if (result == NULL)
    {
      explain_number (args, local);
      g_propagate_error (error, local);
    }
  return result;
}

static gboolean
dispatch (PkmShell *shell, PkmTokens *tokens, PkmResult **captured, GError **error)
{
  g_autofree char *path = NULL;
  g_auto (PkmArguments) args = { 0 };
  PkmInvocation invocation = PKM_INVOCATION_INIT;
  g_autoptr (PkmResult) result = NULL;
  g_autoptr (GPtrArray) shown = NULL;
  g_autoptr (GVariant) base = NULL;
  const PkmMenu *menu;
  const PkmCommand *command;
  PkmToken *word;
  guint index;
  gboolean is_print;

  if (pkm_help_requested (tokens))
    return pkm_help_print (shell, tokens, error);
  if (!pkm_resolve_path (shell, tokens, &path, &index, error))
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
  command = pkm_resolve_find_command (menu, path, word->value);
  if (command == &pkm_shell_import_command)
    return pkm_shell_import (shell, tokens, index + 1, error);
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
  invocation.actor = shell->actor;
  invocation.files_dir = shell->files_dir;
  invocation.progress = show_progress;
  invocation.progress_data = shell;
  if (is_print && captured == NULL && (shown = pkm_render_print_properties (shell, menu, args.given)) != NULL)
    invocation.properties = (const char *const *) shown->pdata;
  base = g_variant_ref_sink (g_variant_builder_end (&args.args));
  for (guint i = 0; args.each != NULL && i + 1 < args.each->len; i++)
    {
      /* Each item of a list but the last: its output as it comes. */
      g_autoptr (PkmResult) one = invoke_for (shell, &invocation, base, &args, i, error);
      if (one == NULL)
        return FALSE;
      if (captured == NULL)
        pkm_output_result (shell, one);
    }
  result = invoke_for (shell, &invocation, base, &args, args.each != NULL ? args.each->len - 1 : 0, error);
  if (result == NULL)
    return FALSE;
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
