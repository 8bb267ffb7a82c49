/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The catalog in memory: per collection the live records (id order), their
 * names, the index entries and the tombstones of removed records; the
 * sequences; the change feed in cursor order. Reading the catalog and every
 * write transaction change it through the same few calls, so an entry, its
 * name, its index keys and its feed entry never disagree. */
#include <string.h>
#include "files-store.h"

static gint
compare_entries (gconstpointer a, gconstpointer b, gpointer unused)
{
  gint64 x = ((const PkmFilesEntry *) a)->id, y = ((const PkmFilesEntry *) b)->id;

  return x < y ? -1 : x > y;
}

static gint
compare_changes (gconstpointer a, gconstpointer b, gpointer unused)
{
  gint64 x = ((const PkmFilesChange *) a)->cursor, y = ((const PkmFilesChange *) b)->cursor;

  return x < y ? -1 : x > y;
}

/* The order of pkm_store_value_compare, on what pkm_files_key_new took out
 * of the value once: a tree of 100,000 keys compares each some 17 times. */
static gint
compare_keys (gconstpointer a, gconstpointer b, gpointer unused)
{
  const PkmFilesKey *x = a, *y = b;

  if (x->bytes != NULL)
    {
      int c = memcmp (x->bytes, y->bytes, MIN (x->length, y->length));
      if (c != 0)
        return c;
      if (x->length != y->length)
        return x->length < y->length ? -1 : 1;
    }
  else if (x->number != y->number)
    return x->number < y->number ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

PkmFilesKey *
pkm_files_key_new (GVariant *value, gint64 id)
{
  PkmFilesKey *key = g_new0 (PkmFilesKey, 1);

  key->value = g_variant_ref (value);
  key->id = id;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    key->bytes = (const guint8 *) g_variant_get_string (value, &key->length);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
    {
      key->bytes = g_variant_get_data (value);
      key->length = g_variant_get_size (value);
      if (key->bytes == NULL)
        key->bytes = (const guint8 *) "";
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    key->number = g_variant_get_boolean (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    key->number = g_variant_get_int32 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    key->number = g_variant_get_uint32 (value);
  else
    key->number = g_variant_get_int64 (value);
  return key;
}

void
pkm_files_key_free (gpointer data)
{
  PkmFilesKey *key = data;

  g_variant_unref (key->value);
  g_free (key);
}

PkmFilesEntry *
pkm_files_entry_new (gint64 id, const char *name, gint64 revision, gint64 cursor, GVariant *values)
{
  PkmFilesEntry *entry = g_new0 (PkmFilesEntry, 1);

  entry->id = id;
  entry->name = g_strdup (name);
  entry->revision = revision;
  entry->cursor = cursor;
  entry->values = values != NULL ? g_variant_ref_sink (values) : NULL;
  return entry;
}

PkmFilesEntry *
pkm_files_entry_copy (const PkmFilesEntry *entry)
{
  return pkm_files_entry_new (entry->id, entry->name, entry->revision, entry->cursor, entry->values);
}

void
pkm_files_entry_free (gpointer data)
{
  PkmFilesEntry *entry = data;

  if (entry == NULL)
    return;
  g_free (entry->name);
  g_clear_pointer (&entry->values, g_variant_unref);
  g_free (entry);
}

static void
index_free (gpointer data)
{
  PkmFilesIndex *index = data;

  g_free (index->field);
  g_free (index->type);
  g_tree_unref (index->entries);
  g_free (index);
}

static void
collection_free (gpointer data)
{
  PkmFilesCollection *c = data;

  g_ptr_array_unref (c->indexes);
  g_hash_table_unref (c->names);
  g_hash_table_unref (c->removed);
  g_tree_unref (c->records);
  g_free (c->name);
  g_free (c->dir_name);
  g_free (c);
}

PkmFilesState *
pkm_files_state_new (void)
{
  PkmFilesState *state = g_new0 (PkmFilesState, 1);

  state->collections = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, collection_free);
  state->sequences = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->feed = g_tree_new_full (compare_changes, NULL, g_free, NULL);
  return state;
}

void
pkm_files_state_free (PkmFilesState *state)
{
  if (state == NULL)
    return;
  g_tree_unref (state->feed);
  g_hash_table_unref (state->collections);
  g_hash_table_unref (state->sequences);
  g_free (state);
}

/* Longer escaped names become a digest: a file name has at most 255 bytes. */
#define MAX_DIR_NAME 200

/* Letters, digits, '-' and '_' stay; every other byte is %XX, so no name is
 * "." or "..", holds a '/', or differs from another only in case of a %XX. */
char *
pkm_files_escape (const char *collection)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) collection; *p != '\0'; p++)
    if (g_ascii_isalnum (*p) || *p == '-' || *p == '_')
      g_string_append_c (out, (char) *p);
    else
      g_string_append_printf (out, "%%%02X", *p);
  if (out->len == 0)
    g_string_append (out, "%");
  if (out->len > MAX_DIR_NAME)
    {
      g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, collection, -1);
      g_string_printf (out, "%%h%s", digest);
    }
  return g_string_free (out, FALSE);
}

PkmFilesCollection *
pkm_files_state_collection (PkmFilesState *state, const char *name, gboolean create)
{
  PkmFilesCollection *c = g_hash_table_lookup (state->collections, name);

  if (c != NULL || !create)
    return c;
  c = g_new0 (PkmFilesCollection, 1);
  c->name = g_strdup (name);
  c->dir_name = pkm_files_escape (name);
  c->records = g_tree_new_full (compare_entries, NULL, pkm_files_entry_free, NULL);
  c->names = g_hash_table_new (g_str_hash, g_str_equal);
  c->removed = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  c->indexes = g_ptr_array_new_with_free_func (index_free);
  g_hash_table_insert (state->collections, c->name, c);
  return c;
}

PkmFilesEntry *
pkm_files_state_lookup (PkmFilesCollection *c, gint64 id)
{
  PkmFilesEntry probe = { .id = id };

  return c != NULL ? g_tree_lookup (c->records, &probe) : NULL;
}

static void
feed_drop (PkmFilesState *state, gint64 cursor)
{
  PkmFilesChange probe = { .cursor = cursor };

  if (cursor > 0)
    g_tree_remove (state->feed, &probe);
}

/* A cursor is one change's: a second record at the same cursor (only a
 * corrupt catalog has one) takes the entry over rather than duplicate it. */
static void
feed_add (PkmFilesState *state, PkmFilesCollection *c, gint64 id, gint64 cursor)
{
  PkmFilesChange probe = { .cursor = cursor };
  GTreeNode *node = g_tree_lookup_node (state->feed, &probe);
  PkmFilesChange *change = node != NULL ? g_tree_node_key (node) : g_new (PkmFilesChange, 1);

  *change = (PkmFilesChange) { .cursor = cursor, .collection = c, .id = id };
  if (node == NULL)
    g_tree_insert (state->feed, change, NULL);
  state->cursor = MAX (state->cursor, cursor);
}

/* An index not built yet is built from the entries when it is read. */
static void
index_keys (PkmFilesCollection *c, const PkmFilesEntry *entry, gboolean add)
{
  for (guint i = 0; entry->values != NULL && i < c->indexes->len; i++)
    {
      PkmFilesIndex *index = g_ptr_array_index (c->indexes, i);
      GVariant *value;

      if (!index->built)
        continue;
      value = g_variant_lookup_value (entry->values, index->field, G_VARIANT_TYPE (index->type));
      if (value == NULL)
        continue;
      if (add)
        g_tree_insert (index->entries, pkm_files_key_new (value, entry->id), NULL);
      else
        {
          PkmFilesKey *probe = pkm_files_key_new (value, entry->id);
          g_tree_remove (index->entries, probe);
          pkm_files_key_free (probe);
        }
      g_variant_unref (value);
    }
}

PkmFilesEntry *
pkm_files_state_detach (PkmFilesState *state, PkmFilesCollection *c, gint64 id)
{
  PkmFilesEntry *entry = pkm_files_state_lookup (c, id);

  if (entry == NULL)
    return NULL;
  index_keys (c, entry, FALSE);
  if (entry->name != NULL && g_hash_table_lookup (c->names, entry->name) == entry)
    g_hash_table_remove (c->names, entry->name);
  feed_drop (state, entry->cursor);
  g_tree_steal (c->records, entry);
  return entry;
}

void
pkm_files_state_attach (PkmFilesState *state, PkmFilesCollection *c, PkmFilesEntry *entry)
{
  pkm_files_entry_free (pkm_files_state_detach (state, c, entry->id));
  pkm_files_state_set_removed (state, c, entry->id, 0);
  g_tree_insert (c->records, entry, entry);
  if (entry->name != NULL)
    g_hash_table_replace (c->names, entry->name, entry);
  index_keys (c, entry, TRUE);
  feed_add (state, c, entry->id, entry->cursor);
  c->last_id = MAX (c->last_id, entry->id);
}

gint64
pkm_files_state_removed (PkmFilesCollection *c, gint64 id)
{
  PkmFilesTombstone *t = g_hash_table_lookup (c->removed, &id);

  return t != NULL ? t->cursor : 0;
}

void
pkm_files_state_set_removed (PkmFilesState *state, PkmFilesCollection *c, gint64 id, gint64 cursor)
{
  PkmFilesTombstone *t = g_hash_table_lookup (c->removed, &id);

  if (t != NULL)
    {
      feed_drop (state, t->cursor);
      g_hash_table_remove (c->removed, &id);
    }
  if (cursor <= 0)
    return;
  t = g_new (PkmFilesTombstone, 1);
  *t = (PkmFilesTombstone) { .id = id, .cursor = cursor };
  g_hash_table_insert (c->removed, &t->id, t);
  feed_add (state, c, id, cursor);
  c->last_id = MAX (c->last_id, id);
}

PkmFilesIndex *
pkm_files_state_find_index (PkmFilesCollection *c, const char *field)
{
  for (guint i = 0; c != NULL && i < c->indexes->len; i++)
    {
      PkmFilesIndex *index = g_ptr_array_index (c->indexes, i);
      if (g_str_equal (index->field, field))
        return index;
    }
  return NULL;
}

static gboolean
add_existing_key (gpointer key, gpointer value, gpointer data)
{
  PkmFilesIndex *index = data;
  PkmFilesEntry *entry = key;
  GVariant *v = entry->values != NULL
                    ? g_variant_lookup_value (entry->values, index->field, G_VARIANT_TYPE (index->type))
                    : NULL;

  if (v != NULL)
    {
      g_tree_insert (index->entries, pkm_files_key_new (v, entry->id), NULL);
      g_variant_unref (v);
    }
  return FALSE;
}

PkmFilesIndex *
pkm_files_state_add_index (PkmFilesCollection *c, const char *field, const char *type)
{
  PkmFilesIndex *index = g_new0 (PkmFilesIndex, 1);

  index->field = g_strdup (field);
  index->type = g_strdup (type);
  index->entries = g_tree_new_full (compare_keys, NULL, pkm_files_key_free, NULL);
  g_ptr_array_add (c->indexes, index);
  return index;
}

/* Reading the catalog does not build the indexes: most commands read none
 * of them, and a store of 100,000 records opens in half the time. */
void
pkm_files_state_build_index (PkmFilesCollection *c, PkmFilesIndex *index)
{
  if (index->built)
    return;
  g_tree_foreach (c->records, add_existing_key, index);
  index->built = TRUE;
}

void
pkm_files_state_drop_index (PkmFilesCollection *c, PkmFilesIndex *index)
{
  g_ptr_array_remove (c->indexes, index);
}

GVariant *
pkm_files_state_index_values (PkmFilesCollection *c, GVariant *record)
{
  GVariantBuilder builder;
  gboolean any = FALSE;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < c->indexes->len; i++)
    {
      PkmFilesIndex *index = g_ptr_array_index (c->indexes, i);
      GVariant *value = g_variant_lookup_value (record, index->field, G_VARIANT_TYPE (index->type));

      if (value == NULL)
        continue; /* records without the field are not in its index */
      g_variant_builder_add (&builder, "{sv}", index->field, value);
      g_variant_unref (value);
      any = TRUE;
    }
  if (!any)
    {
      g_variant_builder_clear (&builder);
      return NULL;
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

gboolean
pkm_files_state_apply (PkmFilesState *state, const PkmFilesOp *op, const char *path, GError **error)
{
  PkmFilesCollection *c;
  PkmFilesIndex *index;
  gint64 *value;

  switch (op->kind)
    {
    case PKM_FILES_OP_INDEX:
      c = pkm_files_state_collection (state, op->a, TRUE);
      index = pkm_files_state_find_index (c, op->b);
      if (index == NULL)
        pkm_files_state_add_index (c, op->b, op->c);
      else if (!g_str_equal (index->type, op->c))
        return pkm_files_corrupt (path, "an index declared twice with two types", error);
      return TRUE;
    case PKM_FILES_OP_PUT:
    case PKM_FILES_OP_META:
      /* Within a batch a name may pass from one record to another in
       * either order; the record that gave it up comes later in the batch. */
      c = pkm_files_state_collection (state, op->a, TRUE);
      pkm_files_state_attach (state, c, pkm_files_entry_new (op->n1, op->b, op->n2, op->n3, op->values));
      return TRUE;
    case PKM_FILES_OP_REMOVE:
      c = pkm_files_state_collection (state, op->a, TRUE);
      pkm_files_entry_free (pkm_files_state_detach (state, c, op->n1));
      pkm_files_state_set_removed (state, c, op->n1, op->n3);
      return TRUE;
    case PKM_FILES_OP_LAST_ID:
      c = pkm_files_state_collection (state, op->a, TRUE);
      c->last_id = MAX (c->last_id, op->n1);
      c->saved_last_id = MAX (c->saved_last_id, op->n1);
      return TRUE;
    case PKM_FILES_OP_SEQUENCE:
      value = g_new (gint64, 1);
      *value = op->n1;
      g_hash_table_insert (state->sequences, g_strdup (op->a), value);
      return TRUE;
    }
  return pkm_files_corrupt (path, "an unknown entry", error);
}

static PkmFilesOp *
entry_op (PkmFilesCollection *c, const PkmFilesEntry *entry)
{
  PkmFilesOp *op = pkm_files_op_new (PKM_FILES_OP_META, c->name);

  op->b = g_strdup (entry->name);
  op->n1 = entry->id;
  op->n2 = entry->revision;
  op->n3 = entry->cursor;
  op->values = entry->values != NULL ? g_variant_ref (entry->values) : NULL;
  return op;
}

static gboolean
dump_entry (gpointer key, gpointer value, gpointer data)
{
  const PkmFilesEntry *entry = key;
  gpointer *args = data;

  g_ptr_array_add (args[0], entry_op (args[1], entry));
  return FALSE;
}

GPtrArray *
pkm_files_state_dump (PkmFilesState *state)
{
  GPtrArray *ops = g_ptr_array_new_with_free_func (pkm_files_op_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, state->collections);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PkmFilesCollection *c = value;
      PkmFilesOp *op = pkm_files_op_new (PKM_FILES_OP_LAST_ID, c->name);
      gpointer args[] = { ops, c };
      GHashTableIter removed;
      gpointer t;

      op->n1 = c->saved_last_id;
      g_ptr_array_add (ops, op);
      for (guint i = 0; i < c->indexes->len; i++)
        {
          PkmFilesIndex *index = g_ptr_array_index (c->indexes, i);
          op = pkm_files_op_new (PKM_FILES_OP_INDEX, c->name);
          op->b = g_strdup (index->field);
          op->c = g_strdup (index->type);
          g_ptr_array_add (ops, op);
        }
      g_tree_foreach (c->records, dump_entry, args);
      g_hash_table_iter_init (&removed, c->removed);
      while (g_hash_table_iter_next (&removed, NULL, &t))
        {
          op = pkm_files_op_new (PKM_FILES_OP_REMOVE, c->name);
          op->n1 = ((PkmFilesTombstone *) t)->id;
          op->n3 = ((PkmFilesTombstone *) t)->cursor;
          g_ptr_array_add (ops, op);
        }
    }
  g_hash_table_iter_init (&iter, state->sequences);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PkmFilesOp *op = pkm_files_op_new (PKM_FILES_OP_SEQUENCE, key);
      op->n1 = *(gint64 *) value;
      g_ptr_array_add (ops, op);
    }
  return ops;
}

guint64
pkm_files_state_live_ops (PkmFilesState *state)
{
  GHashTableIter iter;
  gpointer value;
  guint64 n = g_hash_table_size (state->sequences);

  g_hash_table_iter_init (&iter, state->collections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PkmFilesCollection *c = value;
      n += 1 + c->indexes->len + (guint64) g_tree_nnodes (c->records) + g_hash_table_size (c->removed);
    }
  return n;
}

char *
pkm_files_record_path (PkmStore *store, PkmFilesCollection *c, gint64 id)
{
  char number[24];

  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, id);
  return g_build_filename (store->dir, "records", c->dir_name, number, NULL);
}
