/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pkiman: the CLI, script runner and interactive shell.
 *   pkiman [--config FILE] [--json] [/menu command args...]
 * With a command: runs it. Without, on a terminal: the interactive prompt.
 * Without, with standard input redirected: runs it as a script. */

#include <locale.h>
#include <stdio.h>
#include <unistd.h>
#include "pkm-config.h"
#include "shell/pkm-shell.h"

static char *config_file;
static gboolean json;
static gboolean show_version;

static const GOptionEntry options[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file, "Read the configuration from FILE", "FILE" },
  { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print machine-readable JSON", NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &show_version, "Print the version", NULL },
  { NULL },
};

/* Plugins never print: they log. A message is for the user ("waiting for
 * another pkiman..."), shown as pkiman's own line; warnings, criticals and
 * debug output keep GLib's form, all on stderr (stdout may be --json). */
static void
log_handler (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
  if ((level & G_LOG_LEVEL_MASK) == G_LOG_LEVEL_MESSAGE)
    {
      fprintf (stderr, "pkiman: %s\n", message);
      fflush (stderr);
      return;
    }
  g_log_default_handler (domain, level, message, user_data);
}

static int
fail (const char *message)
{
  fprintf (stderr, "pkiman: %s\n", message);
  return 1;
}

static int
run_stdin_script (PkmShell *shell)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  char buffer[8192];
  size_t n;

  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    g_string_append_len (text, buffer, n);
  if (!pkm_shell_run_script (shell, text->str, "stdin", &error))
    return fail (error->message);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) parser = g_option_context_new ("[/menu command [name=value ...]]");
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmContext) ctx = NULL;
  g_autoptr (PkmShell) shell = NULL;
  gboolean interactive;

  setlocale (LC_ALL, "");
  g_log_writer_default_set_use_stderr (TRUE);
  g_log_set_default_handler (log_handler, NULL);
  g_option_context_add_main_entries (parser, options, NULL);
  /* RouterOS arguments are not options: stop at the first of them. */
  g_option_context_set_strict_posix (parser, TRUE);
  if (!g_option_context_parse (parser, &argc, &argv, &error))
    return fail (error->message);
  if (show_version)
    {
      printf ("pkiman %s\n", PKM_VERSION);
      return 0;
    }
  if (argc > 1 && g_strcmp0 (argv[1], "--") == 0)
    {
      argv++;
      argc--;
    }

  ctx = pkm_context_new (config_file, &error);
  if (ctx == NULL)
    return fail (error->message);
  interactive = argc <= 1 && isatty (STDIN_FILENO);
  shell = pkm_shell_new (ctx, argc > 1 ? "cli" : interactive ? "shell" : "script", pkm_context_get_files_dir (ctx),
                         json ? PKM_OUTPUT_JSON : PKM_OUTPUT_TEXT, stdout, stderr);
  if (argc > 1)
    {
      if (!pkm_shell_run_argv (shell, argc - 1, argv + 1, &error))
        return fail (error->message);
      return 0;
    }
  if (!interactive)
    return run_stdin_script (shell);
  return pkm_shell_interactive (shell);
}
