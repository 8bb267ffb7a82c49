/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "crl-private.h"

/* /certificate crl: the CRLs this node downloads, each named by its URL:
 * added (`add url=`), or dynamic, one for every trusted CA certificate with
 * an http CRL distribution point. A record keeps the last good CRL and,
 * apart from it, the last attempt's error: a failed download never loses
 * what was kept. */

static char *
format_time (gint64 when)
{
  g_autoptr (GDateTime) utc = when != 0 ? g_date_time_new_from_unix_utc (when) : NULL;
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
}

static GVariant *
crl_item (gint64 id, const char *name, GVariant *record, gint64 now)
{
  GVariantBuilder b;
  const char *cert = "", *akid = "", *fingerprint = "", *error = "", *number = "";
  gboolean dynamic = FALSE;
  gint64 this_update = 0, next_update = 0;
  guint64 revoked = 0;
  const char *signer = NULL;
  gboolean kept = g_variant_lookup (record, "issuer-fingerprint", "&s", &signer);
  g_autofree char *last = NULL, *next = NULL;

  g_variant_lookup (record, "cert", "&s", &cert);
  g_variant_lookup (record, "dynamic", "b", &dynamic);
  g_variant_lookup (record, "akid", "&s", &akid);
  g_variant_lookup (record, "fingerprint", "&s", &fingerprint);
  g_variant_lookup (record, "number", "&s", &number);
  g_variant_lookup (record, "this-update", "x", &this_update);
  g_variant_lookup (record, "next-update", "x", &next_update);
  g_variant_lookup (record, "revoked", "t", &revoked);
  g_variant_lookup (record, "last-error", "&s", &error);
  last = format_time (this_update);
  next = format_time (next_update);
  /* Built in the order of the fields, as print detail and REST show them. */
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", ".id", g_variant_new_int64 (id));
  g_variant_builder_add (&b, "{sv}", "url", g_variant_new_string (name));
  g_variant_builder_add (&b, "{sv}", "cert", g_variant_new_string (cert));
  g_variant_builder_add (&b, "{sv}", "dynamic", g_variant_new_boolean (dynamic));
  g_variant_builder_add (&b, "{sv}", "akid", g_variant_new_string (akid));
  g_variant_builder_add (&b, "{sv}", "fingerprint", g_variant_new_string (fingerprint));
  g_variant_builder_add (&b, "{sv}", "num", g_variant_new_string (number));
  g_variant_builder_add (&b, "{sv}", "last-update", g_variant_new_string (last));
  g_variant_builder_add (&b, "{sv}", "next-update", g_variant_new_string (next));
  g_variant_builder_add (&b, "{sv}", "revoked", g_variant_new_uint64 (revoked));
  g_variant_builder_add (&b, "{sv}", "expired", g_variant_new_boolean (kept && next_update != 0 && next_update < now));
  /* Invalid: nothing good kept yet, or the last attempt failed. */
  g_variant_builder_add (&b, "{sv}", "invalid", g_variant_new_boolean (!kept || *error != '\0'));
  g_variant_builder_add (&b, "{sv}", "last-error", g_variant_new_string (error));
  return g_variant_ref_sink (g_variant_builder_end (&b));
}

typedef struct {
  GPtrArray *items;
  gint64 now;
} CrlListing;

static gboolean
collect (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  CrlListing *listing = user_data;

  g_ptr_array_add (listing->items, crl_item (id, name, record, listing->now));
  return TRUE;
}

/* The record without its DER: print never reads a CRL. */
static const char *const listed_fields[] = { "cert", "dynamic", "akid", "fingerprint", "number", "this-update",
                                             "next-update", "revoked", "last-error", "issuer-fingerprint", NULL };

static GPtrArray *
crl_list (PkmCall *call, GError **error)
{
  CrlListing listing = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref),
                         g_get_real_time () / G_USEC_PER_SEC };
  PkmStoreQuery all = { .struct_size = sizeof all, .projection = listed_fields };

  if (!pkm_store_query (pkm_call_get_context (call), CRL_COLLECTION, &all, collect, &listing, error))
    {
      g_ptr_array_unref (listing.items);
      return NULL;
    }
  return listing.items;
}

static gint64
crl_lookup (PkmCall *call, const char *name, GError **error)
{
  return pkm_store_find (pkm_call_get_context (call), CRL_COLLECTION, name, error);
}

static gboolean
check_url (const char *url, GError **error)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "url: \"%s\" is not a URL", url);
      return FALSE;
    }
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0 && g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "url: unsupported scheme \"%s\" (http and https only)",
                   g_uri_get_scheme (uri));
      return FALSE;
    }
  return TRUE;
}

/* Whether @url may name the entry @self (0: a new one): a URL of http or
 * https, and no other entry's. */
static gboolean
url_free_for (PkmContext *ctx, const char *url, gint64 self, GError **error)
{
  gint64 listed;

  if (!check_url (url, error) || (listed = pkm_store_find (ctx, CRL_COLLECTION, url, error)) < 0)
    return FALSE;
  if (listed > 0 && listed != self)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_EXISTS, "url: %s is listed already", url);
      return FALSE;
    }
  return TRUE;
}

static gint64
add_entry (PkmContext *ctx, const char *url, const char *cert, gboolean dynamic, GError **error)
{
  GVariantDict record;

  g_variant_dict_init (&record, NULL);
  g_variant_dict_insert (&record, "cert", "s", cert != NULL ? cert : "");
  g_variant_dict_insert (&record, "dynamic", "b", dynamic);
  return pkm_store_insert (ctx, CRL_COLLECTION, url, g_variant_dict_end (&record), error);
}

static gboolean
crl_add (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  const char *url = pkm_call_get_string (call, "url");
  g_autofree char *id_text = NULL;
  gint64 id;

  if (!url_free_for (ctx, url, 0, error) || (id = add_entry (ctx, url, NULL, FALSE, error)) <= 0)
    return FALSE;
  id_text = pkm_item_id_format (id);
  pkm_call_set_result (call, g_variant_new_parsed ("{'.id': <%s>}", id_text));
  pkm_call_audit (call, "certificate,info", "CRL %s added", url);
  return TRUE;
}

/* set url=: the entry downloads from elsewhere from now on. What it kept
 * stays (a CRL is checked against its signer, not against where it came
 * from) until the new URL gives a good one; what was about the old URL goes:
 * its ETag, its last error, and the time of the last attempt, so the next
 * download tries the new URL at once. */
static gboolean
crl_set (PkmCall *call, GError **error)
{
  static const char *const about_the_old_url[] = { "etag", "last-error", "last-attempt" };
  PkmContext *ctx = pkm_call_get_context (call);
  gint64 id = pkm_call_get_item (call, "numbers");
  const char *url = pkm_call_get_string (call, "url");
  g_autofree char *old_url = NULL;
  g_autoptr (GVariant) stored = pkm_store_get (ctx, CRL_COLLECTION, id, &old_url, error);
  gboolean dynamic = FALSE;
  GVariantDict record;

  if (stored == NULL)
    return FALSE;
  g_variant_lookup (stored, "dynamic", "b", &dynamic);
  if (dynamic)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                   "numbers: %s is dynamic (its CA's distribution point names it) and cannot be changed", old_url);
      return FALSE;
    }
  if (!url_free_for (ctx, url, id, error))
    return FALSE;
  if (strcmp (url, old_url) == 0)
    return TRUE;
  g_variant_dict_init (&record, stored);
  for (guint i = 0; i < G_N_ELEMENTS (about_the_old_url); i++)
    g_variant_dict_remove (&record, about_the_old_url[i]);
  if (!pkm_store_update (ctx, CRL_COLLECTION, id, url, g_variant_dict_end (&record), error))
    return FALSE;
  pkm_call_audit (call, "certificate,info", "CRL %s now downloads from %s", old_url, url);
  return TRUE;
}

static gboolean
crl_remove (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  gint64 id = pkm_call_get_item (call, "numbers");
  g_autofree char *url = NULL;
  g_autoptr (GVariant) record = pkm_store_get (ctx, CRL_COLLECTION, id, &url, error);

  if (record == NULL || !pkm_store_remove (ctx, CRL_COLLECTION, id, error)
      || !crl_blob_remove (ctx, CRL_COLLECTION, id, error))
    return FALSE;
  pkm_call_audit (call, "certificate,info", "CRL %s removed", url);
  return TRUE;
}

static gboolean
crl_download_command (PkmCall *call, GError **error)
{
  g_autoptr (GArray) ids = NULL;

  if (pkm_call_has (call, "numbers"))
    {
      gint64 id = pkm_call_get_item (call, "numbers");
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (ids, id);
    }
  return crl_download (call, ids, error);
}

/* -- dynamic entries -- */

static gboolean
is_http (const char *url)
{
  return g_ascii_strncasecmp (url, "http://", 7) == 0 || g_ascii_strncasecmp (url, "https://", 8) == 0;
}

gboolean
crl_sync_dynamic (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GPtrArray) trusted = pkm_certificates_list (call, "trusted=yes and authority=yes", error);
  g_autoptr (GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GPtrArray) entries = NULL;

  if (trusted == NULL)
    return FALSE;
  for (guint i = 0; i < trusted->len; i++)
    {
      GVariant *item = g_ptr_array_index (trusted, i);
      gint64 id = 0;
      const char *name = "";
      g_autoptr (GBytes) der = NULL;
      g_autoptr (PkmCertInfo) info = NULL;

      g_variant_lookup (item, ".id", "x", &id);
      g_variant_lookup (item, "name", "&s", &name);
      if ((der = pkm_certificates_get_der (call, id, NULL)) == NULL
          || (info = pkm_crypto_parse_certificate (ctx, der, NULL)) == NULL)
        continue;
      for (char **url = info->crl_distribution_points; *url != NULL; url++)
        if (is_http (*url) && !g_hash_table_contains (wanted, *url))
          g_hash_table_insert (wanted, g_strdup (*url), g_strdup (name));
    }
  if ((entries = crl_list (call, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      GVariant *item = g_ptr_array_index (entries, i);
      const char *url = "";
      gboolean dynamic = FALSE;
      gint64 id = 0;

      g_variant_lookup (item, "url", "&s", &url);
      g_variant_lookup (item, "dynamic", "b", &dynamic);
      g_variant_lookup (item, ".id", "x", &id);
      if (g_hash_table_remove (wanted, url))
        continue;
      if (dynamic
          && (!pkm_store_remove (ctx, CRL_COLLECTION, id, error) || !crl_blob_remove (ctx, CRL_COLLECTION, id, error)))
        return FALSE;
    }
  {
    GHashTableIter iter;
    gpointer url, name;

    g_hash_table_iter_init (&iter, wanted);
    while (g_hash_table_iter_next (&iter, &url, &name))
      if (add_entry (ctx, url, name, TRUE, error) <= 0)
        return FALSE;
  }
  return TRUE;
}

#define URL_PARAM(help) { "url", PKM_PARAM_STRING, PKM_PARAM_REQUIRED, NULL, 1, 2048, NULL, help }
#define NUMBERS_PARAM(flags) \
  { "numbers", PKM_PARAM_ITEM, (flags) | PKM_PARAM_POSITIONAL, NULL, 0, 0, "/certificate crl", "the CRL" }

static const PkmParam add_params[] = {
  URL_PARAM ("where the CRL is (http or https)"),
  { NULL },
};
static const PkmParam set_params[] = {
  NUMBERS_PARAM (PKM_PARAM_REQUIRED),
  URL_PARAM ("where the CRL is from now on (http or https)"),
  { NULL },
};
static const PkmParam remove_params[] = { NUMBERS_PARAM (PKM_PARAM_REQUIRED), { NULL } };
static const PkmParam download_params[] = { NUMBERS_PARAM (0), { NULL } };

static const PkmCommand crl_commands[] = {
  { "add", crl_add, add_params, PKM_COMMAND_WRITE, "download a CRL from url=" },
  { "set", crl_set, set_params, PKM_COMMAND_WRITE, "download a CRL from another url=" },
  { "remove", crl_remove, remove_params, PKM_COMMAND_WRITE, "stop downloading a CRL" },
  /* No transaction around it: nothing is locked while the network answers. */
  { "download", crl_download_command, download_params, 0, "download the CRLs (or one) now" },
  { NULL },
};

static const PkmFlag crl_flags[] = {
  { 'E', "expired", "EXPIRED" },
  { 'D', "dynamic", "DYNAMIC" },
  { 'I', "invalid", "INVALID" },
  { 0 },
};

static const char *const crl_columns[] = { "url", "cert", "num", "revoked", "next-update", NULL };
static const char *const crl_fields[] = { "url", "cert", "dynamic", "akid", "fingerprint", "num", "last-update",
                                          "next-update", "revoked", "expired", "invalid", "last-error", NULL };

const PkmMenu crl_menu = {
  PKM_MENU_SIZES,
  .path = "/certificate crl",
  .help = "certificate revocation lists downloaded and used",
  .commands = crl_commands,
  .list = crl_list,
  .lookup = crl_lookup,
  .flags = crl_flags,
  .columns = crl_columns,
  .fields = crl_fields,
  /* A dynamic entry comes back by itself from its CA's distribution point. */
  .export_where = "dynamic=no",
};
