/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-shell-private.h"

/* How far a line being typed has come: the words before the last one are
 * resolved as pkm_dispatch would (a word they do not name is the error it
 * would give), and the last word is what help and completion work on. */

void
pkm_partial_clear (PkmPartial *partial)
{
  g_clear_pointer (&partial->path, g_free);
  g_clear_pointer (&partial->word, g_free);
}

/* What is typed of a value: its text without the quote it may start with. */
static char *
unquoted (const char *raw)
{
  g_autoptr (GString) text = g_string_new (NULL);
  const char *p = raw + 1;

  if (*raw != '"')
    return g_strdup (raw);
  if (pkm_text_unquote (&p, text))
    return g_string_free (g_steal_pointer (&text), FALSE);
  return g_strdup (raw + 1);
}

/* A bare value fills the positional parameter unless it is a flag word. */
static gboolean
positional_taken (const PkmCommand *command, PkmTokens *tokens, guint start)
{
  for (guint i = start; i < tokens->tokens->len; i++)
    {
      PkmToken *token = g_ptr_array_index (tokens->tokens, i);
      const PkmParam *param;

      if (token->name != NULL)
        continue;
      param = pkm_command_find_param (command, token->value);
      if (param == NULL || !(param->flags & PKM_PARAM_WORD))
        return TRUE;
    }
  return FALSE;
}

/* The word being typed after a command: a parameter's value after its name=
 * (after the last comma in a list), or a parameter, flag or value. */
static gboolean
parse_argument (const PkmCommand *command, const char *raw, PkmPartial *out, gsize *offset, GError **error)
{
  const char *equals = *raw != '"' ? strchr (raw, '=') : NULL;
  g_autofree char *name = NULL;
  const char *value;

  if (equals == NULL)
    {
      out->kind = PKM_PARTIAL_ARGUMENT;
      out->word = unquoted (raw);
      return TRUE;
    }
  name = g_strndup (raw, equals - raw);
  if (!pkm_resolve_param (command, name, FALSE, &out->param, error))
    return FALSE;
  if (out->param == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: no such parameter of %s", name, command->name);
      return FALSE;
    }
  value = equals + 1;
  if ((out->param->type == PKM_PARAM_ENUM_LIST || out->param->type == PKM_PARAM_STRING_LIST) && *value != '"'
      && strrchr (value, ',') != NULL)
    value = strrchr (value, ',') + 1;
  out->kind = PKM_PARTIAL_VALUE;
  out->word = unquoted (value);
  *offset = value - raw;
  return TRUE;
}

/* A v7 path being typed ("/cert/cr"): the menu before its last slash, and the word after it. */
static gboolean
parse_absolute (PkmShell *shell, const char *raw, PkmPartial *out, gsize *offset, GError **error)
{
  const char *slash = strrchr (raw, '/');
  g_autofree char *head = g_strndup (raw, slash - raw);
  g_autofree char *command = NULL;

  g_free (out->path);
  out->path = NULL;
  if (!pkm_resolve_absolute (shell->ctx, *head != '\0' ? head : "/", FALSE, &out->path, &command, error))
    return FALSE;
  out->word = g_strdup (slash + 1);
  *offset = slash + 1 - raw;
  return TRUE;
}

/* The word of a where condition being typed: the property name it ends with. */
static void
parse_where (const char *raw, PkmPartial *out, gsize *offset)
{
  gsize start = strlen (raw);

  while (start > 0 && (g_ascii_isalnum (raw[start - 1]) || strchr ("-._", raw[start - 1]) != NULL))
    start--;
  out->kind = PKM_PARTIAL_WHERE;
  out->word = g_strdup (raw + start);
  *offset = start;
}

gboolean
pkm_partial_parse_tokens (PkmShell *shell, PkmTokens *tokens, const char *raw, PkmPartial *out, gsize *offset,
                          GError **error)
{
  guint index;
  PkmToken *word;

  memset (out, 0, sizeof *out);
  *offset = 0;
  if (!pkm_resolve_path (shell, tokens, &out->path, &index, error))
    return FALSE;
  out->menu = pkm_context_find_menu (shell->ctx, out->path);
  if (index == tokens->tokens->len && tokens->where == NULL)
    {
      out->kind = PKM_PARTIAL_MENU;
      if (*raw == '/')
        {
          if (!parse_absolute (shell, raw, out, offset, error))
            return FALSE;
          out->menu = pkm_context_find_menu (shell->ctx, out->path);
          return TRUE;
        }
      out->word = g_strdup (raw);
      return TRUE;
    }
  word = index < tokens->tokens->len ? g_ptr_array_index (tokens->tokens, index) : NULL;
  if (word == NULL || word->name != NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: a command is expected",
                   word != NULL ? word->name : "where");
      return FALSE;
    }
  if ((out->command = pkm_resolve_find_command (out->menu, out->path, word->value)) == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: no such command in %s", word->value,
                   *out->path != '\0' ? out->path : "/");
      return FALSE;
    }
  if (tokens->where != NULL)
    {
      parse_where (raw, out, offset);
      return TRUE;
    }
  out->positional_used = positional_taken (out->command, tokens, index + 1);
  return parse_argument (out->command, raw, out, offset, error);
}

/* Where the last word of @line starts: after the last blank outside quotes. */
static gsize
last_word_start (const char *line, gboolean *out_in_quotes)
{
  gboolean quoted = FALSE;
  gsize start = 0;

  for (gsize i = 0; line[i] != '\0'; i++)
    {
      if (quoted && line[i] == '\\' && line[i + 1] != '\0')
        i++;
      else if (line[i] == '"')
        quoted = !quoted;
      else if (!quoted && g_ascii_isspace (line[i]))
        start = i + 1;
    }
  if (out_in_quotes != NULL)
    *out_in_quotes = quoted;
  return start;
}

gboolean
pkm_partial_in_quotes (const char *line)
{
  gboolean quoted;

  last_word_start (line, &quoted);
  return quoted;
}

gboolean
pkm_partial_parse_line (PkmShell *shell, const char *line, PkmPartial *out, GError **error)
{
  gsize start = last_word_start (line, NULL);
  g_autofree char *before = g_strndup (line, start);
  g_auto (PkmTokens) tokens = { 0 };
  gsize offset;

  memset (out, 0, sizeof *out);
  if (!pkm_lex_line (before, &tokens, error))
    return FALSE;
  if (!pkm_partial_parse_tokens (shell, &tokens, line + start, out, &offset, error))
    {
      pkm_partial_clear (out);
      return FALSE;
    }
  out->word_start = start + offset;
  return TRUE;
}
