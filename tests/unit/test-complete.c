/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Abbreviations, `?` and Tab without a terminal: the names a prefix gives,
 * the help text and the completion candidates of partial lines, against a
 * real context (the core's menus and the CRL plugin's), as pkiman links it. */
#include <stdlib.h>
#include <string.h>
#include "pkm-shell-private.h"

static PkmContext *ctx;
static PkmShell *shell;

/* The candidates for @line, blank-separated, and in *@start where they go. */
static char *
candidates (const char *line, gsize *start, gboolean *open)
{
  gboolean ignored;
  g_autoptr (GPtrArray) found = pkm_complete_line (shell, line, start, open != NULL ? open : &ignored);

  g_ptr_array_add (found, NULL);
  return g_strjoinv (" ", (char **) found->pdata);
}

static void
assert_candidates (const char *line, const char *expected, gsize expected_start)
{
  gsize start;
  g_autofree char *found = candidates (line, &start, NULL);

  g_assert_cmpstr (found, ==, expected);
  g_assert_cmpuint (start, ==, expected_start);
}

static void
test_resolve_name (void)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *name;

  g_ptr_array_add (names, "set");
  g_ptr_array_add (names, "sign");
  g_ptr_array_add (names, "sign-certificate-request");
  g_assert_true (pkm_resolve_name ("sign", names, &name, &error));
  g_assert_cmpstr (name, ==, "sign"); /* whole beats the longer name it begins */
  g_assert_true (pkm_resolve_name ("sign-", names, &name, &error));
  g_assert_cmpstr (name, ==, "sign-certificate-request");
  g_assert_true (pkm_resolve_name ("se", names, &name, &error));
  g_assert_cmpstr (name, ==, "set");
  g_assert_true (pkm_resolve_name ("x", names, &name, &error));
  g_assert_null (name);
  g_assert_true (pkm_resolve_name ("", names, &name, &error));
  g_assert_null (name);
  g_assert_no_error (error);
  g_assert_false (pkm_resolve_name ("s", names, &name, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "s: ambiguous, could be: set, sign, sign-certificate-request");
}

static void
test_resolve_choices (void)
{
  const PkmCommand *add = pkm_menu_find_command (pkm_context_find_menu (ctx, "/certificate"), "add");
  const PkmParam *usage = pkm_command_find_param (add, "key-usage");
  const PkmParam *name = pkm_command_find_param (add, "name");
  g_autoptr (GError) error = NULL;
  g_autofree char *whole = pkm_resolve_choices (usage, "key-c,crl,tls-server", &error);
  g_autofree char *as_typed = pkm_resolve_choices (name, "key-c", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (whole, ==, "key-cert-sign,crl-sign,tls-server");
  g_assert_cmpstr (as_typed, ==, "key-c"); /* a string is no choice */
  g_assert_null (pkm_resolve_choices (usage, "d", &error));
  g_assert_cmpstr (error->message, ==,
                   "key-usage: d: ambiguous, could be: digital-signature, data-encipherment, decipher-only, dvcs");
}

static void
test_where_prefix (void)
{
  g_auto (PkmTokens) tokens = { 0 };

  g_assert_true (pkm_lex_line ("print wh name=x", &tokens, NULL));
  g_assert_cmpstr (tokens.where, ==, "name=x");
  pkm_tokens_clear (&tokens);
  /* One letter is no where (without-paging begins with w too), nor a quoted word. */
  g_assert_true (pkm_lex_line ("print w \"wh\"", &tokens, NULL));
  g_assert_null (tokens.where);
  g_assert_cmpuint (tokens.tokens->len, ==, 3);
}

static void
test_complete_menus (void)
{
  assert_candidates ("/certificate a", "add", 13);
  assert_candidates ("/cert", "certificate", 1);
  assert_candidates ("/certificate/s", "set settings sign sign-certificate-request", 13);
  assert_candidates ("/cert/crl/d", "download", 10);
  assert_candidates ("/certificate cr", "create-certificate-request crl", 13);
  assert_candidates ("/sys ", "clock master-key plugin store token", 5);
  assert_candidates ("/im", "import", 1);
  assert_candidates ("/nosuch/x", "", 9);
}

static void
test_complete_arguments (void)
{
  gsize start;
  gboolean open;
  g_autofree char *list = NULL;

  assert_candidates ("/certificate add na", "name=", 17);
  assert_candidates ("/cert add key-size=prime", "prime256v1", 19);
  assert_candidates ("/cert add ke=", "", 13); /* ke: key-size, key-usage or key-uri */
  assert_candidates ("/certificate add trusted=", "no yes", 25);
  assert_candidates ("/certificate print d", "detail", 19);
  assert_candidates ("/certificate print wh", "where", 19);
  assert_candidates ("/certificate print where common", "common-name", 25);
  assert_candidates ("/certificate print where name=x and issu", "issued issuer", 36);
  assert_candidates ("/certificate issued-revoke x reason=key", "key-compromise", 36);
  list = candidates ("/certificate add key-usage=key-cert-sign,c", &start, &open);
  g_assert_cmpstr (list, ==, "code-sign content-commitment crl-sign");
  g_assert_cmpuint (start, ==, 41);
  g_assert_true (open); /* a list goes on after a comma */
  g_free (list);
  list = candidates ("/certificate add na", &start, &open);
  g_assert_false (open);
}

static void
run (const char *line)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (pkm_shell_run_line (shell, line, &error));
  g_assert_no_error (error);
}

static void
test_complete_items (void)
{
  run ("/certificate add name=local-ca common-name=ca");
  run ("/certificate add name=\"my ca\" common-name=mine");
  run ("/certificate add name=wh common-name=wh");
  /* The positional value is an item (quoted when it must be), or a parameter. */
  assert_candidates ("/certificate sign ", "\"my ca\" \"wh\" ca-crl-host= ca= local-ca name= numbers= template=", 18);
  assert_candidates ("/certificate sign l", "local-ca", 18);
  assert_candidates ("/certificate sign \"my", "\"my ca\"", 18);
  assert_candidates ("/certificate sign local-ca ca=m", "\"my ca\"", 30);
  /* Once given, the value is no longer offered. */
  assert_candidates ("/certificate sign local-ca l", "", 27);
}

static void
test_complete_bounds (void)
{
  g_autoptr (GString) long_line = g_string_new ("/certificate add ");
  gsize start;
  g_autofree char *found = NULL;

  assert_candidates ("/certificate frobnicate ", "", 24);
  assert_candidates ("/certificate s x", "", 16); /* s: ambiguous */
  assert_candidates ("/certificate add name=\"open", "", 22); /* a string: nothing to offer */
  assert_candidates ("?", "", 0);
  g_assert_nonnull (strstr ((found = candidates ("", &start, NULL)), "certificate"));
  g_assert_cmpuint (start, ==, 0);
  while (long_line->len < 10000)
    g_string_append (long_line, "name=x ");
  g_string_append (long_line, "na");
  assert_candidates (long_line->str, "name=", long_line->len - 2);
}

static char *
help (const char *line)
{
  g_autoptr (GError) error = NULL;
  char *text = pkm_help_for_line (shell, line, &error);

  g_assert_no_error (error);
  g_assert_nonnull (text);
  return text;
}

static void
assert_has (const char *text, const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("[%s] not in:\n%s", part, text);
}

static void
test_help_text (void)
{
  g_autofree char *add = help ("/certificate add ");
  g_autofree char *menu = help ("/cert s");
  g_autofree char *value = help ("/certificate add key-size=");
  g_autofree char *crl = help ("/certificate crl add ");
  g_autofree char *sign = help ("/certificate sign ");
  g_autofree char *where = help ("/certificate print where ");
  g_autoptr (GError) error = NULL;

  assert_has (add, "/certificate add -- add a template\n");
  assert_has (add, "  key-size               <one of 1024 | 1536 | 2048 | 4096 | 8192 | prime256v1");
  assert_has (add, "  days-valid             <integer 0..4294967295> (default 365) -- validity in days");
  assert_has (add, "  copy-from              <item of /certificate: a name or a number>");
  assert_has (menu, "commands:\n  set ");
  assert_has (menu, "menus:\n  settings ");
  g_assert_null (strstr (menu, "add"));
  assert_has (value, "values:\n  1024\n  1536\n");
  assert_has (crl, "url                    <string of 1..2048 characters> (required)");
  assert_has (sign, "numbers                <item of /certificate: a name or a number> (may be given unnamed)");
  assert_has (where, "properties:\n  name, ");
  g_assert_null (pkm_help_for_line (shell, "/certificate frobnicate ", &error));
  g_assert_cmpstr (error->message, ==, "frobnicate: no such command in /certificate");
  g_clear_error (&error);
  g_assert_null (pkm_help_for_line (shell, "/cert s ", &error));
  g_assert_cmpstr (error->message, ==, "s: ambiguous, could be: set, sign, sign-certificate-request, settings");
}

/* Any line has help or one error: none empty, none too long, never a crash. */
static void
test_help_bounds (void)
{
  g_autoptr (GString) long_line = g_string_new ("/certificate add");
  g_autofree char *root = help ("");
  g_autofree char *question = help ("?");
  g_autofree char *open = help ("/certificate add name=\"open ");
  g_autofree char *slash = help ("/certificate/");
  g_autofree char *long_help = NULL;

  assert_has (root, "menus:\n  certificate ");
  assert_has (question, "(nothing begins with \"?\")");
  assert_has (open, "name -- name of the certificate");
  assert_has (slash, "commands:\n  add ");
  while (long_line->len < 10000)
    g_string_append (long_line, " name=x");
  g_string_append_c (long_line, ' ');
  long_help = help (long_line->str);
  assert_has (long_help, "/certificate add -- add a template");
}

static gboolean
asks_help (const char *line)
{
  g_auto (PkmTokens) tokens = { 0 };

  g_assert_true (pkm_lex_line (line, &tokens, NULL));
  return pkm_help_requested (&tokens);
}

static void
test_help_requested (void)
{
  g_assert_true (asks_help ("/certificate add ?"));
  g_assert_true (asks_help ("/certificate add --help"));
  g_assert_true (asks_help ("/certificate print where name=x ?"));
  g_assert_true (asks_help ("?"));
  g_assert_false (asks_help ("/certificate add name=?"));
  g_assert_false (asks_help ("/certificate print where name=\"x ?\""));
  g_assert_false (asks_help (""));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *state_dir = NULL, *config = NULL, *cleanup = NULL;
  FILE *out;
  int status;

  g_test_init (&argc, &argv, NULL);
  state_dir = g_dir_make_tmp ("pkiman-complete-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (state_dir, "pkiman.conf", NULL);
  g_setenv ("PKIMAN_STATE_DIR", state_dir, TRUE);
  g_assert_true (g_file_set_contents (config, "[plugins]\ncrypto=gnutls\nstore=sqlite\nfeatures=crl\n", -1, NULL));
  ctx = pkm_context_new (config, &error);
  g_assert_no_error (error);
  out = fopen ("/dev/null", "w");
  shell = pkm_shell_new (ctx, "test", state_dir, PKM_OUTPUT_TEXT, out, out);
  g_test_add_func ("/complete/resolve-name", test_resolve_name);
  g_test_add_func ("/complete/resolve-choices", test_resolve_choices);
  g_test_add_func ("/complete/where-prefix", test_where_prefix);
  g_test_add_func ("/complete/menus", test_complete_menus);
  g_test_add_func ("/complete/arguments", test_complete_arguments);
  g_test_add_func ("/complete/items", test_complete_items);
  g_test_add_func ("/complete/bounds", test_complete_bounds);
  g_test_add_func ("/complete/help-text", test_help_text);
  g_test_add_func ("/complete/help-bounds", test_help_bounds);
  g_test_add_func ("/complete/help-requested", test_help_requested);
  status = g_test_run ();
  pkm_shell_free (shell);
  pkm_context_free (ctx);
  fclose (out);
  cleanup = g_strdup_printf ("rm -rf '%s'", state_dir);
  g_assert_cmpint (system (cleanup), ==, 0);
  return status;
}
