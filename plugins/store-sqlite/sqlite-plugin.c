/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store-sqlite: the embedded default store. Descriptor and vtable only. */
#include "sqlite-store.h"

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

static const char *const config_keys[] = { "path", "lock-timeout", "synchronous", NULL };

PKM_PLUGIN_DEFINE (PKM_PLUGIN_KIND_STORE, "store-sqlite", "0.1.0", "the embedded SQLite store (WAL, versioned schema)",
                   &vtable, config_keys, NULL, NULL)
