/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* crypto-gnutls through its own functions: keys, certificates, sealing,
 * PKCS#8, PKCS#12, CSRs, signatures over data, JWKs and PBKDF2, each checked by
 * reading the result back (and by openssl where it can say). */
#define _GNU_SOURCE
#include <string.h>
#include <glib/gstdio.h>
#include "../gnutls-private.h"

/* The plugin's instance, as the core opens it. */
static gpointer self;

static PkmSecret *
new_key (PkmKeyType type, guint bits, const char *curve)
{
  PkmKeySpec spec = { type, bits, curve };
  g_autoptr (GError) error = NULL;
  PkmSecret *key = pkm_gnutls_generate_key (self, &spec, &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

static PkmKey *
handle (PkmSecret *pkcs8)
{
  g_autoptr (GError) error = NULL;
  PkmKey *key = pkm_gnutls_load_key_handle (self, pkcs8, "pkiman:key/test", &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

static GBytes *
spki_of (PkmKey *key)
{
  g_autoptr (GError) error = NULL;
  GBytes *spki = pkm_key_get_public_key (key, &error);

  g_assert_no_error (error);
  return spki;
}

static GBytes *
serial (guint8 first)
{
  guint8 data[16] = { first, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
  return g_bytes_new (data, sizeof data);
}

/* Signs @subject's certificate with @issuer_key (NULL: self-signed), any provider's key. */
static GBytes *
sign_with (PkmCertSpec *spec, PkmKey *subject, GBytes *issuer_cert, PkmKey *issuer_key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) spki = spki_of (subject);
  GBytes *der;

  der = pkm_gnutls_sign_certificate (self, spec, spki, issuer_cert, issuer_key != NULL ? issuer_key : subject,
                                     &error);
  g_assert_no_error (error);
  return der;
}

static GBytes *
sign (PkmCertSpec *spec, PkmSecret *subject, GBytes *issuer_cert, PkmSecret *issuer_key)
{
  g_autoptr (PkmKey) subject_key = handle (subject);
  g_autoptr (PkmKey) signer = issuer_key != NULL ? handle (issuer_key) : NULL;

  return sign_with (spec, subject_key, issuer_cert, signer);
}

static void
test_key_types (void)
{
  const PkmKeySpec specs[] = {
    { PKM_KEY_TYPE_RSA, 1024, NULL }, { PKM_KEY_TYPE_RSA, 2048, NULL }, { PKM_KEY_TYPE_EC, 0, "prime256v1" },
    { PKM_KEY_TYPE_EC, 0, "secp384r1" }, { PKM_KEY_TYPE_EC, 0, "secp521r1" },
  };
  g_autoptr (GError) error = NULL;
  PkmKeySpec bad = { PKM_KEY_TYPE_EC, 0, "curve25519" };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr (PkmSecret) key = new_key (specs[i].type, specs[i].bits, specs[i].curve);
      g_autoptr (PkmKey) key_handle = handle (key);
      g_autoptr (GBytes) spki = spki_of (key_handle);
      g_assert_cmpuint (g_bytes_get_size (spki), >, 60);
      g_assert_cmpint (pkm_key_get_key_type (key_handle), ==, specs[i].type);
    }
  g_assert_null (pkm_gnutls_generate_key (self, &bad, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
}

static void
test_sign_and_parse (void)
{
  g_autoptr (PkmSecret) ca_key = new_key (PKM_KEY_TYPE_EC, 0, "secp384r1");
  g_autoptr (PkmSecret) leaf_key = new_key (PKM_KEY_TYPE_RSA, 2048, NULL);
  const char *const san[] = { "DNS:router.example.com", "IP:192.168.88.1", "IP:2001:db8::1", "email:a@b.example", NULL };
  PkmCertSpec ca_spec = { sizeof (PkmCertSpec), "LV", NULL, NULL, "Example", NULL, "Root", NULL,
                          PKM_KU_KEY_CERT_SIGN | PKM_KU_CRL_SIGN, 0, TRUE, serial (1), 1700000000, 2000000000,
                          PKM_DIGEST_SHA384, NULL };
  PkmCertSpec leaf_spec = { sizeof (PkmCertSpec), NULL, NULL, NULL, NULL, "Ops", "router.example.com", san,
                            PKM_KU_DIGITAL_SIGNATURE | PKM_KU_KEY_ENCIPHERMENT, PKM_EKU_TLS_SERVER | PKM_EKU_DVCS,
                            FALSE, serial (0x42), 1700000000, G_GINT64_CONSTANT (400000000000),
                            PKM_DIGEST_SHA256, "http://pki.example/crl/1.crl" };
  g_autoptr (GBytes) ca = sign (&ca_spec, ca_key, NULL, NULL);
  g_autoptr (GBytes) leaf = sign (&leaf_spec, leaf_key, ca, ca_key);
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmCertInfo) ci = pkm_gnutls_parse_certificate (self, ca, &error);
  g_autoptr (PkmCertInfo) li = pkm_gnutls_parse_certificate (self, leaf, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (ci->subject, ==, "CN=Root,O=Example,C=LV");
  g_assert_true (ci->is_ca);
  g_assert_cmpstr (ci->key_curve, ==, "secp384r1");
  g_assert_cmpint (ci->digest, ==, PKM_DIGEST_SHA384);
  g_assert_cmpstr (ci->skid, ==, ci->akid);
  g_assert_cmpstr (li->issuer, ==, ci->subject);
  g_assert_cmpstr (li->akid, ==, ci->skid);
  g_assert_cmpstr (li->common_name, ==, "router.example.com");
  g_assert_cmpstr (li->unit, ==, "Ops");
  g_assert_cmpstr (li->serial, ==, "4202030405060708090A0B0C0D0E0F10");
  g_assert_cmpuint (g_strv_length (li->san), ==, 4);
  g_assert_cmpstr (li->san[1], ==, "IP:192.168.88.1");
  g_assert_cmpstr (li->san[2], ==, "IP:2001:db8::1");
  g_assert_cmpstr (li->crl_distribution_points[0], ==, "http://pki.example/crl/1.crl");
  g_assert_cmpuint (li->key_usage, ==, PKM_KU_DIGITAL_SIGNATURE | PKM_KU_KEY_ENCIPHERMENT);
  g_assert_cmpuint (li->ext_key_usage, ==, PKM_EKU_TLS_SERVER | PKM_EKU_DVCS);
  g_assert_false (li->is_ca);
  g_assert_cmpint (li->key_type, ==, PKM_KEY_TYPE_RSA);
  g_assert_cmpuint (li->key_bits, ==, 2048);
  /* Past year 9999 becomes 9999-12-31T23:59:59Z. */
  g_assert_cmpint (li->not_after, ==, G_GINT64_CONSTANT (253402300799));
  g_assert_cmpuint (strlen (li->fingerprint), ==, 64);
  g_assert_true (pkm_gnutls_verify_signature (self, leaf, ca, &error));
  g_assert_true (pkm_gnutls_verify_signature (self, ca, ca, &error));
  g_assert_false (pkm_gnutls_verify_signature (self, leaf, leaf, &error));
  g_assert_no_error (error);
  g_bytes_unref (ca_spec.serial);
  g_bytes_unref (leaf_spec.serial);
}

static void
test_seal_open (void)
{
  guint8 raw[32] = { 7 };
  g_autoptr (PkmSecret) master = pkm_secret_new_from_data (raw, sizeof raw);
  g_autoptr (PkmSecret) plain = pkm_secret_new_from_data ("private key bytes", 17);
  g_autoptr (GBytes) aad = g_bytes_new_static ("key-id", 6);
  g_autoptr (GBytes) other_aad = g_bytes_new_static ("key-id2", 7);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) sealed = pkm_gnutls_seal (self, master, plain, aad, &error);
  g_autoptr (PkmSecret) opened = pkm_gnutls_unseal (self, master, sealed, aad, &error);
  g_autoptr (GByteArray) tampered = NULL;
  g_autoptr (GBytes) tampered_bytes = NULL;

  g_assert_no_error (error);
  g_assert_cmpmem (pkm_secret_get_data (opened), pkm_secret_get_size (opened), "private key bytes", 17);
  g_assert_null (memmem (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), "private", 7));
  g_assert_null (pkm_gnutls_unseal (self, master, sealed, other_aad, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED);
  g_clear_error (&error);
  tampered = g_byte_array_new ();
  g_byte_array_append (tampered, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
  tampered->data[20] ^= 1;
  tampered_bytes = g_bytes_new (tampered->data, tampered->len);
  g_assert_null (pkm_gnutls_unseal (self, master, tampered_bytes, aad, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED);
}

static void
test_pkcs8_round_trip (void)
{
  g_autoptr (PkmSecret) key = new_key (PKM_KEY_TYPE_EC, 0, "prime256v1");
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pem = pkm_gnutls_export_key_pkcs8 (self, key, "s3cret", &error);
  g_autoptr (PkmSecret) back = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (pem, NULL), g_bytes_get_size (pem), "ENCRYPTED PRIVATE KEY"));
  g_assert_null (pkm_gnutls_import_key (self, pem, "wrong", &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE);
  g_clear_error (&error);
  g_assert_null (pkm_gnutls_import_key (self, pem, NULL, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE);
  g_clear_error (&error);
  back = pkm_gnutls_import_key (self, pem, "s3cret", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (pkm_secret_get_data (back), pkm_secret_get_size (back), pkm_secret_get_data (key),
                   pkm_secret_get_size (key));
}

static void
test_pkcs12_round_trip (void)
{
  g_autoptr (PkmSecret) key = new_key (PKM_KEY_TYPE_EC, 0, "prime256v1");
  PkmCertSpec spec = { sizeof (PkmCertSpec), NULL, NULL, NULL, NULL, NULL, "p12", NULL, PKM_KU_DIGITAL_SIGNATURE, 0,
                       FALSE, serial (3), 1700000000, 1900000000, PKM_DIGEST_SHA256, NULL };
  g_autoptr (GBytes) cert = sign (&spec, key, NULL, NULL);
  GBytes *certs[] = { cert };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) p12 = pkm_gnutls_export_pkcs12 (self, certs, 1, key, "p12pass", "p12", &error);
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (PkmSecret) got_key = NULL;

  g_assert_no_error (error);
  g_assert_false (pkm_gnutls_import_pkcs12 (self, p12, "bad", &got, &got_key, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE);
  g_clear_error (&error);
  g_assert_true (pkm_gnutls_import_pkcs12 (self, p12, "p12pass", &got, &got_key, &error));
  g_assert_cmpuint (got->len, ==, 1);
  g_assert_true (g_bytes_equal (g_ptr_array_index (got, 0), cert));
  g_assert_cmpmem (pkm_secret_get_data (got_key), pkm_secret_get_size (got_key), pkm_secret_get_data (key),
                   pkm_secret_get_size (key));
  g_bytes_unref (spec.serial);
}

static void
test_csr (void)
{
  g_autoptr (PkmSecret) pkcs8 = new_key (PKM_KEY_TYPE_RSA, 2048, NULL);
  g_autoptr (PkmKey) key = handle (pkcs8);
  const char *const san[] = { "DNS:csr.example", NULL };
  PkmCertSpec spec = { sizeof (PkmCertSpec), "US", NULL, NULL, NULL, NULL, "csr.example", san,
                       PKM_KU_DIGITAL_SIGNATURE, PKM_EKU_TLS_CLIENT, FALSE, NULL, 0, 0, PKM_DIGEST_SHA256, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) csr = pkm_gnutls_create_csr (self, &spec, key, "challenge!", &error);
  g_autoptr (PkmCertInfo) info = pkm_gnutls_parse_csr (self, csr, &error);
  g_autoptr (GBytes) spki = spki_of (key);
  g_autoptr (GByteArray) broken = g_byte_array_new ();
  g_autoptr (GBytes) broken_bytes = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (info->common_name, ==, "csr.example");
  g_assert_cmpstr (info->san[0], ==, "DNS:csr.example");
  g_assert_cmpstr (info->challenge_password, ==, "challenge!");
  g_assert_cmpuint (info->ext_key_usage, ==, PKM_EKU_TLS_CLIENT);
  g_assert_true (g_bytes_equal (info->spki, spki));
  g_byte_array_append (broken, g_bytes_get_data (csr, NULL), g_bytes_get_size (csr));
  broken->data[broken->len - 4] ^= 0xff;
  broken_bytes = g_bytes_new (broken->data, broken->len);
  g_assert_null (pkm_gnutls_parse_csr (self, broken_bytes, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED);
}

/* A handle behaves as pkm-key.h says: its type, size and URI, its PKCS#8
 * back as it came, and RSA (only) decrypts. */
static void
test_key_handle (void)
{
  g_autoptr (PkmSecret) rsa_pkcs8 = new_key (PKM_KEY_TYPE_RSA, 2048, NULL);
  g_autoptr (PkmSecret) ec_pkcs8 = new_key (PKM_KEY_TYPE_EC, 0, "prime256v1");
  g_autoptr (PkmKey) rsa = handle (rsa_pkcs8);
  g_autoptr (PkmKey) ec = handle (ec_pkcs8);
  g_autoptr (GBytes) spki = spki_of (rsa);
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmSecret) exported = pkm_key_export_pkcs8 (rsa, &error);
  g_autoptr (PkmSecret) plain = NULL;
  gnutls_pubkey_t pubkey = NULL;
  gnutls_datum_t message = { (unsigned char *) "session key", 11 }, ciphertext = { NULL, 0 };
  g_autoptr (GBytes) ciphertext_bytes = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (pkm_key_get_key_type (rsa), ==, PKM_KEY_TYPE_RSA);
  g_assert_cmpuint (pkm_key_get_bits (rsa), ==, 2048);
  g_assert_cmpint (pkm_key_get_key_type (ec), ==, PKM_KEY_TYPE_EC);
  g_assert_cmpstr (pkm_key_get_uri (rsa), ==, "pkiman:key/test");
  g_assert_nonnull (pkm_gnutls_key_privkey (rsa));
  g_assert_cmpmem (pkm_secret_get_data (exported), pkm_secret_get_size (exported), pkm_secret_get_data (rsa_pkcs8),
                   pkm_secret_get_size (rsa_pkcs8));
  g_assert_true (pkm_gnutls_import_spki (spki, &pubkey, &error));
  g_assert_cmpint (gnutls_pubkey_encrypt_data (pubkey, 0, &message, &ciphertext), >=, 0);
  gnutls_pubkey_deinit (pubkey);
  ciphertext_bytes = g_bytes_new (ciphertext.data, ciphertext.size);
  gnutls_free (ciphertext.data);
  plain = pkm_key_decrypt (rsa, ciphertext_bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (pkm_secret_get_data (plain), pkm_secret_get_size (plain), "session key", 11);
  g_assert_null (pkm_key_decrypt (ec, ciphertext_bytes, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED);
}

/* openssl, when it is installed, reads the SPKI, data and signature from files and says "Verified OK". */
static void
openssl_verifies (GBytes *spki, PkmDigest digest, GBytes *data, GBytes *signature)
{
  static const char *const names[] = { NULL, "-md5", "-sha1", "-sha256", "-sha384", "-sha512" };
  g_autofree char *dir = g_dir_make_tmp ("pkm-test-XXXXXX", NULL);
  g_autofree char *pub = g_build_filename (dir, "pub.der", NULL);
  g_autofree char *in = g_build_filename (dir, "data", NULL);
  g_autofree char *sig = g_build_filename (dir, "sig", NULL);
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int status = -1;

  if (openssl == NULL)
    {
      g_test_message ("openssl is not installed: its check is left out");
      return;
    }
  g_assert_true (g_file_set_contents (pub, g_bytes_get_data (spki, NULL), g_bytes_get_size (spki), &error));
  g_assert_true (g_file_set_contents (in, g_bytes_get_data (data, NULL), g_bytes_get_size (data), &error));
  g_assert_true (g_file_set_contents (sig, g_bytes_get_data (signature, NULL), g_bytes_get_size (signature), &error));
  {
    const char *argv[] = { openssl, "dgst", names[digest], "-keyform", "DER", "-verify", pub, "-signature", sig, in,
                           NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                                 &status, &error));
  }
  g_assert_cmpstr (out, ==, "Verified OK\n");
  g_assert_cmpint (status, ==, 0);
  g_unlink (pub);
  g_unlink (in);
  g_unlink (sig);
  g_rmdir (dir);
}

static GBytes *
flipped (GBytes *bytes, gsize at)
{
  g_autoptr (GByteArray) copy = g_byte_array_new ();

  g_byte_array_append (copy, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  copy->data[at % copy->len] ^= 0x01;
  return g_byte_array_free_to_bytes (g_steal_pointer (&copy));
}

static void
sign_data_round_trip (PkmSecret *pkcs8, PkmDigest digest)
{
  g_autoptr (PkmKey) key = handle (pkcs8);
  g_autoptr (GBytes) spki = spki_of (key);
  g_autoptr (GBytes) data = g_bytes_new_static ("eyJhbGciOiJFUzI1NiJ9.eyJub25jZSI6IjEifQ", 39);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) signature = pkm_gnutls_sign_data (self, key, digest, data, &error);
  g_autoptr (GBytes) other_data = NULL, other_signature = NULL;

  g_assert_no_error (error);
  g_assert_true (pkm_gnutls_verify_data (self, spki, digest, data, signature, &error));
  g_assert_no_error (error);
  other_data = flipped (data, 5);
  g_assert_false (pkm_gnutls_verify_data (self, spki, digest, other_data, signature, &error));
  g_assert_no_error (error);
  other_signature = flipped (signature, g_bytes_get_size (signature) - 3);
  g_assert_false (pkm_gnutls_verify_data (self, spki, digest, data, other_signature, &error));
  g_assert_no_error (error);
  openssl_verifies (spki, digest, data, signature);
}

static void
test_sign_data (void)
{
  g_autoptr (PkmSecret) rsa = new_key (PKM_KEY_TYPE_RSA, 2048, NULL);
  g_autoptr (PkmSecret) ec = new_key (PKM_KEY_TYPE_EC, 0, "prime256v1");
  g_autoptr (PkmSecret) ec384 = new_key (PKM_KEY_TYPE_EC, 0, "secp384r1");

  sign_data_round_trip (rsa, PKM_DIGEST_SHA256);
  sign_data_round_trip (rsa, PKM_DIGEST_SHA512);
  sign_data_round_trip (ec, PKM_DIGEST_SHA256);
  sign_data_round_trip (ec384, PKM_DIGEST_SHA384);
}

/* The base64url value of a JWK member, decoded. */
static GBytes *
jwk_member (const char *jwk, const char *member)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\":\"", member);
  const char *start = strstr (jwk, needle);
  g_autofree char *value = NULL;
  gsize size = 0;
  guchar *raw;

  g_assert_nonnull (start);
  start += strlen (needle);
  value = g_strndup (start, strcspn (start, "\""));
  for (char *p = value; *p != '\0'; p++)
    *p = *p == '-' ? '+' : *p == '_' ? '/' : *p;
  while (strlen (value) % 4 != 0)
    {
      char *longer = g_strconcat (value, "=", NULL);
      g_free (value);
      value = longer;
    }
  raw = g_base64_decode (value, &size);
  return g_bytes_new_take (raw, size);
}

/* RFC 7638 section 3.1: the example key's thumbprint, from an SPKI made of its n and e. */
static void
test_jwk_thumbprint (void)
{
  static const char n64[] =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknj"
    "hMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6q"
    "MQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8aw"
    "apJzKnqDKgw";
  g_autofree char *jwk_text = g_strdup_printf ("{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":\"%s\"}", n64);
  g_autoptr (GBytes) n = jwk_member (jwk_text, "n");
  g_autoptr (GBytes) e = jwk_member (jwk_text, "e");
  gnutls_datum_t n_datum = { (unsigned char *) g_bytes_get_data (n, NULL), g_bytes_get_size (n) };
  gnutls_datum_t e_datum = { (unsigned char *) g_bytes_get_data (e, NULL), g_bytes_get_size (e) };
  gnutls_datum_t der = { NULL, 0 };
  gnutls_pubkey_t pubkey = NULL;
  g_autoptr (GBytes) spki = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *jwk = NULL, *thumbprint = NULL;

  gnutls_pubkey_init (&pubkey);
  g_assert_cmpint (gnutls_pubkey_import_rsa_raw (pubkey, &n_datum, &e_datum), >=, 0);
  g_assert_cmpint (gnutls_pubkey_export2 (pubkey, GNUTLS_X509_FMT_DER, &der), >=, 0);
  gnutls_pubkey_deinit (pubkey);
  spki = pkm_gnutls_take_datum (&der);
  jwk = pkm_gnutls_public_jwk (self, spki, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jwk, ==, jwk_text);
  thumbprint = pkm_gnutls_jwk_thumbprint (self, spki, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (thumbprint, ==, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

/* EC JWKs: the members in order, each coordinate the full size of its field. */
static void
test_jwk_ec (void)
{
  const struct { const char *curve, *crv; gsize size; } curves[] = {
    { "prime256v1", "P-256", 32 }, { "secp384r1", "P-384", 48 }, { "secp521r1", "P-521", 66 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (curves); i++)
    for (guint round = 0; round < 4; round++)
      {
        g_autoptr (PkmSecret) pkcs8 = new_key (PKM_KEY_TYPE_EC, 0, curves[i].curve);
        g_autoptr (PkmKey) key = handle (pkcs8);
        g_autoptr (GBytes) spki = spki_of (key);
        g_autoptr (GError) error = NULL;
        g_autofree char *jwk = pkm_gnutls_public_jwk (self, spki, &error);
        g_autofree char *prefix = g_strdup_printf ("{\"crv\":\"%s\",\"kty\":\"EC\",\"x\":\"", curves[i].crv);
        g_autoptr (GBytes) x = NULL, y = NULL;

        g_assert_no_error (error);
        g_assert_true (g_str_has_prefix (jwk, prefix));
        g_assert_nonnull (strstr (jwk, "\",\"y\":\""));
        g_assert_null (strpbrk (jwk, " \n=+/"));
        x = jwk_member (jwk, "x");
        y = jwk_member (jwk, "y");
        g_assert_cmpuint (g_bytes_get_size (x), ==, curves[i].size);
        g_assert_cmpuint (g_bytes_get_size (y), ==, curves[i].size);
      }
}

/* PBKDF2-HMAC-SHA256 against answers computed elsewhere: RFC 7914 section
 * 11's second vector (64 bytes, the most derive_key gives) and "password",
 * "salt", 4096 rounds as Python's hashlib.pbkdf2_hmac gives it. */
static void
check_derived (const char *passphrase, const char *salt_text, guint iterations, gsize size, const char *hex)
{
  g_autoptr (GBytes) salt = g_bytes_new (salt_text, strlen (salt_text));
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmSecret) key = pkm_gnutls_derive_key (self, passphrase, salt, iterations, size, &error);
  g_autofree char *got = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (pkm_secret_get_size (key), ==, size);
  got = pkm_gnutls_hex (pkm_secret_get_data (key), size, FALSE);
  g_assert_cmpstr (got, ==, hex);
}

static void
test_derive_key (void)
{
  static const struct { const char *passphrase; guint iterations; gsize size; } refused[] = {
    { "", 4096, 32 }, { NULL, 4096, 32 }, { "password", 999, 32 }, { "password", 1, 32 },
    { "password", 4096, 0 }, { "password", 4096, 65 },
  };
  g_autoptr (GBytes) salt = g_bytes_new_static ("salt", 4);
  g_autoptr (GBytes) no_salt = g_bytes_new_static ("", 0);
  g_autoptr (GError) error = NULL;

  check_derived ("Password", "NaCl", 80000, 64,
                 "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
                 "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
  check_derived ("password", "salt", 4096, 32, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
  /* A shorter key is the first bytes of a longer one (RFC 8018 5.2, T_1 first). */
  check_derived ("password", "salt", 4096, 16, "c5e478d59288c841aa530db6845c4c8d");
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_null (pkm_gnutls_derive_key (self, refused[i].passphrase, salt, refused[i].iterations,
                                            refused[i].size, &error));
      g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  g_assert_null (pkm_gnutls_derive_key (self, "password", no_salt, 4096, 32, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (pkm_gnutls_derive_key (self, "password", NULL, 4096, 32, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
}

/* Another provider's key: its ops wrap one of ours, and count what they sign. */
typedef struct {
  PkmKey *inner;
  guint signatures;
} ForeignKey;

static GBytes *
foreign_public_key (gpointer data, GError **error)
{
  return pkm_key_get_public_key (((ForeignKey *) data)->inner, error);
}

static GBytes *
foreign_sign_hash (gpointer data, PkmDigest digest, GBytes *hash, GError **error)
{
  ForeignKey *foreign = data;

  foreign->signatures++;
  return pkm_key_sign_hash (foreign->inner, digest, hash, error);
}

static void
foreign_free (gpointer data)
{
  pkm_key_unref (((ForeignKey *) data)->inner);
}

static const PkmKeyOps foreign_ops = {
  .version = PKM_KEY_OPS_VERSION,
  .struct_size = sizeof (PkmKeyOps),
  .public_key = foreign_public_key,
  .sign_hash = foreign_sign_hash,
  .free = foreign_free,
};

static void
foreign_ca_signs (PkmKeyType type, const char *curve, PkmDigest digest)
{
  g_autoptr (PkmSecret) ca_pkcs8 = new_key (type, type == PKM_KEY_TYPE_RSA ? 2048 : 0, curve);
  g_autoptr (PkmSecret) leaf_pkcs8 = new_key (PKM_KEY_TYPE_EC, 0, "prime256v1");
  ForeignKey foreign = { handle (ca_pkcs8), 0 };
  g_autoptr (PkmKey) ca_key = pkm_key_new (&foreign_ops, &foreign, type, pkm_key_get_bits (foreign.inner),
                                           "pkcs11:token=test;object=ca");
  g_autoptr (PkmKey) leaf_key = handle (leaf_pkcs8);
  PkmCertSpec ca_spec = { sizeof (PkmCertSpec), NULL, NULL, NULL, NULL, NULL, "Token CA", NULL,
                          PKM_KU_KEY_CERT_SIGN | PKM_KU_CRL_SIGN, 0, TRUE, serial (5), 1700000000, 2000000000,
                          digest, NULL };
  PkmCertSpec leaf_spec = { sizeof (PkmCertSpec), NULL, NULL, NULL, NULL, NULL, "leaf", NULL,
                            PKM_KU_DIGITAL_SIGNATURE, PKM_EKU_TLS_SERVER, FALSE, serial (6), 1700000000, 1900000000,
                            digest, NULL };
  PkmCertSpec csr_spec = leaf_spec;
  g_autoptr (GBytes) ca = NULL, leaf = NULL, csr = NULL;
  g_autoptr (PkmCertInfo) info = NULL, request = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_null (pkm_gnutls_key_privkey (ca_key));
  ca = sign_with (&ca_spec, ca_key, NULL, NULL);
  leaf = sign_with (&leaf_spec, leaf_key, ca, ca_key);
  g_assert_cmpuint (foreign.signatures, ==, 2);
  g_assert_true (pkm_gnutls_verify_signature (self, ca, ca, &error));
  g_assert_true (pkm_gnutls_verify_signature (self, leaf, ca, &error));
  g_assert_no_error (error);
  info = pkm_gnutls_parse_certificate (self, ca, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->digest, ==, digest);
  g_assert_cmpint (info->key_type, ==, type);
  /* A request signed by the foreign key verifies too (parse_csr checks it). */
  csr_spec.serial = NULL;
  csr = pkm_gnutls_create_csr (self, &csr_spec, ca_key, NULL, &error);
  g_assert_no_error (error);
  request = pkm_gnutls_parse_csr (self, csr, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (foreign.signatures, ==, 3);
  g_bytes_unref (ca_spec.serial);
  g_bytes_unref (leaf_spec.serial);
}

static void
test_foreign_key (void)
{
  foreign_ca_signs (PKM_KEY_TYPE_RSA, NULL, PKM_DIGEST_SHA256);
  foreign_ca_signs (PKM_KEY_TYPE_RSA, NULL, PKM_DIGEST_SHA384);
  foreign_ca_signs (PKM_KEY_TYPE_EC, "prime256v1", PKM_DIGEST_SHA256);
  foreign_ca_signs (PKM_KEY_TYPE_EC, "secp384r1", PKM_DIGEST_SHA384);
}

/* The provider's own words reach the caller when a foreign key refuses to sign. */
static GBytes *
refusing_sign_hash (gpointer data, PkmDigest digest, GBytes *hash, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_PIN_REQUIRED, "token test: log in first");
  return NULL;
}

static const PkmKeyOps refusing_ops = {
  .version = PKM_KEY_OPS_VERSION,
  .struct_size = sizeof (PkmKeyOps),
  .public_key = foreign_public_key,
  .sign_hash = refusing_sign_hash,
  .free = foreign_free,
};

static void
test_foreign_key_refuses (void)
{
  g_autoptr (PkmSecret) pkcs8 = new_key (PKM_KEY_TYPE_EC, 0, "prime256v1");
  ForeignKey foreign = { handle (pkcs8), 0 };
  g_autoptr (PkmKey) key = pkm_key_new (&refusing_ops, &foreign, PKM_KEY_TYPE_EC, 256, "pkcs11:token=test;object=x");
  g_autoptr (GBytes) spki = spki_of (key);
  PkmCertSpec spec = { sizeof (PkmCertSpec), NULL, NULL, NULL, NULL, NULL, "x", NULL, PKM_KU_DIGITAL_SIGNATURE, 0,
                       FALSE, serial (7), 1700000000, 1900000000, PKM_DIGEST_SHA256, NULL };
  g_autoptr (GError) error = NULL;

  g_assert_null (pkm_gnutls_sign_certificate (self, &spec, spki, NULL, key, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_PIN_REQUIRED);
  g_assert_cmpstr (error->message, ==, "token test: log in first");
  g_clear_error (&error);
  g_assert_null (pkm_gnutls_create_csr (self, &spec, key, NULL, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_PIN_REQUIRED);
  g_bytes_unref (spec.serial);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  self = pkm_gnutls_open (NULL, NULL);
  g_test_add_func ("/crypto-gnutls/key-types", test_key_types);
  g_test_add_func ("/crypto-gnutls/key-handle", test_key_handle);
  g_test_add_func ("/crypto-gnutls/sign-and-parse", test_sign_and_parse);
  g_test_add_func ("/crypto-gnutls/seal-open", test_seal_open);
  g_test_add_func ("/crypto-gnutls/pkcs8", test_pkcs8_round_trip);
  g_test_add_func ("/crypto-gnutls/pkcs12", test_pkcs12_round_trip);
  g_test_add_func ("/crypto-gnutls/csr", test_csr);
  g_test_add_func ("/crypto-gnutls/sign-data", test_sign_data);
  g_test_add_func ("/crypto-gnutls/jwk-thumbprint", test_jwk_thumbprint);
  g_test_add_func ("/crypto-gnutls/jwk-ec", test_jwk_ec);
  g_test_add_func ("/crypto-gnutls/derive-key", test_derive_key);
  g_test_add_func ("/crypto-gnutls/foreign-key", test_foreign_key);
  g_test_add_func ("/crypto-gnutls/foreign-key-refuses", test_foreign_key_refuses);
  rc = g_test_run ();
  pkm_gnutls_close (self);
  return rc;
}
