/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pkm-shell-private.h"
#include "pkm-lang-private.h"

PkmShell *
pkm_shell_new (PkmContext *ctx, const char *actor_kind, const char *files_dir, PkmOutputFormat format, FILE *out,
               FILE *err)
{
  PkmShell *shell = g_new0 (PkmShell, 1);

  shell->ctx = ctx;
  shell->actor = g_strdup_printf ("%s:%s", actor_kind, g_get_user_name ());
  shell->files_dir = g_strdup (files_dir);
  shell->format = format;
  shell->out = out;
  shell->err = err;
  shell->menu = g_strdup ("");
  shell->interactive = g_strcmp0 (actor_kind, "shell") == 0;
  shell->lang_iteration_limit = PKM_LANG_MAX_ITERATIONS;
  shell->lang_delay_limit = G_MAXINT64 / G_USEC_PER_SEC;
  shell->bound_numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  return shell;
}

void
pkm_shell_free (PkmShell *shell)
{
  if (shell == NULL)
    return;
  g_free (shell->actor);
  g_free (shell->files_dir);
  g_free (shell->menu);
  g_hash_table_unref (shell->bound_numbers);
  pkm_lang_globals_free (shell->globals);
  g_free (shell);
}

const char *
pkm_shell_get_menu (PkmShell *shell)
{
  return shell->menu;
}

gboolean
pkm_shell_run_argv (PkmShell *shell, int argc, char **argv, GError **error)
{
  g_auto (PkmTokens) tokens = { 0 };

  if (!pkm_lex_argv (argc, argv, &tokens, error))
    return FALSE;
  return pkm_dispatch (shell, &tokens, error);
}
