/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "core/pkm-invoke-private.h"

/* RouterOS's "..." strings, shared by the shell's lexer and where's parser:
 * \n \r \t \_ (space), \XX bytes in hex, and \ before anything else. */

static int
hex_value (char c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

gboolean
pkm_text_unquote (const char **p, GString *out)
{
  const char *s = *p;

  while (*s != '\0' && *s != '"')
    {
      if (*s != '\\')
        {
          g_string_append_c (out, *s++);
          continue;
        }
      s++;
      switch (*s)
        {
        case 'n': g_string_append_c (out, '\n'); s++; break;
        case 'r': g_string_append_c (out, '\r'); s++; break;
        case 't': g_string_append_c (out, '\t'); s++; break;
        case '_': g_string_append_c (out, ' '); s++; break;
        case '\0': break;
        default:
          if (hex_value (s[0]) >= 0 && hex_value (s[1]) >= 0)
            {
              g_string_append_c (out, (char) (hex_value (s[0]) * 16 + hex_value (s[1])));
              s += 2;
            }
          else
            g_string_append_c (out, *s++);
        }
    }
  if (*s != '"')
    return FALSE;
  *p = s + 1;
  return TRUE;
}

