/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The floor pkiman is measured against: the same key generations and
 * certificate signatures done directly with GnuTLS, in one process, with
 * nothing else (no store, no parsing, no sealing).
 *   bench-raw ec|rsa COUNT  -> prints seconds per certificate */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>

#define CHECK(x) do { int r_ = (x); if (r_ < 0) { fprintf (stderr, "%s: %s\n", #x, gnutls_strerror (r_)); exit (1); } } while (0)

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
make_key (gnutls_x509_privkey_t *key, int ec)
{
  CHECK (gnutls_x509_privkey_init (key));
  if (ec)
    CHECK (gnutls_x509_privkey_generate (*key, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0));
  else
    CHECK (gnutls_x509_privkey_generate (*key, GNUTLS_PK_RSA, 2048, 0));
}

static gnutls_x509_crt_t
make_cert (gnutls_x509_privkey_t key, gnutls_x509_crt_t issuer, gnutls_x509_privkey_t issuer_key, int ca,
           unsigned serial_seed)
{
  gnutls_x509_crt_t crt;
  unsigned char serial[16];
  time_t t = time (NULL);

  gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial);
  serial[0] = (serial[0] & 0x7f) | 1;
  CHECK (gnutls_x509_crt_init (&crt));
  CHECK (gnutls_x509_crt_set_version (crt, 3));
  CHECK (gnutls_x509_crt_set_serial (crt, serial, sizeof serial));
  CHECK (gnutls_x509_crt_set_activation_time (crt, t));
  CHECK (gnutls_x509_crt_set_expiration_time (crt, t + 365 * 86400));
  CHECK (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, "bench", 5));
  CHECK (gnutls_x509_crt_set_key (crt, key));
  CHECK (gnutls_x509_crt_set_basic_constraints (crt, ca, -1));
  CHECK (gnutls_x509_crt_set_key_usage (crt, ca ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN
                                                : GNUTLS_KEY_DIGITAL_SIGNATURE));
  CHECK (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "bench.example", 13, GNUTLS_FSAN_SET));
  {
    unsigned char id[64];
    size_t id_size = sizeof id;
    CHECK (gnutls_x509_crt_get_key_id (crt, 0, id, &id_size));
    CHECK (gnutls_x509_crt_set_subject_key_id (crt, id, id_size));
  }
  CHECK (gnutls_x509_crt_sign2 (crt, issuer ? issuer : crt, issuer_key, GNUTLS_DIG_SHA256, 0));
  (void) serial_seed;
  return crt;
}

int
main (int argc, char **argv)
{
  int ec = argc > 1 && strcmp (argv[1], "ec") == 0;
  int count = argc > 2 ? atoi (argv[2]) : 100;
  gnutls_x509_privkey_t ca_key;
  gnutls_x509_crt_t ca;
  double start, elapsed;

  make_key (&ca_key, 1);
  ca = make_cert (ca_key, NULL, ca_key, 1, 0);
  start = now ();
  for (int i = 0; i < count; i++)
    {
      gnutls_x509_privkey_t key;
      gnutls_x509_crt_t crt;
      gnutls_datum_t der;

      make_key (&key, ec);
      crt = make_cert (key, ca, ca_key, 0, i);
      CHECK (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der));
      gnutls_free (der.data);
      gnutls_x509_crt_deinit (crt);
      gnutls_x509_privkey_deinit (key);
    }
  elapsed = now () - start;
  printf ("%.6f\n", elapsed / count);
  gnutls_x509_crt_deinit (ca);
  gnutls_x509_privkey_deinit (ca_key);
  return 0;
}
