/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Keys through the context, as a plugin or a menu sees them: a real context
 * loads the token-fixture provider (a PIN set) beside the crypto and store
 * plugins; key URIs are found on the token or in the keyring, tokens are
 * listed and logged in to, and the handles' wrappers answer for what a
 * provider leaves out. */
#include <string.h>
#include <glib/gstdio.h>
#include "core/pkm-context.h"
#include "core/pkm-providers.h"
#include "model/pkm-model.h"

#define CA_URI "pkcs11:token=fixture;object=ca"
#define BOX_URI "pkcs11:token=fixture;object=box"

static PkmContext *ctx;
static char *state_dir;

static GBytes *
sha256 (const char *text)
{
  GChecksum *checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize size = sizeof digest;

  g_checksum_update (checksum, (const guchar *) text, strlen (text));
  g_checksum_get_digest (checksum, digest, &size);
  g_checksum_free (checksum);
  return g_bytes_new (digest, size);
}

/* Runs first (the tests run in the order added): nothing is logged in yet. */
static void
test_login (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmKey) key = pkm_context_find_key (ctx, CA_URI, &error);
  g_autoptr (GBytes) hash = sha256 ("to be signed");
  g_autoptr (PkmSecret) wrong = pkm_secret_new_from_data ("0000", 4);
  g_autoptr (PkmSecret) right = pkm_secret_new_from_data ("4321", 4);
  g_autoptr (GBytes) signature = NULL;

  g_assert_no_error (error);
  g_assert_null (pkm_key_sign_hash (key, PKM_DIGEST_SHA256, hash, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_PIN_REQUIRED);
  g_clear_error (&error);
  g_assert_false (pkm_context_login_token (ctx, "pkcs11:token=fixture", wrong, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_PIN_REQUIRED);
  g_clear_error (&error);
  g_assert_false (pkm_context_login_token (ctx, "pkcs11:token=elsewhere", right, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_TOKEN_ABSENT);
  g_clear_error (&error);
  g_assert_false (pkm_context_login_token (ctx, "fixture", right, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (pkm_context_login_token (ctx, "pkcs11:token=fixture", right, &error));
  g_assert_no_error (error);
  signature = pkm_key_sign_hash (key, PKM_DIGEST_SHA256, hash, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signature);
}

static void
test_list_tokens (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tokens = pkm_context_list_tokens (ctx, &error);
  const char *provider = NULL, *label = NULL, *uri = NULL;
  gboolean login_required = FALSE, logged_in = FALSE;

  g_assert_no_error (error);
  g_assert_cmpuint (tokens->len, ==, 1);
  g_assert_true (g_variant_lookup (g_ptr_array_index (tokens, 0), "provider", "&s", &provider));
  g_assert_true (g_variant_lookup (g_ptr_array_index (tokens, 0), "label", "&s", &label));
  g_assert_true (g_variant_lookup (g_ptr_array_index (tokens, 0), "uri", "&s", &uri));
  g_assert_true (g_variant_lookup (g_ptr_array_index (tokens, 0), "login-required", "b", &login_required));
  g_assert_true (g_variant_lookup (g_ptr_array_index (tokens, 0), "logged-in", "b", &logged_in));
  g_assert_cmpstr (provider, ==, "token-fixture");
  g_assert_cmpstr (label, ==, "fixture");
  g_assert_cmpstr (uri, ==, "pkcs11:token=fixture");
  g_assert_true (login_required);
  g_assert_true (logged_in);
}

static void
test_find_token_key (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmKey) ca = pkm_context_find_key (ctx, CA_URI, &error);
  g_autoptr (PkmKey) box = pkm_context_find_key (ctx, BOX_URI, &error);
  g_autoptr (GBytes) spki = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (pkm_key_get_key_type (ca), ==, PKM_KEY_TYPE_EC);
  g_assert_cmpint (pkm_key_get_key_type (box), ==, PKM_KEY_TYPE_RSA);
  g_assert_cmpuint (pkm_key_get_bits (box), ==, 2048);
  g_assert_cmpstr (pkm_key_get_uri (ca), ==, CA_URI);
  spki = pkm_key_get_public_key (ca, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (spki), >, 60);
  /* The fixture has no export_pkcs8: the wrapper says the key stays where it is. */
  g_assert_null (pkm_key_export_pkcs8 (ca, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_PERMISSION_DENIED);
}

static void
test_find_errors (void)
{
  static const struct { const char *uri; gint code; } cases[] = {
    { "pkcs11:token=fixture;object=nope", PKM_ERROR_NOT_FOUND },
    { "pkcs11:token=other;object=ca", PKM_ERROR_NOT_FOUND },
    { "pkiman:key/00ff", PKM_ERROR_NOT_FOUND },
    { "file:/etc/ssl/private/ca.key", PKM_ERROR_INVALID_ARGUMENT },
  };
  g_autoptr (GError) error = NULL;

  /* The keyring is read inside a transaction. */
  g_assert_true (pkm_context_begin (ctx, FALSE, &error));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_null (pkm_context_find_key (ctx, cases[i].uri, &error));
      g_assert_error (error, PKM_ERROR, cases[i].code);
      g_clear_error (&error);
    }
  pkm_context_rollback (ctx);
}

/* A key sealed in the keyring comes back as a handle named pkiman:key/<key id>. */
static void
test_keyring_key (void)
{
  PkmKeySpec spec = { PKM_KEY_TYPE_EC, 0, "secp384r1" };
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmSecret) pkcs8 = pkm_crypto_generate_key (ctx, &spec, &error);
  g_autoptr (PkmKey) fresh = pkm_crypto_load_key (ctx, pkcs8, NULL, &error);
  g_autoptr (GBytes) spki = pkm_key_get_public_key (fresh, &error);
  g_autofree char *key_id = pkm_key_id (spki);
  g_autofree char *uri = g_strconcat ("pkiman:key/", key_id, NULL);
  g_autoptr (PkmKey) stored = NULL;
  g_autoptr (GBytes) stored_spki = NULL;
  g_autoptr (PkmSecret) exported = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (pkm_key_get_uri (fresh), ==, "");
  g_assert_true (pkm_context_begin (ctx, TRUE, &error));
  g_assert_true (pkm_keys_put (ctx, pkcs8, key_id, &error));
  g_assert_true (pkm_context_commit (ctx, &error));
  g_assert_true (pkm_context_begin (ctx, FALSE, &error));
  stored = pkm_context_find_key (ctx, uri, &error);
  pkm_context_rollback (ctx);
  g_assert_no_error (error);
  g_assert_cmpstr (pkm_key_get_uri (stored), ==, uri);
  g_assert_cmpint (pkm_key_get_key_type (stored), ==, PKM_KEY_TYPE_EC);
  stored_spki = pkm_key_get_public_key (stored, &error);
  g_assert_true (g_bytes_equal (stored_spki, spki));
  exported = pkm_key_export_pkcs8 (stored, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (pkm_secret_get_data (exported), pkm_secret_get_size (exported), pkm_secret_get_data (pkcs8),
                   pkm_secret_get_size (pkcs8));
}

/* The master key carried away and back, through the functions the menu
 * calls: the file's text, the same key again, a wrong passphrase, the key
 * put back where it went missing, another key in place, not a file at all. */
static void
test_master_key_transfer (void)
{
  g_autofree char *path = g_build_filename (state_dir, "master.key", NULL);
  g_autofree char *saved = NULL, *restored = NULL;
  gsize saved_size = 0, restored_size = 0;
  g_autoptr (GBytes) text = NULL;
  g_autoptr (GBytes) junk = g_bytes_new_static ("-----BEGIN PKIMAN MASTER KEY-----\nUEtNSw==\n", 44);
  g_autoptr (GError) error = NULL;
  PkmMasterFile file;

  g_assert_true (pkm_context_begin (ctx, TRUE, &error));
  text = pkm_context_export_master_key (ctx, "carry-it-safely", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (text, NULL), "-----BEGIN PKIMAN MASTER KEY-----\n"));
  g_assert_true (pkm_master_file_parse (text, &file, &error));
  g_assert_cmpuint (file.iterations, ==, PKM_MASTER_FILE_ITERATIONS);
  pkm_master_file_clear (&file);
  g_assert_true (pkm_context_import_master_key (ctx, text, "carry-it-safely", &error));
  g_assert_no_error (error);
  g_assert_false (pkm_context_import_master_key (ctx, text, "not-the-one", &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE);
  g_clear_error (&error);
  /* Missing: put back byte for byte, since it opens the key in the store. */
  g_assert_true (g_file_get_contents (path, &saved, &saved_size, NULL));
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_true (pkm_context_import_master_key (ctx, text, "carry-it-safely", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &restored, &restored_size, NULL));
  g_assert_cmpmem (restored, restored_size, saved, saved_size);
  /* Another key in place is kept. */
  g_assert_true (g_file_set_contents_full (path, "another master key, 32 bytes....", 32,
                                           G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL));
  g_assert_false (pkm_context_import_master_key (ctx, text, "carry-it-safely", &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents_full (path, saved, saved_size, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL));
  g_assert_false (pkm_context_import_master_key (ctx, junk, "carry-it-safely", &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  pkm_context_rollback (ctx);
}

/* The crypto plugin's members, through the context, with a token's key. */
static void
test_crypto_with_token_key (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmKey) key = pkm_context_find_key (ctx, BOX_URI, &error);
  g_autoptr (GBytes) spki = pkm_key_get_public_key (key, &error);
  g_autoptr (GBytes) data = g_bytes_new_static ("a CRL's TBS, say", 16);
  g_autoptr (GBytes) signature = pkm_crypto_sign_data (ctx, key, PKM_DIGEST_SHA256, data, &error);
  guint8 serial_bytes[] = { 0x11, 2, 3, 4, 5, 6, 7, 8 };
  g_autoptr (GBytes) serial = g_bytes_new (serial_bytes, sizeof serial_bytes);
  PkmCertSpec cert = { sizeof (PkmCertSpec), NULL, NULL, NULL, NULL, NULL, "box", NULL, PKM_KU_KEY_CERT_SIGN, 0, TRUE,
                       serial, 1700000000, 1900000000, PKM_DIGEST_SHA256, NULL };
  g_autoptr (GBytes) der = NULL;
  g_autofree char *thumbprint = NULL, *jwk = NULL;

  g_assert_no_error (error);
  g_assert_true (pkm_crypto_verify_data (ctx, spki, PKM_DIGEST_SHA256, data, signature, &error));
  g_assert_no_error (error);
  jwk = pkm_crypto_public_jwk (ctx, spki, &error);
  g_assert_true (g_str_has_prefix (jwk, "{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":\""));
  thumbprint = pkm_crypto_jwk_thumbprint (ctx, spki, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (thumbprint), ==, 43);
  der = pkm_crypto_sign_certificate (ctx, &cert, spki, NULL, key, &error);
  g_assert_no_error (error);
  g_assert_true (pkm_crypto_verify_signature (ctx, der, der, &error));
}

/* What a provider's ops leave out, the wrappers answer for. */
static guint freed;

static GBytes *
bare_public_key (gpointer data, GError **error)
{
  return g_bytes_new_static ("spki", 4);
}

static void
bare_free (gpointer data)
{
  freed++;
}

static void
test_wrappers (void)
{
  /* Built before sign_hash was there: struct_size stops after public_key. */
  static const PkmKeyOps bare = {
    .version = PKM_KEY_OPS_VERSION,
    .struct_size = G_STRUCT_OFFSET (PkmKeyOps, sign_hash),
    .public_key = bare_public_key,
    .sign_hash = (gpointer) 1, /* past struct_size: never called */
  };
  static const PkmKeyOps freeing = {
    .version = PKM_KEY_OPS_VERSION, .struct_size = sizeof (PkmKeyOps), .free = bare_free,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) hash = sha256 ("x");
  g_autoptr (GBytes) ciphertext = g_bytes_new_static ("x", 1);
  PkmKey *key = pkm_key_new (&bare, NULL, PKM_KEY_TYPE_RSA, 2048, "pkcs11:token=t;object=k");
  PkmKey *counted = pkm_key_new (&freeing, NULL, PKM_KEY_TYPE_EC, 256, NULL);
  g_autoptr (GBytes) spki = pkm_key_get_public_key (key, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (spki, NULL), g_bytes_get_size (spki), "spki", 4);
  g_assert_null (pkm_key_sign_hash (key, PKM_DIGEST_SHA256, hash, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (pkm_key_decrypt (key, ciphertext, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (pkm_key_export_pkcs8 (key, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_null (pkm_key_get_data (key, &freeing));
  g_assert_null (pkm_key_get_public_key (counted, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED);
  pkm_key_unref (key);
  pkm_key_ref (counted);
  pkm_key_unref (counted);
  g_assert_cmpuint (freed, ==, 0);
  pkm_key_unref (counted);
  g_assert_cmpuint (freed, ==, 1);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *config = NULL, *conf_text = NULL, *rm = NULL;
  const char *fixtures = g_getenv ("FIXTURE_DIR");
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (fixtures);
  state_dir = g_dir_make_tmp ("pkiman-keys-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (state_dir, "pkiman.conf", NULL);
  g_setenv ("PKIMAN_STATE_DIR", state_dir, TRUE);
  g_setenv ("PKIMAN_PLUGIN_PATH", fixtures, TRUE);
  conf_text = g_strdup ("[plugins]\ncrypto=gnutls\nstore=sqlite\nfeatures=token-fixture\n"
                        "[token-fixture]\nkeys=ca:ec,box:rsa\npin=4321\n");
  g_assert_true (g_file_set_contents (config, conf_text, -1, NULL));
  ctx = pkm_context_new (config, &error);
  g_assert_no_error (error);
  g_test_add_func ("/keys/login", test_login);
  g_test_add_func ("/keys/list-tokens", test_list_tokens);
  g_test_add_func ("/keys/find-token-key", test_find_token_key);
  g_test_add_func ("/keys/find-errors", test_find_errors);
  g_test_add_func ("/keys/keyring-key", test_keyring_key);
  g_test_add_func ("/keys/master-key-transfer", test_master_key_transfer);
  g_test_add_func ("/keys/crypto-with-token-key", test_crypto_with_token_key);
  g_test_add_func ("/keys/wrappers", test_wrappers);
  rc = g_test_run ();
  pkm_context_free (ctx);
  rm = g_strdup_printf ("rm -rf '%s'", state_dir);
  g_assert_cmpint (system (rm), ==, 0);
  g_free (state_dir);
  return rc;
}
