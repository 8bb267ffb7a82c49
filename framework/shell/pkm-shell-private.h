/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "shell/pkm-shell.h"

G_BEGIN_DECLS

struct _PkmShell {
  PkmContext *ctx;
  char *actor;
  char *files_dir;
  PkmOutputFormat format;
  FILE *out;
  FILE *err;
  char *menu; /* "" is the root */
  guint import_depth;
  GHashTable *bound_numbers; /* menu path -> GArray of ids: what its last print numbered */
};

/* -- pkm-call.c -- */
struct _PkmCall {
  PkmShell *shell;
  const PkmMenu *menu;
  const PkmCommand *command;
  GVariantDict *args;
  GHashTable *lists;   /* name -> GStrv, for pkm_call_get_list */
  GPtrArray *lines;    /* what pkm_call_print said */
  GVariantDict *result;
  GPtrArray *result_keys; /* the order the result keys were set */
  GHashTable *data;       /* pkm_call_set_data: key -> PkmCallData, kept across re-runs */
};

PkmCall *pkm_call_new (PkmShell *shell, const PkmMenu *menu, const PkmCommand *command);
void pkm_call_free (PkmCall *call);
/* Forgets what a run said (lines, result) before the command runs again. */
void pkm_call_reset (PkmCall *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmCall, pkm_call_free)

/* -- pkm-lexer.c -- */
typedef struct {
  char *name;  /* NULL for a bare word */
  char *value;
} PkmToken;

typedef struct {
  GPtrArray *tokens; /* (element-type PkmToken) */
  char *where;       /* the text after `where`, or NULL */
} PkmTokens;

gboolean pkm_lex_line (const char *line, PkmTokens *out, GError **error);
gboolean pkm_lex_argv (int argc, char **argv, PkmTokens *out, GError **error);
void pkm_tokens_clear (PkmTokens *tokens);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PkmTokens, pkm_tokens_clear)
/* Reads a "..." string at *p (after the opening quote) into @out; FALSE if unterminated. */
gboolean pkm_lex_quoted (const char **p, GString *out);

/* -- pkm-values.c -- */
/* Validates @raw for @param into the call's arguments (ITEM values are resolved later). */
gboolean pkm_value_parse (const PkmParam *param, const char *raw, GVariant **out, GError **error);
/* Resolves an ITEM value (a name or a number) to an id. */
gboolean pkm_value_resolve_item (PkmCall *call, const PkmParam *param, const char *raw, gint64 *out_id,
                                 GError **error);

/* -- pkm-numbers.c -- */
/* Binds the numbers 0..n-1 to @items' ids for the rest of the session. */
void pkm_numbers_bind (PkmShell *shell, const PkmMenu *menu, GPtrArray *items);
gboolean pkm_numbers_resolve (PkmCall *call, const PkmParam *param, const PkmMenu *menu, const char *raw,
                              gint64 *out_id, GError **error);

/* -- pkm-regex.c: bounded regular expressions for where's ~ -- */
typedef struct _PkmRegex PkmRegex;
PkmRegex *pkm_regex_new (const char *pattern, GError **error);
/* FALSE with @error when the match needs more steps than its bound. */
gboolean pkm_regex_match (PkmRegex *regex, const char *text, GError **error);
void pkm_regex_free (PkmRegex *regex);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmRegex, pkm_regex_free)

/* -- pkm-where.c -- */
typedef struct _PkmWhere PkmWhere;
PkmWhere *pkm_where_parse (const char *text, const PkmMenu *menu, GError **error);
/* FALSE with @error when matching failed (a ~ pattern past its step limit). */
gboolean pkm_where_match (PkmWhere *where, GVariant *item, GError **error);
void pkm_where_free (PkmWhere *where);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmWhere, pkm_where_free)
/* (transfer full): a property of an item as text ("" when absent). */
char *pkm_item_text (GVariant *item, const char *property);
gboolean pkm_item_truthy (GVariant *item, const char *property);

/* -- pkm-text.c -- */
/* (transfer full): @text as RouterOS prints it: \n \r \t by name, other
 * controls, DEL, format characters and bytes that are not UTF-8 as \XX;
 * with @quoted (inside "...") also \" and \\. NULL gives "". */
char *pkm_text_escape (const char *text, gboolean quoted);
/* The terminal columns @text takes: wide (CJK) characters 2, combining ones 0. */
guint pkm_text_width (const char *text);
/* Whether pkm_text_escape writes @c as \XX. */
gboolean pkm_text_char_escaped (gunichar c);
/* (transfer full): json-glib's output with the characters it leaves raw but
 * a terminal acts on (C1 controls, bidi overrides) as \uXXXX. */
char *pkm_text_json_tidy (const char *json);

/* -- pkm-print.c -- */
extern const PkmParam pkm_print_params[];
gboolean pkm_print_run (PkmCall *call, const char *where, GError **error);

/* -- pkm-output.c -- */
void pkm_output_call (PkmShell *shell, PkmCall *call);

/* -- pkm-script.c -- */
/* /import: runs a file of the files directory as a script; @start is its first argument token. */
gboolean pkm_shell_import (PkmShell *shell, PkmTokens *tokens, guint start, GError **error);

/* -- pkm-dispatch.c -- */
gboolean pkm_dispatch (PkmShell *shell, PkmTokens *tokens, GError **error);

G_END_DECLS
