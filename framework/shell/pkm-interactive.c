/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pkm-config.h"
#include <stdlib.h>
#include <string.h>
#ifdef HAVE_READLINE
#include <readline/readline.h>
#include <readline/history.h>
#endif
#include "pkm-shell-private.h"

/* The prompt shows where you are, as RouterOS does: [pkiman] /certificate> */

#ifdef HAVE_READLINE
/* readline's callbacks take no user data: the one shell at the prompt. */
static PkmShell *prompt_shell;

/* `?` prints what may come next (pkm-help.c) and gives the line back as it
 * was; inside a "..." string it is a character like any other. */
static int
show_help (int count, int key)
{
  g_autofree char *line = g_strndup (rl_line_buffer, rl_point);
  g_autoptr (GError) error = NULL;
  g_autofree char *help = NULL;

  if (pkm_partial_in_quotes (line))
    return rl_insert (count, key);
  help = pkm_help_for_line (prompt_shell, line, &error);
  fputc ('\n', rl_outstream);
  if (help != NULL)
    fputs (help, rl_outstream);
  else
    {
      g_autofree char *shown = pkm_text_escape (error->message, FALSE);
      fprintf (rl_outstream, "failure: %s\n", shown);
    }
  rl_on_new_line ();
  rl_redisplay ();
  return 0;
}

/* pkm_complete_line replaces the line from where its word starts; readline
 * replaces its own word, from @start: the texts are moved to begin there. */
static GPtrArray *
texts_from (const char *line, gsize from, int start, GPtrArray *candidates)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < candidates->len; i++)
    {
      const char *candidate = g_ptr_array_index (candidates, i);
      if (from >= (gsize) start)
        g_ptr_array_add (texts, g_strdup_printf ("%.*s%s", (int) (from - start), line + start, candidate));
      else if (strncmp (candidate, line + from, start - from) == 0)
        g_ptr_array_add (texts, g_strdup (candidate + (start - from)));
    }
  return texts;
}

static gsize
common_length (GPtrArray *texts)
{
  const char *first = g_ptr_array_index (texts, 0);
  gsize common = strlen (first);

  for (guint i = 1; i < texts->len; i++)
    {
      const char *other = g_ptr_array_index (texts, i);
      gsize n = 0;
      while (n < common && first[n] == other[n])
        n++;
      common = n;
    }
  return common;
}

static char **
complete (const char *text G_GNUC_UNUSED, int start, int end)
{
  g_autofree char *line = g_strndup (rl_line_buffer, end);
  g_autoptr (GPtrArray) candidates = NULL;
  g_autoptr (GPtrArray) texts = NULL;
  char **matches;
  gsize from;
  gboolean open;
  guint n, listed;

  rl_attempted_completion_over = 1; /* never file names */
  candidates = pkm_complete_line (prompt_shell, line, &from, &open);
  texts = texts_from (line, from, start, candidates);
  if ((n = texts->len) == 0)
    return NULL;
  /* matches[0] replaces the word: the one text, or what all begin with;
   * the texts follow when there are several, for a second Tab to list. */
  listed = n > 1 ? n : 0;
  matches = malloc ((listed + 2) * sizeof *matches);
  matches[0] = strndup (g_ptr_array_index (texts, 0), common_length (texts));
  for (guint i = 0; i < listed; i++)
    matches[i + 1] = strdup (g_ptr_array_index (texts, i));
  matches[listed + 1] = NULL;
  /* name= waits for its value, a list's choice perhaps for a comma: no blank after them. */
  if (n == 1 && (open || g_str_has_suffix (matches[0], "=")))
    rl_completion_append_character = '\0';
  return matches;
}

static void
prompt_init (PkmShell *shell)
{
  prompt_shell = shell;
  rl_readline_name = "pkiman";
  rl_attempted_completion_function = complete;
  rl_completer_word_break_characters = (char *) " \t=,/";
  rl_bind_key ('?', show_help);
}
#endif

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

#ifdef HAVE_READLINE
  prompt_init (shell);
#endif
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
