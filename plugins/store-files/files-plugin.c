/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store-files: a directory of record files. Descriptor and vtable only. */
#include "files-store.h"

static const PkmStoreVTable vtable = {
  .version = PKM_STORE_VTABLE_VERSION,
  .struct_size = sizeof (PkmStoreVTable),
  .open = pkm_files_open,
  .close = pkm_files_close,
  .begin = pkm_files_begin,
  .commit = pkm_files_commit,
  .rollback = pkm_files_rollback,
  .insert = pkm_files_insert,
  .update = pkm_files_update,
  .remove = pkm_files_remove,
  .get = pkm_files_get,
  .find = pkm_files_find,
  .query = pkm_files_query,
  .count = pkm_files_count,
  .list_collections = pkm_files_list_collections,
  .declare_index = pkm_files_declare_index,
  .next_sequence = pkm_files_next_sequence,
  .current_cursor = pkm_files_current_cursor,
  .changes_since = pkm_files_changes_since,
};

static const char *const config_keys[] = { "path", "lock-timeout", NULL };

PKM_PLUGIN_DEFINE (PKM_PLUGIN_KIND_STORE, "store-files", "0.1.0",
                   "a directory of record files (atomic rename, fsync, lock file)", &vtable, config_keys, NULL, NULL)
