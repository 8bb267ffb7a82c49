/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "crl-private.h"

/* /certificate settings: RouterOS's CRL switches, one record. Each setting
 * is one row of this table: its parameter, its type and its default. */

#define SETTINGS_NAME "settings"
#define MAX_SIZE_LIMIT (1u << 30) /* offsets in a CRL's index are 32 bits */

static const char *const stores[] = { "ram", "system", NULL };

/* Each setting is one row: its type says how it is stored. */
static const PkmParam set_params[] = {
  { "crl-download", PKM_PARAM_BOOL, 0, NULL, 0, 0, NULL,
    "download the CRLs of /certificate crl every hour and at their nextUpdate", "no" },
  { "crl-use", PKM_PARAM_BOOL, 0, NULL, 0, 0, NULL,
    "check every chain against its CRLs: revoked, or crl-unavailable without one", "no" },
  { "crl-store", PKM_PARAM_ENUM, 0, stores, 0, 0, NULL,
    "ram: downloaded again when pkimand starts; system: kept across restarts", "ram" },
  { "crl-max-size", PKM_PARAM_UINT, 0, NULL, 1024, MAX_SIZE_LIMIT, NULL, "the largest CRL downloaded, in bytes",
    G_STRINGIFY (CRL_DEFAULT_MAX_SIZE) },
  { NULL },
};

static GVariant *
read_record (PkmContext *ctx, GError **error)
{
  gint64 id = pkm_store_find (ctx, CRL_SETTINGS_COLLECTION, SETTINGS_NAME, error);

  if (id < 0)
    return NULL;
  if (id == 0)
    return g_variant_ref_sink (g_variant_new ("a{sv}", NULL));
  return pkm_store_get (ctx, CRL_SETTINGS_COLLECTION, id, NULL, error);
}

gboolean
crl_settings_read (PkmContext *ctx, CrlSettings *out, GError **error)
{
  g_autoptr (GVariant) record = read_record (ctx, error);
  const char *store = "ram";

  *out = (CrlSettings) { FALSE, FALSE, TRUE, CRL_DEFAULT_MAX_SIZE };
  if (record == NULL)
    return FALSE;
  g_variant_lookup (record, "crl-download", "b", &out->download);
  g_variant_lookup (record, "crl-use", "b", &out->use);
  g_variant_lookup (record, "crl-store", "&s", &store);
  g_variant_lookup (record, "crl-max-size", "t", &out->max_size);
  out->store_ram = g_strcmp0 (store, "system") != 0;
  return TRUE;
}

static gboolean
settings_print (PkmCall *call, GError **error)
{
  CrlSettings s;
  GVariantBuilder result;

  if (!crl_settings_read (pkm_call_get_context (call), &s, error))
    return FALSE;
  g_variant_builder_init (&result, G_VARIANT_TYPE_VARDICT);
  /* yes/no as RouterOS prints settings (and its REST API sends them). */
  g_variant_builder_add (&result, "{sv}", "crl-download", g_variant_new_string (s.download ? "yes" : "no"));
  g_variant_builder_add (&result, "{sv}", "crl-use", g_variant_new_string (s.use ? "yes" : "no"));
  g_variant_builder_add (&result, "{sv}", "crl-store", g_variant_new_string (s.store_ram ? "ram" : "system"));
  g_variant_builder_add (&result, "{sv}", "crl-max-size", g_variant_new_uint64 (s.max_size));
  pkm_call_set_result (call, g_variant_builder_end (&result));
  return TRUE;
}

static gboolean
settings_set (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GVariant) stored = read_record (ctx, error);
  g_auto (GVariantDict) record = G_VARIANT_DICT_INIT (stored);
  g_autoptr (GString) changed = g_string_new (NULL);
  gint64 id;

  if (stored == NULL || (id = pkm_store_find (ctx, CRL_SETTINGS_COLLECTION, SETTINGS_NAME, error)) < 0)
    return FALSE;
  for (const PkmParam *p = set_params; p->name != NULL; p++)
    {
      if (!pkm_call_has (call, p->name))
        continue;
      if (p->type == PKM_PARAM_BOOL)
        g_variant_dict_insert (&record, p->name, "b", pkm_call_get_bool (call, p->name, FALSE));
      else if (p->type == PKM_PARAM_UINT)
        g_variant_dict_insert (&record, p->name, "t", pkm_call_get_uint (call, p->name, 0));
      else
        g_variant_dict_insert (&record, p->name, "s", pkm_call_get_string (call, p->name));
      g_string_append_printf (changed, "%s%s", changed->len > 0 ? ", " : "", p->name);
    }
  if (changed->len == 0)
    return TRUE;
  if (id == 0 ? pkm_store_insert (ctx, CRL_SETTINGS_COLLECTION, SETTINGS_NAME, g_variant_dict_end (&record), error) <= 0
              : !pkm_store_update (ctx, CRL_SETTINGS_COLLECTION, id, SETTINGS_NAME, g_variant_dict_end (&record),
                                   error))
    return FALSE;
  pkm_call_audit (call, "certificate,info", "certificate settings changed: %s", changed->str);
  return TRUE;
}

/* reset: every setting back to its default (RouterOS 7.21). */
static gboolean
settings_reset (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  gint64 id = pkm_store_find (ctx, CRL_SETTINGS_COLLECTION, SETTINGS_NAME, error);

  if (id < 0 || (id > 0 && !pkm_store_remove (ctx, CRL_SETTINGS_COLLECTION, id, error)))
    return FALSE;
  if (id > 0)
    pkm_call_audit (call, "certificate,info", "certificate settings reset to their defaults");
  return TRUE;
}

static const PkmCommand settings_commands[] = {
  { "print", settings_print, NULL, PKM_COMMAND_READ, "show the CRL settings" },
  { "set", settings_set, set_params, PKM_COMMAND_WRITE, "change the CRL settings" },
  { "reset", settings_reset, NULL, PKM_COMMAND_WRITE, "every CRL setting back to its default" },
  { NULL },
};

const PkmMenu crl_settings_menu = {
  PKM_MENU_SIZES,
  .path = "/certificate settings",
  .help = "how CRLs are downloaded and used",
  .commands = settings_commands,
};
