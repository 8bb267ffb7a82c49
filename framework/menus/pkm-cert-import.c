/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include "menus/pkm-cert-private.h"
#include "menus/pkm-files.h"
#include "core/pkm-providers.h"

/* import: PEM with any number of certificates and keys, DER certificates and
 * keys, PKCS#12. Everything is parsed and checked before anything is stored,
 * so a bad file or a wrong passphrase changes nothing. */

/* Far above any certificate bundle; a bound so a hostile file cannot make us read gigabytes. */
#define IMPORT_MAX_FILE_SIZE (16 * 1024 * 1024)
/* Opening an encrypted key may cost the provider's whole key-derivation
 * budget (a quarter of a second): a file is a chain and its key. */
#define IMPORT_MAX_ENCRYPTED_KEYS 2

typedef struct {
  const char *file;   /* as the user named it */
  GPtrArray *certs;   /* (element-type GBytes) DER */
  GPtrArray *keys;    /* (element-type PkmSecret) PKCS#8 DER */
} PkmImportSet;

static void
import_set_clear (PkmImportSet *set)
{
  g_clear_pointer (&set->certs, g_ptr_array_unref);
  g_clear_pointer (&set->keys, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PkmImportSet, import_set_clear)

static GBytes *
read_import_file (PkmCall *call, const char *name, GError **error)
{
  g_autofree char *path = pkm_files_resolve (call, "file-name", name, error);
  g_autofree char *data = NULL;
  gsize size = 0;
  GStatBuf st;

  if (path == NULL)
    return NULL;
  if (g_stat (path, &st) != 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "file-name: %s: %s", name, g_strerror (errno));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "file-name: %s: not a regular file", name);
      return NULL;
    }
  if (st.st_size > IMPORT_MAX_FILE_SIZE)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                   "file-name: %s: %lld bytes is over the %d MiB import limit", name, (long long) st.st_size,
                   IMPORT_MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }
  if (st.st_size == 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "file-name: %s: the file is empty", name);
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &size, NULL))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "file-name: %s: cannot be read", name);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&data), size);
}

static gboolean
is_certificate_label (const char *label)
{
  return strcmp (label, "CERTIFICATE") == 0 || strcmp (label, "X509 CERTIFICATE") == 0
         || strcmp (label, "TRUSTED CERTIFICATE") == 0;
}

/* A key the passphrase does not open is an error that says so: RouterOS's
 * silent "0 keys imported" is its most confusing import behaviour. */
static PkmSecret *
read_key (PkmContext *ctx, PkmImportSet *set, GBytes *data, const char *passphrase, GError **error)
{
  g_autoptr (GError) local = NULL;
  PkmSecret *key = pkm_crypto_import_key (ctx, data, passphrase, &local);

  if (key != NULL)
    return key;
  if (g_error_matches (local, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE))
    g_set_error (error, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE, "passphrase: %s the private key in %s",
                 passphrase == NULL ? "no passphrase was given for" : "wrong passphrase for", set->file);
  else
    g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "file-name: %s: %s", set->file, local->message);
  return NULL;
}

static gboolean
read_pem (PkmContext *ctx, PkmImportSet *set, GBytes *data, const char *passphrase, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GPtrArray) blocks = pkm_pem_blocks (g_bytes_get_data (data, NULL), g_bytes_get_size (data), &local);
  guint encrypted = 0;

  if (blocks == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "file-name: %s: %s", set->file, local->message);
      return FALSE;
    }
  for (guint i = 0; i < blocks->len; i++)
    if (strstr (((PkmPemBlock *) g_ptr_array_index (blocks, i))->label, "ENCRYPTED") != NULL)
      encrypted++;
  if (encrypted > IMPORT_MAX_ENCRYPTED_KEYS)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "file-name: %s: more than %d encrypted keys",
                   set->file, IMPORT_MAX_ENCRYPTED_KEYS);
      return FALSE;
    }
  for (guint i = 0; i < blocks->len; i++)
    {
      PkmPemBlock *block = g_ptr_array_index (blocks, i);

      if (is_certificate_label (block->label))
        {
          if (block->der == NULL)
            {
              g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "file-name: %s: block %u (%s) is not base64",
                           set->file, i + 1, block->label);
              return FALSE;
            }
          g_ptr_array_add (set->certs, g_bytes_ref (block->der));
        }
      else if (g_str_has_suffix (block->label, "PRIVATE KEY"))
        {
          PkmSecret *key = read_key (ctx, set, block->armored, passphrase, error);
          if (key == NULL)
            return FALSE;
          g_ptr_array_add (set->keys, key);
        }
    }
  return TRUE;
}

/* DER: a certificate, a PKCS#12 file or a key, tried in that order. */
static gboolean
read_der (PkmContext *ctx, PkmImportSet *set, GBytes *data, const char *passphrase, GError **error)
{
  g_autoptr (PkmCertInfo) info = pkm_crypto_parse_certificate (ctx, data, NULL);
  g_autoptr (GPtrArray) certs = NULL;
  g_autoptr (GError) local = NULL;
  PkmSecret *key = NULL;

  if (info != NULL)
    {
      g_ptr_array_add (set->certs, g_bytes_ref (data));
      return TRUE;
    }
  if (pkm_crypto_import_pkcs12 (ctx, data, passphrase != NULL ? passphrase : "", &certs, &key, &local))
    {
      for (guint i = 0; certs != NULL && i < certs->len; i++)
        g_ptr_array_add (set->certs, g_bytes_ref (g_ptr_array_index (certs, i)));
      if (key != NULL)
        g_ptr_array_add (set->keys, key);
      return TRUE;
    }
  if (g_error_matches (local, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE, "passphrase: %s the PKCS#12 file %s",
                   passphrase == NULL ? "no passphrase was given for" : "wrong passphrase for", set->file);
      return FALSE;
    }
  if (g_error_matches (local, PKM_ERROR, PKM_ERROR_REJECTED))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_REJECTED, "file-name: %s: %s", set->file, local->message);
      return FALSE;
    }
  g_clear_error (&local);
  key = pkm_crypto_import_key (ctx, data, passphrase, &local);
  if (key != NULL)
    {
      g_ptr_array_add (set->keys, key);
      return TRUE;
    }
  if (g_error_matches (local, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE)
      || g_error_matches (local, PKM_ERROR, PKM_ERROR_REJECTED))
    return read_key (ctx, set, data, passphrase, error) != NULL;
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
               "file-name: %s: not a certificate, private key or PKCS#12 file (PEM or DER)", set->file);
  return FALSE;
}

static gboolean
looks_like_pem (GBytes *data)
{
  return g_strstr_len (g_bytes_get_data (data, NULL), g_bytes_get_size (data), "-----BEGIN ") != NULL;
}

/* What the store already holds: fingerprints (no duplicates) and key ids. */
typedef struct {
  GHashTable *names_by_fingerprint;
  GHashTable *key_ids;
} PkmStoreIndex;

static gboolean
index_record (gint64 id, const char *name, GVariant *record, gpointer user_data)
{
  PkmStoreIndex *index = user_data;
  const char *fingerprint = NULL, *key_id = NULL;

  if (g_variant_lookup (record, "fingerprint", "&s", &fingerprint))
    g_hash_table_insert (index->names_by_fingerprint, g_strdup (fingerprint), g_strdup (name));
  if (g_variant_lookup (record, "key-id", "&s", &key_id))
    g_hash_table_add (index->key_ids, g_strdup (key_id));
  return TRUE;
}

static char *
free_name (PkmContext *ctx, const char *base, guint *counter, gboolean verbatim_first)
{
  for (;; (*counter)++)
    {
      g_autofree char *candidate = (*counter == 0 && verbatim_first) ? g_strdup (base)
                                                                      : g_strdup_printf ("%s_%u", base, *counter);
      if (pkm_store_find (ctx, PKM_COLLECTION_CERTIFICATE, candidate, NULL) == 0)
        {
          (*counter)++;
          return g_steal_pointer (&candidate);
        }
    }
}

typedef struct {
  guint64 certificates, keys, keys_without_certificate;
} PkmImportCounts;

static gboolean
store_certificates (PkmCall *call, PkmImportSet *set, PkmStoreIndex *index, PkmImportCounts *counts,
                    GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  const char *name_param = pkm_call_get_string (call, "name");
  g_autofree char *file_base = g_path_get_basename (set->file);
  guint counter = 0;

  for (guint i = 0; i < set->certs->len; i++)
    {
      GBytes *der = g_ptr_array_index (set->certs, i);
      g_autoptr (PkmCertInfo) info = pkm_crypto_parse_certificate (ctx, der, error);
      g_autoptr (PkmEntry) entry = NULL;
      g_autofree char *name = NULL;
      const char *existing;

      if (info == NULL)
        {
          g_prefix_error (error, "file-name: %s: certificate %u: ", set->file, i + 1);
          return FALSE;
        }
      existing = g_hash_table_lookup (index->names_by_fingerprint, info->fingerprint);
      if (existing != NULL)
        {
          pkm_call_print (call, "already in the store as \"%s\": %s", existing, info->subject);
          continue;
        }
      name = name_param != NULL ? free_name (ctx, name_param, &counter, TRUE) : free_name (ctx, file_base, &counter, FALSE);
      entry = pkm_entry_new (name);
      pkm_entry_set_certificate (entry, der, info);
      g_variant_dict_insert (entry->dict, "trusted", "b", pkm_call_get_bool (call, "trusted", TRUE));
      if (pkm_call_has (call, "trust-store"))
        pkm_entry_set_string (entry, "trust-store", pkm_call_get_string (call, "trust-store"));
      if (!pkm_chain_link_to_store (ctx, entry, info, der, error) || pkm_entry_insert (ctx, entry, error) <= 0
          || !pkm_chain_adopt_children (ctx, entry, error))
        return FALSE;
      g_hash_table_insert (index->names_by_fingerprint, g_strdup (info->fingerprint), g_strdup (name));
      g_hash_table_add (index->key_ids, g_strdup (pkm_entry_get_string (entry, "key-id")));
      counts->certificates++;
    }
  return TRUE;
}

/* A key is kept only beside a certificate it belongs to, whichever came first
 * in the file; a key for nothing is counted and dropped. */
static gboolean
store_keys (PkmCall *call, PkmImportSet *set, PkmStoreIndex *index, PkmImportCounts *counts, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  gboolean no_export = pkm_call_get_bool (call, "no-key-export", FALSE);

  for (guint i = 0; i < set->keys->len; i++)
    {
      PkmSecret *key = g_ptr_array_index (set->keys, i);
      g_autoptr (GBytes) spki = pkm_crypto_public_key (ctx, key, error);
      g_autofree char *key_id = NULL;
      gboolean had;

      if (spki == NULL)
        return FALSE;
      key_id = pkm_key_id (spki);
      if (!g_hash_table_contains (index->key_ids, key_id))
        {
          counts->keys_without_certificate++;
          continue;
        }
      had = pkm_keys_has (ctx, key_id);
      if (!pkm_keys_put_full (ctx, key, key_id, no_export, error))
        return FALSE;
      if (!had)
        counts->keys++;
    }
  return TRUE;
}

static void
set_counts (PkmCall *call, const PkmImportCounts *counts)
{
  GVariantDict result;

  g_variant_dict_init (&result, NULL);
  g_variant_dict_insert (&result, "certificates-imported", "t", counts->certificates);
  g_variant_dict_insert (&result, "private-keys-imported", "t", counts->keys);
  g_variant_dict_insert (&result, "files-imported", "t", (guint64) 1);
  g_variant_dict_insert (&result, "decryption-failures", "t", (guint64) 0);
  g_variant_dict_insert (&result, "keys-with-no-certificate", "t", counts->keys_without_certificate);
  pkm_call_set_result (call, g_variant_dict_end (&result));
}

gboolean
pkm_cert_import (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  const char *file = pkm_call_get_string (call, "file-name");
  const char *passphrase = pkm_call_get_string (call, "passphrase");
  g_auto (PkmImportSet) set = { file, g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref),
                                g_ptr_array_new_with_free_func ((GDestroyNotify) pkm_secret_free) };
  g_autoptr (GBytes) data = read_import_file (call, file, error);
  PkmStoreIndex index = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
                          g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  PkmImportCounts counts = { 0 };
  gboolean ok;

  ok = data != NULL
       && (looks_like_pem (data) ? read_pem (ctx, &set, data, passphrase, error)
                                 : read_der (ctx, &set, data, passphrase, error));
  if (ok && set.certs->len == 0 && set.keys->len == 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "file-name: %s: holds no certificate or private key",
                   file);
      ok = FALSE;
    }
  ok = ok && pkm_store_foreach (ctx, PKM_COLLECTION_CERTIFICATE, index_record, &index, error)
       && store_certificates (call, &set, &index, &counts, error) && store_keys (call, &set, &index, &counts, error);
  g_hash_table_unref (index.names_by_fingerprint);
  g_hash_table_unref (index.key_ids);
  if (!ok)
    return FALSE;
  set_counts (call, &counts);
  return pkm_audit (ctx, pkm_call_get_actor (call), "certificate,info", error,
                    "imported %s: %" G_GUINT64_FORMAT " certificates, %" G_GUINT64_FORMAT " private keys", file,
                    counts.certificates, counts.keys);
}
