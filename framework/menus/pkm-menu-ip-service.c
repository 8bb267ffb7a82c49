/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <gio/gio.h>
#include "menus/pkm-menus.h"
#include "model/pkm-model.h"

/* /ip service: pkimand's HTTP services, as RouterOS has them (www on 80,
 * www-ssl on 443 with a certificate). One record a service in the
 * "ip-service" collection, written by the first set; what a record does
 * not hold reads as the service's default. pkimand follows the change feed
 * and applies a change to new connections, with no restart. */

#define PKM_COLLECTION_IP_SERVICE "ip-service"

static const char *const tls_versions[] = { "any", "only-1.2", "only-1.3", NULL };

/* The services, with their defaults; an item's .id is its place here. */
static const struct {
  const char *name;
  guint64 port;
  gboolean disabled;
  gboolean tls;      /* takes certificate= and tls-version= */
  gboolean rest_api; /* serves the REST API: on plain www only when asked */
} services[] = {
  { "www", 80, FALSE, FALSE, FALSE },
  { "www-ssl", 443, TRUE, TRUE, TRUE },
};

/* (transfer full): @index's item, the stored values over the defaults. */
static GVariant *
service_item (PkmContext *ctx, guint index, GError **error)
{
  gint64 id = pkm_store_find (ctx, PKM_COLLECTION_IP_SERVICE, services[index].name, error);
  g_autoptr (GVariant) record = NULL;
  g_auto (GVariantBuilder) item = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  guint64 port = services[index].port;
  gboolean disabled = services[index].disabled;
  gboolean rest_api = services[index].rest_api;
  const char *certificate = "none", *tls_version = "any";
  g_autofree const char **address = NULL;
  static const char *const any_address[] = { NULL };

  if (id < 0 || (id > 0 && (record = pkm_store_get (ctx, PKM_COLLECTION_IP_SERVICE, id, NULL, error)) == NULL))
    return NULL;
  if (record != NULL)
    {
      g_variant_lookup (record, "port", "t", &port);
      g_variant_lookup (record, "disabled", "b", &disabled);
      g_variant_lookup (record, "rest-api", "b", &rest_api);
      g_variant_lookup (record, "certificate", "&s", &certificate);
      g_variant_lookup (record, "tls-version", "&s", &tls_version);
      g_variant_lookup (record, "address", "^a&s", &address);
    }
  /* In the order of the fields, as REST and --json show them. */
  g_variant_builder_add (&item, "{sv}", ".id", g_variant_new_int64 ((gint64) index + 1));
  g_variant_builder_add (&item, "{sv}", "name", g_variant_new_string (services[index].name));
  g_variant_builder_add (&item, "{sv}", "port", g_variant_new_uint64 (port));
  g_variant_builder_add (&item, "{sv}", "address",
                         g_variant_new_strv (address != NULL ? address : (const char **) any_address, -1));
  if (services[index].tls)
    {
      g_variant_builder_add (&item, "{sv}", "certificate", g_variant_new_string (certificate));
      g_variant_builder_add (&item, "{sv}", "tls-version", g_variant_new_string (tls_version));
    }
  g_variant_builder_add (&item, "{sv}", "rest-api", g_variant_new_boolean (rest_api));
  g_variant_builder_add (&item, "{sv}", "disabled", g_variant_new_boolean (disabled));
  return g_variant_ref_sink (g_variant_builder_end (&item));
}

static GPtrArray *
service_list (PkmCall *call, GError **error)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      GVariant *item = service_item (pkm_call_get_context (call), i, error);
      if (item == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }
  return g_steal_pointer (&items);
}

/* "none" or a certificate of /certificate whose private key is here. */
static gboolean
check_certificate (PkmContext *ctx, const char *name, GError **error)
{
  g_autoptr (GVariant) record = NULL;
  const char *key_id = NULL, *key_uri = NULL;
  gint64 id;

  if (strcmp (name, "none") == 0)
    return TRUE;
  if ((id = pkm_store_find (ctx, PKM_COLLECTION_CERTIFICATE, name, error)) < 0)
    return FALSE;
  if (id == 0 || (record = pkm_store_get (ctx, PKM_COLLECTION_CERTIFICATE, id, NULL, error)) == NULL)
    {
      if (id == 0)
        g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "certificate: no such certificate: %s", name);
      return FALSE;
    }
  g_variant_lookup (record, "key-id", "&s", &key_id);
  g_variant_lookup (record, "key-uri", "&s", &key_uri);
  if (key_uri == NULL && !pkm_keys_has (ctx, key_id))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                   "certificate: %s has no private key here: a server cannot use it", name);
      return FALSE;
    }
  if (!g_variant_lookup (record, "der", "@ay", NULL))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "certificate: %s is not signed yet", name);
      return FALSE;
    }
  return TRUE;
}

/* Every entry an address (192.0.2.1, 2001:db8::1) or a network (10.0.0.0/8). */
static gboolean
check_addresses (const char *const *addresses, GError **error)
{
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      g_autoptr (GInetAddressMask) mask = g_inet_address_mask_new_from_string (addresses[i], NULL);
      if (mask == NULL)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                       "address: \"%s\" is not an address or a network (192.0.2.0/24)", addresses[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* Writes @index's record: what is stored now, with @changes over it. */
static gboolean
save_service (PkmCall *call, guint index, GVariantDict *changes, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  const char *name = services[index].name;
  gint64 id = pkm_store_find (ctx, PKM_COLLECTION_IP_SERVICE, name, error);
  g_autoptr (GVariant) stored = NULL;
  g_auto (GVariantDict) record = G_VARIANT_DICT_INIT (NULL);
  GVariantIter iter;
  const char *key;
  GVariant *value;
  g_autoptr (GVariant) changed = g_variant_ref_sink (g_variant_dict_end (changes));

  if (id < 0 || (id > 0 && (stored = pkm_store_get (ctx, PKM_COLLECTION_IP_SERVICE, id, NULL, error)) == NULL))
    return FALSE;
  g_variant_dict_init (&record, stored);
  g_variant_iter_init (&iter, changed);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_variant_dict_insert_value (&record, key, value);
      g_variant_unref (value);
    }
  {
    g_autoptr (GVariant) all = g_variant_ref_sink (g_variant_dict_end (&record));
    if (id == 0 ? pkm_store_insert (ctx, PKM_COLLECTION_IP_SERVICE, name, all, error) <= 0
                : !pkm_store_update (ctx, PKM_COLLECTION_IP_SERVICE, id, name, all, error))
      return FALSE;
  }
  pkm_call_audit (call, "system,info", "service %s changed", name);
  return TRUE;
}

/* The service the numbers= item names. */
static guint
service_of (PkmCall *call)
{
  return (guint) CLAMP (pkm_call_get_item (call, "numbers") - 1, 0, (gint64) G_N_ELEMENTS (services) - 1);
}

static gboolean
service_set (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  guint index = service_of (call);
  g_auto (GVariantDict) changes = G_VARIANT_DICT_INIT (NULL);
  const char *certificate = pkm_call_get_string (call, "certificate");
  const char *tls_version = pkm_call_get_string (call, "tls-version");

  if (!services[index].tls && (certificate != NULL || tls_version != NULL))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: %s takes no certificate and no tls-version",
                   certificate != NULL ? "certificate" : "tls-version", services[index].name);
      return FALSE;
    }
  if (pkm_call_has (call, "port"))
    g_variant_dict_insert (&changes, "port", "t", pkm_call_get_uint (call, "port", services[index].port));
  if (pkm_call_has (call, "address"))
    {
      static const char *const any[] = { NULL };
      const char *const *address = pkm_call_get_list (call, "address");

      if (address == NULL)
        address = any;
      if (!check_addresses (address, error))
        return FALSE;
      g_variant_dict_insert_value (&changes, "address", g_variant_new_strv (address, -1));
    }
  if (certificate != NULL)
    {
      if (!check_certificate (ctx, certificate, error))
        return FALSE;
      g_variant_dict_insert (&changes, "certificate", "s", certificate);
    }
  if (tls_version != NULL)
    {
      g_variant_dict_insert (&changes, "tls-version", "s", tls_version);
      /* GIO sets TLS versions once per process (pkimand.c). */
      pkm_call_print (call, "tls-version: pkimand applies it when it starts again");
    }
  if (pkm_call_has (call, "rest-api"))
    g_variant_dict_insert (&changes, "rest-api", "b", pkm_call_get_bool (call, "rest-api", FALSE));
  if (pkm_call_has (call, "disabled"))
    g_variant_dict_insert (&changes, "disabled", "b", pkm_call_get_bool (call, "disabled", FALSE));
  return save_service (call, index, &changes, error);
}

static gboolean
set_disabled (PkmCall *call, gboolean disabled, GError **error)
{
  g_auto (GVariantDict) changes = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&changes, "disabled", "b", disabled);
  return save_service (call, service_of (call), &changes, error);
}

static gboolean
service_enable (PkmCall *call, GError **error)
{
  return set_disabled (call, FALSE, error);
}

static gboolean
service_disable (PkmCall *call, GError **error)
{
  return set_disabled (call, TRUE, error);
}

#define NUMBERS_PARAM                                                                                          \
  { "numbers", PKM_PARAM_ITEM, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, "/ip service",          \
    "the service: www or www-ssl" }

static const PkmParam set_params[] = {
  NUMBERS_PARAM,
  { "port", PKM_PARAM_UINT, 0, NULL, 1, 65535, NULL, "the TCP port" },
  { "address", PKM_PARAM_STRING_LIST, 0, NULL, 0, 4096, NULL,
    "the clients allowed, addresses and networks, comma-separated (empty: any)" },
  { "certificate", PKM_PARAM_STRING, 0, NULL, 1, 255, NULL, "www-ssl: the certificate it presents, or none" },
  { "tls-version", PKM_PARAM_ENUM, 0, tls_versions, 0, 0, NULL, "www-ssl: the TLS versions it accepts" },
  { "rest-api", PKM_PARAM_BOOL, 0, NULL, 0, 0, NULL,
    "yes: serves the REST API under /rest/ (www: only when set, since passwords would cross in the clear)" },
  { "disabled", PKM_PARAM_BOOL, 0, NULL, 0, 0, NULL, "yes: not served" },
  { NULL },
};

static const PkmParam numbers_params[] = { NUMBERS_PARAM, { NULL } };

static const PkmCommand service_commands[] = {
  { "set", service_set, set_params, PKM_COMMAND_WRITE, "change a service" },
  { "enable", service_enable, numbers_params, PKM_COMMAND_WRITE, "serve it" },
  { "disable", service_disable, numbers_params, PKM_COMMAND_WRITE, "stop serving it" },
  { NULL },
};

static const PkmFlag service_flags[] = {
  { 'X', "disabled", "DISABLED" },
  { 0 },
};

static const char *const service_columns[] = { "name", "port", "address", "certificate", NULL };
static const char *const service_fields[] = { "name", "port", "address", "certificate", "tls-version", "rest-api",
                                              "disabled", NULL };

const PkmMenu pkm_menu_ip_service = {
  PKM_MENU_SIZES,
  .path = "/ip service",
  .help = "pkimand's HTTP services (www, www-ssl)",
  .commands = service_commands,
  .list = service_list,
  .flags = service_flags,
  .columns = service_columns,
  .fields = service_fields,
};
