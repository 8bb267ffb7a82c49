/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A store that breaks one rule, for the conformance suite to name: this is
 * store-sqlite, except that a successful insert sets an error beside the id
 * it returns. The suite must report error-contract. */
#include "sqlite-store.h"

static gint64
error_on_success_insert (PkmStoreTxn *txn, const char *collection, const char *name, GVariant *record,
                         GError **error)
{
  gint64 id = pkm_sqlite_insert (txn, collection, name, record, error);

  /* The broken rule: a call that succeeds leaves its error untouched. */
  if (id > 0)
    g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED,
                 "store-error-on-success: %s %" G_GINT64_FORMAT " inserted, and this error besides",
                 collection, id);
  return id;
}

static const PkmStoreVTable vtable = {
  .version = PKM_STORE_VTABLE_VERSION,
  .struct_size = sizeof (PkmStoreVTable),
  .open = pkm_sqlite_open,
  .close = pkm_sqlite_close,
  .begin = pkm_sqlite_begin,
  .commit = pkm_sqlite_commit,
  .rollback = pkm_sqlite_rollback,
  .insert = error_on_success_insert,
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

PKM_PLUGIN_DEFINE (PKM_PLUGIN_KIND_STORE, "store-error-on-success", "0",
                   "store-sqlite whose insert sets an error when it succeeds", &vtable, NULL, NULL, NULL)
