/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sequences and the change feed. Each record ever changed keeps one feed
 * entry, its latest change at its cursor (a removed record as a tombstone),
 * as store-sqlite's changes table does; the kind of change follows from the
 * entry: gone is removed, revision 1 inserted, any later revision updated. */
#include "files-store.h"

gint64
pkm_files_next_sequence (PkmStoreTxn *txn, const char *name, GError **error)
{
  GHashTable *sequences;
  gint64 *value;

  if (!pkm_files_check_txn (txn, TRUE, error))
    return 0;
  sequences = txn->store->state->sequences;
  value = g_hash_table_lookup (sequences, name);
  /* The value before this transaction, for rollback (0: there was none). */
  if (!g_hash_table_contains (txn->sequences_before, name))
    {
      gint64 *before = g_new (gint64, 1);
      *before = value != NULL ? *value : 0;
      g_hash_table_insert (txn->sequences_before, g_strdup (name), before);
    }
  if (value == NULL)
    {
      value = g_new0 (gint64, 1);
      g_hash_table_insert (sequences, g_strdup (name), value);
    }
  return ++*value;
}

gint64
pkm_files_current_cursor (PkmStoreTxn *txn, GError **error)
{
  if (!pkm_files_check_txn (txn, FALSE, error))
    return -1;
  return txn->store->state->cursor;
}

gboolean
pkm_files_changes_since (PkmStoreTxn *txn, gint64 cursor, PkmStoreChangeFunc func, gpointer user_data,
                         GError **error)
{
  PkmFilesChange probe = { .cursor = cursor < G_MAXINT64 ? cursor + 1 : G_MAXINT64 };
  GTreeNode *node;

  if (!pkm_files_check_txn (txn, FALSE, error))
    return FALSE;
  for (node = g_tree_lower_bound (txn->store->state->feed, &probe); node != NULL; node = g_tree_node_next (node))
    {
      const PkmFilesChange *change = g_tree_node_key (node);
      const PkmFilesEntry *entry = pkm_files_state_lookup (change->collection, change->id);
      PkmStoreChange kind = entry == NULL           ? PKM_STORE_CHANGE_REMOVED
                            : entry->revision == 1 ? PKM_STORE_CHANGE_INSERTED
                                                   : PKM_STORE_CHANGE_UPDATED;

      if (change->cursor <= cursor)
        continue;
      if (!func (change->cursor, change->collection->name, change->id, kind, user_data))
        break;
    }
  return TRUE;
}
