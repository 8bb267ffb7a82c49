/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fills a store with COUNT revocations of the local CA NAME, as
 * issued-revoke makes them, in one transaction, and writes the same
 * revocations as an openssl ca index.txt, so that tests/bench/crl.sh can
 * have pkiman and `openssl ca -gencrl` list the same entries:
 *   PKIMAN_STATE_DIR=... bench-revocations NAME COUNT INDEX-FILE
 * Revoking a million real certificates would take hours of signing; a CRL
 * reads only the revocation records, so that is what is made. */
#include <stdio.h>
#include <stdlib.h>
#include "core/pkm-context-private.h"
#include "model/pkm-model.h"

/* The reasons both name the same way (openssl's index.txt spelling). */
static const struct {
  const char *pkiman, *openssl;
} reasons[] = {
  { "unspecified", "unspecified" },
  { "key-compromise", "keyCompromise" },
  { "affiliation-changed", "affiliationChanged" },
  { "superseded", "superseded" },
  { "cessation-of-operation", "cessationOfOperation" },
};

static void
asn1_time (gint64 when, char out[16])
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (when);
  g_autofree char *s = g_date_time_format (t, "%y%m%d%H%M%SZ");

  g_strlcpy (out, s, 16);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmContext) ctx = NULL;
  g_autofree char *fingerprint = NULL;
  GVariant *ca;
  gint64 ca_id, now = g_get_real_time () / G_USEC_PER_SEC;
  guint64 count, state = 0x9e3779b97f4a7c15u;
  char expiry[16], revoked[16];
  FILE *index;

  if (argc != 4 || (count = g_ascii_strtoull (argv[2], NULL, 10)) == 0)
    {
      fprintf (stderr, "usage: bench-revocations CA-NAME COUNT INDEX-FILE\n");
      return 2;
    }
  ctx = pkm_context_new (NULL, &error);
  if (ctx == NULL || !pkm_context_begin (ctx, TRUE, &error))
    goto fail;
  ca_id = pkm_store_find (ctx, PKM_COLLECTION_CERTIFICATE, argv[1], &error);
  if (ca_id <= 0 || (ca = pkm_store_get (ctx, PKM_COLLECTION_CERTIFICATE, ca_id, NULL, &error)) == NULL)
    goto fail;
  g_variant_lookup (ca, "fingerprint", "s", &fingerprint);
  g_variant_unref (ca);
  if ((index = fopen (argv[3], "w")) == NULL)
    {
      perror (argv[3]);
      return 1;
    }
  asn1_time (now + 365 * 86400, expiry);
  for (guint64 i = 0; i < count; i++)
    {
      char serial[33];
      guint r = i % G_N_ELEMENTS (reasons);
      gint64 when = now - 86400 - (gint64) (i % 86400);

      /* Sixteen bytes from a splitmix step: distinct, the top bit clear (a
       * positive INTEGER), as long as a serial pkiman issues. */
      state += 0x9e3779b97f4a7c15u;
      guint64 z = state;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
      g_snprintf (serial, sizeof serial, "%016" G_GINT64_MODIFIER "X%016" G_GINT64_MODIFIER "X",
                  (z ^ (z >> 31)) & G_GUINT64_CONSTANT (0x7fffffffffffffff), i);
      asn1_time (when, revoked);
      if (!pkm_revocations_add (ctx, ca_id, fingerprint, 0, serial, when, reasons[r].pkiman, &error))
        goto fail;
      fprintf (index, "R\t%s\t%s,%s\t%s\tunknown\t/CN=bench-%" G_GUINT64_FORMAT "\n", expiry, revoked,
               reasons[r].openssl, serial, i);
    }
  if (fclose (index) != 0 || !pkm_context_commit (ctx, &error))
    goto fail;
  return 0;

fail:
  fprintf (stderr, "bench-revocations: %s\n", error != NULL ? error->message : "no such CA");
  return 1;
}
