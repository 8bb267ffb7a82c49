/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "pkm-shell.h"

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
  GHashTable *globals;       /* (nullable) scripts' :global variables: name -> PkmLangValue */
  guint64 lang_iterations;   /* loop iterations of the running script, its imports included */
  guint64 lang_iteration_limit; /* PKM_LANG_MAX_ITERATIONS; lower in the fuzz targets */
  gint64 lang_delay_limit;      /* seconds: the longest :delay (none at all in the fuzz targets) */
  gboolean interactive;      /* the prompt: output may be cut to the terminal and paged */
};

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
/* An empty list, for words built elsewhere (a script's evaluated command). */
void pkm_tokens_init (PkmTokens *tokens);
/* @name (nullable): a bare word. */
void pkm_tokens_add (PkmTokens *tokens, const char *name, const char *value);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PkmTokens, pkm_tokens_clear)

/* -- pkm-numbers.c -- */
/* Binds the numbers 0..n-1 to @ids for the rest of the session. */
void pkm_numbers_bind (PkmShell *shell, const char *menu_path, const gint64 *ids, guint n_ids);
/* (transfer full): the id ("*1A") of the item number @raw names in
 * @param's menu (@menu_path's, for an item of the command's own menu), as
 * the last print numbered it (printing first if none did). */
char *pkm_numbers_to_id (PkmShell *shell, const PkmParam *param, const char *menu_path, const char *raw,
                         GError **error);

/* -- pkm-text.c -- */
/* (transfer full): @text as RouterOS prints it: \n \r \t by name, other
 * controls, DEL, format characters and bytes that are not UTF-8 as \XX;
 * with @quoted (inside "...") also \" and \\. NULL gives "". */
char *pkm_text_escape (const char *text, gboolean quoted);
/* Whether @text is printable ASCII: pkm_text_escape (@text, FALSE) would copy it as it is. */
gboolean pkm_text_is_plain (const char *text);
/* The same inside "...": no quote or backslash either. */
gboolean pkm_text_is_plain_quoted (const char *text);
/* The length of @text when it is plain (as pkm_text_is_plain, or
 * pkm_text_is_plain_quoted when @quoted), which is also its width on
 * screen; -1 when it is not: one pass for a table's or detail's cell. */
gssize pkm_text_plain_length (const char *text, gboolean quoted);
/* The terminal columns @text takes: wide (CJK) characters 2, combining ones 0. */
guint pkm_text_width (const char *text);
/* (transfer full): @text cut to @width columns, ".." in its last two when
 * it is wider (print's table on a narrow terminal). */
char *pkm_text_cut (const char *text, guint width);
/* Whether pkm_text_escape writes @c as \XX. */
gboolean pkm_text_char_escaped (gunichar c);
/* (transfer full): json-glib's output with the characters it leaves raw but
 * a terminal acts on (C1 controls, bidi overrides) as \uXXXX. */
char *pkm_text_json_tidy (const char *json);
/* Appends @text to @out as a JSON string, escaped as pkm_text_json_tidy would
 * leave json-glib's, and every C0 control escaped. */
void pkm_text_json_string (GString *out, const char *text);

/* -- pkm-render.c -- */
/* Writes what print returned: table, detail, as-value, value-list, count
 * or JSON; to the files directory with file=. */
gboolean pkm_render_print (PkmShell *shell, PkmResult *result, GError **error);
/* (transfer full) (nullable): the properties a print with these options
 * will show (PkmInvocation.properties), NULL-terminated; NULL for all. */
GPtrArray *pkm_render_print_properties (PkmShell *shell, const PkmMenu *menu, GHashTable *given);

/* -- pkm-pager.c: what an interactive terminal gets -- */
/* TRUE when @shell writes to an interactive terminal: its size then. */
gboolean pkm_pager_terminal_size (PkmShell *shell, guint *out_columns, guint *out_rows);
/* Writes @text to the shell's output; on an interactive terminal, longer
 * than a screen and with @paging, a screen at a time behind RouterOS's
 * "-- [Q quit|D dump|down]". */
void pkm_pager_write (PkmShell *shell, const char *text, gboolean paging);
/* TRUE when pkm_pager_write would stop after a screen (so the text must be
 * whole first); otherwise text may go out in pieces as it is made. */
gboolean pkm_pager_pages (PkmShell *shell, gboolean paging);

/* -- pkm-output.c -- */
/* Writes what any other command returned: its messages and values, or JSON. */
void pkm_output_result (PkmShell *shell, PkmResult *result);

/* -- pkm-lang-eval.c: the scripting language (pkm-lang-private.h) -- */
gboolean pkm_lang_run (PkmShell *shell, const char *text, const char *source, GError **error);
void pkm_lang_globals_free (GHashTable *globals);

/* -- pkm-script.c -- */
/* /import: runs a file of the files directory as a script; @start is its first argument token. */
gboolean pkm_shell_import (PkmShell *shell, PkmTokens *tokens, guint start, GError **error);

/* -- pkm-resolve.c: a unique prefix names a word, the whole name wins -- */
/* The shell's own /import, as a command of the tables would describe it. */
extern const PkmCommand pkm_shell_import_command;
/* *@out_name: the one of @names (element-type utf8) that @typed is, or
 * begins; NULL when none. FALSE when it begins several:
 * "s: ambiguous, could be: set, sign, scep-server". */
gboolean pkm_resolve_name (const char *typed, GPtrArray *names, const char **out_name, GError **error);
/* (transfer full) (element-type utf8): the next words of the menus below @path ("" the root). */
GPtrArray *pkm_resolve_submenus (PkmContext *ctx, const char *path);
/* (transfer container) (element-type utf8): @menu's commands, print for a
 * menu with items, and at the root the shell's import. */
GPtrArray *pkm_resolve_commands (const PkmMenu *menu, const char *path);
/* (nullable): the command called @name (whole) of @menu at @path, import included. */
const PkmCommand *pkm_resolve_find_command (const PkmMenu *menu, const char *path, const char *name);
typedef enum {
  PKM_STEP_NONE,
  PKM_STEP_MENU,    /* *out_next: the submenu's path */
  PKM_STEP_COMMAND, /* *out_next: the command's whole name */
} PkmStep;
/* What the word @typed names at @path. */
gboolean pkm_resolve_step (PkmContext *ctx, const char *path, const char *typed, PkmStep *out_step, char **out_next,
                           GError **error);
/* A v7 path ("/cert/crl", "/certificate/print" when @command_allowed): the
 * menu in *@out_path, and the command its last word names in *@out_command
 * (NULL when none). */
gboolean pkm_resolve_absolute (PkmContext *ctx, const char *word, gboolean command_allowed, char **out_path,
                               char **out_command, GError **error);
/* Consumes the path words at the front of @tokens; *@out_index: the first
 * other word (its value made the command's whole name when it names one). */
gboolean pkm_resolve_path (PkmShell *shell, PkmTokens *tokens, char **out_path, guint *out_index, GError **error);
/* *@out: @command's parameter that @typed names (with @words_only, only
 * those set by a bare word), or NULL. */
gboolean pkm_resolve_param (const PkmCommand *command, const char *typed, gboolean words_only, const PkmParam **out,
                            GError **error);
/* (transfer full): @value with each choice of an ENUM or ENUM_LIST @param
 * that it begins made whole; other values as they are. */
char *pkm_resolve_choices (const PkmParam *param, const char *value, GError **error);

/* -- pkm-partial.c: how far a line being typed has come -- */
typedef enum {
  PKM_PARTIAL_MENU,     /* a submenu or a command of @path */
  PKM_PARTIAL_ARGUMENT, /* a parameter of @command, a flag word, or the positional value */
  PKM_PARTIAL_VALUE,    /* the value of @param */
  PKM_PARTIAL_WHERE,    /* a property of @menu's items, in print's condition */
} PkmPartialKind;

typedef struct {
  PkmPartialKind kind;
  char *path;                /* the menu reached ("" the root) */
  const PkmMenu *menu;       /* (nullable) the menu at @path */
  const PkmCommand *command; /* ARGUMENT, VALUE, WHERE */
  const PkmParam *param;     /* VALUE */
  gboolean positional_used;  /* ARGUMENT: a value alone was given already */
  char *word;                /* what is typed of the word: unquoted, after name= for a VALUE */
  gsize word_start;          /* pkm_partial_parse_line: where the word's text starts in the line */
} PkmPartial;

/* @tokens: the words before the one being typed, whose text is @raw;
 * *@offset: where in @raw the part that @out->word is starts. */
gboolean pkm_partial_parse_tokens (PkmShell *shell, PkmTokens *tokens, const char *raw, PkmPartial *out,
                                   gsize *offset, GError **error);
gboolean pkm_partial_parse_line (PkmShell *shell, const char *line, PkmPartial *out, GError **error);
/* Whether @line ends inside a "..." string. */
gboolean pkm_partial_in_quotes (const char *line);
void pkm_partial_clear (PkmPartial *partial);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PkmPartial, pkm_partial_clear)

/* -- pkm-help.c: what may come next, from the tables -- */
/* (transfer full): the help for the line typed so far (the cursor at its end). */
char *pkm_help_for_line (PkmShell *shell, const char *line, GError **error);
/* Whether @tokens end in a bare `?` or `--help` (or the condition in ` ?`). */
gboolean pkm_help_requested (PkmTokens *tokens);
/* Writes to the shell's output the help for @tokens without their `?`. */
gboolean pkm_help_print (PkmShell *shell, PkmTokens *tokens, GError **error);

/* -- pkm-complete.c: what may complete a line -- */
/* (transfer full) (element-type utf8): the texts that may replace the end of
 * @line from *@out_start, sorted, each once. *@out_open: the word may go on
 * after one of them (a choice of a list), so no blank should follow it. */
GPtrArray *pkm_complete_line (PkmShell *shell, const char *line, gsize *out_start, gboolean *out_open);

/* -- pkm-dispatch.c -- */
gboolean pkm_dispatch (PkmShell *shell, PkmTokens *tokens, GError **error);
/* The same, for a script's [ ... ]: (transfer full) the result, not rendered. */
PkmResult *pkm_dispatch_capture (PkmShell *shell, PkmTokens *tokens, GError **error);

G_END_DECLS
