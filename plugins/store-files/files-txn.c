/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Transactions. A read transaction holds the lock shared from begin to end;
 * a write transaction holds it exclusive from begin to end. The header lets
 * a store take the write lock at the first write instead; this store takes
 * it at begin because then nothing another process commits can come between
 * what a writer reads and what it writes, so a writer never has to find out
 * that its snapshot went stale, and LOCK_NOW asks for nothing more. The cost:
 * a write command's slow steps (key generation) hold the lock, and readers
 * wait for a writer.
 *
 * A write transaction changes the catalog in memory as it goes (so it reads
 * its own writes, and queries see them) and keeps, for each record it
 * changes, the record's new bytes and how its entry was before. Commit turns
 * that into ops for the journal (files-journal.c); rollback puts the entries
 * back. Ids a rolled-back transaction took stay spent: rollback writes the
 * collection's last id (a journal of only that), so no id is handed out
 * twice, not even after a crash. */
#include <sys/file.h>
#include "files-store.h"

static guint
touched_hash (gconstpointer data)
{
  const PkmFilesTouched *t = data;

  return g_direct_hash (t->collection) ^ g_int64_hash (&t->id);
}

static gboolean
touched_equal (gconstpointer a, gconstpointer b)
{
  const PkmFilesTouched *x = a, *y = b;

  return x->collection == y->collection && x->id == y->id;
}

static void
touched_free (gpointer data)
{
  PkmFilesTouched *t = data;

  pkm_files_entry_free (t->before);
  g_clear_pointer (&t->data, g_variant_unref);
  g_free (t);
}

/* The journal was found with the lock shared: replaying it takes the lock
 * exclusive, then the transaction takes the lock it wants again. */
static gboolean
take_snapshot (PkmStore *store, int mode, GError **error)
{
  for (;;)
    {
      if (!pkm_files_lock (store, mode, error))
        return FALSE;
      if (!pkm_files_journal_present (store))
        break;
      if (!pkm_files_lock (store, LOCK_EX, error) || !pkm_files_journal_recover (store, error))
        return FALSE;
    }
  return pkm_files_catalog_refresh (store, FALSE, error);
}

PkmStoreTxn *
pkm_files_begin (PkmStore *store, PkmStoreTxnFlags flags, GError **error)
{
  PkmStoreTxn *txn = &store->txn;

  if (store->crashed)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-files: the store crashed; close it");
      return NULL;
    }
  if (store->in_transaction)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-files: a transaction is already open");
      return NULL;
    }
  if (!take_snapshot (store, (flags & PKM_STORE_TXN_WRITE) ? LOCK_EX : LOCK_SH, error))
    {
      pkm_files_unlock (store);
      return NULL;
    }
  *txn = (PkmStoreTxn) { .store = store, .flags = flags, .cursor_before = store->state->cursor };
  if (flags & PKM_STORE_TXN_WRITE)
    {
      txn->touched = g_hash_table_new_full (touched_hash, touched_equal, touched_free, NULL);
      txn->touched_order = g_ptr_array_new ();
      txn->sequences_before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      txn->declared = g_ptr_array_new ();
      txn->declared_in = g_ptr_array_new ();
    }
  store->in_transaction = TRUE;
  return txn;
}

static void
end (PkmStoreTxn *txn)
{
  g_clear_pointer (&txn->touched_order, g_ptr_array_unref);
  g_clear_pointer (&txn->touched, g_hash_table_unref);
  g_clear_pointer (&txn->sequences_before, g_hash_table_unref);
  g_clear_pointer (&txn->declared, g_ptr_array_unref);
  g_clear_pointer (&txn->declared_in, g_ptr_array_unref);
  txn->store->in_transaction = FALSE;
  if (!txn->store->crashed)
    pkm_files_unlock (txn->store);
}

gboolean
pkm_files_check_txn (PkmStoreTxn *txn, gboolean write, GError **error)
{
  if (txn == NULL || txn != &txn->store->txn || !txn->store->in_transaction)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-files: %s outside a transaction",
                   write ? "a change" : "a call");
      return FALSE;
    }
  if (write && !(txn->flags & PKM_STORE_TXN_WRITE))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-files: a change in a read transaction");
      return FALSE;
    }
  return TRUE;
}

PkmFilesTouched *
pkm_files_txn_touch (PkmStoreTxn *txn, PkmFilesCollection *c, gint64 id)
{
  PkmFilesTouched probe = { .collection = c, .id = id };
  PkmFilesTouched *t = g_hash_table_lookup (txn->touched, &probe);
  PkmFilesEntry *entry;

  if (t != NULL)
    return t;
  t = g_new0 (PkmFilesTouched, 1);
  t->collection = c;
  t->id = id;
  entry = pkm_files_state_lookup (c, id);
  t->before = entry != NULL ? pkm_files_entry_copy (entry) : NULL;
  t->before_removed = pkm_files_state_removed (c, id);
  g_hash_table_add (txn->touched, t);
  g_ptr_array_add (txn->touched_order, t);
  return t;
}

/* The last id of each collection that went past what the catalog holds. */
static void
add_last_ids (PkmFilesState *state, GPtrArray *ops)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, state->collections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PkmFilesCollection *c = value;
      if (c->last_id > c->saved_last_id)
        {
          PkmFilesOp *op = pkm_files_op_new (PKM_FILES_OP_LAST_ID, c->name);
          op->n1 = c->last_id;
          g_ptr_array_add (ops, op);
        }
    }
}

/* Each changed record once, as it is now: absolute states, so the order of
 * records in the journal does not matter (files-state.c takes a name that
 * passes from one record to another in either order). */
static GPtrArray *
build_ops (PkmStoreTxn *txn)
{
  PkmFilesState *state = txn->store->state;
  GPtrArray *ops = g_ptr_array_new_with_free_func (pkm_files_op_free);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < txn->declared->len; i++)
    {
      PkmFilesCollection *c = g_ptr_array_index (txn->declared_in, i);
      PkmFilesIndex *index = g_ptr_array_index (txn->declared, i);
      PkmFilesOp *op = pkm_files_op_new (PKM_FILES_OP_INDEX, c->name);

      op->b = g_strdup (index->field);
      op->c = g_strdup (index->type);
      g_ptr_array_add (ops, op);
    }
  for (guint i = 0; i < txn->touched_order->len; i++)
    {
      PkmFilesTouched *t = g_ptr_array_index (txn->touched_order, i);
      PkmFilesEntry *entry = pkm_files_state_lookup (t->collection, t->id);
      PkmFilesOp *op;

      if (entry != NULL)
        {
          op = pkm_files_op_new (t->data != NULL ? PKM_FILES_OP_PUT : PKM_FILES_OP_META, t->collection->name);
          op->b = g_strdup (entry->name);
          op->n2 = entry->revision;
          op->n3 = entry->cursor;
          op->values = entry->values != NULL ? g_variant_ref (entry->values) : NULL;
          op->data = t->data != NULL ? g_variant_ref (t->data) : NULL;
        }
      else
        {
          op = pkm_files_op_new (PKM_FILES_OP_REMOVE, t->collection->name);
          op->n3 = pkm_files_state_removed (t->collection, t->id);
        }
      op->n1 = t->id;
      g_ptr_array_add (ops, op);
    }
  add_last_ids (state, ops);
  g_hash_table_iter_init (&iter, txn->sequences_before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PkmFilesOp *op = pkm_files_op_new (PKM_FILES_OP_SEQUENCE, key);
      gint64 *now = g_hash_table_lookup (state->sequences, key);

      op->n1 = now != NULL ? *now : 0;
      g_ptr_array_add (ops, op);
    }
  return ops;
}

/* Puts every entry this transaction changed back as it was: first all out,
 * then the old ones in, so that a name two records swapped finds its owner. */
static void
undo (PkmStoreTxn *txn)
{
  PkmFilesState *state = txn->store->state;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < txn->touched_order->len; i++)
    {
      PkmFilesTouched *t = g_ptr_array_index (txn->touched_order, i);
      pkm_files_entry_free (pkm_files_state_detach (state, t->collection, t->id));
      pkm_files_state_set_removed (state, t->collection, t->id, 0);
    }
  for (guint i = 0; i < txn->touched_order->len; i++)
    {
      PkmFilesTouched *t = g_ptr_array_index (txn->touched_order, i);
      if (t->before != NULL)
        pkm_files_state_attach (state, t->collection, g_steal_pointer (&t->before));
      if (t->before_removed > 0)
        pkm_files_state_set_removed (state, t->collection, t->id, t->before_removed);
    }
  for (guint i = txn->declared->len; i > 0; i--)
    pkm_files_state_drop_index (g_ptr_array_index (txn->declared_in, i - 1), g_ptr_array_index (txn->declared, i - 1));
  g_hash_table_iter_init (&iter, txn->sequences_before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(gint64 *) value == 0)
      g_hash_table_remove (state->sequences, key);
    else
      {
        gint64 *before = g_new (gint64, 1);
        *before = *(gint64 *) value;
        g_hash_table_insert (state->sequences, g_strdup (key), before);
      }
  state->cursor = txn->cursor_before;
}

/* A commit that failed after its commit point is committed all the same:
 * the journal is there and the next transaction (here or elsewhere)
 * finishes applying it. The catalog is read afresh then. */
static void
applied_later (PkmStore *store, GError *local)
{
  g_warning ("%s; the change is committed and is applied at the next use of the store", local->message);
  pkm_files_catalog_stale (store);
}

/* Rollback's write of the ids the transaction spent. */
static void
save_spent_ids (PkmStore *store)
{
  g_autoptr (GPtrArray) ops = g_ptr_array_new_with_free_func (pkm_files_op_free);
  g_autoptr (GError) local = NULL;
  gboolean durable = FALSE;

  add_last_ids (store->state, ops);
  if (ops->len == 0 || pkm_files_journal_commit (store, ops, &durable, &local) || store->crashed)
    return;
  if (durable)
    applied_later (store, local);
  else
    g_warning ("%s; ids the rolled-back transaction took may be handed out again after a restart",
               local->message);
}

gboolean
pkm_files_commit (PkmStoreTxn *txn, GError **error)
{
  PkmStore *store = txn != NULL ? txn->store : NULL;
  g_autoptr (GPtrArray) ops = NULL;
  GError *local = NULL;
  gboolean durable = FALSE;

  if (store == NULL || txn != &store->txn || !store->in_transaction)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-files: commit without a transaction");
      return FALSE;
    }
  if (!(txn->flags & PKM_STORE_TXN_WRITE))
    {
      end (txn);
      return TRUE;
    }
  ops = build_ops (txn);
  if (ops->len > 0 && !pkm_files_journal_commit (store, ops, &durable, &local))
    {
      if (store->crashed)
        {
          end (txn);
          g_propagate_error (error, local);
          return FALSE;
        }
      if (!durable)
        {
          undo (txn);
          save_spent_ids (store);
          end (txn);
          g_propagate_error (error, local);
          return FALSE;
        }
      applied_later (store, local);
      g_error_free (local);
    }
  end (txn);
  return TRUE;
}

void
pkm_files_rollback (PkmStoreTxn *txn)
{
  PkmStore *store = txn != NULL ? txn->store : NULL;

  if (store == NULL || txn != &store->txn || !store->in_transaction)
    return;
  if ((txn->flags & PKM_STORE_TXN_WRITE) && !store->crashed)
    {
      undo (txn);
      save_spent_ids (store);
    }
  end (txn);
}
