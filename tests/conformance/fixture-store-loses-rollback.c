/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A store that breaks one rule, for the conformance suite to name: this is
 * store-sqlite, except that rollback commits. The suite must report
 * rollback-leaves-nothing. */
#include "sqlite-store.h"

static void
loses_rollback (PkmStoreTxn *txn)
{
  /* The broken rule: what the transaction wrote is kept. A commit that
   * fails has rolled back already. */
  if (txn->store->in_transaction)
    pkm_sqlite_commit (txn, NULL);
}

static const PkmStoreVTable vtable = {
  .version = PKM_STORE_VTABLE_VERSION,
  .struct_size = sizeof (PkmStoreVTable),
  .open = pkm_sqlite_open,
  .close = pkm_sqlite_close,
  .begin = pkm_sqlite_begin,
  .commit = pkm_sqlite_commit,
  .rollback = loses_rollback,
  .insert = pkm_sqlite_insert,
  .update = pkm_sqlite_update,
  .remove = pkm_sqlite_remove,
  .get = pkm_sqlite_get,
  .find = pkm_sqlite_find,
  .query = pkm_sqlite_query,
  .count = pkm_sqlite_count,
  .list_collections = pkm_sqlite_list_collections,
  .declare_index = pkm_sqlite_declare_index,
  .next_sequence = pkm_sqlite_next_sequence,
  .current_cursor = pkm_sqlite_current_cursor,
  .changes_since = pkm_sqlite_changes_since,
};

PKM_PLUGIN_DEFINE (PKM_PLUGIN_KIND_STORE, "store-loses-rollback", "0", "store-sqlite whose rollback commits",
                   &vtable, NULL, NULL, NULL)
