/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-shell-private.h"

/* RouterOS words: name=value pairs and bare words, separated by blanks; a
 * "..." string can stand anywhere in a word; `where` takes the rest of the line. */

static void
token_free (gpointer data)
{
  PkmToken *token = data;

  g_free (token->name);
  g_free (token->value);
  g_free (token);
}

void
pkm_tokens_clear (PkmTokens *tokens)
{
  g_clear_pointer (&tokens->tokens, g_ptr_array_unref);
  g_clear_pointer (&tokens->where, g_free);
}

void
pkm_tokens_init (PkmTokens *tokens)
{
  tokens->tokens = g_ptr_array_new_with_free_func (token_free);
  tokens->where = NULL;
}

void
pkm_tokens_add (PkmTokens *tokens, const char *name, const char *value)
{
  PkmToken *token = g_new0 (PkmToken, 1);

  token->name = g_strdup (name);
  token->value = g_strdup (value);
  g_ptr_array_add (tokens->tokens, token);
}

static void
add_token (PkmTokens *out, GString *word, gssize equals)
{
  PkmToken *token = g_new0 (PkmToken, 1);

  if (equals >= 0)
    {
      token->name = g_strndup (word->str, equals);
      token->value = g_strdup (word->str + equals + 1);
    }
  else
    token->value = g_strdup (word->str);
  g_ptr_array_add (out->tokens, token);
}

/* `where` takes the rest of the line, and so do its prefixes of two letters
 * or more ("wh", as RouterOS reads it in `print det wh name~"ca"`): like
 * `where`, such a word is a value only when quoted. */
static gboolean
is_where_word (const char *word)
{
  return strlen (word) >= 2 && g_str_has_prefix ("where", word);
}

gboolean
pkm_lex_line (const char *line, PkmTokens *out, GError **error)
{
  const char *p = line;
  g_autoptr (GString) word = g_string_new (NULL);

  out->tokens = g_ptr_array_new_with_free_func (token_free);
  out->where = NULL;
  for (;;)
    {
      gssize equals = -1;
      gboolean quoted = FALSE;
      const char *start;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        return TRUE;
      start = p;
      g_string_truncate (word, 0);
      while (*p != '\0' && !g_ascii_isspace (*p))
        {
          if (*p == '"')
            {
              p++;
              quoted = TRUE;
              if (!pkm_text_unquote (&p, word))
                {
                  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "unterminated string at column %d",
                               (int) (start - line) + 1);
                  return FALSE;
                }
              continue;
            }
          if (*p == '=' && equals < 0 && !quoted)
            equals = word->len;
          g_string_append_c (word, *p++);
        }
      if (equals < 0 && !quoted && is_where_word (word->str))
        {
          out->where = g_strstrip (g_strdup (p));
          return TRUE;
        }
      add_token (out, word, equals);
    }
}

/* A where word from argv lost its quotes to the calling shell: quote the
 * value again when it has blanks, so that `name~"a b"` survives. */
static void
append_where_word (GString *where, const char *arg)
{
  const char *op = strpbrk (arg, "=~<>");

  if (where->len > 0)
    g_string_append_c (where, ' ');
  if (op == NULL || strpbrk (op, " \t") == NULL || strchr (op, '"') != NULL)
    {
      g_string_append (where, arg);
      return;
    }
  g_string_append_len (where, arg, op - arg + 1);
  g_string_append_c (where, '"');
  for (const char *s = op + 1; *s != '\0'; s++)
    {
      if (*s == '"' || *s == '\\')
        g_string_append_c (where, '\\');
      g_string_append_c (where, *s);
    }
  g_string_append_c (where, '"');
}

gboolean
pkm_lex_argv (int argc, char **argv, PkmTokens *out, GError **error)
{
  out->tokens = g_ptr_array_new_with_free_func (token_free);
  out->where = NULL;
  for (int i = 0; i < argc; i++)
    {
      g_autoptr (GString) word = g_string_new (argv[i]);
      const char *equals = strchr (argv[i], '=');

      if (is_where_word (argv[i]))
        {
          GString *where = g_string_new (NULL);
          for (int k = i + 1; k < argc; k++)
            append_where_word (where, argv[k]);
          out->where = g_string_free (where, FALSE);
          return TRUE;
        }
      add_token (out, word, equals != NULL ? equals - argv[i] : -1);
    }
  return TRUE;
}
