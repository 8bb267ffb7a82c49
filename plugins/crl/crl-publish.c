/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "crl-private.h"

/* GET /crl/<CA serial>.crl: the local CA's CRL at exactly the URL that
 * ca-crl-host= put in its certificates (pkm_cert_crl_url), DER, or PEM
 * with ?pem or an Accept that asks for it; cacheable until nextUpdate,
 * with a strong ETag. A CRL missing or past its nextUpdate is issued
 * first. */

typedef struct {
  const char *serial;
  GBytes *der;       /* out */
  gint64 next_update; /* out */
  char *ca_name;     /* out */
  gboolean writing;  /* in a write transaction: may issue */
  gboolean stale;    /* out: missing or past nextUpdate, and not writing */
} CrlServe;

static gboolean
find_crl (PkmCall *call, gpointer user_data, GError **error)
{
  CrlServe *serve = user_data;
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GVariant) ca = pkm_certificates_lookup (call, PKM_CERT_BY_SERIAL, serve->serial, error);
  const char *fingerprint = NULL;
  gboolean key = FALSE, authority = FALSE;
  gint64 ca_id = 0, now = g_get_real_time () / G_USEC_PER_SEC;

  if (ca == NULL)
    return FALSE;
  g_variant_lookup (ca, "fingerprint", "&s", &fingerprint);
  g_variant_lookup (ca, "private-key", "b", &key);
  g_variant_lookup (ca, "authority", "b", &authority);
  g_variant_lookup (ca, ".id", "x", &ca_id);
  g_variant_lookup (ca, "name", "s", &serve->ca_name);
  if (!key || !authority || fingerprint == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "no local CA with serial %s", serve->serial);
      return FALSE;
    }
  g_clear_pointer (&serve->der, g_bytes_unref);
  serve->der = crl_issued_get (ctx, fingerprint, &serve->next_update, error);
  if (serve->der != NULL && serve->next_update > now)
    return TRUE;
  if (!serve->writing)
    {
      serve->stale = TRUE;
      return TRUE;
    }
  if (!crl_issue (call, ca_id, error))
    return FALSE;
  g_clear_pointer (&serve->der, g_bytes_unref);
  serve->der = crl_issued_get (ctx, fingerprint, &serve->next_update, error);
  return serve->der != NULL;
}

static char *
http_date (gint64 when)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (when);

  return t != NULL ? g_date_time_format (t, "%a, %d %b %Y %H:%M:%S GMT") : g_strdup ("");
}

static gboolean
wants_pem (const PkmHttpRequest *request)
{
  const char *accept = g_hash_table_lookup (request->headers, "accept");

  return g_hash_table_contains (request->query, "pem")
         || (accept != NULL && (strstr (accept, "application/x-pem-file") != NULL
                                || strstr (accept, "application/pem-certificate-chain") != NULL));
}

static GBytes *
to_pem (GBytes *der)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (der, &size);
  g_autofree char *base64 = g_base64_encode (data, size);
  GString *pem = g_string_new ("-----BEGIN X509 CRL-----\n");

  for (gsize at = 0, len = strlen (base64); at < len; at += 64)
    g_string_append_printf (pem, "%.64s\n", base64 + at);
  g_string_append (pem, "-----END X509 CRL-----\n");
  return g_string_free_to_bytes (pem);
}

static void
header (PkmHttpResponse *response, const char *name, char *value)
{
  g_hash_table_insert (response->headers, g_strdup (name), value);
}

void
crl_publish_handle (PkmContext *ctx, const PkmHttpRequest *request, PkmHttpResponse *response, gpointer user_data)
{
  const char *file = request->path + strlen ("/crl/");
  g_autofree char *serial = NULL;
  g_autofree char *etag = NULL, *hash = NULL;
  g_autoptr (GError) error = NULL;
  CrlServe serve = { 0 };
  const char *match = g_hash_table_lookup (request->headers, "if-none-match");
  gboolean pem = wants_pem (request);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gsize len = strlen (file);

  /* <hex>.crl, nothing else: no path below it. */
  if (len <= 4 || len > 4 + 64 || !g_str_has_suffix (file, ".crl") || strspn (file, "0123456789abcdefABCDEF") != len - 4)
    {
      response->status = 404;
      return;
    }
  serial = g_ascii_strup (file, len - 4);
  serve.serial = serial;
  /* Read; issue (a write) only when the CRL is missing or stale. */
  gboolean ok = pkm_context_transact (ctx, FALSE, "www:crl", find_crl, &serve, &error);
  if (ok && serve.stale)
    {
      serve.writing = TRUE;
      g_clear_pointer (&serve.ca_name, g_free);
      ok = pkm_context_transact (ctx, TRUE, "www:crl", find_crl, &serve, &error);
    }
  if (!ok)
    {
      response->status = g_error_matches (error, PKM_ERROR, PKM_ERROR_NOT_FOUND) ? 404 : 500;
      if (response->status == 500)
        pkm_context_log (ctx, "certificate,error", "CRL of serial %s: %s", serial, error->message);
      g_clear_pointer (&serve.der, g_bytes_unref);
      g_free (serve.ca_name);
      return;
    }
  hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, serve.der);
  /* One CRL, two encodings: each its own tag. */
  etag = g_strdup_printf ("\"%.32s%s\"", hash, pem ? "-pem" : "");
  header (response, "ETag", g_strdup (etag));
  header (response, "Cache-Control", g_strdup_printf ("public, max-age=%" G_GINT64_FORMAT,
                                                      MAX (serve.next_update - now, (gint64) 0)));
  header (response, "Expires", http_date (serve.next_update));
  if (match != NULL && (strcmp (match, etag) == 0 || strcmp (match, "*") == 0))
    response->status = 304;
  else
    {
      header (response, "Content-Type", g_strdup (pem ? "application/x-pem-file" : "application/pkix-crl"));
      response->body = pem ? to_pem (serve.der) : g_bytes_ref (serve.der);
    }
  g_bytes_unref (serve.der);
  g_free (serve.ca_name);
}
