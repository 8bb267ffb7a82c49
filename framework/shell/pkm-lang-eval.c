/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-lang-private.h"

/* Runs the tree. A menu command becomes words for pkm_dispatch, exactly as a
 * typed line would (one pkm_invoke, one transaction); inside [ ] its result
 * is taken as a value instead of printed. Variables live in scopes, one per
 * block, and the shell's globals outlive the script. */

void
pkm_lang_error_at (PkmLangEval *eval, PkmLangNode *node)
{
  if (eval->error_line == 0 && node != NULL)
    {
      eval->error_line = node->line;
      eval->error_column = node->column;
    }
}

void
pkm_lang_fail (PkmLangEval *eval, PkmLangNode *node, GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, format, args));
  va_end (args);
  pkm_lang_error_at (eval, node);
}

void
pkm_lang_put (PkmLangEval *eval, const char *text)
{
  fprintf (eval->shell->out, "%s\n", text);
  fflush (eval->shell->out);
}

gboolean
pkm_lang_count_iteration (PkmLangEval *eval, PkmLangNode *at, GError **error)
{
  if (++eval->shell->lang_iterations <= eval->shell->lang_iteration_limit)
    return TRUE;
  eval->fatal = TRUE;
  pkm_lang_fail (eval, at, error, "more than %" G_GUINT64_FORMAT " loop iterations: stopped",
                 eval->shell->lang_iteration_limit);
  return FALSE;
}

/* -- variables -- */

static GHashTable *
scope_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pkm_lang_value_unref);
}

void
pkm_lang_scope_push (PkmLangEval *eval)
{
  g_ptr_array_add (eval->scopes, scope_new ());
}

void
pkm_lang_scope_pop (PkmLangEval *eval)
{
  g_ptr_array_remove_index (eval->scopes, eval->scopes->len - 1);
}

static GHashTable *
globals (PkmLangEval *eval)
{
  if (eval->shell->globals == NULL)
    eval->shell->globals = scope_new ();
  return eval->shell->globals;
}

void
pkm_lang_globals_free (GHashTable *table)
{
  if (table != NULL)
    g_hash_table_unref (table);
}

PkmLangValue *
pkm_lang_var_lookup (PkmLangEval *eval, const char *name)
{
  for (guint i = eval->scopes->len; i > 0; i--)
    {
      PkmLangValue *value = g_hash_table_lookup (g_ptr_array_index (eval->scopes, i - 1), name);
      if (value != NULL)
        return value;
    }
  return g_hash_table_lookup (globals (eval), name);
}

void
pkm_lang_var_local (PkmLangEval *eval, const char *name, PkmLangValue *take)
{
  g_hash_table_replace (g_ptr_array_index (eval->scopes, eval->scopes->len - 1), g_strdup (name), take);
}

void
pkm_lang_var_global (PkmLangEval *eval, const char *name, PkmLangValue *take)
{
  g_hash_table_replace (globals (eval), g_strdup (name), take);
}

gboolean
pkm_lang_var_set (PkmLangEval *eval, const char *name, PkmLangValue *take)
{
  for (guint i = eval->scopes->len; i > 0; i--)
    {
      GHashTable *scope = g_ptr_array_index (eval->scopes, i - 1);
      if (g_hash_table_contains (scope, name))
        {
          g_hash_table_replace (scope, g_strdup (name), take);
          return TRUE;
        }
    }
  if (g_hash_table_contains (globals (eval), name))
    {
      g_hash_table_replace (globals (eval), g_strdup (name), take);
      return TRUE;
    }
  pkm_lang_value_unref (take);
  return FALSE;
}

/* -- commands -- */

/* An argument's { } is code only where a :command takes code. */
static gboolean
not_block (PkmLangEval *eval, PkmLangNode *arg, GError **error)
{
  if (arg->a->kind != PKM_NODE_BLOCK)
    return TRUE;
  pkm_lang_fail (eval, arg, error, "{ }: code is not a value here");
  return FALSE;
}

/* A menu command takes text: a function has none to give. */
static gboolean
not_code (PkmLangEval *eval, PkmLangNode *at, PkmLangValue *value, GError **error)
{
  if (pkm_lang_value_type (value) != PKM_LANG_CODE)
    return TRUE;
  pkm_lang_fail (eval, at, error, "a function is not a value for a menu command (call it: $name)");
  return FALSE;
}

/* A where's text: its words as written, strings and variables written back
 * as where reads them ("..." for text). */
static char *
where_text (PkmLangEval *eval, PkmLangNode *command, GError **error)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < command->where->len; i++)
    {
      PkmLangNode *piece = g_ptr_array_index (command->where, i);
      g_autoptr (PkmLangValue) value = NULL;
      g_autofree char *shown = NULL;

      if (piece->kind == PKM_NODE_WORD)
        {
          g_string_append (text, piece->text);
          continue;
        }
      if ((value = pkm_lang_eval_node (eval, piece, TRUE, error)) == NULL || !not_code (eval, piece, value, error))
        return NULL;
      if (pkm_lang_value_type (value) != PKM_LANG_STR)
        {
          shown = pkm_lang_value_to_arg (value);
          g_string_append (text, shown);
          continue;
        }
      g_string_append_c (text, '"');
      for (const char *s = pkm_lang_value_str (value); *s != '\0'; s++)
        {
          if (*s == '"' || *s == '\\')
            g_string_append_c (text, '\\');
          if ((guchar) *s < 0x20)
            g_string_append_printf (text, "\\%02X", (guchar) *s);
          else
            g_string_append_c (text, *s);
        }
      g_string_append_c (text, '"');
    }
  return g_strstrip (g_strdup (text->str));
}

/* A command's answer as a value: ret (find), one property (get with a
 * value-name), the items (print), a new item's id (add), or every value. */
static PkmLangValue *
result_value (PkmResult *result)
{
  GVariant *values = pkm_result_get_values (result);
  GVariant *arguments = pkm_result_get_arguments (result);
  GPtrArray *items = pkm_result_get_items (result);
  const char *property;
  g_autoptr (GVariant) value = NULL;

  if (arguments != NULL && g_variant_lookup (arguments, "value-name", "&s", &property))
    {
      value = g_variant_lookup_value (values, property, NULL);
      return value != NULL ? pkm_lang_value_from_variant (value, property) : pkm_lang_nil ();
    }
  if ((value = g_variant_lookup_value (values, "ret", NULL)) != NULL)
    return pkm_lang_value_from_variant (value, "ret");
  /* print count-only: the number, as RouterOS gives it. */
  if (g_variant_n_children (values) == 1 && (value = g_variant_lookup_value (values, "count", NULL)) != NULL)
    return pkm_lang_value_from_variant (value, "count");
  if (items->len > 0)
    {
      PkmLangValue *array = pkm_lang_array_new ();
      for (guint i = 0; i < items->len; i++)
        pkm_lang_array_add (array, NULL, pkm_lang_value_from_variant (g_ptr_array_index (items, i), NULL));
      return array;
    }
  if (g_variant_n_children (values) == 1 && (value = g_variant_lookup_value (values, ".id", NULL)) != NULL)
    return pkm_lang_value_from_variant (value, ".id");
  if (g_variant_n_children (values) > 0)
    return pkm_lang_value_from_variant (values, NULL);
  return pkm_lang_nil ();
}

/* (transfer full): the menu the path words among @tokens name, where a
 * command among them runs: `/certificate remove [find]` finds in
 * /certificate, as in RouterOS. The shell's own menu when they name none. */
static char *
command_menu (PkmShell *shell, PkmTokens *tokens)
{
  g_auto (PkmTokens) words = { 0 };
  g_autofree char *path = NULL;
  guint index;

  /* Resolving rewrites "/certificate/print" in place: a copy is resolved. */
  pkm_tokens_init (&words);
  for (guint i = 0; i < tokens->tokens->len; i++)
    {
      PkmToken *token = g_ptr_array_index (tokens->tokens, i);
      pkm_tokens_add (&words, token->name, token->value);
    }
  if (!pkm_resolve_path (shell, &words, &path, &index, NULL))
    return g_strdup (shell->menu);
  return g_steal_pointer (&path);
}

/* A command's argument, evaluated in the command's menu. */
static PkmLangValue *
eval_argument (PkmLangEval *eval, PkmLangNode *arg, PkmTokens *tokens, GError **error)
{
  PkmShell *shell = eval->shell;
  char *saved;
  PkmLangValue *value;

  /* Only what runs commands cares where it is. */
  if (arg->a->kind != PKM_NODE_SUBST || tokens->tokens->len == 0)
    return pkm_lang_eval_node (eval, arg->a, FALSE, error);
  saved = shell->menu;
  shell->menu = command_menu (shell, tokens);
  value = pkm_lang_eval_node (eval, arg->a, FALSE, error);
  g_free (shell->menu);
  shell->menu = saved;
  return value;
}

static PkmLangValue *
run_menu_command (PkmLangEval *eval, PkmLangNode *command, GError **error)
{
  g_auto (PkmTokens) tokens = { 0 };
  g_autoptr (PkmResult) result = NULL;

  pkm_tokens_init (&tokens);
  for (guint i = 0; i < command->children->len; i++)
    {
      PkmLangNode *arg = g_ptr_array_index (command->children, i);
      g_autoptr (PkmLangValue) value = NULL;
      g_autofree char *text = NULL;

      if (!not_block (eval, arg, error) || (value = eval_argument (eval, arg, &tokens, error)) == NULL
          || !not_code (eval, arg, value, error))
        return NULL;
      text = pkm_lang_value_to_arg (value);
      pkm_tokens_add (&tokens, arg->text, text);
    }
  if (command->has_where && (tokens.where = where_text (eval, command, error)) == NULL)
    return NULL;
  if (!eval->capture)
    {
      if (!pkm_dispatch (eval->shell, &tokens, error))
        {
          pkm_lang_error_at (eval, command);
          return NULL;
        }
      return pkm_lang_nil ();
    }
  if ((result = pkm_dispatch_capture (eval->shell, &tokens, error)) == NULL)
    {
      pkm_lang_error_at (eval, command);
      return NULL;
    }
  return result_value (result);
}

/* -- functions -- */

G_DEFINE_QUARK (pkm-lang-return, pkm_lang_return)

/* Runs @function (a code value) with @command's arguments after its first
 * word: $1, $2... the positional ones, a variable each named one, $0 the
 * function's name. (transfer full) what it returned, nil without :return. */
static PkmLangValue *
call_function (PkmLangEval *eval, PkmLangValue *function, PkmLangNode *command, GError **error)
{
  PkmLangNode *first = g_ptr_array_index (command->children, 0);
  GPtrArray *caller_scopes = eval->scopes;
  gboolean caller_capture = eval->capture;
  PkmLangTree *caller_tree = eval->tree;
  g_autoptr (GPtrArray) scopes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr (GError) local = NULL;
  PkmLangValue *value;
  guint n_positional = 0;

  if (eval->call_depth >= PKM_LANG_MAX_DEPTH)
    {
      pkm_lang_fail (eval, command, error, "functions called more than %d deep", PKM_LANG_MAX_DEPTH);
      return NULL;
    }
  if (command->has_where)
    {
      pkm_lang_fail (eval, command, error, "where: a function takes no where");
      return NULL;
    }
  /* A call counts as a loop's turn: depth alone would let a function that
   * calls itself twice run for ever at 64 deep. */
  if (!pkm_lang_count_iteration (eval, command, error))
    return NULL;
  /* The arguments, evaluated where the call is, become the function's own
   * variables; the caller's locals it does not see (RouterOS's rule). */
  g_ptr_array_add (scopes, scope_new ());
  g_hash_table_replace (g_ptr_array_index (scopes, 0), g_strdup ("0"),
                        pkm_lang_str_take (g_strconcat ("$", first->a->text, NULL)));
  for (guint i = 1; i < command->children->len; i++)
    {
      PkmLangNode *arg = g_ptr_array_index (command->children, i);

      if (!not_block (eval, arg, error) || (value = pkm_lang_eval_node (eval, arg->a, TRUE, error)) == NULL)
        return NULL;
      g_hash_table_replace (g_ptr_array_index (scopes, 0),
                            arg->text != NULL ? g_strdup (arg->text) : g_strdup_printf ("%u", ++n_positional), value);
    }
  /* A function it defines in turn is in its script (a :parse's, perhaps). */
  eval->tree = pkm_lang_value_tree (function);
  eval->scopes = scopes;
  eval->capture = FALSE;
  eval->call_depth++;
  value = pkm_lang_eval_statements (eval, pkm_lang_value_code (function), &local);
  eval->call_depth--;
  eval->capture = caller_capture;
  eval->scopes = caller_scopes;
  eval->tree = caller_tree;
  if (value != NULL)
    {
      pkm_lang_value_unref (value);
      return pkm_lang_nil ();
    }
  if (g_error_matches (local, PKM_LANG_RETURN, 0))
    {
      value = eval->returned != NULL ? eval->returned : pkm_lang_nil ();
      eval->returned = NULL;
      return value;
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

static PkmLangValue *
eval_command (PkmLangEval *eval, PkmLangNode *command, GError **error)
{
  PkmLangNode *first = command->children->len > 0 ? g_ptr_array_index (command->children, 0) : NULL;
  const PkmLangBuiltin *builtin;
  PkmLangValue *function;

  if (first == NULL)
    return pkm_lang_nil ();
  if (first->a->kind == PKM_NODE_WORD && first->a->text[0] == ':'
      && (builtin = pkm_lang_builtin_find (first->a->text + 1)) != NULL)
    return pkm_lang_builtin_run (eval, builtin, command, error);
  /* $name first, holding a function: a call. */
  if (first->text == NULL && first->a->kind == PKM_NODE_VAR
      && (function = pkm_lang_var_lookup (eval, first->a->text)) != NULL
      && pkm_lang_value_type (function) == PKM_LANG_CODE)
    {
      g_autoptr (PkmLangValue) held = pkm_lang_value_ref (function);
      return call_function (eval, held, command, error);
    }
  return run_menu_command (eval, command, error);
}

/* -- values -- */

static PkmLangValue *
eval_index (PkmLangEval *eval, PkmLangNode *node, GError **error)
{
  g_autoptr (PkmLangValue) array = pkm_lang_eval_node (eval, node->a, TRUE, error);
  g_autoptr (PkmLangValue) key = NULL;
  PkmLangValue *element;

  if (array == NULL)
    return NULL;
  key = node->b->kind == PKM_NODE_WORD ? pkm_lang_str_new (node->b->text) : pkm_lang_eval_node (eval, node->b, TRUE, error);
  if (key == NULL)
    return NULL;
  if (pkm_lang_value_type (array) != PKM_LANG_ARRAY)
    {
      pkm_lang_fail (eval, node, error, "->: wrong type: %s is not an array",
                     pkm_lang_type_name (pkm_lang_value_type (array)));
      return NULL;
    }
  element = pkm_lang_array_lookup (array, key);
  return element != NULL ? pkm_lang_value_ref (element) : pkm_lang_nil ();
}

static PkmLangValue *
eval_binary (PkmLangEval *eval, PkmLangNode *node, GError **error)
{
  g_autoptr (PkmLangValue) a = NULL, b = NULL;
  PkmLangValue *result;
  gboolean logic = strcmp (node->text, "&&") == 0 || strcmp (node->text, "||") == 0;

  if (strcmp (node->text, "->") == 0)
    return eval_index (eval, node, error);
  if ((a = pkm_lang_eval_node (eval, node->a, TRUE, error)) == NULL)
    return NULL;
  /* && and || stop as soon as the left side decides. */
  if (logic && pkm_lang_value_type (a) == PKM_LANG_BOOL && pkm_lang_value_bool (a) == (node->text[0] == '|'))
    return g_steal_pointer (&a);
  if ((b = pkm_lang_eval_node (eval, node->b, TRUE, error)) == NULL)
    return NULL;
  if ((result = pkm_lang_binary (node->text, a, b, error)) == NULL)
    pkm_lang_error_at (eval, node);
  return result;
}

static PkmLangValue *
eval_concat (PkmLangEval *eval, PkmLangNode *node, GError **error)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < node->children->len; i++)
    {
      g_autoptr (PkmLangValue) piece = pkm_lang_eval_node (eval, g_ptr_array_index (node->children, i), FALSE, error);
      g_autofree char *shown = NULL;

      if (piece == NULL)
        return NULL;
      shown = pkm_lang_value_to_string (piece);
      g_string_append (text, shown);
      if (text->len > PKM_LANG_MAX_STRING)
        {
          pkm_lang_fail (eval, node, error, "a string longer than %d bytes", PKM_LANG_MAX_STRING);
          return NULL;
        }
    }
  return pkm_lang_str_new (text->str);
}

static PkmLangValue *
eval_array (PkmLangEval *eval, PkmLangNode *node, GError **error)
{
  g_autoptr (PkmLangValue) array = pkm_lang_array_new ();

  for (guint i = 0; i < node->children->len; i++)
    {
      PkmLangNode *element = g_ptr_array_index (node->children, i);
      PkmLangValue *value = pkm_lang_eval_node (eval, element->a, TRUE, error);

      if (value == NULL)
        return NULL;
      if (!pkm_lang_array_add (array, element->text, value))
        {
          pkm_lang_fail (eval, element, error, "an array of more than %d elements", PKM_LANG_MAX_ARRAY);
          return NULL;
        }
    }
  return g_steal_pointer (&array);
}

/* [ ... ]: its commands' results are values, not printed. */
static PkmLangValue *
eval_substitution (PkmLangEval *eval, PkmLangNode *node, GError **error)
{
  gboolean saved = eval->capture;
  PkmLangValue *value;

  eval->capture = TRUE;
  value = pkm_lang_eval_block (eval, node->a, error);
  eval->capture = saved;
  return value;
}

PkmLangValue *
pkm_lang_eval_node (PkmLangEval *eval, PkmLangNode *node, gboolean typed, GError **error)
{
  PkmLangValue *value;

  switch (node->kind)
    {
    case PKM_NODE_WORD: return typed ? pkm_lang_value_from_word (node->text) : pkm_lang_str_new (node->text);
    case PKM_NODE_STR: return pkm_lang_str_new (node->text);
    case PKM_NODE_LITERAL: return pkm_lang_value_ref (node->value);
    case PKM_NODE_VAR:
      if ((value = pkm_lang_var_lookup (eval, node->text)) == NULL)
        {
          pkm_lang_fail (eval, node, error, "$%s: no such variable", node->text);
          return NULL;
        }
      return pkm_lang_value_ref (value);
    case PKM_NODE_SUBST: return eval_substitution (eval, node, error);
    case PKM_NODE_ARRAY: return eval_array (eval, node, error);
    case PKM_NODE_CONCAT: return eval_concat (eval, node, error);
    case PKM_NODE_BINARY: return eval_binary (eval, node, error);
    case PKM_NODE_UNARY:
      {
        g_autoptr (PkmLangValue) a = pkm_lang_eval_node (eval, node->a, TRUE, error);
        if (a == NULL)
          return NULL;
        if ((value = pkm_lang_unary (node->text[0], a, error)) == NULL)
          pkm_lang_error_at (eval, node);
        return value;
      }
    case PKM_NODE_BLOCK: return pkm_lang_eval_block (eval, node, error);
    case PKM_NODE_COMMAND: return eval_command (eval, node, error);
    default:
      pkm_lang_fail (eval, node, error, "cannot be evaluated");
      return NULL;
    }
}

PkmLangValue *
pkm_lang_eval_statements (PkmLangEval *eval, PkmLangNode *block, GError **error)
{
  PkmLangValue *last = pkm_lang_nil ();

  for (guint i = 0; i < block->children->len; i++)
    {
      pkm_lang_value_unref (last);
      if ((last = pkm_lang_eval_node (eval, g_ptr_array_index (block->children, i), FALSE, error)) == NULL)
        return NULL;
    }
  return last;
}

PkmLangValue *
pkm_lang_eval_block (PkmLangEval *eval, PkmLangNode *block, GError **error)
{
  PkmLangValue *value;

  pkm_lang_scope_push (eval);
  value = pkm_lang_eval_statements (eval, block, error);
  pkm_lang_scope_pop (eval);
  return value;
}

gboolean
pkm_lang_run (PkmShell *shell, const char *text, const char *source, GError **error)
{
  PkmLangNode *script = NULL;
  g_autoptr (PkmLangTree) tree = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (PkmLangValue) value = NULL;
  PkmLangEval eval = { .shell = shell, .source = source };

  if ((script = pkm_lang_parse (text, &local)) == NULL)
    {
      if (source == NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, local->domain, local->code, "%s:%s", source, local->message);
      return FALSE;
    }
  eval.tree = tree = pkm_lang_tree_new (script);
  eval.source = source != NULL ? source : "terminal";
  if (shell->import_depth == 0)
    shell->lang_iterations = 0;
  eval.scopes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  value = pkm_lang_eval_block (&eval, script, &local);
  g_ptr_array_unref (eval.scopes);
  g_clear_pointer (&eval.returned, pkm_lang_value_unref);
  if (value == NULL)
    {
      if (source == NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, local->domain, local->code, "%s:%u:%u: %s", source, eval.error_line, eval.error_column,
                     local->message);
      return FALSE;
    }
  return TRUE;
}
