/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The RouterOS scripting language: a scanner with lines and columns, a
 * parser to a tree of bounded depth, values, an evaluator and the
 * :commands. Menu commands inside it go to pkm_dispatch as before. */

#include "pkm-shell-private.h"

G_BEGIN_DECLS

/* Bounds, so that no script runs away: depth of nesting in the text, loop
 * iterations of one run, the size of one string and one array. */
#define PKM_LANG_MAX_DEPTH 64
#define PKM_LANG_MAX_ITERATIONS 1000000
#define PKM_LANG_MAX_STRING (1024 * 1024)
#define PKM_LANG_MAX_ARRAY 100000

/* -- pkm-lang-value.c -- */
typedef enum {
  PKM_LANG_NIL,
  PKM_LANG_STR,
  PKM_LANG_NUM,
  PKM_LANG_BOOL,
  PKM_LANG_TIME, /* seconds */
  PKM_LANG_ID,   /* an item's id, *1A */
  PKM_LANG_ARRAY,
  PKM_LANG_CODE, /* a function: do={ } of :local, :global or :set, or :parse's */
} PkmLangType;

typedef struct _PkmLangValue PkmLangValue;
typedef struct _PkmLangNode PkmLangNode;

/* A parsed script, shared: a function defined in it (a code value) keeps
 * it alive after its run, as a :global function at the prompt needs. */
typedef struct _PkmLangTree PkmLangTree;
PkmLangTree *pkm_lang_tree_new (PkmLangNode *take_root);
PkmLangTree *pkm_lang_tree_ref (PkmLangTree *tree);
void pkm_lang_tree_unref (PkmLangTree *tree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmLangTree, pkm_lang_tree_unref)

/* Values are immutable and shared by reference. */
PkmLangValue *pkm_lang_nil (void);
PkmLangValue *pkm_lang_str_new (const char *text);
PkmLangValue *pkm_lang_str_take (char *text);
PkmLangValue *pkm_lang_num_new (gint64 num);
PkmLangValue *pkm_lang_bool_new (gboolean b);
PkmLangValue *pkm_lang_time_new (gint64 seconds);
PkmLangValue *pkm_lang_id_new (gint64 id);
/* A function: @block of @tree, which it keeps. */
PkmLangValue *pkm_lang_code_new (PkmLangTree *tree, PkmLangNode *block);
/* (transfer none): a code value's block, and the script it is in. */
PkmLangNode *pkm_lang_value_code (const PkmLangValue *value);
PkmLangTree *pkm_lang_value_tree (const PkmLangValue *value);
/* An empty array, filled with pkm_lang_array_add before it is shared. */
PkmLangValue *pkm_lang_array_new (void);
/* @key (nullable): an element of a keyed array. FALSE past PKM_LANG_MAX_ARRAY. */
gboolean pkm_lang_array_add (PkmLangValue *array, const char *key, PkmLangValue *take);
PkmLangValue *pkm_lang_value_ref (PkmLangValue *value);
void pkm_lang_value_unref (PkmLangValue *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmLangValue, pkm_lang_value_unref)

PkmLangType pkm_lang_value_type (const PkmLangValue *value);
const char *pkm_lang_type_name (PkmLangType type);
gint64 pkm_lang_value_int (const PkmLangValue *value); /* num, time, id */
gboolean pkm_lang_value_bool (const PkmLangValue *value);
const char *pkm_lang_value_str (const PkmLangValue *value); /* str only */
guint pkm_lang_array_len (const PkmLangValue *value);
/* (transfer none) element @i; its key (nullable) in *@key. */
PkmLangValue *pkm_lang_array_nth (const PkmLangValue *value, guint i, const char **key);
/* (transfer none) (nullable): the element at @key: a name, or an index for a list. */
PkmLangValue *pkm_lang_array_lookup (const PkmLangValue *array, const PkmLangValue *key);

/* (transfer full): as :put and :tostr write it (time 1d02:00:00, arrays a;b). */
char *pkm_lang_value_to_string (const PkmLangValue *value);
/* (transfer full): as a command's argument takes it (time 1d2h, arrays a,b). */
char *pkm_lang_value_to_arg (const PkmLangValue *value);
/* A word of a :command typed: a number, a time, true/false, or the text as a str. */
PkmLangValue *pkm_lang_value_from_word (const char *text);
/* (transfer full): a command's GVariant as a value: s str ("*1A" an id),
 * b bool, t and x num, as and a{sv} arrays. */
PkmLangValue *pkm_lang_value_from_variant (GVariant *variant, const char *key);

/* -- pkm-lang-ops.c: operators -- */
/* (transfer full) (nullable): @a @op @b; NULL with @error for a wrong type. */
PkmLangValue *pkm_lang_binary (const char *op, PkmLangValue *a, PkmLangValue *b, GError **error);
PkmLangValue *pkm_lang_unary (char op, PkmLangValue *a, GError **error);

/* -- pkm-lang-lex.c: the text under the parser, with lines and columns -- */
typedef struct {
  const char *text, *p;
  guint line, column; /* of *p, from 1 */
} PkmLangScanner;

void pkm_lang_scanner_init (PkmLangScanner *scanner, const char *text);
/* Moves past one character, counting lines. */
void pkm_lang_advance (PkmLangScanner *scanner);
/* Blanks, and `\` at the end of a line; with @newlines also line ends. */
/* A blank between words (space, tab, CR); a newline ends a statement. */
gboolean pkm_lang_is_blank (char c);
void pkm_lang_skip_blanks (PkmLangScanner *scanner, gboolean newlines);
/* Whether the text at the scanner starts with @s (no move). */
gboolean pkm_lang_looking_at (PkmLangScanner *scanner, const char *s);
/* Moves past @s when the text starts with it. */
gboolean pkm_lang_accept (PkmLangScanner *scanner, const char *s);
/* (transfer full) (nullable): a name of a variable or a parameter: letters,
 * digits, - _ . ; NULL when none is there. */
char *pkm_lang_read_name (PkmLangScanner *scanner);
/* Whether @c can be in such a name. */
gboolean pkm_lang_is_name_char (char c);

/* -- pkm-lang-parse.c: the tree -- */
typedef enum {
  PKM_NODE_BLOCK,   /* children: statements */
  PKM_NODE_COMMAND, /* children: PKM_NODE_ARG; where: pieces */
  PKM_NODE_ARG,     /* text: the name (nullable); a: the value */
  PKM_NODE_WORD,    /* text: a bare word, typed only where a :command reads it */
  PKM_NODE_STR,     /* text: a "..." piece */
  PKM_NODE_LITERAL, /* value: a number, time or bool of an expression */
  PKM_NODE_VAR,     /* text: the name */
  PKM_NODE_SUBST,   /* a: a block run for its value, [ ... ] */
  PKM_NODE_ARRAY,   /* children: PKM_NODE_ARG (keyed or not) */
  PKM_NODE_CONCAT,  /* children: pieces of one word or string, joined as text */
  PKM_NODE_BINARY,  /* text: the operator; a, b */
  PKM_NODE_UNARY,   /* text: ! or -; a */
} PkmNodeKind;

struct _PkmLangNode {
  PkmNodeKind kind;
  guint line, column;
  char *text;
  PkmLangValue *value;
  PkmLangNode *a, *b;
  GPtrArray *children; /* (element-type PkmLangNode) */
  GPtrArray *where;    /* (nullable) COMMAND: pieces of the where text (WORD, STR, VAR) */
  gboolean has_where;
};

void pkm_lang_node_free (PkmLangNode *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmLangNode, pkm_lang_node_free)
/* (transfer full) (nullable): the script as a block; NULL with @error
 * "LINE:COLUMN: reason" for bad syntax. */
PkmLangNode *pkm_lang_parse (const char *text, GError **error);

/* -- pkm-lang-builtins.c: the :commands, a table -- */
typedef struct _PkmLangEval PkmLangEval;
typedef struct _PkmLangBuiltin PkmLangBuiltin;
/* (nullable) */
const PkmLangBuiltin *pkm_lang_builtin_find (const char *name);
/* Whether @builtin's argument @name (NULL: the positional one at @index) is
 * code, so that its { } is a block and not an array. */
gboolean pkm_lang_builtin_takes_code (const PkmLangBuiltin *builtin, const char *name, guint index);
/* Runs @command, whose first argument names @builtin; (transfer full) its value. */
PkmLangValue *pkm_lang_builtin_run (PkmLangEval *eval, const PkmLangBuiltin *builtin, PkmLangNode *command,
                                    GError **error);

/* -- pkm-lang-eval.c -- */
struct _PkmLangEval {
  PkmShell *shell;
  const char *source; /* the script's name: :jobname */
  GPtrArray *scopes;  /* (element-type GHashTable) name -> PkmLangValue, innermost last */
  PkmLangTree *tree;  /* the script running, for the functions it defines */
  gboolean capture; /* inside [ ]: menu commands answer values */
  guint call_depth;       /* functions running, one inside another */
  PkmLangValue *returned; /* (nullable) what :return gave, on its way to the call */
  gboolean fatal;   /* the error being raised stops the script: no on-error catches it */
  guint error_line, error_column; /* where the error being raised began */
};

PkmLangValue *pkm_lang_eval_node (PkmLangEval *eval, PkmLangNode *node, gboolean typed, GError **error);
/* Runs @block's statements in a new scope; (transfer full) the last one's value. */
PkmLangValue *pkm_lang_eval_block (PkmLangEval *eval, PkmLangNode *block, GError **error);
/* Runs @block without a scope of its own (a loop body sets its variable first). */
PkmLangValue *pkm_lang_eval_statements (PkmLangEval *eval, PkmLangNode *block, GError **error);
void pkm_lang_scope_push (PkmLangEval *eval);
void pkm_lang_scope_pop (PkmLangEval *eval);
/* (transfer none) (nullable) */
PkmLangValue *pkm_lang_var_lookup (PkmLangEval *eval, const char *name);
void pkm_lang_var_local (PkmLangEval *eval, const char *name, PkmLangValue *take);
void pkm_lang_var_global (PkmLangEval *eval, const char *name, PkmLangValue *take);
/* FALSE when no variable @name is in reach. */
gboolean pkm_lang_var_set (PkmLangEval *eval, const char *name, PkmLangValue *take);
/* One more loop iteration: FALSE with @error past PKM_LANG_MAX_ITERATIONS. */
gboolean pkm_lang_count_iteration (PkmLangEval *eval, PkmLangNode *at, GError **error);
/* Notes @node as where the error being raised began, unless one is noted. */
void pkm_lang_error_at (PkmLangEval *eval, PkmLangNode *node);
/* Sets @error at @node. */
void pkm_lang_fail (PkmLangEval *eval, PkmLangNode *node, GError **error, const char *format, ...)
  G_GNUC_PRINTF (4, 5);
/* :return's way out of a function: an error of this domain, which no
 * on-error catches, carries it to the call (eval->returned holds the value). */
#define PKM_LANG_RETURN (pkm_lang_return_quark ())
GQuark pkm_lang_return_quark (void);
/* Writes @text as a line to the shell's output. */
void pkm_lang_put (PkmLangEval *eval, const char *text);


G_END_DECLS
