/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-shell-private.h"
#include <pkiman/pkm-files.h>

/* Scripts: one command per logical line; a trailing backslash continues the
 * line, # starts a comment, a path alone changes the menu for what follows. */

/* /import may include scripts that import scripts, but not forever. */
#define IMPORT_MAX_DEPTH 8
/* A script is text typed by people: 4 MiB is far beyond any. */
#define SCRIPT_MAX_SIZE (4 * 1024 * 1024)

gboolean
pkm_shell_run_line (PkmShell *shell, const char *line, GError **error)
{
  g_auto (PkmTokens) tokens = { 0 };

  if (!pkm_lex_line (line, &tokens, error))
    return FALSE;
  if (tokens.tokens->len == 0 && tokens.where == NULL)
    return TRUE;
  return pkm_dispatch (shell, &tokens, error);
}

gboolean
pkm_shell_run_script (PkmShell *shell, const char *text, const char *source_name, GError **error)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GString) logical = g_string_new (NULL);
  guint first_line = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize len;
      g_autoptr (GError) local = NULL;

      g_strdelimit (line, "\r", ' ');
      if (logical->len == 0)
        {
          const char *start = line;
          while (g_ascii_isspace (*start))
            start++;
          if (*start == '#' || *start == '\0')
            continue;
          first_line = i + 1;
        }
      else
        line = g_strchug (line);
      len = strlen (line);
      while (len > 0 && g_ascii_isspace (line[len - 1]))
        len--;
      if (len > 0 && line[len - 1] == '\\')
        {
          g_string_append_len (logical, line, len - 1);
          g_string_append_c (logical, ' ');
          continue;
        }
      g_string_append_len (logical, line, len);
      if (!pkm_shell_run_line (shell, logical->str, &local))
        {
          g_set_error (error, local->domain, local->code, "%s:%u: %s", source_name, first_line, local->message);
          return FALSE;
        }
      g_string_truncate (logical, 0);
    }
  if (logical->len > 0)
    return pkm_shell_run_line (shell, logical->str, error);
  return TRUE;
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
