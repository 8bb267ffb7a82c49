/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "menus/pkm-cert-private.h"

/* /certificate key: the sealed private keys held here, and by URI the token
 * keys of certificate requests. A key imported before its certificate waits
 * here (flag W) until the certificate arrives, which then shows K; a waiting
 * key that is not wanted can be removed. A key that belongs to a certificate
 * goes only with its certificate. */

typedef struct {
  GHashTable *names_by_key_id; /* key-id -> certificate name */
  GPtrArray *items;
} PkmKeyListing;

static gboolean
collect_certificate (gint64 id, const char *name, GVariant *record, gpointer user_data)
{
  PkmKeyListing *listing = user_data;
  const char *key_id = NULL;

  if (g_variant_lookup (record, "key-id", "&s", &key_id))
    g_hash_table_insert (listing->names_by_key_id, g_strdup (key_id), g_strdup (name));
  return TRUE;
}

static gboolean
collect_key (gint64 id, const char *key_id, GVariant *record, gpointer user_data)
{
  PkmKeyListing *listing = user_data;
  const char *certificate = g_hash_table_lookup (listing->names_by_key_id, key_id);
  gint64 created = 0;
  gboolean no_export = FALSE;
  const char *uri = NULL;
  g_autofree char *when = NULL;
  GVariantDict item;

  g_variant_lookup (record, "created", "x", &created);
  g_variant_lookup (record, "no-export", "b", &no_export);
  when = pkm_format_time (created);
  g_variant_dict_init (&item, NULL);
  g_variant_dict_insert (&item, ".id", "x", id);
  g_variant_dict_insert (&item, "key-id", "s", key_id);
  g_variant_dict_insert (&item, "certificate", "s", certificate != NULL ? certificate : "");
  g_variant_dict_insert (&item, "waiting", "b", certificate == NULL);
  g_variant_dict_insert (&item, "no-export", "b", no_export);
  g_variant_dict_insert (&item, "created", "s", when);
  /* A token's key, recorded for a request's certificate, is not sealed here. */
  if (g_variant_lookup (record, "key-uri", "&s", &uri))
    g_variant_dict_insert (&item, "key-uri", "s", uri);
  g_ptr_array_add (listing->items, g_variant_ref_sink (g_variant_dict_end (&item)));
  return TRUE;
}

static GPtrArray *
key_list (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  PkmKeyListing listing = { names, items };

  if (!pkm_store_foreach (ctx, PKM_COLLECTION_CERTIFICATE, collect_certificate, &listing, error)
      || !pkm_store_foreach (ctx, PKM_COLLECTION_KEY, collect_key, &listing, error))
    return NULL;
  return g_steal_pointer (&items);
}

/* A key is named by its key-id (the SHA-256 of its public key), or any unique prefix of it. */
static gint64
key_lookup (PkmCall *call, const char *name, GError **error)
{
  g_autoptr (GPtrArray) items = key_list (call, error);
  gint64 found = 0;

  if (items == NULL)
    return -1;
  for (guint i = 0; i < items->len; i++)
    {
      const char *key_id = NULL;
      gint64 id = 0;

      g_variant_lookup (g_ptr_array_index (items, i), "key-id", "&s", &key_id);
      g_variant_lookup (g_ptr_array_index (items, i), ".id", "x", &id);
      if (g_str_has_prefix (key_id, name) && *name != '\0')
        {
          if (found != 0)
            {
              g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "numbers: %s: names more than one key", name);
              return -1;
            }
          found = id;
        }
    }
  return found;
}

static gboolean
key_remove (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  gint64 id = pkm_call_get_item (call, "numbers");
  g_autoptr (GPtrArray) items = key_list (call, error);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      GVariant *item = g_ptr_array_index (items, i);
      const char *key_id = NULL, *certificate = NULL;
      gint64 item_id = 0;

      g_variant_lookup (item, ".id", "x", &item_id);
      if (item_id != id)
        continue;
      g_variant_lookup (item, "key-id", "&s", &key_id);
      g_variant_lookup (item, "certificate", "&s", &certificate);
      if (*certificate != '\0')
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                       "numbers: the key belongs to certificate \"%s\" and goes only with it", certificate);
          return FALSE;
        }
      return pkm_keys_remove (ctx, key_id, error)
             && PKM_AUDITED (call, "certificate,info", "waiting private key %.16s... removed", key_id);
    }
  if (items != NULL)
    g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "numbers: no such key");
  return FALSE;
}

static const PkmParam remove_params[] = {
  { "numbers", PKM_PARAM_ITEM, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, "/certificate key",
    "the key (number, *id, or key-id prefix)" },
  { NULL },
};

static const PkmCommand key_commands[] = {
  { "remove", key_remove, remove_params, PKM_COMMAND_WRITE, "remove a key that waits for its certificate" },
  { NULL },
};

static const PkmFlag key_flags[] = {
  { 'W', "waiting", "WAITING-FOR-CERTIFICATE" },
  { 'X', "no-export", "NO-EXPORT" },
  { 0 },
};

static const char *const key_columns[] = { "key-id", "certificate", "created", NULL };
static const char *const key_fields[] = { "key-id", "certificate", "created", "waiting", "no-export", "key-uri", NULL };

const PkmMenu pkm_menu_certificate_key = {
  PKM_MENU_SIZES,
  .path = "/certificate key",
  .help = "the private keys held here, and keys waiting for their certificate",
  .commands = key_commands,
  .list = key_list,
  .lookup = key_lookup,
  .flags = key_flags,
  .columns = key_columns,
  .fields = key_fields,
};
