/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "gnutls-private.h"

gboolean
pkm_gnutls_fail (int rc, const char *what, PkmError code, GError **error)
{
  g_set_error (error, PKM_ERROR, code, "%s: %s", what, gnutls_strerror (rc));
  return FALSE;
}

gboolean
pkm_gnutls_kdf_spend (guint64 *budget, unsigned iterations, const char *what, GError **error)
{
  if (iterations > *budget)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_REJECTED,
                   "%s: %u key derivation iterations are over the limit of %d per file", what, iterations,
                   PKM_GNUTLS_KDF_BUDGET);
      return FALSE;
    }
  *budget -= iterations;
  return TRUE;
}

static const struct { PkmDigest ours; gnutls_digest_algorithm_t theirs; } digests[] = {
  { PKM_DIGEST_MD5, GNUTLS_DIG_MD5 },       { PKM_DIGEST_SHA1, GNUTLS_DIG_SHA1 },
  { PKM_DIGEST_SHA256, GNUTLS_DIG_SHA256 }, { PKM_DIGEST_SHA384, GNUTLS_DIG_SHA384 },
  { PKM_DIGEST_SHA512, GNUTLS_DIG_SHA512 },
};

gnutls_digest_algorithm_t
pkm_gnutls_digest (PkmDigest digest)
{
  for (guint i = 0; i < G_N_ELEMENTS (digests); i++)
    if (digests[i].ours == digest)
      return digests[i].theirs;
  return GNUTLS_DIG_SHA256;
}

PkmDigest
pkm_gnutls_digest_from (gnutls_digest_algorithm_t digest)
{
  for (guint i = 0; i < G_N_ELEMENTS (digests); i++)
    if (digests[i].theirs == digest)
      return digests[i].ours;
  return PKM_DIGEST_NONE;
}

char *
pkm_gnutls_hex (const guint8 *data, gsize size, gboolean upper)
{
  GString *hex = g_string_sized_new (size * 2);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (hex, upper ? "%02X" : "%02x", data[i]);
  return g_string_free (hex, FALSE);
}

/* The core stores text (valid UTF-8, no NUL), and GnuTLS passes a
 * certificate's bytes through as they are: valid UTF-8 is kept, control
 * characters included (the front ends escape those when they print), and a
 * NUL or a byte that is not UTF-8 becomes \XX, as RouterOS shows such a byte,
 * so what is stored is what the certificate says, neither cut short at a NUL
 * nor garbled. */
char *
pkm_gnutls_text (const void *data, gsize size)
{
  const char *p = data, *end = p + size;
  GString *text = g_string_sized_new (size);

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      gsize len = c < 0x110000 ? (gsize) (g_utf8_next_char (p) - p) : 1;

      if (c >= 0x110000 || c == 0)
        for (gsize i = 0; i < len; i++)
          g_string_append_printf (text, "\\%02X", (guint8) p[i]);
      else
        g_string_append_len (text, p, len);
      p += len;
    }
  return g_string_free (text, FALSE);
}

const char *
pkm_gnutls_curve_name (gnutls_ecc_curve_t curve)
{
  switch (curve)
    {
    case GNUTLS_ECC_CURVE_SECP256R1: return "prime256v1";
    case GNUTLS_ECC_CURVE_SECP384R1: return "secp384r1";
    case GNUTLS_ECC_CURVE_SECP521R1: return "secp521r1";
    default: return gnutls_ecc_curve_get_name (curve);
    }
}

GBytes *
pkm_gnutls_take_datum (gnutls_datum_t *datum)
{
  GBytes *bytes = g_bytes_new (datum->data, datum->size);

  gnutls_free (datum->data);
  datum->data = NULL;
  datum->size = 0;
  return bytes;
}

PkmSecret *
pkm_gnutls_take_secret (gnutls_datum_t *datum)
{
  PkmSecret *secret = pkm_secret_new_from_data (datum->data, datum->size);

  gnutls_memset (datum->data, 0, datum->size);
  gnutls_free (datum->data);
  datum->data = NULL;
  datum->size = 0;
  return secret;
}
