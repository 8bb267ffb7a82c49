/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* crypto-gnutls through its own functions: keys, certificates, sealing,
 * PKCS#8, PKCS#12 and CSRs, each checked by reading the result back. */
#define _GNU_SOURCE
#include <string.h>
#include "../gnutls-private.h"

static PkmSecret *
new_key (PkmKeyType type, guint bits, const char *curve)
{
  PkmKeySpec spec = { type, bits, curve };
  g_autoptr (GError) error = NULL;
  PkmSecret *key = pkm_gnutls_generate_key (&spec, &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

static GBytes *
serial (guint8 first)
{
  guint8 data[16] = { first, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
  return g_bytes_new (data, sizeof data);
}

static GBytes *
sign (PkmCertSpec *spec, PkmSecret *subject, GBytes *issuer_cert, PkmSecret *issuer_key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) spki = pkm_gnutls_public_key (subject, &error);
  GBytes *der;

  g_assert_no_error (error);
  der = pkm_gnutls_sign_certificate (spec, spki, issuer_cert, issuer_key != NULL ? issuer_key : subject, &error);
  g_assert_no_error (error);
  return der;
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
      g_autoptr (GBytes) spki = pkm_gnutls_public_key (key, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (spki), >, 60);
    }
  g_assert_null (pkm_gnutls_generate_key (&bad, &error));
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
  g_autoptr (PkmCertInfo) ci = pkm_gnutls_parse_certificate (ca, &error);
  g_autoptr (PkmCertInfo) li = pkm_gnutls_parse_certificate (leaf, &error);

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
  g_assert_true (pkm_gnutls_verify_signature (leaf, ca, &error));
  g_assert_true (pkm_gnutls_verify_signature (ca, ca, &error));
  g_assert_false (pkm_gnutls_verify_signature (leaf, leaf, &error));
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
  g_autoptr (GBytes) sealed = pkm_gnutls_seal (master, plain, aad, &error);
  g_autoptr (PkmSecret) opened = pkm_gnutls_open (master, sealed, aad, &error);
  g_autoptr (GByteArray) tampered = NULL;
  g_autoptr (GBytes) tampered_bytes = NULL;

  g_assert_no_error (error);
  g_assert_cmpmem (pkm_secret_get_data (opened), pkm_secret_get_size (opened), "private key bytes", 17);
  g_assert_null (memmem (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), "private", 7));
  g_assert_null (pkm_gnutls_open (master, sealed, other_aad, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED);
  g_clear_error (&error);
  tampered = g_byte_array_new ();
  g_byte_array_append (tampered, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
  tampered->data[20] ^= 1;
  tampered_bytes = g_bytes_new (tampered->data, tampered->len);
  g_assert_null (pkm_gnutls_open (master, tampered_bytes, aad, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED);
}

static void
test_pkcs8_round_trip (void)
{
  g_autoptr (PkmSecret) key = new_key (PKM_KEY_TYPE_EC, 0, "prime256v1");
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pem = pkm_gnutls_export_key_pkcs8 (key, "s3cret", &error);
  g_autoptr (PkmSecret) back = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (pem, NULL), g_bytes_get_size (pem), "ENCRYPTED PRIVATE KEY"));
  g_assert_null (pkm_gnutls_import_key (pem, "wrong", &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE);
  g_clear_error (&error);
  g_assert_null (pkm_gnutls_import_key (pem, NULL, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE);
  g_clear_error (&error);
  back = pkm_gnutls_import_key (pem, "s3cret", &error);
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
  g_autoptr (GBytes) p12 = pkm_gnutls_export_pkcs12 (certs, 1, key, "p12pass", "p12", &error);
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (PkmSecret) got_key = NULL;

  g_assert_no_error (error);
  g_assert_false (pkm_gnutls_import_pkcs12 (p12, "bad", &got, &got_key, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE);
  g_clear_error (&error);
  g_assert_true (pkm_gnutls_import_pkcs12 (p12, "p12pass", &got, &got_key, &error));
  g_assert_cmpuint (got->len, ==, 1);
  g_assert_true (g_bytes_equal (g_ptr_array_index (got, 0), cert));
  g_assert_cmpmem (pkm_secret_get_data (got_key), pkm_secret_get_size (got_key), pkm_secret_get_data (key),
                   pkm_secret_get_size (key));
  g_bytes_unref (spec.serial);
}

static void
test_csr (void)
{
  g_autoptr (PkmSecret) key = new_key (PKM_KEY_TYPE_RSA, 2048, NULL);
  const char *const san[] = { "DNS:csr.example", NULL };
  PkmCertSpec spec = { sizeof (PkmCertSpec), "US", NULL, NULL, NULL, NULL, "csr.example", san,
                       PKM_KU_DIGITAL_SIGNATURE, PKM_EKU_TLS_CLIENT, FALSE, NULL, 0, 0, PKM_DIGEST_SHA256, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) csr = pkm_gnutls_create_csr (&spec, key, "challenge!", &error);
  g_autoptr (PkmCertInfo) info = pkm_gnutls_parse_csr (csr, &error);
  g_autoptr (GBytes) spki = pkm_gnutls_public_key (key, NULL);
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
  g_assert_null (pkm_gnutls_parse_csr (broken_bytes, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crypto-gnutls/key-types", test_key_types);
  g_test_add_func ("/crypto-gnutls/sign-and-parse", test_sign_and_parse);
  g_test_add_func ("/crypto-gnutls/seal-open", test_seal_open);
  g_test_add_func ("/crypto-gnutls/pkcs8", test_pkcs8_round_trip);
  g_test_add_func ("/crypto-gnutls/pkcs12", test_pkcs12_round_trip);
  g_test_add_func ("/crypto-gnutls/csr", test_csr);
  return g_test_run ();
}
