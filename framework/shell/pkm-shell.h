/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The RouterOS command language over a context: one parser and dispatcher for
 * argv, scripts, standard input and the interactive prompt. */

#include <stdio.h>
#include <pkiman/pkiman.h>

G_BEGIN_DECLS

typedef struct _PkmShell PkmShell;

typedef enum {
  PKM_OUTPUT_TEXT = 0,
  PKM_OUTPUT_JSON = 1,
} PkmOutputFormat;

/* @actor_kind: "cli", "script", "shell" or "rest"; the actor is "<kind>:<user>".
 * @files_dir: where file names are relative to (nullable: the current directory).
 * @out receives results, @err progress notes. (transfer full) */
PkmShell *pkm_shell_new (PkmContext *ctx, const char *actor_kind, const char *files_dir, PkmOutputFormat format,
                         FILE *out, FILE *err);
void pkm_shell_free (PkmShell *shell);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmShell, pkm_shell_free)

/* The current menu path ("" is the root, shown as "/"). */
const char *pkm_shell_get_menu (PkmShell *shell);

/* One command given as argv words, already unquoted by the calling shell:
 * `pkiman /certificate add name=ca "common-name=Local CA"`. */
gboolean pkm_shell_run_argv (PkmShell *shell, int argc, char **argv, GError **error);
/* One logical line (continuations joined): a command, or a menu change alone. */
gboolean pkm_shell_run_line (PkmShell *shell, const char *line, GError **error);
/* A whole script: menu lines, `\` continuations, `#` comments. Stops at the
 * first failing command; the error is prefixed "<source_name>:<line>: ". */
gboolean pkm_shell_run_script (PkmShell *shell, const char *text, const char *source_name, GError **error);
/* The interactive prompt on a terminal; returns the exit status. */
int pkm_shell_interactive (PkmShell *shell);

G_END_DECLS
