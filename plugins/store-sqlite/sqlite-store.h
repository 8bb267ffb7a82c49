/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sqlite3.h>
#include <pkiman/pkiman.h>

G_BEGIN_DECLS

/* Statements prepared once per connection and reset after each use: the
 * benchmark runs thousands of commands in one process. */
typedef enum {
  STMT_NEXT_ID,
  STMT_BUMP_ID,
  STMT_INSERT,
  STMT_UPDATE,
  STMT_DELETE,
  STMT_GET,
  STMT_FIND,
  STMT_COLLECTIONS,
  STMT_REVISION,
  STMT_INDEXES_OF,
  STMT_INDEX_ADD,
  STMT_INDEX_DROP,
  STMT_INDEX_DECLARE,
  STMT_SEQUENCE_GET,
  STMT_SEQUENCE_SET,
  STMT_CHANGE,
  STMT_CURSOR,
  STMT_COUNT_,
} PkmSqliteStmt;

/* The [store] keys this plugin reads beside "path" (sqlite-config.c). */
typedef struct {
  gint64 lock_timeout;     /* seconds a writer waits for another */
  const char *synchronous; /* the PRAGMA synchronous value: "FULL" unless set */
} PkmSqliteConfig;

/* The indexed fields of one collection, read once per transaction. */
typedef struct {
  char *field;
  char *type; /* GVariant type string */
} PkmSqliteIndex;

struct _PkmStoreTxn {
  PkmStore *store;
  PkmStoreTxnFlags flags;
  GHashTable *indexes; /* collection -> GPtrArray of PkmSqliteIndex, filled on demand */
};

struct _PkmStore {
  sqlite3 *db;
  char *path;
  sqlite3_stmt *stmts[STMT_COUNT_];
  gboolean in_transaction;
  PkmStoreTxn txn; /* the one open transaction (in_transaction) */
  PkmSqliteConfig config;
  gint64 wait_started; /* monotonic time the current wait for the lock began */
  gboolean gave_up;    /* the busy handler ran out of lock-timeout */
  gboolean conflicted; /* this transaction lost a write conflict: it can only roll back */
};

/* sqlite-config.c: FALSE and a one-line error naming the key for a bad value. */
gboolean pkm_sqlite_config_parse (GKeyFile *config, PkmSqliteConfig *out, GError **error);

/* sqlite-lock.c */
/* Installs the busy handler: waits for another writer, saying so, up to lock-timeout. */
void pkm_sqlite_watch_locks (PkmStore *store);
/* The error for a failed call whose result code was @rc (an extended code). */
gboolean pkm_sqlite_fail_code (PkmStore *store, int rc, const char *what, GError **error);
/* Always FALSE: PKM_ERROR_CONFLICT, the command must run again. */
gboolean pkm_sqlite_conflict (GError **error);

/* sqlite-open.c */
PkmStore *pkm_sqlite_open (const char *state_dir, GKeyFile *config, GError **error);
void pkm_sqlite_close (PkmStore *store);
gboolean pkm_sqlite_fail (PkmStore *store, const char *what, GError **error);
sqlite3_stmt *pkm_sqlite_stmt (PkmStore *store, PkmSqliteStmt which, GError **error);

/* sqlite-txn.c */
PkmStoreTxn *pkm_sqlite_begin (PkmStore *store, PkmStoreTxnFlags flags, GError **error);
gboolean pkm_sqlite_commit (PkmStoreTxn *txn, GError **error);
void pkm_sqlite_rollback (PkmStoreTxn *txn);
/* FALSE and an error unless @txn may write now. */
gboolean pkm_sqlite_check_writable (PkmStoreTxn *txn, GError **error);
/* Steps a statement that returns no row, then resets it; PKM_ERROR_EXISTS
 * (naming @collection and @name) for a constraint. */
gboolean pkm_sqlite_step_done (PkmStore *store, sqlite3_stmt *stmt, const char *collection, const char *name,
                               const char *what, GError **error);

/* sqlite-records.c */
gint64 pkm_sqlite_insert (PkmStoreTxn *txn, const char *collection, const char *name, GVariant *record,
                          GError **error);
gint64 pkm_sqlite_update (PkmStoreTxn *txn, const char *collection, gint64 id, const char *name, GVariant *record,
                          gint64 expected_revision, GError **error);
gboolean pkm_sqlite_remove (PkmStoreTxn *txn, const char *collection, gint64 id, gint64 expected_revision,
                            GError **error);
GVariant *pkm_sqlite_get (PkmStoreTxn *txn, const char *collection, gint64 id, char **out_name, gint64 *out_revision,
                          GError **error);
gint64 pkm_sqlite_find (PkmStoreTxn *txn, const char *collection, const char *name, GError **error);
char **pkm_sqlite_list_collections (PkmStoreTxn *txn, GError **error);
/* Binds @size bytes (a copy), an empty blob for none. */
void pkm_sqlite_bind_bytes (sqlite3_stmt *stmt, int column, const void *data, gsize size,
                            sqlite3_destructor_type destructor);
/* (transfer full): the a{sv} stored in @column of @stmt's row. */
GVariant *pkm_sqlite_column_record (sqlite3_stmt *stmt, int column);

/* sqlite-index.c */
gboolean pkm_sqlite_declare_index (PkmStoreTxn *txn, const char *collection, const char *field,
                                   const char *type_string, GError **error);
/* Writes (or, with @record NULL, drops) the index entries of record @id. */
gboolean pkm_sqlite_index_record (PkmStoreTxn *txn, const char *collection, gint64 id, GVariant *record,
                                  GError **error);
gboolean pkm_sqlite_query (PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query,
                           PkmStoreRowFunc func, gpointer user_data, GError **error);
gboolean pkm_sqlite_count (PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query, guint64 *out_count,
                           GError **error);
void pkm_sqlite_index_free (gpointer index);

/* sqlite-feed.c: sequences and the change feed */
gint64 pkm_sqlite_next_sequence (PkmStoreTxn *txn, const char *name, GError **error);
/* Records that @id of @collection changed, at the next cursor. */
gboolean pkm_sqlite_note_change (PkmStoreTxn *txn, const char *collection, gint64 id, PkmStoreChange change,
                                 GError **error);
gint64 pkm_sqlite_current_cursor (PkmStoreTxn *txn, GError **error);
gboolean pkm_sqlite_changes_since (PkmStoreTxn *txn, gint64 cursor, PkmStoreChangeFunc func, gpointer user_data,
                                   GError **error);

G_END_DECLS
