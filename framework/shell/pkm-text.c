/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-shell-private.h"

/* Text on its way to a terminal: a value from a certificate or a user must not
 * move the cursor, recolour the screen or reorder what follows it. */

/* Named escapes, as RouterOS prints them and the lexer reads them back. */
static const struct { char byte; char name; } named_escapes[] = {
  { '\n', 'n' },
  { '\r', 'r' },
  { '\t', 't' },
};

/* C0 and C1 controls and DEL, line breaks that are not \n, and format
 * characters (bidi overrides, invisible marks) reach the terminal as \XX. */
static const GUnicodeType escaped_types[] = {
  G_UNICODE_CONTROL,
  G_UNICODE_FORMAT,
  G_UNICODE_LINE_SEPARATOR,
  G_UNICODE_PARAGRAPH_SEPARATOR,
};

gboolean
pkm_text_char_escaped (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  /* ZWNJ and ZWJ join scripts and emoji sequences: they shape, never move. */
  if (c == 0x200C || c == 0x200D)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (escaped_types); i++)
    if (type == escaped_types[i])
      return TRUE;
  return FALSE;
}

/* The character at *p, which it passes; (gunichar) -1 for a byte that is not UTF-8. */
static gunichar
next_char (const char **p, const char *end)
{
  gunichar c = g_utf8_get_char_validated (*p, end - *p);

  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      (*p)++;
      return (gunichar) -1;
    }
  *p = g_utf8_next_char (*p);
  return c;
}

static void
append_hex_bytes (GString *out, const char *bytes, const char *end)
{
  for (const char *b = bytes; b < end; b++)
    g_string_append_printf (out, "\\%02X", (guint8) *b);
}

static gboolean
append_named (GString *out, gunichar c)
{
  for (guint i = 0; i < G_N_ELEMENTS (named_escapes); i++)
    if ((gunichar) named_escapes[i].byte == c)
      {
        g_string_append_c (out, '\\');
        g_string_append_c (out, named_escapes[i].name);
        return TRUE;
      }
  return FALSE;
}

static void
append_char (GString *out, gunichar c, const char *start, const char *end, gboolean quoted)
{
  if (append_named (out, c))
    return;
  if (quoted && (c == '"' || c == '\\'))
    {
      g_string_append_c (out, '\\');
      g_string_append_c (out, (char) c);
    }
  /* Not UTF-8, or a character the terminal would act on: its bytes as they are. */
  else if (c == (gunichar) -1 || pkm_text_char_escaped (c))
    append_hex_bytes (out, start, end);
  else
    g_string_append_len (out, start, end - start);
}

/* Printable ASCII (and no quote or backslash when @quoted) needs no
 * escape and is one column a byte: most of what a table holds. */
static gboolean
plain_ascii (const char *text, gboolean quoted)
{
  return pkm_text_plain_length (text, quoted) >= 0;
}

gboolean
pkm_text_is_plain (const char *text)
{
  return plain_ascii (text, FALSE);
}

/* Whether one of the eight bytes of @word is below @n (n <= 128), or is
 * zero: exact (Hacker's Delight, "haszero" and "hasless"). */
#define BYTES(x) (G_GUINT64_CONSTANT (0x0101010101010101) * (x))
#define HAS_LESS(word, n) ((((word) - BYTES (n)) & ~(word) & BYTES (0x80)) != 0)
#define HAS_BYTE(word, b) HAS_LESS ((word) ^ BYTES (b), 1)

gssize
pkm_text_plain_length (const char *text, gboolean quoted)
{
  gsize len = strlen (text), i = 0;
  guint64 word;

  /* Eight bytes at a time (detail's fingerprints and keys are 40-64):
   * every byte printable ASCII (0x20-0x7e), and no quote or backslash
   * when @quoted. */
  for (; i + 8 <= len; i += 8)
    {
      memcpy (&word, text + i, 8);
      if ((word & BYTES (0x80)) != 0 || HAS_LESS (word, 0x20) || HAS_BYTE (word, 0x7f)
          || (quoted && (HAS_BYTE (word, '"') || HAS_BYTE (word, '\\'))))
        return -1;
    }
  for (; i < len; i++)
    if ((guchar) text[i] < 0x20 || (guchar) text[i] > 0x7e || (quoted && (text[i] == '"' || text[i] == '\\')))
      return -1;
  return (gssize) len;
}

gboolean
pkm_text_is_plain_quoted (const char *text)
{
  return plain_ascii (text, TRUE);
}

char *
pkm_text_escape (const char *text, gboolean quoted)
{
  const char *end;
  GString *out;

  if (text == NULL)
    return g_strdup ("");
  if (plain_ascii (text, quoted))
    return g_strdup (text);
  end = text + strlen (text);
  out = g_string_sized_new (end - text);
  for (const char *p = text; p < end;)
    {
      const char *start = p;
      gunichar c = next_char (&p, end);

      append_char (out, c, start, p, quoted);
    }
  return g_string_free (out, FALSE);
}

guint
pkm_text_width (const char *text)
{
  const char *end = text + strlen (text);
  guint width = 0;

  if (plain_ascii (text, FALSE))
    return end - text;
  for (const char *p = text; p < end;)
    {
      gunichar c = next_char (&p, end);

      width += c == (gunichar) -1 ? 1 : g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

char *
pkm_text_cut (const char *text, guint width)
{
  const char *end = text + strlen (text), *p = text, *kept = text;
  g_autofree char *head = NULL;
  guint used = 0;

  if (pkm_text_width (text) <= width)
    return g_strdup (text);
  /* Room for ".." at the end: what fits in width - 2 columns is kept. */
  while (p < end)
    {
      gunichar c = next_char (&p, end);
      guint w = c == (gunichar) -1 ? 1 : g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

      if (used + w + 2 > width)
        break;
      used += w;
      kept = p;
    }
  head = g_strndup (text, kept - text);
  return g_strconcat (head, "..", NULL);
}

/* The character @c (its bytes @start..@end) inside a JSON string: a byte
 * that is not UTF-8 as U+FFFD, one a terminal would act on as \uXXXX (a
 * surrogate pair past U+FFFF), the rest as it is. */
static void
append_json_char (GString *out, gunichar c, const char *start, const char *end)
{
  if (c == (gunichar) -1)
    g_string_append (out, "\\ufffd");
  else if (c < 0x80 || !pkm_text_char_escaped (c))
    g_string_append_len (out, start, end - start);
  else if (c < 0x10000)
    g_string_append_printf (out, "\\u%04x", c);
  else
    g_string_append_printf (out, "\\u%04x\\u%04x", 0xD800 + ((c - 0x10000) >> 10), 0xDC00 + ((c - 0x10000) & 0x3FF));
}

/* @text as a JSON string, quotes and all, onto @out: what a terminal would
 * act on is escaped (the C0 and C1 controls, DEL, bidi and other format
 * characters, as \uXXXX), a byte that is not UTF-8 becomes U+FFFD, and the
 * rest is written as it is. Printable ASCII without a quote or backslash,
 * most of what print writes, is copied in one piece. */
void
pkm_text_json_string (GString *out, const char *text)
{
  static const char hex[] = "0123456789abcdef";
  gssize plain = pkm_text_plain_length (text, TRUE);
  const char *end;

  g_string_append_c (out, '"');
  if (plain >= 0)
    {
      g_string_append_len (out, text, plain);
      g_string_append_c (out, '"');
      return;
    }
  end = text + strlen (text);
  for (const char *p = text; p < end;)
    {
      const char *start = p;
      gunichar c = next_char (&p, end);

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c == '\b' ? 'b' : c == '\f' ? 'f' : c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
        }
      else if (c < 0x20 || c == 0x7f)
        {
          char escape[] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf] };
          g_string_append_len (out, escape, sizeof escape);
        }
      else
        append_json_char (out, c, start, p);
    }
  g_string_append_c (out, '"');
}

/* json-glib escapes the C0 controls and DEL; the other characters a terminal
 * acts on (C1, bidi) it leaves raw. Outside strings JSON is plain ASCII, so
 * every such character found is inside a string and \uXXXX keeps it valid. */
char *
pkm_text_json_tidy (const char *json)
{
  const char *end = json + strlen (json);
  GString *out = g_string_sized_new (end - json);

  for (const char *p = json; p < end;)
    {
      const char *start = p;
      gunichar c = next_char (&p, end);

      append_json_char (out, c, start, p);
    }
  return g_string_free (out, FALSE);
}
