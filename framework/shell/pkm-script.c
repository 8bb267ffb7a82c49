/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-lang-private.h"
#include <pkiman/pkm-files.h>

/* Scripts: the language of pkm-lang-*.c (statements end at ; or a line's
 * end, a trailing backslash continues the line, # starts a comment, a path
 * alone changes the menu for what follows), from a file or /import. */

/* /import may include scripts that import scripts, but not forever. */
#define IMPORT_MAX_DEPTH 8
/* A script is text typed by people: 4 MiB is far beyond any. */
#define SCRIPT_MAX_SIZE (4 * 1024 * 1024)

/* A line typed at the prompt: the language as in a script; an error reads
 * as the failed command's own (the line is in front of whoever typed it). */
gboolean
pkm_shell_run_line (PkmShell *shell, const char *line, GError **error)
{
  return pkm_lang_run (shell, line, NULL, error);
}

gboolean
pkm_shell_run_script (PkmShell *shell, const char *text, const char *source_name, GError **error)
{
  return pkm_lang_run (shell, text, source_name, error);
}

/* /import file-name=X: the file runs as a script in its own menu context. */
gboolean
pkm_shell_import (PkmShell *shell, PkmTokens *tokens, guint start, GError **error)
{
  const char *file = NULL;
  g_autofree char *path = NULL, *text = NULL, *saved_menu = NULL;
  g_autoptr (GBytes) script = NULL;
  gboolean ok;

  for (guint i = start; i < tokens->tokens->len; i++)
    {
      PkmToken *token = g_ptr_array_index (tokens->tokens, i);
      if (token->name == NULL || strcmp (token->name, "file-name") == 0)
        file = token->value;
      else
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: no such parameter of /import", token->name);
          return FALSE;
        }
    }
  if (file == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "file-name: required");
      return FALSE;
    }
  if (shell->import_depth >= IMPORT_MAX_DEPTH)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "file-name: %s: imports nest deeper than %d", file,
                   IMPORT_MAX_DEPTH);
      return FALSE;
    }
  path = pkm_files_resolve_in (shell->files_dir, "file-name", file, error);
  if (path == NULL || (script = pkm_files_read (path, "file-name", file, SCRIPT_MAX_SIZE, error)) == NULL)
    return FALSE;
  text = g_strndup (g_bytes_get_data (script, NULL), g_bytes_get_size (script));
  saved_menu = g_strdup (shell->menu);
  shell->import_depth++;
  ok = pkm_shell_run_script (shell, text, file, error);
  shell->import_depth--;
  g_free (shell->menu);
  shell->menu = g_steal_pointer (&saved_menu);
  return ok;
}
