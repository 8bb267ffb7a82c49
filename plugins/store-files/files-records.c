/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Records: names, revisions and ids from the catalog in memory; the
 * record's bytes from this transaction or its file. */
#include <string.h>
#include "files-store.h"

/* A record file: its header, its name and its record. */
#define RECORD_FILE_MAX (64 + PKM_FILES_NAME_MAX + PKM_FILES_RECORD_MAX)

/* The record's normal form (what is stored), consuming a floating @record;
 * NULL and an error for anything but an a{sv} within the size limit. */
static GVariant *
normal_record (const char *collection, GVariant *record, GError **error)
{
  GVariant *normal = NULL;

  if (record != NULL)
    g_variant_ref_sink (record);
  if (record == NULL || !g_variant_is_of_type (record, G_VARIANT_TYPE_VARDICT))
    g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "store-files: a record must be an a{sv} dictionary");
  else if ((normal = g_variant_get_normal_form (record)) != NULL && g_variant_get_size (normal) > PKM_FILES_RECORD_MAX)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED,
                   "store-files: a %s record of %" G_GSIZE_FORMAT " bytes is over the limit of %" G_GSIZE_FORMAT,
                   collection, g_variant_get_size (normal), PKM_FILES_RECORD_MAX);
      g_clear_pointer (&normal, g_variant_unref);
    }
  if (record != NULL)
    g_variant_unref (record);
  return normal;
}

static gboolean
check_name (const char *name, GError **error)
{
  if (name != NULL && strlen (name) > PKM_FILES_NAME_MAX)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-files: a name of over %" G_GSIZE_FORMAT " bytes",
                   PKM_FILES_NAME_MAX);
      return FALSE;
    }
  return TRUE;
}

static gboolean
not_found (const char *collection, gint64 id, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s %" G_GINT64_FORMAT " does not exist", collection, id);
  return FALSE;
}

static gboolean
name_taken (const char *collection, const char *name, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_EXISTS, "%s \"%s\" already exists", collection, name);
  return FALSE;
}

/* The entry of @id when its revision is @expected (0: any), else NULL and an error. */
static PkmFilesEntry *
check_revision (PkmFilesCollection *c, const char *collection, gint64 id, gint64 expected, GError **error)
{
  PkmFilesEntry *entry = pkm_files_state_lookup (c, id);

  if (entry == NULL)
    {
      not_found (collection, id, error);
      return NULL;
    }
  if (expected != 0 && entry->revision != expected)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_CONFLICT,
                   "%s %" G_GINT64_FORMAT " is at revision %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT
                   ": another writer changed it",
                   collection, id, entry->revision, expected);
      return NULL;
    }
  return entry;
}

gint64
pkm_files_insert (PkmStoreTxn *txn, const char *collection, const char *name, GVariant *record, GError **error)
{
  g_autoptr (GVariant) normal = normal_record (collection, record, error);
  g_autoptr (GVariant) values = NULL;
  PkmFilesState *state;
  PkmFilesCollection *c;
  PkmFilesTouched *t;
  gint64 id;

  if (normal == NULL || !pkm_files_check_txn (txn, TRUE, error) || !check_name (name, error))
    return 0;
  state = txn->store->state;
  c = pkm_files_state_collection (state, collection, TRUE);
  if (name != NULL && g_hash_table_contains (c->names, name))
    return name_taken (collection, name, error) ? 0 : 0;
  id = ++c->last_id;
  t = pkm_files_txn_touch (txn, c, id);
  g_clear_pointer (&t->data, g_variant_unref);
  t->data = g_steal_pointer (&normal);
  values = pkm_files_state_index_values (c, t->data);
  pkm_files_state_attach (state, c, pkm_files_entry_new (id, name, 1, ++state->cursor, values));
  return id;
}

gint64
pkm_files_update (PkmStoreTxn *txn, const char *collection, gint64 id, const char *name, GVariant *record,
                  gint64 expected_revision, GError **error)
{
  g_autoptr (GVariant) normal = normal_record (collection, record, error);
  g_autoptr (GVariant) values = NULL;
  PkmFilesState *state;
  PkmFilesCollection *c;
  PkmFilesEntry *entry, *other;
  PkmFilesTouched *t;
  gint64 revision;

  if (normal == NULL || !pkm_files_check_txn (txn, TRUE, error) || !check_name (name, error))
    return 0;
  state = txn->store->state;
  c = pkm_files_state_collection (state, collection, FALSE);
  if ((entry = check_revision (c, collection, id, expected_revision, error)) == NULL)
    return 0;
  if (name != NULL && (other = g_hash_table_lookup (c->names, name)) != NULL && other != entry)
    return name_taken (collection, name, error) ? 0 : 0;
  revision = entry->revision + 1;
  t = pkm_files_txn_touch (txn, c, id);
  g_clear_pointer (&t->data, g_variant_unref);
  t->data = g_steal_pointer (&normal);
  values = pkm_files_state_index_values (c, t->data);
  pkm_files_state_attach (state, c, pkm_files_entry_new (id, name, revision, ++state->cursor, values));
  return revision;
}

gboolean
pkm_files_remove (PkmStoreTxn *txn, const char *collection, gint64 id, gint64 expected_revision, GError **error)
{
  PkmFilesState *state;
  PkmFilesCollection *c;
  PkmFilesTouched *t;

  if (!pkm_files_check_txn (txn, TRUE, error))
    return FALSE;
  state = txn->store->state;
  c = pkm_files_state_collection (state, collection, FALSE);
  if (check_revision (c, collection, id, expected_revision, error) == NULL)
    return FALSE;
  t = pkm_files_txn_touch (txn, c, id);
  g_clear_pointer (&t->data, g_variant_unref);
  pkm_files_entry_free (pkm_files_state_detach (state, c, id));
  pkm_files_state_set_removed (state, c, id, ++state->cursor);
  return TRUE;
}

GVariant *
pkm_files_read_record (PkmStoreTxn *txn, PkmFilesCollection *c, const PkmFilesEntry *entry, GError **error)
{
  g_autofree char *path = NULL;
  g_autoptr (GBytes) bytes = NULL;

  if (txn->touched != NULL)
    {
      PkmFilesTouched probe = { .collection = c, .id = entry->id };
      PkmFilesTouched *t = g_hash_table_lookup (txn->touched, &probe);
      if (t != NULL && t->data != NULL)
        return g_variant_ref (t->data);
    }
  path = pkm_files_record_path (txn->store, c, entry->id);
  bytes = pkm_files_read_whole (path, RECORD_FILE_MAX, FALSE, error);
  if (bytes == NULL)
    return NULL;
  return pkm_files_record_decode (bytes, path, entry->id, entry->name, entry->revision, error);
}

GVariant *
pkm_files_get (PkmStoreTxn *txn, const char *collection, gint64 id, char **out_name, gint64 *out_revision,
               GError **error)
{
  PkmFilesCollection *c;
  PkmFilesEntry *entry;
  GVariant *record;

  if (!pkm_files_check_txn (txn, FALSE, error))
    return NULL;
  c = pkm_files_state_collection (txn->store->state, collection, FALSE);
  if ((entry = pkm_files_state_lookup (c, id)) == NULL)
    return not_found (collection, id, error) ? NULL : NULL;
  if ((record = pkm_files_read_record (txn, c, entry, error)) == NULL)
    return NULL;
  if (out_name != NULL)
    *out_name = g_strdup (entry->name);
  if (out_revision != NULL)
    *out_revision = entry->revision;
  return record;
}

gint64
pkm_files_find (PkmStoreTxn *txn, const char *collection, const char *name, GError **error)
{
  PkmFilesCollection *c;
  PkmFilesEntry *entry;

  if (!pkm_files_check_txn (txn, FALSE, error))
    return -1;
  c = pkm_files_state_collection (txn->store->state, collection, FALSE);
  entry = c != NULL && name != NULL ? g_hash_table_lookup (c->names, name) : NULL;
  return entry != NULL ? entry->id : 0;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

char **
pkm_files_list_collections (PkmStoreTxn *txn, GError **error)
{
  g_autoptr (GPtrArray) names = NULL;
  GHashTableIter iter;
  gpointer value;

  if (!pkm_files_check_txn (txn, FALSE, error))
    return NULL;
  names = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, txn->store->state->collections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_tree_nnodes (((PkmFilesCollection *) value)->records) > 0)
      g_ptr_array_add (names, g_strdup (((PkmFilesCollection *) value)->name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}
