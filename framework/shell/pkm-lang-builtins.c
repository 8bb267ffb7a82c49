/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-lang-private.h"

/* The :commands, a table: each names its positional count, the named
 * arguments it takes and which of them are code ({ } read as a block, not an
 * array). The arguments are checked against the table before one runs, and
 * each reads them unevaluated, so :if runs only the branch it takes. */

typedef struct {
  PkmLangNode *command;
  GPtrArray *positional; /* (element-type PkmLangNode) the values */
  GHashTable *named;     /* name -> PkmLangNode, the value */
} PkmLangArgs;

typedef PkmLangValue *(*PkmLangBuiltinFunc) (PkmLangEval *eval, PkmLangArgs *args, GError **error);

struct _PkmLangBuiltin {
  const char *name;
  PkmLangBuiltinFunc run;
  guint min_positional, max_positional;
  const char *const *named; /* NULL-terminated, nullable */
  const char *const *code;  /* the named ones that are code; "" the positional ones */
  const char *help;
};

/* -- reading arguments -- */

static PkmLangNode *
named (PkmLangArgs *args, const char *name)
{
  return g_hash_table_lookup (args->named, name);
}

static PkmLangValue *
value_of (PkmLangEval *eval, PkmLangNode *node, GError **error)
{
  return pkm_lang_eval_node (eval, node, TRUE, error);
}

static PkmLangValue *
positional (PkmLangEval *eval, PkmLangArgs *args, guint i, GError **error)
{
  return value_of (eval, g_ptr_array_index (args->positional, i), error);
}

/* A variable's name: as written, or what a word evaluates to. */
static char *
name_of (PkmLangEval *eval, PkmLangNode *node, GError **error)
{
  g_autoptr (PkmLangValue) value = NULL;

  if (node->kind == PKM_NODE_WORD)
    return g_strdup (node->text);
  if ((value = pkm_lang_eval_node (eval, node, FALSE, error)) == NULL)
    return NULL;
  return pkm_lang_value_to_string (value);
}

/* The block of a code argument, or an error when it was given as a value. */
static PkmLangNode *
code_of (PkmLangEval *eval, PkmLangArgs *args, const char *name, GError **error)
{
  PkmLangNode *node = named (args, name);

  if (node != NULL && node->kind != PKM_NODE_BLOCK)
    {
      pkm_lang_fail (eval, node, error, "%s: code in { } is expected", name);
      return NULL;
    }
  return node;
}

/* A condition: a bool, nothing else. */
static gboolean
condition (PkmLangEval *eval, PkmLangNode *node, gboolean *out, GError **error)
{
  g_autoptr (PkmLangValue) value = value_of (eval, node, error);

  if (value == NULL)
    return FALSE;
  if (pkm_lang_value_type (value) != PKM_LANG_BOOL)
    {
      pkm_lang_fail (eval, node, error, "wrong type: the condition is %s, not bool",
                     pkm_lang_type_name (pkm_lang_value_type (value)));
      return FALSE;
    }
  *out = pkm_lang_value_bool (value);
  return TRUE;
}

/* Runs @block in a scope of its own, with @name (nullable) set in it. */
static gboolean
run_body (PkmLangEval *eval, PkmLangNode *block, const char *name, PkmLangValue *take, const char *name2,
          PkmLangValue *take2, GError **error)
{
  g_autoptr (PkmLangValue) value = NULL;

  pkm_lang_scope_push (eval);
  if (name != NULL)
    pkm_lang_var_local (eval, name, take);
  if (name2 != NULL)
    pkm_lang_var_local (eval, name2, take2);
  value = block != NULL ? pkm_lang_eval_statements (eval, block, error) : pkm_lang_nil ();
  pkm_lang_scope_pop (eval);
  return value != NULL;
}

/* Whether an error raised inside a body may be caught (a runaway's may not). */
static gboolean
catch (PkmLangEval *eval, GError **error, char **out_message)
{
  GError *caught = error != NULL ? *error : NULL;

  /* :return on its way to the call is no error to catch either. */
  if (caught == NULL || eval->fatal || caught->domain == PKM_LANG_RETURN)
    return FALSE;
  if (out_message != NULL)
    *out_message = g_strdup (caught->message);
  g_clear_error (error);
  eval->error_line = eval->error_column = 0;
  return TRUE;
}

/* -- the commands -- */

static PkmLangValue *
do_put (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  g_autoptr (PkmLangValue) value = args->positional->len > 0 ? positional (eval, args, 0, error) : pkm_lang_nil ();
  g_autofree char *text = NULL;

  if (value == NULL)
    return NULL;
  text = pkm_lang_value_to_string (value);
  pkm_lang_put (eval, text);
  return pkm_lang_nil ();
}

typedef enum { DECLARE_LOCAL, DECLARE_GLOBAL, DECLARE_SET } PkmDeclare;

static PkmLangValue *
declare (PkmLangEval *eval, PkmLangArgs *args, PkmDeclare how, GError **error)
{
  PkmLangNode *at = g_ptr_array_index (args->positional, 0);
  g_autofree char *name = name_of (eval, at, error);
  PkmLangValue *value;

  if (name == NULL)
    return NULL;
  if (*name == '\0' || strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen (name))
    {
      pkm_lang_fail (eval, at, error, "%s: not a variable name (letters, digits and _)", name);
      return NULL;
    }
  if (named (args, "do") != NULL)
    {
      /* :local NAME do={ }: a function. */
      PkmLangNode *body = code_of (eval, args, "do", error);
      if (body == NULL)
        return NULL;
      if (args->positional->len > 1)
        {
          pkm_lang_fail (eval, g_ptr_array_index (args->positional, 1), error,
                         "%s: a value or do={ }, not both", name);
          return NULL;
        }
      value = pkm_lang_code_new (eval->tree, body);
    }
  else if ((value = args->positional->len > 1 ? positional (eval, args, 1, error) : pkm_lang_nil ()) == NULL)
    return NULL;
  if (how == DECLARE_LOCAL)
    pkm_lang_var_local (eval, name, value);
  else if (how == DECLARE_GLOBAL)
    pkm_lang_var_global (eval, name, value);
  else if (!pkm_lang_var_set (eval, name, value))
    {
      pkm_lang_fail (eval, at, error, "$%s: no such variable (declare it with :local or :global)", name);
      return NULL;
    }
  return pkm_lang_nil ();
}

static PkmLangValue *do_local (PkmLangEval *e, PkmLangArgs *a, GError **error) { return declare (e, a, DECLARE_LOCAL, error); }
static PkmLangValue *do_global (PkmLangEval *e, PkmLangArgs *a, GError **error) { return declare (e, a, DECLARE_GLOBAL, error); }
static PkmLangValue *do_set (PkmLangEval *e, PkmLangArgs *a, GError **error) { return declare (e, a, DECLARE_SET, error); }

static PkmLangValue *
do_if (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  PkmLangNode *then = code_of (eval, args, "do", error), *otherwise;
  gboolean yes;

  if ((then == NULL && *error != NULL) || !condition (eval, g_ptr_array_index (args->positional, 0), &yes, error))
    return NULL;
  otherwise = code_of (eval, args, "else", error);
  if (otherwise == NULL && *error != NULL)
    return NULL;
  if (!run_body (eval, yes ? then : otherwise, NULL, NULL, NULL, NULL, error))
    return NULL;
  return pkm_lang_nil ();
}

static PkmLangValue *
do_while (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  PkmLangNode *body = code_of (eval, args, "do", error);
  gboolean yes;

  if (body == NULL && *error != NULL)
    return NULL;
  for (;;)
    {
      if (!condition (eval, g_ptr_array_index (args->positional, 0), &yes, error))
        return NULL;
      if (!yes)
        return pkm_lang_nil ();
      if (!pkm_lang_count_iteration (eval, args->command, error) || !run_body (eval, body, NULL, NULL, NULL, NULL, error))
        return NULL;
    }
}

/* :do { } on-error={ } and :do { } while=( ). */
static PkmLangValue *
do_do (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  PkmLangNode *body = g_ptr_array_index (args->positional, 0);
  PkmLangNode *on_error = code_of (eval, args, "on-error", error);
  PkmLangNode *again = named (args, "while");
  gboolean yes = TRUE;

  if (on_error == NULL && *error != NULL)
    return NULL;
  if (body->kind != PKM_NODE_BLOCK)
    {
      pkm_lang_fail (eval, body, error, ":do: code in { } is expected");
      return NULL;
    }
  while (yes)
    {
      if (!pkm_lang_count_iteration (eval, args->command, error))
        return NULL;
      if (!run_body (eval, body, NULL, NULL, NULL, NULL, error))
        {
          if (on_error == NULL || !catch (eval, error, NULL))
            return NULL;
          return run_body (eval, on_error, NULL, NULL, NULL, NULL, error) ? pkm_lang_nil () : NULL;
        }
      if (again == NULL)
        break;
      if (!condition (eval, again, &yes, error))
        return NULL;
    }
  return pkm_lang_nil ();
}

/* :onerror e in={ } do={ }: true when in= failed, and do= ran with $e the message. */
static PkmLangValue *
do_onerror (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  g_autofree char *name = name_of (eval, g_ptr_array_index (args->positional, 0), error);
  PkmLangNode *body = NULL;
  PkmLangNode *handler = NULL;
  g_autofree char *message = NULL;

  /* One error at a time: each read only when the one before succeeded. */
  if (name == NULL || ((body = code_of (eval, args, "in", error)) == NULL && *error != NULL))
    return NULL;
  /* Without in= there is nothing whose failure it could catch. */
  if (body == NULL)
    {
      pkm_lang_fail (eval, g_ptr_array_index (args->positional, 0), error, ":onerror: in= is required");
      return NULL;
    }
  if ((handler = code_of (eval, args, "do", error)) == NULL && *error != NULL)
    return NULL;
  if (run_body (eval, body, NULL, NULL, NULL, NULL, error))
    return pkm_lang_bool_new (FALSE);
  if (!catch (eval, error, &message))
    return NULL;
  if (!run_body (eval, handler, name, pkm_lang_str_take (g_steal_pointer (&message)), NULL, NULL, error))
    return NULL;
  return pkm_lang_bool_new (TRUE);
}

/* :foreach X in=... do={ }, or :foreach K,V in=... for keys and values. */
static PkmLangValue *
do_foreach (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  g_autofree char *names = name_of (eval, g_ptr_array_index (args->positional, 0), error);
  PkmLangNode *body = names != NULL ? code_of (eval, args, "do", error) : NULL;
  g_autoptr (PkmLangValue) list = NULL;
  g_auto (GStrv) parts = NULL;
  const char *key_name = NULL, *value_name;

  if (names == NULL || (body == NULL && *error != NULL))
    return NULL;
  if (named (args, "in") == NULL)
    {
      pkm_lang_fail (eval, args->command, error, "in: required");
      return NULL;
    }
  if ((list = value_of (eval, named (args, "in"), error)) == NULL)
    return NULL;
  parts = g_strsplit (names, ",", 2);
  value_name = parts[0];
  if (parts[1] != NULL)
    key_name = parts[0], value_name = parts[1];
  if (pkm_lang_value_type (list) != PKM_LANG_ARRAY)
    {
      if (!pkm_lang_count_iteration (eval, args->command, error)
          || !run_body (eval, body, value_name, pkm_lang_value_ref (list), NULL, NULL, error))
        return NULL;
      return pkm_lang_nil ();
    }
  for (guint i = 0; i < pkm_lang_array_len (list); i++)
    {
      const char *key;
      PkmLangValue *element = pkm_lang_array_nth (list, i, &key);
      PkmLangValue *key_value = key != NULL ? pkm_lang_str_new (key) : pkm_lang_num_new (i);

      if (key_name == NULL)
        pkm_lang_value_unref (key_value);
      if (!pkm_lang_count_iteration (eval, args->command, error)
          || !run_body (eval, body, value_name, pkm_lang_value_ref (element), key_name,
                        key_name != NULL ? key_value : NULL, error))
        return NULL;
    }
  return pkm_lang_nil ();
}

static gboolean
number_arg (PkmLangEval *eval, PkmLangArgs *args, const char *name, gint64 fallback, gint64 *out, GError **error)
{
  g_autoptr (PkmLangValue) value = NULL;

  *out = fallback;
  if (named (args, name) == NULL)
    return TRUE;
  if ((value = value_of (eval, named (args, name), error)) == NULL)
    return FALSE;
  if (pkm_lang_value_type (value) != PKM_LANG_NUM)
    {
      pkm_lang_fail (eval, named (args, name), error, "%s: wrong type: %s, not num", name,
                     pkm_lang_type_name (pkm_lang_value_type (value)));
      return FALSE;
    }
  *out = pkm_lang_value_int (value);
  return TRUE;
}

/* :for i from=1 to=10 step=1 do={ } */
static PkmLangValue *
do_for (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  g_autofree char *name = name_of (eval, g_ptr_array_index (args->positional, 0), error);
  /* One error at a time: the body is read only when the name was. */
  PkmLangNode *body = name != NULL ? code_of (eval, args, "do", error) : NULL;
  gint64 from, to, step;

  if (name == NULL || (body == NULL && *error != NULL) || !number_arg (eval, args, "from", 0, &from, error)
      || !number_arg (eval, args, "to", 0, &to, error) || !number_arg (eval, args, "step", from <= to ? 1 : -1, &step, error))
    return NULL;
  if (step == 0)
    {
      pkm_lang_fail (eval, named (args, "step"), error, "step: 0 would never end");
      return NULL;
    }
  for (gint64 i = from; step > 0 ? i <= to : i >= to; i += step)
    {
      if (!pkm_lang_count_iteration (eval, args->command, error)
          || !run_body (eval, body, name, pkm_lang_num_new (i), NULL, NULL, error))
        return NULL;
      if ((step > 0 && i > G_MAXINT64 - step) || (step < 0 && i < G_MININT64 - step))
        break;
    }
  return pkm_lang_nil ();
}

static PkmLangValue *
do_error (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  g_autoptr (PkmLangValue) value = positional (eval, args, 0, error);
  g_autofree char *text = NULL;

  if (value == NULL)
    return NULL;
  text = pkm_lang_value_to_string (value);
  pkm_lang_fail (eval, args->command, error, "%s", text);
  return NULL;
}

static PkmLangValue *
do_typeof (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  g_autoptr (PkmLangValue) value = positional (eval, args, 0, error);

  return value != NULL ? pkm_lang_str_new (pkm_lang_type_name (pkm_lang_value_type (value))) : NULL;
}

static PkmLangValue *
do_len (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  g_autoptr (PkmLangValue) value = positional (eval, args, 0, error);
  g_autofree char *text = NULL;

  if (value == NULL)
    return NULL;
  if (pkm_lang_value_type (value) == PKM_LANG_ARRAY)
    return pkm_lang_num_new (pkm_lang_array_len (value));
  if (pkm_lang_value_type (value) == PKM_LANG_NIL)
    return pkm_lang_num_new (0);
  text = pkm_lang_value_to_string (value);
  return pkm_lang_num_new ((gint64) strlen (text));
}

/* :pick TEXT|ARRAY START [END]: bytes or elements START..END-1 (END: START+1). */
static PkmLangValue *
do_pick (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  g_autoptr (PkmLangValue) value = positional (eval, args, 0, error);
  g_autoptr (PkmLangValue) start_value = NULL, end_value = NULL;
  g_autofree char *text = NULL;
  gint64 start, end, len;
  gboolean array;

  if (value == NULL || (start_value = positional (eval, args, 1, error)) == NULL)
    return NULL;
  if (args->positional->len > 2 && (end_value = positional (eval, args, 2, error)) == NULL)
    return NULL;
  if (pkm_lang_value_type (start_value) != PKM_LANG_NUM
      || (end_value != NULL && pkm_lang_value_type (end_value) != PKM_LANG_NUM))
    {
      pkm_lang_fail (eval, args->command, error, ":pick: wrong type: start and end are nums");
      return NULL;
    }
  array = pkm_lang_value_type (value) == PKM_LANG_ARRAY;
  if (!array)
    text = pkm_lang_value_to_string (value);
  len = array ? pkm_lang_array_len (value) : (gint64) strlen (text);
  start = CLAMP (pkm_lang_value_int (start_value), 0, len);
  end = end_value != NULL ? CLAMP (pkm_lang_value_int (end_value), start, len) : MIN (start + 1, len);
  if (!array)
    return pkm_lang_str_take (g_strndup (text + start, end - start));
  if (end_value == NULL)
    return start < len ? pkm_lang_value_ref (pkm_lang_array_nth (value, start, NULL)) : pkm_lang_nil ();
  {
    PkmLangValue *part = pkm_lang_array_new ();
    for (gint64 i = start; i < end; i++)
      {
        const char *key;
        PkmLangValue *element = pkm_lang_array_nth (value, i, &key);
        pkm_lang_array_add (part, key, pkm_lang_value_ref (element));
      }
    return part;
  }
}

static PkmLangValue *
do_tostr (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  g_autoptr (PkmLangValue) value = positional (eval, args, 0, error);

  return value != NULL ? pkm_lang_str_take (pkm_lang_value_to_string (value)) : NULL;
}

static PkmLangValue *
convert_failed (PkmLangEval *eval, PkmLangArgs *args, PkmLangValue *value, const char *to, GError **error)
{
  g_autofree char *text = pkm_lang_value_to_string (value);

  pkm_lang_fail (eval, args->command, error, "%s: wrong type: %s \"%.64s\" is not a %s", to,
                 pkm_lang_type_name (pkm_lang_value_type (value)), text, to + 3);
  return NULL;
}

static PkmLangValue *
do_tonum (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  g_autoptr (PkmLangValue) value = positional (eval, args, 0, error);
  gint64 n;

  if (value == NULL)
    return NULL;
  switch (pkm_lang_value_type (value))
    {
    case PKM_LANG_NUM:
    case PKM_LANG_TIME:
    case PKM_LANG_ID:
    case PKM_LANG_BOOL: return pkm_lang_num_new (pkm_lang_value_int (value));
    case PKM_LANG_STR:
      {
        g_autofree char *text = g_strstrip (g_strdup (pkm_lang_value_str (value)));
        if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &n, NULL))
          return pkm_lang_num_new (n);
      }
      /* fall through */
    default: return convert_failed (eval, args, value, ":tonum", error);
    }
}

static PkmLangValue *
do_totime (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  g_autoptr (PkmLangValue) value = positional (eval, args, 0, error);
  gint64 n;

  if (value == NULL)
    return NULL;
  switch (pkm_lang_value_type (value))
    {
    case PKM_LANG_TIME:
    case PKM_LANG_NUM: return pkm_lang_time_new (pkm_lang_value_int (value));
    case PKM_LANG_STR:
      if (pkm_duration_parse (pkm_lang_value_str (value), &n)
          || g_ascii_string_to_signed (pkm_lang_value_str (value), 10, 0, G_MAXINT64, &n, NULL))
        return pkm_lang_time_new (n);
      /* fall through */
    default: return convert_failed (eval, args, value, ":totime", error);
    }
}

static PkmLangValue *
do_toarray (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  g_autoptr (PkmLangValue) value = positional (eval, args, 0, error);
  PkmLangValue *array;

  if (value == NULL)
    return NULL;
  if (pkm_lang_value_type (value) == PKM_LANG_ARRAY)
    return g_steal_pointer (&value);
  array = pkm_lang_array_new ();
  if (pkm_lang_value_type (value) == PKM_LANG_STR)
    {
      g_auto (GStrv) parts = g_strsplit (pkm_lang_value_str (value), ",", PKM_LANG_MAX_ARRAY);
      for (guint i = 0; parts[i] != NULL && *pkm_lang_value_str (value) != '\0'; i++)
        pkm_lang_array_add (array, NULL, pkm_lang_value_from_word (parts[i]));
    }
  else if (pkm_lang_value_type (value) != PKM_LANG_NIL)
    pkm_lang_array_add (array, NULL, g_steal_pointer (&value));
  return array;
}

static PkmLangValue *
do_jobname (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  return pkm_lang_str_new (eval->source);
}

/* :log info|warning|error MESSAGE: /log's command of that name, in the store's log. */
static PkmLangValue *
do_log (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  static const char *const levels[] = { "info", "warning", "error", NULL };
  g_autofree char *level = name_of (eval, g_ptr_array_index (args->positional, 0), error);
  g_autoptr (PkmLangValue) message = NULL;
  g_autofree char *text = NULL;
  g_auto (PkmTokens) tokens = { 0 };
  g_autoptr (PkmResult) result = NULL;

  if (level == NULL || (message = positional (eval, args, 1, error)) == NULL)
    return NULL;
  if (!g_strv_contains (levels, level))
    {
      pkm_lang_fail (eval, g_ptr_array_index (args->positional, 0), error, ":log: %s is not one of info, warning, error",
                     level);
      return NULL;
    }
  text = pkm_lang_value_to_string (message);
  pkm_tokens_init (&tokens);
  pkm_tokens_add (&tokens, NULL, "/log");
  pkm_tokens_add (&tokens, NULL, level);
  pkm_tokens_add (&tokens, "message", text);
  if ((result = pkm_dispatch_capture (eval->shell, &tokens, error)) == NULL)
    {
      pkm_lang_error_at (eval, args->command);
      return NULL;
    }
  return pkm_lang_nil ();
}

/* :return VALUE: the function running gives VALUE and stops. */
static PkmLangValue *
do_return (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  PkmLangValue *value;

  if (eval->call_depth == 0)
    {
      pkm_lang_fail (eval, args->command, error, ":return: only inside a function (:local NAME do={ })");
      return NULL;
    }
  if ((value = args->positional->len > 0 ? positional (eval, args, 0, error) : pkm_lang_nil ()) == NULL)
    return NULL;
  g_clear_pointer (&eval->returned, pkm_lang_value_unref);
  eval->returned = value;
  g_set_error_literal (error, PKM_LANG_RETURN, 0, ":return outside a function");
  return NULL;
}

/* :parse TEXT: the text as a function, its syntax checked now. */
static PkmLangValue *
do_parse (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  g_autoptr (PkmLangValue) text = positional (eval, args, 0, error);
  g_autofree char *source = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (PkmLangTree) tree = NULL;
  PkmLangNode *root;

  if (text == NULL)
    return NULL;
  source = pkm_lang_value_to_string (text);
  if ((root = pkm_lang_parse (source, &local)) == NULL)
    {
      pkm_lang_fail (eval, args->command, error, ":parse: %s", local->message);
      return NULL;
    }
  tree = pkm_lang_tree_new (root);
  return pkm_lang_code_new (tree, root);
}

/* :delay TIME: waits (a num is seconds). */
static PkmLangValue *
do_delay (PkmLangEval *eval, PkmLangArgs *args, GError **error)
{
  g_autoptr (PkmLangValue) value = positional (eval, args, 0, error);

  if (value == NULL)
    return NULL;
  if ((pkm_lang_value_type (value) != PKM_LANG_TIME && pkm_lang_value_type (value) != PKM_LANG_NUM)
      || pkm_lang_value_int (value) < 0)
    {
      pkm_lang_fail (eval, args->command, error, ":delay: wrong type: %s, not a time",
                     pkm_lang_type_name (pkm_lang_value_type (value)));
      return NULL;
    }
  fflush (eval->shell->out);
  g_usleep ((gulong) MIN (pkm_lang_value_int (value), eval->shell->lang_delay_limit) * G_USEC_PER_SEC);
  return pkm_lang_nil ();
}

static const char *const no_names[] = { NULL };
static const char *const if_names[] = { "do", "else", NULL };
static const char *const do_names[] = { "on-error", "while", NULL };
static const char *const do_code[] = { "", "on-error", NULL };
static const char *const loop_names[] = { "do", NULL };
static const char *const foreach_names[] = { "in", "do", NULL };
static const char *const onerror_names[] = { "in", "do", NULL };
static const char *const for_names[] = { "from", "to", "step", "do", NULL };
static const char *const declare_names[] = { "do", NULL };

static const PkmLangBuiltin builtins[] = {
  { "put", do_put, 0, 1, no_names, no_names, "print a value" },
  { "local", do_local, 1, 2, declare_names, declare_names, "declare a variable (or do={ }, a function) of this block" },
  { "global", do_global, 1, 2, declare_names, declare_names, "declare a variable (or a function) of the session" },
  { "set", do_set, 1, 2, declare_names, declare_names, "change a variable" },
  { "return", do_return, 0, 1, no_names, no_names, "end the function with a value" },
  { "parse", do_parse, 1, 1, no_names, no_names, "text as a function" },
  { "delay", do_delay, 1, 1, no_names, no_names, "wait for a time" },
  { "if", do_if, 1, 1, if_names, if_names, "(condition) do={ } else={ }" },
  { "while", do_while, 1, 1, loop_names, loop_names, "(condition) do={ }" },
  { "do", do_do, 1, 1, do_names, do_code, "{ } on-error={ }, or { } while=(condition)" },
  { "onerror", do_onerror, 1, 1, onerror_names, onerror_names, "NAME in={ } do={ }: do= runs when in= fails" },
  { "foreach", do_foreach, 1, 1, foreach_names, loop_names, "NAME in=ARRAY do={ }" },
  { "for", do_for, 1, 1, for_names, loop_names, "NAME from=N to=N step=N do={ }" },
  { "error", do_error, 1, 1, no_names, no_names, "stop with an error" },
  { "typeof", do_typeof, 1, 1, no_names, no_names, "the type of a value" },
  { "len", do_len, 1, 1, no_names, no_names, "the length of a string or an array" },
  { "pick", do_pick, 2, 3, no_names, no_names, "part of a string or an array" },
  { "tostr", do_tostr, 1, 1, no_names, no_names, "a value as a str" },
  { "tonum", do_tonum, 1, 1, no_names, no_names, "a value as a num" },
  { "totime", do_totime, 1, 1, no_names, no_names, "a value as a time" },
  { "toarray", do_toarray, 1, 1, no_names, no_names, "a value as an array" },
  { "jobname", do_jobname, 0, 0, no_names, no_names, "the running script's name" },
  { "log", do_log, 2, 2, no_names, no_names, "info|warning|error MESSAGE: a line in /log" },
};

const PkmLangBuiltin *
pkm_lang_builtin_find (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    if (strcmp (builtins[i].name, name) == 0)
      return &builtins[i];
  return NULL;
}

gboolean
pkm_lang_builtin_takes_code (const PkmLangBuiltin *builtin, const char *name, guint index)
{
  return g_strv_contains (builtin->code, name != NULL ? name : "");
}

PkmLangValue *
pkm_lang_builtin_run (PkmLangEval *eval, const PkmLangBuiltin *builtin, PkmLangNode *command, GError **error)
{
  PkmLangArgs args = { command };
  PkmLangValue *value = NULL;

  args.positional = g_ptr_array_new ();
  args.named = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 1; i < command->children->len; i++)
    {
      PkmLangNode *arg = g_ptr_array_index (command->children, i);

      if (arg->text == NULL)
        g_ptr_array_add (args.positional, arg->a);
      else if (!g_strv_contains (builtin->named, arg->text))
        {
          pkm_lang_fail (eval, arg, error, "%s: no such parameter of :%s", arg->text, builtin->name);
          goto out;
        }
      else if (!g_hash_table_insert (args.named, arg->text, arg->a))
        {
          pkm_lang_fail (eval, arg, error, "%s: given twice", arg->text);
          goto out;
        }
    }
  if (command->has_where)
    {
      pkm_lang_fail (eval, command, error, "where: :%s takes no where", builtin->name);
      goto out;
    }
  if (args.positional->len < builtin->min_positional || args.positional->len > builtin->max_positional)
    {
      pkm_lang_fail (eval, command, error, ":%s: takes %u to %u values, not %u (%s)", builtin->name,
                     builtin->min_positional, builtin->max_positional, args.positional->len, builtin->help);
      goto out;
    }
  value = builtin->run (eval, &args, error);
out:
  g_ptr_array_unref (args.positional);
  g_hash_table_unref (args.named);
  return value;
}
