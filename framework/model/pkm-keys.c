/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "model/pkm-model.h"
#include "core/pkm-providers.h"

char *
pkm_key_id (GBytes *spki)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, spki);
}

static GVariant *
key_record (PkmContext *ctx, const char *key_id, gint64 *out_id)
{
  gint64 id = pkm_store_find (ctx, PKM_COLLECTION_KEY, key_id, NULL);

  *out_id = id;
  return id > 0 ? pkm_store_get (ctx, PKM_COLLECTION_KEY, id, NULL, NULL) : NULL;
}

gboolean
pkm_keys_is_exportable (PkmContext *ctx, const char *key_id)
{
  gint64 id;
  g_autoptr (GVariant) record = key_record (ctx, key_id, &id);
  gboolean no_export = FALSE;

  if (record != NULL)
    g_variant_lookup (record, "no-export", "b", &no_export);
  return !no_export;
}

gboolean
pkm_keys_put (PkmContext *ctx, PkmSecret *key, const char *key_id, GError **error)
{
  return pkm_keys_put_full (ctx, key, key_id, FALSE, error);
}

gboolean
pkm_keys_put_full (PkmContext *ctx, PkmSecret *key, const char *key_id, gboolean no_export, GError **error)
{
  g_autoptr (GBytes) sealed = NULL;
  GVariantDict dict;
  gint64 id;
  g_autoptr (GVariant) existing = key_record (ctx, key_id, &id);

  if (existing != NULL)
    {
      /* no-key-export is forever: a later import can set it, never clear it. */
      if (!no_export)
        return TRUE;
      g_variant_dict_init (&dict, existing);
      g_variant_dict_insert (&dict, "no-export", "b", TRUE);
      return pkm_store_update (ctx, PKM_COLLECTION_KEY, id, key_id, g_variant_dict_end (&dict), error);
    }
  sealed = pkm_keyring_seal (ctx, key, key_id, error);
  if (sealed == NULL)
    return FALSE;
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert_value (&dict, "sealed", g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, sealed, TRUE));
  g_variant_dict_insert (&dict, "created", "x", pkm_now ());
  if (no_export)
    g_variant_dict_insert (&dict, "no-export", "b", TRUE);
  return pkm_store_insert (ctx, PKM_COLLECTION_KEY, key_id, g_variant_dict_end (&dict), error) > 0;
}

gboolean
pkm_keys_put_uri (PkmContext *ctx, const char *key_id, const char *uri, GError **error)
{
  GVariantDict dict;
  gint64 id;
  g_autoptr (GVariant) existing = key_record (ctx, key_id, &id);

  if (existing != NULL)
    return TRUE;
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "key-uri", "s", uri);
  g_variant_dict_insert (&dict, "created", "x", pkm_now ());
  return pkm_store_insert (ctx, PKM_COLLECTION_KEY, key_id, g_variant_dict_end (&dict), error) > 0;
}

char *
pkm_keys_get_uri (PkmContext *ctx, const char *key_id)
{
  gint64 id;
  g_autoptr (GVariant) record = key_id != NULL ? key_record (ctx, key_id, &id) : NULL;
  char *uri = NULL;

  if (record != NULL)
    g_variant_lookup (record, "key-uri", "s", &uri);
  return uri;
}

gboolean
pkm_keys_check_id (PkmKey *key, const char *key_id, GError **error)
{
  g_autoptr (GBytes) spki = pkm_key_get_public_key (key, error);
  g_autofree char *actual = spki != NULL ? pkm_key_id (spki) : NULL;

  if (actual == NULL)
    return FALSE;
  if (g_strcmp0 (actual, key_id) == 0)
    return TRUE;
  g_set_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED,
               "%s: the token holds another key than the certificate's (their public keys differ)", pkm_key_get_uri (key));
  return FALSE;
}

/* A record holds the key sealed, or names where it lives (a token). */
static PkmKey *
key_of_record (PkmContext *ctx, GVariant *record, const char *key_id, GError **error)
{
  g_autoptr (GVariant) sealed = g_variant_lookup_value (record, "sealed", G_VARIANT_TYPE_BYTESTRING);
  g_autoptr (GBytes) bytes = NULL;
  const char *uri = NULL;

  if (g_variant_lookup (record, "key-uri", "&s", &uri) && !g_str_has_prefix (uri, PKM_KEYRING_URI_PREFIX))
    {
      g_autoptr (PkmKey) key = pkm_context_find_key (ctx, uri, error);
      return key != NULL && pkm_keys_check_id (key, key_id, error) ? g_steal_pointer (&key) : NULL;
    }
  if (sealed == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "key record %s has no sealed key", key_id);
      return NULL;
    }
  bytes = g_variant_get_data_as_bytes (sealed);
  return pkm_keyring_load_key (ctx, bytes, key_id, error);
}

PkmKey *
pkm_keys_get_key (PkmContext *ctx, const char *key_id, GError **error)
{
  gint64 id = pkm_store_find (ctx, PKM_COLLECTION_KEY, key_id, error);
  g_autoptr (GVariant) record = NULL;

  if (id < 0)
    return NULL;
  if (id == 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "the private key is not held here");
      return NULL;
    }
  record = pkm_store_get (ctx, PKM_COLLECTION_KEY, id, NULL, error);
  return record != NULL ? key_of_record (ctx, record, key_id, error) : NULL;
}

gboolean
pkm_keys_has (PkmContext *ctx, const char *key_id)
{
  return key_id != NULL && pkm_store_find (ctx, PKM_COLLECTION_KEY, key_id, NULL) > 0;
}

gboolean
pkm_keys_remove (PkmContext *ctx, const char *key_id, GError **error)
{
  gint64 id = pkm_store_find (ctx, PKM_COLLECTION_KEY, key_id, error);

  if (id < 0)
    return FALSE;
  return id == 0 || pkm_store_remove (ctx, PKM_COLLECTION_KEY, id, error);
}

/* Key ids are SHA-256 digests in hex (pkm_key_id): eight bytes from each
 * end hash one as well as all 64 (g_str_hash over every character was
 * most of reading the ids of 10,000 keys, and of print's K flag). */
static guint
key_id_hash (gconstpointer key)
{
  const char *id = key;
  gsize len = strlen (id);
  guint64 head, tail, h;

  if (len < 16)
    return g_str_hash (id);
  memcpy (&head, id, sizeof head);
  memcpy (&tail, id + len - sizeof tail, sizeof tail);
  h = (head ^ (tail * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)) ^ len) * G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  return (guint) (h ^ (h >> 32));
}

static gboolean
collect_name (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  g_hash_table_add (user_data, g_strdup (name));
  return TRUE;
}

GHashTable *
pkm_keys_all_ids (PkmContext *ctx, GError **error)
{
  static const char *const no_fields[] = { NULL };
  g_autoptr (GHashTable) ids = g_hash_table_new_full (key_id_hash, g_str_equal, g_free, NULL);
  /* Names only: an empty projection never copies a sealed key. */
  PkmStoreQuery names = { .struct_size = sizeof names, .projection = no_fields };

  if (!pkm_store_query (ctx, PKM_COLLECTION_KEY, &names, collect_name, ids, error))
    return NULL;
  return g_steal_pointer (&ids);
}

GBytes *
pkm_random_serial (PkmContext *ctx, GError **error)
{
  guint8 serial[16];

  if (!pkm_crypto_random (ctx, serial, sizeof serial, error))
    return NULL;
  /* Positive (top bit clear) and a full 16 bytes long (first byte non-zero). */
  serial[0] = (serial[0] & 0x7f) | 0x01;
  return g_bytes_new (serial, sizeof serial);
}
