/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A store that breaks one rule, for the conformance suite to name: this is
 * store-sqlite, except that removing the newest record hands its id out
 * again, as a table without AUTOINCREMENT does with its rowids. The suite
 * must report ids-not-reused-after-remove. */
#include "sqlite-store.h"

static gboolean
reuses_ids_remove (PkmStoreTxn *txn, const char *collection, gint64 id, gint64 expected_revision,
                   GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!pkm_sqlite_remove (txn, collection, id, expected_revision, error))
    return FALSE;
  /* The broken rule: the collection's last id steps back over the freed one. */
  if (sqlite3_prepare_v2 (txn->store->db,
                          "UPDATE sequences SET last_id = last_id - 1 WHERE collection = ?1 AND last_id = ?2",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return pkm_sqlite_fail (txn->store, "reuse", error);
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || pkm_sqlite_fail_code (txn->store, rc, "reuse", error);
}

static const PkmStoreVTable vtable = {
  .version = PKM_STORE_VTABLE_VERSION,
  .struct_size = sizeof (PkmStoreVTable),
  .open = pkm_sqlite_open,
  .close = pkm_sqlite_close,
  .begin = pkm_sqlite_begin,
  .commit = pkm_sqlite_commit,
  .rollback = pkm_sqlite_rollback,
  .insert = pkm_sqlite_insert,
  .update = pkm_sqlite_update,
  .remove = reuses_ids_remove,
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

PKM_PLUGIN_DEFINE (PKM_PLUGIN_KIND_STORE, "store-reuses-ids", "0",
                   "store-sqlite that reuses the newest id once freed", &vtable, NULL, NULL, NULL)
