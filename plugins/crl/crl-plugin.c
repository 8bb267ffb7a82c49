/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "crl-private.h"

/* The CRL plugin: a local CA's CRL (issued on every revocation and every
 * 24 hours, served at its distribution point), the CRLs downloaded for
 * trusted CAs (/certificate crl, /certificate settings), and what they say
 * of every certificate's chain (the revocation checker). Written on the
 * public API alone. */

#define REISSUE_CHECK_INTERVAL 3600
/* Reissued an hour before the 24 hours run out: a CRL is never stale. */
#define REISSUE_AGE (CRL_LIFETIME - 3600)
#define DOWNLOAD_CHECK_INTERVAL 60

static const char *const config_keys[] = { "fetch-timeout", "download-interval", NULL };

/* The [crl] keys: each one row, seconds, with its default and bounds. */
static const struct {
  const char *key;
  guint fallback, min, max;
  gsize offset;
} config_rows[] = {
  { "fetch-timeout", 30, 1, 3600, G_STRUCT_OFFSET (CrlPlugin, timeout) },
  { "download-interval", CRL_DOWNLOAD_INTERVAL, 1, 7 * 86400, G_STRUCT_OFFSET (CrlPlugin, interval) },
};

static gboolean
read_config (CrlPlugin *plugin, GKeyFile *config, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (config_rows); i++)
    {
      guint *field = G_STRUCT_MEMBER_P (plugin, config_rows[i].offset);

      *field = config_rows[i].fallback;
      if (config != NULL && g_key_file_has_key (config, CRL_PLUGIN_NAME, config_rows[i].key, NULL))
        {
          g_autoptr (GError) local = NULL;
          gint value = g_key_file_get_integer (config, CRL_PLUGIN_NAME, config_rows[i].key, &local);

          if (local != NULL || value < (gint) config_rows[i].min || value > (gint) config_rows[i].max)
            {
              g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "[crl] %s: %u to %u seconds",
                           config_rows[i].key, config_rows[i].min, config_rows[i].max);
              return FALSE;
            }
          *field = (guint) value;
        }
    }
  return TRUE;
}

typedef struct {
  gint64 item_id;
  const char *event;
  gboolean act;    /* out of the read: something to do */
  gint64 ca_id;    /* the CA whose CRL to issue */
} CrlEvent;

/* What the event asks for, read first (a read transaction): most events
 * (a leaf signed, a template added) ask for nothing. */
static gboolean
decide (PkmCall *call, gpointer user_data, GError **error)
{
  CrlEvent *e = user_data;
  g_autofree char *id_text = pkm_item_id_format (e->item_id);
  g_autoptr (GVariant) item = NULL;
  g_autoptr (GVariant) ca = NULL;

  if (g_str_equal (e->event, PKM_EVENT_CERTIFICATE_REMOVED))
    {
      guint64 n = 0;
      /* Dynamic entries may have lost their certificate. */
      e->act = pkm_store_count (pkm_call_get_context (call), CRL_COLLECTION, NULL, &n, error) && n > 0;
      return TRUE;
    }
  if ((item = pkm_certificates_lookup (call, PKM_CERT_BY_ID, id_text, NULL)) == NULL)
    return TRUE;
  if (g_str_equal (e->event, PKM_EVENT_CERTIFICATE_REVOKED) || g_str_equal (e->event, PKM_EVENT_CERTIFICATE_SIGNED))
    {
      /* A revocation reissues its CA's CRL; the first certificate a CA
       * signs gives it its (empty) first one, so that what it issues has
       * a CRL (flag L) from the start. A CA that issues nothing has none
       * until pkimand's timer or a request for it. */
      ca = pkm_certificates_lookup (call, PKM_CERT_BY_NAME, crl_item_string (item, "ca"), NULL);
      if (ca == NULL || !g_variant_lookup (ca, ".id", "x", &e->ca_id))
        return TRUE;
      if (g_str_equal (e->event, PKM_EVENT_CERTIFICATE_REVOKED))
        e->act = TRUE;
      else
        e->act = pkm_store_find (pkm_call_get_context (call), CRL_ISSUED_COLLECTION, crl_item_string (ca, "fingerprint"),
                                 NULL) == 0;
    }
  else
    e->act = crl_item_bool (item, "authority") && crl_item_bool (item, "trusted");
  return TRUE;
}

static gboolean
act (PkmCall *call, gpointer user_data, GError **error)
{
  CrlEvent *e = user_data;

  if (e->ca_id != 0)
    return crl_issue (call, e->ca_id, error);
  return crl_sync_dynamic (call, error);
}

static void
on_event (PkmContext *ctx, const char *event, gint64 item_id, gpointer user_data)
{
  CrlEvent e = { item_id, event, FALSE, 0 };
  g_autoptr (GError) error = NULL;

  if (!pkm_context_transact (ctx, FALSE, "crl", decide, &e, &error)
      || (e.act && !pkm_context_transact (ctx, TRUE, "crl", act, &e, &error)))
    pkm_context_log (ctx, "certificate,error", "CRL after %s: %s", event, error->message);
}

static gboolean
reissue (PkmCall *call, gpointer user_data, GError **error)
{
  return crl_issue_due (call, REISSUE_AGE, error);
}

static gboolean
reissue_timer (PkmContext *ctx, gpointer user_data, GError **error)
{
  return pkm_context_transact (ctx, TRUE, "crl", reissue, NULL, error);
}

static const PkmTimer timers[] = {
  { sizeof (PkmTimer), "crl-reissue", REISSUE_CHECK_INTERVAL, 60, TRUE, reissue_timer },
};

static const PkmRoute routes[] = {
  { sizeof (PkmRoute), "www", "GET", "/crl/", crl_publish_handle },
  { sizeof (PkmRoute), "www-ssl", "GET", "/crl/", crl_publish_handle },
};

static void
plugin_free (gpointer data)
{
  CrlPlugin *plugin = data;

  g_hash_table_unref (plugin->parsed);
  g_free (plugin);
}

static gboolean
crl_init (PkmContext *ctx, GError **error)
{
  static const char *const events[] = { PKM_EVENT_CERTIFICATE_REVOKED, PKM_EVENT_CERTIFICATE_SIGNED,
                                        PKM_EVENT_CERTIFICATE_ADDED, PKM_EVENT_CERTIFICATE_REMOVED };
  GKeyFile *config = pkm_context_get_config (ctx);
  CrlPlugin *plugin = g_new0 (CrlPlugin, 1);

  plugin->parsed = crl_parsed_cache_new ();
  if (!read_config (plugin, config, error))
    {
      plugin_free (plugin);
      return FALSE;
    }
  plugin->download_timer = (PkmTimer) { sizeof (PkmTimer), "crl-download", MIN (DOWNLOAD_CHECK_INTERVAL, plugin->interval),
                                        plugin->interval > 60 ? 5 : 0, TRUE, crl_download_timer };
  pkm_context_set_plugin_data (ctx, CRL_PLUGIN_NAME, plugin, plugin_free);
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    pkm_context_connect (ctx, events[i], on_event, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (timers); i++)
    if (!pkm_context_add_timer (ctx, &timers[i], plugin, error))
      return FALSE;
  if (!pkm_context_add_timer (ctx, &plugin->download_timer, plugin, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (!pkm_context_add_route (ctx, &routes[i], NULL, error))
      return FALSE;
  return pkm_context_register_menu (ctx, &crl_settings_menu, error) && pkm_context_register_menu (ctx, &crl_menu, error)
         && pkm_context_set_revocation_checker (ctx, &crl_checker, plugin, error);
}

PKM_PLUGIN_DEFINE (PKM_PLUGIN_KIND_FEATURE, CRL_PLUGIN_NAME, "1.0",
                   "CRLs: issued by the local CAs and served, downloaded, and checked in every chain", NULL,
                   config_keys, crl_init, NULL)
