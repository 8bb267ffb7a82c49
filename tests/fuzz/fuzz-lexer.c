/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command-line lexer: one line as a script or the prompt gives it, and
 * the same bytes cut at newlines as the argv a calling shell would pass. */
#include <string.h>
#include "fuzz.h"
#include "core/pkm-invoke-private.h"
#include "shell/pkm-shell-private.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

static void
lex_line (const char *text, size_t size)
{
  g_auto (PkmTokens) tokens = { 0 };
  g_autoptr (GError) error = NULL;

  if (pkm_lex_line (text, &tokens, &error))
    {
      g_assert_no_error (error);
      /* Each token costs at least one byte of input: the lexer cannot make work out of nothing. */
      g_assert_cmpuint (tokens.tokens->len, <=, size);
      for (guint i = 0; i < tokens.tokens->len; i++)
        {
          PkmToken *token = g_ptr_array_index (tokens.tokens, i);
          g_assert_nonnull (token->value);
          g_assert_true (token->name == NULL || strchr (token->name, '"') == NULL);
        }
    }
  else
    g_assert_nonnull (error);
}

static void
lex_argv (const char *text)
{
  g_auto (GStrv) argv = g_strsplit (text, "\n", -1);
  g_auto (PkmTokens) tokens = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (pkm_lex_argv (g_strv_length (argv), argv, &tokens, &error));
  /* What argv's where became must lex again as one line would. */
  if (tokens.where != NULL)
    {
      g_auto (PkmTokens) again = { 0 };
      g_autoptr (GError) local = NULL;
      g_autofree char *line = g_strconcat ("where ", tokens.where, NULL);

      if (pkm_lex_line (line, &again, &local))
        g_assert_nonnull (again.where);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = fuzz_string (data, size);

  lex_line (text, size);
  lex_argv (text);
  return 0;
}
