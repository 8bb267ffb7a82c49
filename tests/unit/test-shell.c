/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command language's pieces: the lexer and print where. */
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
static const PkmMenu menu = { .path = "/t", .fields = fields };

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

  g_assert_no_error (error);
  return pkm_where_match (where, it);
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/shell/lexer", test_lexer);
  g_test_add_func ("/shell/where", test_where);
  g_test_add_func ("/shell/where-bounds", test_where_bounds);
  return g_test_run ();
}
