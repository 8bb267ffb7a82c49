/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command language's pieces: the lexer, print where, and the escaping
 * and widths of what is printed. */
#include <string.h>
#include <json-glib/json-glib.h>
#include "core/pkm-invoke-private.h"
#include "shell/pkm-shell-private.h"

static void
test_lexer (void)
{
  g_auto (PkmTokens) tokens = { 0 };
  g_autoptr (GError) error = NULL;
  PkmToken *t;

  g_assert_true (pkm_lex_line ("add name=ca common-name=\"Local \\\"CA\\\"\\_x\" passphrase=\"\" word print where a=b",
                               &tokens, &error));
  g_assert_cmpuint (tokens.tokens->len, ==, 6);
  t = g_ptr_array_index (tokens.tokens, 0);
  g_assert_null (t->name);
  g_assert_cmpstr (t->value, ==, "add");
  t = g_ptr_array_index (tokens.tokens, 2);
  g_assert_cmpstr (t->name, ==, "common-name");
  g_assert_cmpstr (t->value, ==, "Local \"CA\" x");
  t = g_ptr_array_index (tokens.tokens, 3);
  g_assert_cmpstr (t->name, ==, "passphrase");
  g_assert_cmpstr (t->value, ==, "");
  g_assert_cmpstr (tokens.where, ==, "a=b");
  pkm_tokens_clear (&tokens);
  g_assert_false (pkm_lex_line ("add name=\"open", &tokens, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "unterminated string at column 5");
}

static const char *const fields[] = { "name", "size", "kind", "on", "list", NULL };
static const PkmMenu menu = { PKM_MENU_SIZES, .path = "/t", .fields = fields };

static GVariant *
item (const char *name, gint64 size, const char *kind, gboolean on)
{
  GVariantDict d;
  const char *list[] = { "a", "b", NULL };

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "name", "s", name);
  g_variant_dict_insert (&d, "size", "x", size);
  g_variant_dict_insert (&d, "kind", "s", kind);
  g_variant_dict_insert (&d, "on", "b", on);
  g_variant_dict_insert (&d, "list", "^as", list);
  return g_variant_ref_sink (g_variant_dict_end (&d));
}

static gboolean
matches (const char *expression, GVariant *it)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmWhere) where = pkm_where_parse (expression, &menu, &error);
  g_autoptr (PkmVardictView) view = pkm_vardict_view_new (it);

  g_assert_no_error (error);
  return pkm_where_match (where, view, NULL);
}

static void
test_where (void)
{
  g_autoptr (GVariant) a = item ("alpha", 10, "ca", TRUE);
  g_autoptr (GVariant) b = item ("beta", 9, "", FALSE);
  g_autoptr (GError) error = NULL;

  g_assert_true (matches ("name=alpha", a));
  g_assert_true (matches ("name!=alpha", b));
  g_assert_true (matches ("name~\"^al\"", a));
  g_assert_false (matches ("name~\"^al\"", b));
  g_assert_true (matches ("size>9", a));    /* numeric, not "10" < "9" */
  g_assert_true (matches ("size<10", b));
  g_assert_true (matches ("on", a));
  g_assert_false (matches ("on", b));
  g_assert_true (matches ("kind", a));
  g_assert_false (matches ("kind", b));
  g_assert_true (matches ("not on", b));
  g_assert_true (matches ("list=a,b", a));
  g_assert_true (matches ("on=yes and size=10", a));
  /* not > and > or */
  g_assert_true (matches ("name=beta or name=alpha and on", a));
  g_assert_false (matches ("(name=beta or name=alpha) and not on", a));
  g_assert_true (matches ("not (name=beta)", a));
  g_assert_null (pkm_where_parse ("colour=red", &menu, &error));
  g_assert_cmpstr (error->message, ==, "where: no such property: colour");
  g_clear_error (&error);
  g_assert_null (pkm_where_parse ("name~\"(\"", &menu, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (pkm_where_parse ("(name=a", &menu, &error));
  g_assert_cmpstr (error->message, ==, "where: a ) is missing");
}

/* Nesting is bounded; long and/or chains are flat, so none of these can
 * exhaust the stack while parsing, matching or freeing. */
static void
test_where_bounds (void)
{
  g_autoptr (GVariant) a = item ("alpha", 10, "ca", TRUE);
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmWhere) where = NULL;

  for (guint i = 0; i < 64; i++)
    g_string_append_c (text, '(');
  g_string_append (text, "name=alpha");
  for (guint i = 0; i < 64; i++)
    g_string_append_c (text, ')');
  g_assert_true (matches (text->str, a));
  g_string_prepend_c (text, '(');
  g_string_append_c (text, ')');
  g_assert_null (pkm_where_parse (text->str, &menu, &error));
  g_assert_cmpstr (error->message, ==, "where: nested deeper than 64 levels");
  g_clear_error (&error);

  g_string_truncate (text, 0);
  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "not ");
  g_string_append (text, "on");
  g_assert_null (pkm_where_parse (text->str, &menu, &error));
  g_assert_cmpstr (error->message, ==, "where: nested deeper than 64 levels");
  g_clear_error (&error);

  g_string_assign (text, "name=x");
  for (guint i = 1; i < 4096; i++)
    g_string_append (text, i % 2 ? " or name=y" : " and on");
  g_string_append (text, " or name=alpha");
  where = pkm_where_parse (text->str, &menu, &error);
  g_assert_null (where);
  g_assert_cmpstr (error->message, ==, "where: more than 4096 comparisons");
  g_clear_error (&error);
  g_string_assign (text, "name=x");
  for (guint i = 2; i < 4096; i++)
    g_string_append (text, " or name=y");
  g_string_append (text, " or name=alpha");
  g_assert_true (matches (text->str, a));
}

static const struct {
  const char *raw;
  const char *plain;  /* as a table cell or a message shows it */
  const char *quoted; /* as detail shows it inside "..." */
} escapes[] = {
  { "", "", "" },
  { "Local CA", "Local CA", "Local CA" },
  { "a\x1b[31mb", "a\\1B[31mb", "a\\1B[31mb" },
  { "one\ntwo\r\tx", "one\\ntwo\\r\\tx", "one\\ntwo\\r\\tx" },
  { "\x01\x1f\x7f", "\\01\\1F\\7F", "\\01\\1F\\7F" },
  { "say \"hi\" \\o/", "say \"hi\" \\o/", "say \\\"hi\\\" \\\\o/" },
  /* not UTF-8: each stray byte by itself */
  { "a\xff\xc3" "b", "a\\FF\\C3b", "a\\FF\\C3b" },
  /* C1 CSI, a right-to-left override and a zero-width space: their bytes */
  { "x\xc2\x9b" "y", "x\\C2\\9By", "x\\C2\\9By" },
  { "\xe2\x80\xae" "evil", "\\E2\\80\\AEevil", "\\E2\\80\\AEevil" },
  { "a\xe2\x80\x8b" "b", "a\\E2\\80\\8Bb", "a\\E2\\80\\8Bb" },
  /* printable UTF-8 stays: CJK, accents, an emoji joined by ZWJ */
  { "東京 café", "東京 café", "東京 café" },
  { "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb",
    "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb" },
};

static void
test_escape (void)
{
  g_autofree char *none = pkm_text_escape (NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (escapes); i++)
    {
      g_autofree char *plain = pkm_text_escape (escapes[i].raw, FALSE);
      g_autofree char *quoted = pkm_text_escape (escapes[i].raw, TRUE);
      g_autofree char *line = g_strdup_printf ("x=\"%s\"", quoted);
      g_auto (PkmTokens) tokens = { 0 };
      g_autoptr (GError) error = NULL;

      g_assert_cmpstr (plain, ==, escapes[i].plain);
      g_assert_cmpstr (quoted, ==, escapes[i].quoted);
      /* What detail prints reads back, through the lexer, as the same bytes. */
      g_assert_true (pkm_lex_line (line, &tokens, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (((PkmToken *) g_ptr_array_index (tokens.tokens, 0))->value, ==, escapes[i].raw);
      for (const char *s = plain; *s != '\0'; s++)
        g_assert_true ((guint8) *s >= 0x20 && (guint8) *s != 0x7f);
    }
  g_assert_cmpstr (none, ==, "");
}

static void
test_width (void)
{
  static const struct { const char *text; guint width; } widths[] = {
    { "", 0 },
    { "router", 6 },
    { "café", 4 },
    { "東京", 4 },
    { "証明書-ca", 9 },
    { "e\xcc\x81", 1 },         /* e and a combining acute */
    { "a\xe2\x80\x8b" "b", 2 },    /* a zero-width space */
    { "\xea\xb0\x80", 2 },      /* a Hangul syllable */
    { "a\xff" "b", 3 },             /* a stray byte takes a cell */
  };

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    g_assert_cmpuint (pkm_text_width (widths[i].text), ==, widths[i].width);
}

/* pkm_text_plain_length reads eight bytes at a time: it must say what a
 * byte-by-byte reading says, for every byte at every place of a word. */
static gssize
plain_length_bytewise (const char *text, gboolean quoted)
{
  const char *p = text;

  for (; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || (guchar) *p > 0x7e || (quoted && (*p == '"' || *p == '\\')))
      return -1;
  return p - text;
}

static void
test_plain_length (void)
{
  char text[20];

  for (guint len = 0; len < sizeof text; len++)
    for (guint at = 0; at < MAX (len, 1); at++)
      for (guint byte = 1; byte < 256; byte++)
        {
          memset (text, 'a', len);
          text[len] = '\0';
          if (len > 0)
            text[at] = (char) byte;
          for (gboolean quoted = FALSE; quoted <= TRUE; quoted++)
            g_assert_cmpint (pkm_text_plain_length (text, quoted), ==, plain_length_bytewise (text, quoted));
        }
}

/* json-glib's string escapes, then ours: still JSON, and the same strings. */
static void
test_json_tidy (void)
{
  static const char *const values[] = {
    "a\x1b[31mb\n", "x\xc2\x9b" "y", "\xe2\x80\xae" "evil", "東京", "\xf3\xa0\x80\x81" "tag",
  };
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL, parsed_root = NULL;
  g_autofree char *text = NULL, *tidy = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *parsed;
  guint n_high = 0;

  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  tidy = pkm_text_json_tidy (text);
  /* Of the non-ASCII characters only the printable 東京 is left raw. */
  for (const char *s = tidy; *s != '\0'; s++)
    n_high += (guint8) *s >= 0x80;
  g_assert_cmpuint (n_high, ==, strlen ("東京"));
  g_assert_nonnull (strstr (tidy, "東京"));
  g_assert_null (strstr (tidy, "\xc2\x9b"));
  g_assert_null (strstr (tidy, "\xe2\x80\xae"));
  g_assert_nonnull (strstr (tidy, "\\u009b"));
  g_assert_nonnull (strstr (tidy, "\\udb40\\udc01"));
  g_assert_true (json_parser_load_from_data (parser, tidy, -1, &error));
  g_assert_no_error (error);
  parsed = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (parsed), ==, G_N_ELEMENTS (values));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpstr (json_array_get_string_element (parsed, i), ==, values[i]);
}

/* print's own JSON strings: what json-glib writes and pkm_text_json_tidy
 * makes of it, byte for byte, for every byte at every place of a few
 * strings (json-glib leaves 0x1f raw, which is not JSON: that one we escape),
 * and JSON that a parser reads back to the very string when it is UTF-8. */
static void
test_json_string (void)
{
  static const char *const bases[] = { "", "abc", "a\"b\\c", "東京", "x\xc2\x9by", "rtl\xe2\x80\xae" "gnp.exe",
                                       "\xf3\xa0\x80\x81tag", "\xff\xfe", "0123456789abcdef0123" };

  for (guint b = 0; b < G_N_ELEMENTS (bases); b++)
    for (gsize at = 0; at <= strlen (bases[b]); at++)
      for (guint byte = 1; byte < 256; byte++)
        {
          g_autoptr (GString) text = g_string_new (bases[b]);
          g_autoptr (GString) ours = g_string_new (NULL);
          g_autoptr (JsonNode) node = json_node_new (JSON_NODE_VALUE);
          g_autofree char *glib = NULL, *tidy = NULL;
          g_autoptr (JsonParser) parser = json_parser_new ();
          g_autoptr (GError) error = NULL;

          g_string_insert_c (text, at, (char) byte);
          pkm_text_json_string (ours, text->str);
          json_node_set_string (node, text->str);
          glib = json_to_string (node, FALSE);
          tidy = pkm_text_json_tidy (glib);
          if (byte == 0x1f)
            g_assert_nonnull (strstr (ours->str, "\\u001f"));
          else
            g_assert_cmpstr (ours->str, ==, tidy);
          if (!g_utf8_validate (text->str, -1, NULL))
            continue;
          g_assert_true (json_parser_load_from_data (parser, ours->str, -1, &error));
          g_assert_no_error (error);
          g_assert_cmpstr (json_node_get_string (json_parser_get_root (parser)), ==, text->str);
        }
}

/* A pattern that backtracks exponentially stops at its step bound with an
 * error, in milliseconds, instead of running for minutes. */
static void
test_where_regex_bound (void)
{
  g_autoptr (GVariant) long_name = item ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 1, "", FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmWhere) where = pkm_where_parse ("name~\"^(a|a)*$\"", &menu, &error);
  g_autoptr (PkmVardictView) view = pkm_vardict_view_new (long_name);

  g_assert_no_error (error);
  g_assert_false (pkm_where_match (where, view, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "where: the regular expression takes too long"));
  g_clear_error (&error);
  g_assert_true (matches ("name~\"^a+b$\"", long_name));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/shell/lexer", test_lexer);
  g_test_add_func ("/shell/where", test_where);
  g_test_add_func ("/shell/where-bounds", test_where_bounds);
  g_test_add_func ("/shell/where-regex-bound", test_where_regex_bound);
  g_test_add_func ("/shell/escape", test_escape);
  g_test_add_func ("/shell/width", test_width);
  g_test_add_func ("/shell/plain-length", test_plain_length);
  g_test_add_func ("/shell/json-tidy", test_json_tidy);
  g_test_add_func ("/shell/json-string", test_json_string);
  return g_test_run ();
}
