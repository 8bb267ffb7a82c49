/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pkiman: the CLI, script runner and interactive shell.
 *   pkiman [--config FILE] [--json] [/menu command args...]
 * With a command: runs it. Without, on a terminal: the interactive prompt.
 * Without, with standard input redirected: runs it as a script. */

#include <locale.h>
#include <stdio.h>
#include <unistd.h>
#include <json-glib/json-glib.h>
#include "pkm-config.h"
#include "pkm-shell-private.h"

static char *config_file;
static gboolean json;
static gboolean show_version;

static const GOptionEntry options[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file, "Read the configuration from FILE", "FILE" },
  { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print machine-readable JSON", NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &show_version, "Print the version", NULL },
  { NULL },
};

/* Errors read "[source:line: ]parameter: reason"; the parameter is the word
 * before the first ": " when it looks like one. */
static char *
error_parameter (const char *message)
{
  g_autoptr (GRegex) regex = g_regex_new ("^(?:[^:]+:[0-9]+: )?([a-z][a-z0-9.-]*): ", 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;

  return g_regex_match (regex, message, 0, &match) ? g_match_info_fetch (match, 1) : NULL;
}

/* With --json an error is one JSON object on stderr, for programs. */
static void
fail_json (const char *message)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *parameter = error_parameter (message);
  g_autofree char *text = NULL, *tidy = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  if (parameter != NULL)
    {
      json_builder_set_member_name (builder, "parameter");
      json_builder_add_string_value (builder, parameter);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  tidy = pkm_text_json_tidy (text);
  fprintf (stderr, "%s\n", tidy);
}

/* Plugins never print: they log. A message is for the user ("waiting for
 * another pkiman..."), shown as pkiman's own line; warnings, criticals and
 * debug output keep GLib's form, all on stderr (stdout may be --json). */
static void
log_handler (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
  if ((level & G_LOG_LEVEL_MASK) == G_LOG_LEVEL_MESSAGE)
    {
      g_autofree char *shown = pkm_text_escape (message, FALSE);
      fprintf (stderr, "pkiman: %s\n", shown);
      fflush (stderr);
      return;
    }
  g_log_default_handler (domain, level, message, user_data);
}

/* An error may quote what was typed or read: escaped, it stays one line. */
static int
fail (const char *message)
{
  g_autofree char *shown = NULL;

  if (json)
    {
      fail_json (message);
      return 1;
    }
  shown = pkm_text_escape (message, FALSE);
  fprintf (stderr, "pkiman: %s\n", shown);
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
