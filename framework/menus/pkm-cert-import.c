/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include "menus/pkm-cert-private.h"
#include <pkiman/pkm-files.h>

/* import: PEM with any number of certificates and keys, DER certificates and
 * keys, PKCS#12. Everything is parsed and checked before anything is stored,
 * so a bad file or a wrong passphrase changes nothing. */

/* Far above any certificate bundle; a bound so a hostile file cannot make us read gigabytes. */
#define IMPORT_MAX_FILE_SIZE (16 * 1024 * 1024)
/* Opening an encrypted key may cost the provider's whole key-derivation
 * budget (a quarter of a second): a file is a chain and its key. */
#define IMPORT_MAX_ENCRYPTED_KEYS 2

typedef struct {
  const char *file;   /* as the user named it: the base of the new names */
  const char *label;  /* what errors call it: "file-name: certs.pem" */
  const PkmImportOptions *options;
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
    g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: %s", set->label, local->message);
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
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: %s", set->label, local->message);
      return FALSE;
    }
  for (guint i = 0; i < blocks->len; i++)
    if (strstr (((PkmPemBlock *) g_ptr_array_index (blocks, i))->label, "ENCRYPTED") != NULL)
      encrypted++;
  if (encrypted > IMPORT_MAX_ENCRYPTED_KEYS)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: more than %d encrypted keys",
                   set->label, IMPORT_MAX_ENCRYPTED_KEYS);
      return FALSE;
    }
  for (guint i = 0; i < blocks->len; i++)
    {
      PkmPemBlock *block = g_ptr_array_index (blocks, i);

      if (is_certificate_label (block->label))
        {
          if (block->der == NULL)
            {
              g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: block %u (%s) is not base64",
                           set->label, i + 1, block->label);
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
      g_set_error (error, PKM_ERROR, PKM_ERROR_REJECTED, "%s: %s", set->label, local->message);
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
               "%s: not a certificate, private key or PKCS#12 file (PEM or DER)", set->label);
  return FALSE;
}

static gboolean
looks_like_pem (GBytes *data)
{
  return g_strstr_len (g_bytes_get_data (data, NULL), g_bytes_get_size (data), "-----BEGIN ") != NULL;
}

static void
import_set_free (gpointer set)
{
  import_set_clear (set);
  g_free (set);
}


/* Decrypting and parsing is the slow part: what it gave is kept in the call
 * (by the data's hash and the passphrase's), so a re-run after a write
 * conflict does not do it again. */
static gboolean
parse_import_data (PkmCall *call, PkmImportSet *set, GBytes *data, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  const char *passphrase = set->options->passphrase;
  g_autofree char *passphrase_id = NULL, *data_id = NULL, *cache_key = NULL;
  PkmImportSet *parsed;

  passphrase_id = passphrase != NULL ? g_compute_checksum_for_string (G_CHECKSUM_SHA256, passphrase, -1)
                                     : g_strdup ("none");
  data_id = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
  cache_key = g_strdup_printf ("pkm-cert-import:%s:%s", data_id, passphrase_id);
  parsed = pkm_call_get_data (call, cache_key);
  if (parsed == NULL)
    {
      if (!(looks_like_pem (data) ? read_pem (ctx, set, data, passphrase, error)
                                  : read_der (ctx, set, data, passphrase, error)))
        return FALSE;
      parsed = g_new0 (PkmImportSet, 1);
      parsed->certs = g_ptr_array_ref (set->certs);
      parsed->keys = g_ptr_array_ref (set->keys);
      pkm_call_set_data (call, cache_key, parsed, import_set_free);
      return TRUE;
    }
  g_ptr_array_unref (set->certs);
  g_ptr_array_unref (set->keys);
  set->certs = g_ptr_array_ref (parsed->certs);
  set->keys = g_ptr_array_ref (parsed->keys);
  return TRUE;
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
  const char *name_param = set->options->name;
  g_autofree char *file_base = g_path_get_basename (set->file);
  g_autoptr (GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) pkm_cert_info_free);
  guint counter = 0;

  /* Every certificate is parsed before the first write takes the store's lock. */
  for (guint i = 0; i < set->certs->len; i++)
    {
      PkmCertInfo *info = pkm_crypto_parse_certificate (ctx, g_ptr_array_index (set->certs, i), error);

      if (info == NULL)
        {
          g_prefix_error (error, "%s: certificate %u: ", set->label, i + 1);
          return FALSE;
        }
      g_ptr_array_add (infos, info);
    }
  for (guint i = 0; i < set->certs->len; i++)
    {
      GBytes *der = g_ptr_array_index (set->certs, i);
      PkmCertInfo *info = g_ptr_array_index (infos, i);
      g_autoptr (PkmEntry) entry = NULL;
      g_autofree char *name = NULL;
      const char *existing;

      existing = g_hash_table_lookup (index->names_by_fingerprint, info->fingerprint);
      if (existing != NULL)
        {
          pkm_call_print (call, "already in the store as \"%s\": %s", existing, info->subject);
          continue;
        }
      name = name_param != NULL ? free_name (ctx, name_param, &counter, TRUE) : free_name (ctx, file_base, &counter, FALSE);
      entry = pkm_entry_new (name);
      pkm_entry_set_certificate (entry, der, info);
      g_variant_dict_insert (entry->dict, "trusted", "b", !set->options->untrusted);
      if (set->options->trust_store != NULL)
        pkm_entry_set_string (entry, "trust-store", set->options->trust_store);
      if (!pkm_chain_link_to_store (ctx, entry, info, der, error) || pkm_entry_insert (ctx, entry, error) <= 0
          || !pkm_chain_adopt_children (ctx, entry, error))
        return FALSE;
      pkm_context_emit (ctx, PKM_EVENT_CERTIFICATE_ADDED, entry->id);
      g_hash_table_insert (index->names_by_fingerprint, g_strdup (info->fingerprint), g_strdup (name));
      g_hash_table_add (index->key_ids, g_strdup (pkm_entry_get_string (entry, "key-id")));
      counts->certificates++;
    }
  return TRUE;
}

/* A key is kept, sealed, whichever came first: beside its certificate, or
 * waiting for it (/certificate key, flag W) when the certificate is not here
 * yet; RouterOS takes both orders. A waiting key is counted apart. */
static gboolean
store_keys (PkmCall *call, PkmImportSet *set, PkmStoreIndex *index, PkmImportCounts *counts, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  gboolean no_export = set->options->no_key_export;

  for (guint i = 0; i < set->keys->len; i++)
    {
      PkmSecret *key = g_ptr_array_index (set->keys, i);
      g_autoptr (PkmKey) handle = pkm_crypto_load_key (ctx, key, NULL, error);
      g_autoptr (GBytes) spki = handle != NULL ? pkm_key_get_public_key (handle, error) : NULL;
      g_autofree char *key_id = NULL;
      gboolean had;

      if (spki == NULL)
        return FALSE;
      key_id = pkm_key_id (spki);
      had = pkm_keys_has (ctx, key_id);
      if (!pkm_keys_put_full (ctx, key, key_id, no_export, error))
        return FALSE;
      if (!g_hash_table_contains (index->key_ids, key_id))
        {
          counts->keys_without_certificate++;
          if (!had)
            pkm_call_print (call, "a private key waits for its certificate (/certificate key print)");
        }
      else if (!had)
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

/* Stores what @data holds; @source names it (new names derive from it), @label in errors. */
static gboolean
import_data (PkmCall *call, GBytes *data, const char *source, const char *label,
             const PkmImportOptions *caller_options, PkmImportCounts *counts, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  PkmImportOptions options = PKM_IMPORT_OPTIONS_INIT;
  g_auto (PkmImportSet) set = { source, label, &options,
                                g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref),
                                g_ptr_array_new_with_free_func ((GDestroyNotify) pkm_secret_free) };
  PkmStoreIndex index = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
                          g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  gboolean ok;

  /* The caller's options, as far as its struct goes. */
  if (caller_options != NULL)
    memcpy (&options, caller_options, MIN (caller_options->struct_size, sizeof options));
  ok = (options.name == NULL || pkm_cert_check_name_form ("name", options.name, error))
       && parse_import_data (call, &set, data, error);
  if (ok && set.certs->len == 0 && set.keys->len == 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: holds no certificate or private key", label);
      ok = FALSE;
    }
  ok = ok && pkm_store_foreach (ctx, PKM_COLLECTION_CERTIFICATE, index_record, &index, error)
       && store_certificates (call, &set, &index, counts, error) && store_keys (call, &set, &index, counts, error);
  g_hash_table_unref (index.names_by_fingerprint);
  g_hash_table_unref (index.key_ids);
  if (ok)
    pkm_call_audit (call, "certificate,info",
                    "imported %s: %" G_GUINT64_FORMAT " certificates, %" G_GUINT64_FORMAT " private keys", source,
                    counts->certificates, counts->keys);
  return ok;
}

gboolean
pkm_certificates_import (PkmCall *call, GBytes *data, const char *source, const PkmImportOptions *options,
                         guint64 *out_certificates, guint64 *out_keys, GError **error)
{
  PkmImportCounts counts = { 0 };

  if (!import_data (call, data, source != NULL ? source : "import", source != NULL ? source : "data", options,
                    &counts, error))
    return FALSE;
  if (out_certificates != NULL)
    *out_certificates = counts.certificates;
  if (out_keys != NULL)
    *out_keys = counts.keys;
  return TRUE;
}

/* import file-name=F [passphrase=] [name=] [trusted=] [trust-store=] [no-key-export=] */
gboolean
pkm_cert_import (PkmCall *call, GError **error)
{
  const char *file = pkm_call_get_string (call, "file-name");
  g_autofree char *path = pkm_files_resolve (call, "file-name", file, error);
  g_autofree char *cache_key = g_strdup_printf ("pkm-cert-import-file:%s", path);
  g_autoptr (GBytes) data = NULL;
  g_autofree char *label = g_strdup_printf ("file-name: %s", file);
  PkmImportOptions options = PKM_IMPORT_OPTIONS_INIT;
  PkmImportCounts counts = { 0 };

  if (path == NULL)
    return FALSE;
  /* A re-run after a write conflict imports what the first run read, even if the file went meanwhile. */
  data = pkm_call_get_data (call, cache_key);
  if (data != NULL)
    g_bytes_ref (data);
  else if ((data = pkm_files_read (path, "file-name", file, IMPORT_MAX_FILE_SIZE, error)) == NULL)
    return FALSE;
  else
    pkm_call_set_data (call, cache_key, g_bytes_ref (data), (GDestroyNotify) g_bytes_unref);
  options.passphrase = pkm_call_get_string (call, "passphrase");
  options.name = pkm_call_get_string (call, "name");
  options.untrusted = !pkm_call_get_bool (call, "trusted", TRUE);
  options.trust_store = pkm_call_get_string (call, "trust-store");
  options.no_key_export = pkm_call_get_bool (call, "no-key-export", FALSE);
  if (!import_data (call, data, file, label, &options, &counts, error))
    return FALSE;
  set_counts (call, &counts);
  return TRUE;
}
