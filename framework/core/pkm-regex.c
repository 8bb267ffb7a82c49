/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "core/pkm-invoke-private.h"

/* where's ~ operator, on PCRE2 directly: GRegex sets no match limit, and a
 * pattern such as ^(a|a)*$ backtracks exponentially. Here each match may
 * take a bounded number of steps; past that it is an error, not a hang. */

#define REGEX_MAX_PATTERN 256
#define REGEX_MATCH_LIMIT 20000
#define REGEX_DEPTH_LIMIT 2000

struct _PkmRegex {
  pcre2_code *code;
  pcre2_match_data *match;
  pcre2_match_context *limits;
};

void
pkm_regex_free (PkmRegex *regex)
{
  if (regex == NULL)
    return;
  pcre2_match_context_free (regex->limits);
  pcre2_match_data_free (regex->match);
  pcre2_code_free (regex->code);
  g_free (regex);
}

PkmRegex *
pkm_regex_new (const char *pattern, GError **error)
{
  g_autoptr (PkmRegex) regex = g_new0 (PkmRegex, 1);
  PCRE2_UCHAR message[128];
  PCRE2_SIZE offset;
  int code;

  if (strlen (pattern) > REGEX_MAX_PATTERN)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "regular expression longer than %d characters",
                   REGEX_MAX_PATTERN);
      return NULL;
    }
  regex->code = pcre2_compile ((PCRE2_SPTR) pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code, &offset, NULL);
  if (regex->code == NULL)
    {
      pcre2_get_error_message (code, message, sizeof message);
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "bad regular expression at character %zu: %s",
                   (size_t) offset, (const char *) message);
      return NULL;
    }
  regex->match = pcre2_match_data_create_from_pattern (regex->code, NULL);
  regex->limits = pcre2_match_context_create (NULL);
  pcre2_set_match_limit (regex->limits, REGEX_MATCH_LIMIT);
  pcre2_set_depth_limit (regex->limits, REGEX_DEPTH_LIMIT);
  return g_steal_pointer (&regex);
}

gboolean
pkm_regex_match (PkmRegex *regex, const char *text, GError **error)
{
  int rc = pcre2_match (regex->code, (PCRE2_SPTR) text, strlen (text), 0, 0, regex->match, regex->limits);

  if (rc >= 0)
    return TRUE;
  if (rc == PCRE2_ERROR_NOMATCH)
    return FALSE;
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "where: the regular expression takes too long to match%s",
               rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ? " (it backtracks too much)" : "");
  return FALSE;
}
