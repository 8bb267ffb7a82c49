/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pkm_invoke as an embedder drives it: this program includes only
 * <pkiman/pkiman.h> and links only what libpkiman exports. It gives commands
 * as data (typed values and raw text), reads results as data, and uses the
 * model API and pkm_context_transact the way a plugin's timer would. */
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <pkiman/pkiman.h>

static PkmContext *ctx;
static char *state_dir;

/* @command in @menu with @args (GVariant text, nullable): floating, for pkm_invoke to consume. */
static PkmInvocation
invocation_of (const char *menu, const char *command, const char *args)
{
  PkmInvocation invocation = PKM_INVOCATION_INIT;

  invocation.menu = menu;
  invocation.command = command;
  invocation.args = args != NULL ? g_variant_new_parsed (args) : NULL;
  invocation.actor = "test:embedder";
  invocation.files_dir = state_dir;
  return invocation;
}

/* (transfer full): the result of @command in @menu with @args. */
static PkmResult *
invoke (const char *menu, const char *command, const char *args, GError **error)
{
  PkmInvocation invocation = invocation_of (menu, command, args);

  return pkm_invoke (ctx, &invocation, error);
}

static GVariant *
item_named (PkmResult *result, const char *name)
{
  GPtrArray *items = pkm_result_get_items (result);

  for (guint i = 0; i < items->len; i++)
    {
      const char *n = NULL;
      if (g_variant_lookup (g_ptr_array_index (items, i), "name", "&s", &n) && strcmp (n, name) == 0)
        return g_ptr_array_index (items, i);
    }
  return NULL;
}

static void
test_typed_and_text (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmResult) added = NULL, signed_ca = NULL, leaf = NULL, printed = NULL;
  const char *id = NULL;
  GVariant *ca;

  /* Text values are typed by the core; typed values are taken as they are. */
  added = invoke ("/certificate", "add",
                  "{'name': <'api-ca'>, 'common-name': <'API CA'>, 'key-size': <'prime256v1'>,"
                  " 'key-usage': <['key-cert-sign', 'crl-sign']>, 'days-valid': <'30'>}", &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (pkm_result_get_values (added), ".id", "&s", &id));
  g_assert_true (id[0] == '*');
  signed_ca = invoke ("/certificate", "sign", "{'numbers': <'api-ca'>}", &error);
  g_assert_no_error (error);
  leaf = invoke ("/certificate", "add", "{'name': <'api-leaf'>, 'common-name': <'leaf'>, 'days-valid': <@t 10>}",
                 &error);
  g_assert_no_error (error);
  g_clear_pointer (&leaf, pkm_result_free);
  /* An ITEM by id (x) works as well as by name. */
  printed = invoke ("/certificate", "print", "{'where': <'name=api-ca'>}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pkm_result_get_items (printed)->len, ==, 1);
  ca = item_named (printed, "api-ca");
  g_assert_nonnull (ca);
  {
    gint64 ca_id = 0;
    g_autofree char *args = NULL;
    g_variant_lookup (ca, ".id", "x", &ca_id);
    args = g_strdup_printf ("{'numbers': <'api-leaf'>, 'ca': <@x %" G_GINT64_FORMAT ">}", ca_id);
    leaf = invoke ("/certificate", "sign", args, &error);
    g_assert_no_error (error);
  }
  g_clear_pointer (&printed, pkm_result_free);
  printed = invoke ("/certificate", "print", NULL, &error);
  g_assert_no_error (error);
  {
    GVariant *l = item_named (printed, "api-leaf");
    const char *issuer_name = NULL, *status = NULL;
    g_assert_nonnull (l);
    g_assert_true (g_variant_lookup (l, "ca", "&s", &issuer_name));
    g_assert_cmpstr (issuer_name, ==, "api-ca");
    g_assert_true (g_variant_lookup (l, "chain-status", "&s", &status));
    g_assert_cmpstr (status, ==, "valid");
    /* Every listed id is there for front ends that number items. */
    guint n_ids;
    pkm_result_get_listed_ids (printed, &n_ids);
    g_assert_cmpuint (n_ids, ==, pkm_result_get_items (printed)->len);
  }
}

static void
test_refusals (void)
{
  struct {
    const char *command, *args, *message;
  } cases[] = {
    { "add", "{'name': <'x1'>, 'colour': <'red'>}", "colour: no such parameter of /certificate add" },
    { "add", "{'name': <'x2'>, 'days-valid': <'many'>}", "days-valid: many is not a whole number" },
    { "add", "{'name': <'x3'>, 'trusted': <@t 1>}", "trusted: a b value was expected, not t" },
    { "add", "{'name': <'x4'>, 'key-size': <'huge'>}", "key-size: huge is not one of" },
    { "sign", "{'ca': <'api-ca'>}", NULL },
    { "sign", "{'numbers': <'7'>}", "numbers: 7 is a number from a print" },
    { "sign", "{'numbers': <'*7777'>}", "numbers: no such item: *7777" },
    { "frobnicate", NULL, "frobnicate: no such command in /certificate" },
  };
  g_autoptr (PkmResult) before = invoke ("/certificate", "print", "{'count-only': <true>}", NULL);
  guint64 count_before = 0, count_after = 0;

  g_variant_lookup (pkm_result_get_values (before), "count", "t", &count_before);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (PkmResult) result = invoke ("/certificate", cases[i].command, cases[i].args, &error);

      g_assert_null (result);
      g_assert_nonnull (error);
      if (cases[i].message != NULL && strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: [%s] lacks [%s]", i, error->message, cases[i].message);
    }
  {
    g_autoptr (PkmResult) after = invoke ("/certificate", "print", "{'count-only': <true>}", NULL);
    g_variant_lookup (pkm_result_get_values (after), "count", "t", &count_after);
    g_assert_cmpuint (count_before, ==, count_after);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (PkmResult) result = invoke ("/nowhere", "print", NULL, &error);
    g_assert_null (result);
    g_assert_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND);
  }
}

typedef struct {
  guint expiring;
  char *fingerprint;
} Found;

/* The same item with the same properties (a lookup reads the indexes, the
 * list the whole store: both must say the same), but expires-after, which
 * moves with the clock. */
static gboolean
same_item (GVariant *a, GVariant *b)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;
  gboolean same = g_variant_n_children (a) == g_variant_n_children (b);

  if (!same)
    {
      g_autofree char *ta = g_variant_print (a, FALSE), *tb = g_variant_print (b, FALSE);
      g_printerr ("same_item: %s\n  vs %s\n", ta, tb);
    }

  g_variant_iter_init (&iter, a);
  while (same && g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr (GVariant) other = g_variant_lookup_value (b, key, NULL);
      if (strcmp (key, "expires-after") != 0 && (other == NULL || !g_variant_equal (value, other)))
        {
          g_printerr ("same_item: %s differs\n", key);
          same = FALSE;
        }
      g_variant_unref (value);
    }
  return same;
}

static GVariant *
listed (PkmCall *call, const char *name, GError **error)
{
  g_autofree char *where = g_strdup_printf ("name=\"%s\"", name);
  g_autoptr (GPtrArray) items = pkm_certificates_list (call, where, error);

  return items != NULL && items->len == 1 ? g_variant_ref (g_ptr_array_index (items, 0)) : NULL;
}

/* What a plugin's timer does: the model API inside a transaction of its own. */
static gboolean
find_expiring (PkmCall *call, gpointer user_data, GError **error)
{
  Found *found = user_data;
  g_autoptr (GPtrArray) items = pkm_certificates_list (call, "name~\"^api-\" and expired=no", error);
  g_autoptr (GVariant) by_name = NULL, by_print = NULL;

  if (items == NULL)
    return FALSE;
  found->expiring = items->len;
  by_name = pkm_certificates_lookup (call, PKM_CERT_BY_NAME, "api-leaf", error);
  if (by_name == NULL)
    return FALSE;
  g_variant_lookup (by_name, "fingerprint", "s", &found->fingerprint);
  /* The same certificate by its fingerprint in upper case, and by issuer and serial. */
  {
    g_autofree char *upper = g_ascii_strup (found->fingerprint, -1);
    const char *issuer = NULL, *serial = NULL;
    g_autoptr (GVariant) by_fp = pkm_certificates_lookup (call, PKM_CERT_BY_FINGERPRINT, upper, error);
    g_autoptr (GVariant) by_is = NULL;
    g_autoptr (GBytes) der = NULL;
    gint64 id = 0;

    if (by_fp == NULL || !same_item (by_fp, by_name))
      return FALSE;
    g_variant_lookup (by_name, "issuer", "&s", &issuer);
    g_variant_lookup (by_name, "serial-number", "&s", &serial);
    by_is = pkm_certificates_lookup_issuer_serial (call, issuer, serial, error);
    if (by_is == NULL || !same_item (by_is, by_name))
      return FALSE;
    /* By serial in lower case and by SKID, the same; and as the whole list shows it. */
    {
      g_autofree char *lower = g_ascii_strdown (serial, -1);
      const char *skid = NULL;
      g_autoptr (GVariant) by_serial = pkm_certificates_lookup (call, PKM_CERT_BY_SERIAL, lower, error);
      g_autoptr (GVariant) by_skid = NULL, in_list = listed (call, "api-leaf", error);

      g_assert_true (g_variant_lookup (by_name, "skid", "&s", &skid));
      by_skid = pkm_certificates_lookup (call, PKM_CERT_BY_SKID, skid, error);
      if (by_serial == NULL || by_skid == NULL || in_list == NULL)
        return FALSE;
      g_assert_true (same_item (by_serial, by_name) && same_item (by_skid, by_name) && same_item (in_list, by_name));
      g_assert_null (pkm_certificates_lookup (call, PKM_CERT_BY_SERIAL, "00", NULL));
    }
    g_variant_lookup (by_name, ".id", "x", &id);
    der = pkm_certificates_get_der (call, id, error);
    if (der == NULL || g_bytes_get_size (der) < 100 || ((const guint8 *) g_bytes_get_data (der, NULL))[0] != 0x30)
      return FALSE;
  }
  return TRUE;
}

static gboolean
nested (PkmCall *call, gpointer user_data, GError **error)
{
  return pkm_context_transact (pkm_call_get_context (call), FALSE, "test:inner", find_expiring, user_data, error);
}

static void
test_model_in_transaction (void)
{
  g_autoptr (GError) error = NULL;
  Found found = { 0 };

  g_assert_true (pkm_context_transact (ctx, FALSE, "test:timer", find_expiring, &found, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (found.expiring, ==, 2);
  g_assert_cmpuint (strlen (found.fingerprint), ==, 64);
  g_free (found.fingerprint);
  /* One transaction at a time: a nested one is refused, and the outer rolls back. */
  g_assert_false (pkm_context_transact (ctx, TRUE, "test:outer", nested, NULL, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "a transaction is open already"));
}

static char *revocation_serial;

static gboolean
check_revocation (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  gint64 certificate = 0;
  const char *reason = NULL;

  g_assert_true (g_variant_lookup (record, "certificate", "x", &certificate));
  g_assert_cmpint (certificate, ==, *(gint64 *) user_data);
  g_assert_true (g_variant_lookup (record, "reason", "&s", &reason));
  g_assert_cmpstr (reason, ==, "key-compromise");
  g_assert_true (g_variant_lookup (record, "serial-number", "s", &revocation_serial));
  return TRUE;
}

/* The model's writers, as the SCEP server and the CRL plugin will call them:
 * a CSR made with the crypto services, issued by api-ca, revoked with a
 * reason; a template signed; a certificate made elsewhere imported. */
static gboolean
write_through_model (PkmCall *call, gpointer user_data, GError **error)
{
  PkmContext *context = pkm_call_get_context (call);
  PkmKeySpec spec = { PKM_KEY_TYPE_EC, 0, "prime256v1" };
  PkmCertSpec cert_spec = { sizeof (PkmCertSpec) };
  PkmIssueOptions options = PKM_ISSUE_OPTIONS_INIT;
  PkmImportOptions import = PKM_IMPORT_OPTIONS_INIT;
  g_autoptr (PkmSecret) pkcs8 = NULL;
  g_autoptr (PkmKey) key = NULL;
  g_autoptr (GBytes) csr = NULL, spki = NULL, outside = NULL, serial = NULL;
  g_autoptr (GVariant) ca = NULL, revoked = NULL, issued = NULL;
  const char *reason = NULL, *when = NULL;
  gint64 ca_id = 0, issued_id, tpl_id;
  guint64 imported = 0, keys = 0;
  static const guint8 serial_bytes[] = { 0x42, 0x17 };

  if ((pkcs8 = pkm_crypto_generate_key (context, &spec, error)) == NULL
      || (key = pkm_crypto_load_key (context, pkcs8, NULL, error)) == NULL)
    return FALSE;
  cert_spec.common_name = "from-the-api";
  cert_spec.digest = PKM_DIGEST_SHA256;
  if ((csr = pkm_crypto_create_csr (context, &cert_spec, key, NULL, error)) == NULL
      || (ca = pkm_certificates_lookup (call, PKM_CERT_BY_NAME, "api-ca", error)) == NULL)
    return FALSE;
  g_variant_lookup (ca, ".id", "x", &ca_id);
  options.name = "api-issued";
  options.days_valid = 7;
  if ((issued_id = pkm_certificates_issue_csr (call, csr, ca_id, &options, error)) <= 0
      || !pkm_certificates_revoke (call, issued_id, PKM_REVOCATION_KEY_COMPROMISE, error))
    return FALSE;
  if ((issued = pkm_certificates_lookup (call, PKM_CERT_BY_NAME, "api-issued", error)) == NULL)
    return FALSE;
  g_assert_true (g_variant_lookup (issued, "revocation-reason", "&s", &reason));
  g_assert_cmpstr (reason, ==, "key-compromise");
  g_assert_true (g_variant_lookup (issued, "revoked", "&s", &when));
  /* A second revocation is refused. */
  g_assert_false (pkm_certificates_revoke (call, issued_id, PKM_REVOCATION_SUPERSEDED, NULL));
  /* The revocation is a record of its own, found by its CA through the index. */
  {
    g_autoptr (GVariant) ca_key = g_variant_ref_sink (g_variant_new_int64 (ca_id));
    PkmStoreQuery by_ca = { .struct_size = sizeof by_ca, .field = "ca-id", .lower = ca_key, .upper = ca_key };
    guint64 n = 0;
    const char *serial_text = NULL;

    g_assert_true (pkm_store_count (context, "revocation", &by_ca, &n, error));
    g_assert_cmpuint (n, ==, 1);
    g_assert_true (pkm_store_query (context, "revocation", &by_ca, check_revocation, (gpointer) &issued_id, error));
    g_assert_true (g_variant_lookup (issued, "serial-number", "&s", &serial_text));
    g_assert_cmpstr (revocation_serial, ==, serial_text);
    g_clear_pointer (&revocation_serial, g_free);
  }

  /* A template, signed through the model. */
  if ((tpl_id = pkm_certificates_sign (call, *(gint64 *) user_data, ca_id, "api-signed", error)) <= 0)
    return FALSE;

  /* A certificate made elsewhere (self-signed with the CSR's key), imported as DER. */
  spki = pkm_key_get_public_key (key, error);
  serial = g_bytes_new_static (serial_bytes, sizeof serial_bytes);
  cert_spec.serial = serial;
  cert_spec.not_before = g_get_real_time () / G_USEC_PER_SEC;
  cert_spec.not_after = cert_spec.not_before + 86400;
  if (spki == NULL || (outside = pkm_crypto_sign_certificate (context, &cert_spec, spki, NULL, key, error)) == NULL)
    return FALSE;
  import.name = "api-imported";
  if (!pkm_certificates_import (call, outside, "outside.der", &import, &imported, &keys, error))
    return FALSE;
  g_assert_cmpuint (imported, ==, 1);
  g_assert_cmpuint (keys, ==, 0);
  /* The same again: already there, nothing new. */
  if (!pkm_certificates_import (call, outside, "outside.der", NULL, &imported, NULL, error))
    return FALSE;
  g_assert_cmpuint (imported, ==, 0);
  return TRUE;
}

static void
test_model_writes (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmResult) added = invoke ("/certificate", "add", "{'name': <'api-tpl'>, 'common-name': <'tpl'>}", &error);
  g_autoptr (PkmResult) printed = NULL, log = NULL;
  const char *id_text = NULL;
  gint64 tpl_id = 0;

  g_assert_no_error (error);
  g_variant_lookup (pkm_result_get_values (added), ".id", "&s", &id_text);
  tpl_id = g_ascii_strtoll (id_text + 1, NULL, 16);
  g_assert_true (pkm_context_transact (ctx, TRUE, "test:model", write_through_model, &tpl_id, &error));
  g_assert_no_error (error);
  printed = invoke ("/certificate", "print", "{'where': <'name~\"^api-(issued|signed|imported)$\"'>}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pkm_result_get_items (printed)->len, ==, 3);
  /* What the model did is in the audit log, with the transaction's actor. */
  log = invoke ("/log", "print", "{'where': <'message~\"api-issued\"'>}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pkm_result_get_items (log)->len, >=, 2);
}

typedef struct {
  GMainLoop *loop;
  PkmResult *result;
  GError *error;
} AsyncOutcome;

static void
invoked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncOutcome *outcome = user_data;

  outcome->result = pkm_invoke_finish (ctx, result, &outcome->error);
  g_main_loop_quit (outcome->loop);
}

static void
invoke_in_loop (const char *menu, const char *command, const char *args, AsyncOutcome *outcome)
{
  PkmInvocation invocation = invocation_of (menu, command, args);

  outcome->loop = g_main_loop_new (NULL, FALSE);
  pkm_invoke_async (ctx, &invocation, NULL, invoked, outcome);
  g_main_loop_run (outcome->loop);
  g_main_loop_unref (outcome->loop);
}

/* A front end with a main loop: an asynchronous command runs on it (a
 * fixture's wait ms=N), a synchronous one answers through the same call. */
static void
test_async (void)
{
  AsyncOutcome waited = { 0 }, printed = { 0 }, refused = { 0 };
  gboolean flag = FALSE;
  guint64 certificates = 0;

  invoke_in_loop ("/extend wide", "wait", "{'ms': <'20'>}", &waited);
  g_assert_no_error (waited.error);
  g_assert_true (g_variant_lookup (pkm_result_get_values (waited.result), "waited", "b", &flag) && flag);
  g_assert_true (g_variant_lookup (pkm_result_get_values (waited.result), "certificates", "t", &certificates));
  g_assert_cmpuint (certificates, ==, 2);
  pkm_result_free (waited.result);

  invoke_in_loop ("/certificate", "print", NULL, &printed);
  g_assert_no_error (printed.error);
  g_assert_cmpuint (pkm_result_get_items (printed.result)->len, ==, 2);
  pkm_result_free (printed.result);

  invoke_in_loop ("/extend wide", "wait", "{'ms': <'0'>}", &refused);
  g_assert_null (refused.result);
  g_assert_error (refused.error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_clear_error (&refused.error);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *config = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  state_dir = g_dir_make_tmp ("pkiman-invoke-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (state_dir, "pkiman.conf", NULL);
  g_setenv ("PKIMAN_STATE_DIR", state_dir, TRUE);
  g_setenv ("PKIMAN_PLUGIN_PATH", g_getenv ("FIXTURE_DIR"), TRUE);
  g_assert_true (
    g_file_set_contents (config, "[plugins]\ncrypto=gnutls\nstore=sqlite\nfeatures=feature-extend\n", -1, NULL));
  ctx = pkm_context_new (config, &error);
  g_assert_no_error (error);
  g_test_add_func ("/invoke/typed-and-text", test_typed_and_text);
  g_test_add_func ("/invoke/refusals", test_refusals);
  g_test_add_func ("/invoke/model-in-transaction", test_model_in_transaction);
  g_test_add_func ("/invoke/async", test_async);
  g_test_add_func ("/invoke/model-writes", test_model_writes);
  status = g_test_run ();
  pkm_context_free (ctx);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", state_dir);
    g_assert_cmpint (system (cmd), ==, 0);
  }
  g_free (state_dir);
  return status;
}
