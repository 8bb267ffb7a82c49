/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The REST API's request bodies (pkm-rest-json.c): a body is read with its
 * nesting bounded; what it gives is turned back into what pkimand answers
 * (each member as an item's string, the input as an error's detail), which
 * must be JSON again; and its .query words become a `where` condition that
 * must either parse or be refused with one line, never read a value as syntax. */
#include <json-glib/json-glib.h>
#include "fuzz.h"
#include "core/pkm-invoke-private.h"
#include "menus/pkm-menus.h"
#include "pkm-rest-json.h"

static const PkmMenu *certificate_menu;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  certificate_menu = pkm_menu_certificate_get ();
  return 0;
}

/* @text is one JSON value that json-glib reads back. */
static void
assert_json (const GString *text)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) error = NULL;

  if (!json_parser_load_from_data (parser, text->str, (gssize) text->len, &error))
    g_error ("pkimand would answer JSON that does not parse (%s): %s", error->message, text->str);
}

/* Each where condition the query words make parses against /certificate, or
 * is refused as where refuses; a value never adds a term. */
static void
check_query (const char *const *words)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *where_text = pkm_rest_where_from_query (words, &error);
  g_autoptr (PkmWhere) where = NULL;

  if (where_text == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, ".query: "));
      return;
    }
  g_assert_no_error (error);
  where = pkm_where_parse (where_text, certificate_menu, &error);
  g_assert_true (where != NULL || g_str_has_prefix (error->message, "where: "));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  PkmRestBody body;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *text = fuzz_string (data, size);
  g_autoptr (GBytes) refusal = NULL;

  if (!pkm_rest_body_parse ((const char *) data, size, &body, &error))
    {
      g_assert_nonnull (error);
      g_assert_null (body.args);
      g_assert_null (strchr (error->message, '\n')); /* one line */
      refusal = pkm_rest_error_body (400, error->message);
      g_string_append_len (out, g_bytes_get_data (refusal, NULL), (gssize) g_bytes_get_size (refusal));
      assert_json (out);
      return 0;
    }
  g_assert_no_error (error);
  g_assert_true (g_variant_is_of_type (body.args, G_VARIANT_TYPE_VARDICT));
  g_assert_cmpuint (g_variant_n_children (body.args), <=, PKM_REST_MAX_MEMBERS);
  pkm_rest_append_item (out, body.args, (const char *const *) body.proplist);
  assert_json (out);
  g_string_truncate (out, 0);
  pkm_rest_append_string (out, text);
  assert_json (out);
  if (body.query != NULL)
    check_query ((const char *const *) body.query);
  pkm_rest_body_clear (&body);
  return 0;
}
