/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-lang-private.h"

/* The scanner under the parser: where it is, by line and column, and the
 * small readers every context shares. What a character means depends on
 * where it stands (a word, an expression, a where), so the parser reads the
 * text through these rather than through one stream of tokens. */

void
pkm_lang_scanner_init (PkmLangScanner *scanner, const char *text)
{
  scanner->text = text;
  scanner->p = text;
  scanner->line = 1;
  scanner->column = 1;
}

void
pkm_lang_advance (PkmLangScanner *scanner)
{
  if (*scanner->p == '\0')
    return;
  if (*scanner->p == '\n')
    {
      scanner->line++;
      scanner->column = 1;
    }
  else
    scanner->column++;
  scanner->p++;
}

/* `\` then blanks to the end of the line: the line goes on. */
static gboolean
at_continuation (const char *p)
{
  if (*p != '\\')
    return FALSE;
  for (p++; *p == ' ' || *p == '\t' || *p == '\r'; p++)
    ;
  return *p == '\n' || *p == '\0';
}

/* What separates words: the only characters skip_blanks skips. Form feed
 * and vertical tab are not among them (nor are they in RouterOS): they are
 * characters of a word, so no word can end at one without consuming it. */
gboolean
pkm_lang_is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

void
pkm_lang_skip_blanks (PkmLangScanner *scanner, gboolean newlines)
{
  for (;;)
    {
      char c = *scanner->p;

      if (pkm_lang_is_blank (c) || (newlines && c == '\n'))
        pkm_lang_advance (scanner);
      else if (at_continuation (scanner->p))
        {
          while (*scanner->p != '\n' && *scanner->p != '\0')
            pkm_lang_advance (scanner);
          pkm_lang_advance (scanner);
        }
      else
        return;
    }
}

gboolean
pkm_lang_looking_at (PkmLangScanner *scanner, const char *s)
{
  return strncmp (scanner->p, s, strlen (s)) == 0;
}

gboolean
pkm_lang_accept (PkmLangScanner *scanner, const char *s)
{
  if (!pkm_lang_looking_at (scanner, s))
    return FALSE;
  for (gsize i = strlen (s); i > 0; i--)
    pkm_lang_advance (scanner);
  return TRUE;
}

gboolean
pkm_lang_is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.';
}

char *
pkm_lang_read_name (PkmLangScanner *scanner)
{
  const char *start = scanner->p;

  while (pkm_lang_is_name_char (*scanner->p))
    pkm_lang_advance (scanner);
  return scanner->p > start ? g_strndup (start, scanner->p - start) : NULL;
}
