/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pkm-config.h"
#include <string.h>
#ifdef HAVE_READLINE
#include <readline/readline.h>
#include <readline/history.h>
#endif
#include "pkm-shell-private.h"

/* The prompt shows where you are, as RouterOS does: [pkiman] /certificate> */

static char *
read_line (const char *prompt)
{
#ifdef HAVE_READLINE
  char *line = readline (prompt);
  char *copy;

  if (line == NULL)
    return NULL;
  if (*line != '\0')
    add_history (line);
  copy = g_strdup (line);
  free (line);
  return copy;
#else
  char buffer[4096];

  fputs (prompt, stdout);
  fflush (stdout);
  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;
  buffer[strcspn (buffer, "\n")] = '\0';
  return g_strdup (buffer);
#endif
}

int
pkm_shell_interactive (PkmShell *shell)
{
  g_autoptr (GString) pending = g_string_new (NULL);

  for (;;)
    {
      g_autofree char *prompt = g_strdup_printf ("[pkiman] %s%s ", *shell->menu != '\0' ? shell->menu : "/",
                                                 pending->len > 0 ? "\\" : ">");
      g_autofree char *line = read_line (prompt);
      g_autoptr (GError) error = NULL;
      gsize len;

      if (line == NULL)
        {
          fputc ('\n', stdout);
          return 0;
        }
      g_strstrip (line);
      len = strlen (line);
      if (len > 0 && line[len - 1] == '\\')
        {
          line[len - 1] = ' ';
          g_string_append (pending, line);
          continue;
        }
      g_string_append (pending, line);
      if (strcmp (pending->str, "quit") == 0 || strcmp (pending->str, "exit") == 0)
        return 0;
      if (!pkm_shell_run_line (shell, pending->str, &error))
        {
          g_autofree char *shown = pkm_text_escape (error->message, FALSE);
          fprintf (stderr, "failure: %s\n", shown);
        }
      g_string_truncate (pending, 0);
    }
}
