/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check-expiry: a pkiman plugin built outside pkiman's tree, against the
 * installed headers and pkiman.pc alone. It adds
 *
 *   /certificate check-expiry days=N
 *
 * which lists the signed certificates that expire within N days (or have
 * expired): when none do it succeeds, when any do it fails naming them (so cron and monitoring see a non-zero exit),
 * and writes one line to pkiman's log (/log print). It also counts the revocations it has
 * seen since it started, through the certificate-revoked event: in pkimand
 * that count covers the daemon's life. */
#include <pkiman/pkiman.h>

#define PLUGIN_NAME "feature-check-expiry"

typedef struct {
  guint revocations; /* certificate-revoked events seen */
} CheckExpiry;

static const PkmParam check_params[] = {
  { "days", PKM_PARAM_UINT, PKM_PARAM_POSITIONAL, NULL, 0, 36500, NULL, "how far ahead to look (default 30)" },
  { NULL },
};

/* The item's "invalid-after" as Unix time: print shows local time, so the
 * check reads the remaining time the model computes instead. */
static gboolean
expires_within (GVariant *item, gint64 seconds)
{
  gboolean expired = FALSE;
  const char *left = NULL;
  gint64 total = 0, unit = 0, n = 0;

  if (g_variant_lookup (item, "expired", "b", &expired) && expired)
    return TRUE;
  if (!g_variant_lookup (item, "expires-after", "&s", &left))
    return FALSE;
  /* "1w2d3h4m5s": the duration print shows. */
  for (const char *p = left; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          n = n * 10 + (*p - '0');
          continue;
        }
      switch (*p)
        {
        case 'w': unit = 7 * 86400; break;
        case 'd': unit = 86400; break;
        case 'h': unit = 3600; break;
        case 'm': unit = 60; break;
        default: unit = 1;
        }
      total += n * unit;
      n = 0;
    }
  return total <= seconds;
}

static gboolean
check_run (PkmCall *call, GError **error)
{
  CheckExpiry *self = pkm_context_get_plugin_data (pkm_call_get_context (call), PLUGIN_NAME);
  guint64 days = pkm_call_get_uint (call, "days", 30);
  /* Templates have no invalid-after; revoked ones matter no more. The model's where does the cut. */
  g_autoptr (GPtrArray) certificates = pkm_certificates_list (call, "invalid-after!=\"\" and revoked=\"\"", error);
  guint expiring = 0;
  g_autoptr (GString) names = g_string_new (NULL);

  if (certificates == NULL)
    return FALSE;
  for (guint i = 0; i < certificates->len; i++)
    {
      GVariant *item = g_ptr_array_index (certificates, i);
      const char *name = "", *when = "";

      if (!expires_within (item, (gint64) days * 86400))
        continue;
      g_variant_lookup (item, "name", "&s", &name);
      g_variant_lookup (item, "invalid-after", "&s", &when);
      pkm_call_add_item (call, g_variant_ref (item));
      pkm_call_print (call, "%s expires %s", name, when);
      g_string_append_printf (names, "%s%s", expiring > 0 ? ", " : "", name);
      expiring++;
    }
  pkm_call_set_result (call, g_variant_new_parsed ("{'expiring': <%t>, 'checked': <%t>, 'revocations-seen': <%t>}",
                                                   (guint64) expiring, (guint64) certificates->len,
                                                   (guint64) self->revocations));
  /* The log line stays although the command fails: the failure is the answer. */
  pkm_context_log (pkm_call_get_context (call), expiring > 0 ? "certificate,warning" : "certificate,info",
                   "check-expiry: %u of %u certificates expire within %" G_GUINT64_FORMAT " days", expiring,
                   certificates->len, days);
  if (expiring > 0)
    {
      /* A failed command shows only its error: the names go there. */
      g_set_error (error, PKM_ERROR, PKM_ERROR_REJECTED,
                   "check-expiry: %u certificate%s expire%s within %" G_GUINT64_FORMAT " days: %s", expiring,
                   expiring == 1 ? "" : "s", expiring == 1 ? "s" : "", days, names->str);
      return FALSE;
    }
  return TRUE;
}

static const PkmCommand check_commands[] = {
  { "check-expiry", check_run, check_params, PKM_COMMAND_READ,
    "fail when certificates expire within days=N (default 30)" },
  { NULL },
};

static const PkmMenuExtension extension = {
  PKM_MENU_EXTENSION_SIZES,
  .commands = check_commands,
};

static void
on_revoked (PkmContext *ctx, const char *event, gint64 item_id, gpointer user_data)
{
  CheckExpiry *self = user_data;

  self->revocations++;
}

static gboolean
check_init (PkmContext *ctx, GError **error)
{
  CheckExpiry *self = g_new0 (CheckExpiry, 1);

  /* The data outlives the handler: both go when the context does. */
  pkm_context_set_plugin_data (ctx, PLUGIN_NAME, self, g_free);
  pkm_context_connect (ctx, PKM_EVENT_CERTIFICATE_REVOKED, on_revoked, self, NULL);
  return pkm_context_extend_menu (ctx, PKM_CERTIFICATE_MENU, &extension, error);
}

PKM_PLUGIN_DEFINE (PKM_PLUGIN_KIND_FEATURE, PLUGIN_NAME, "1.0", "fails when certificates expire soon", NULL, NULL,
                   check_init, NULL)
