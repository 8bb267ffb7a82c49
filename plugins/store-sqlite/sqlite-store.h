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
  STMT_FOREACH,
  STMT_COLLECTIONS,
  STMT_COUNT_,
} PkmSqliteStmt;

/* The [store] keys this plugin reads beside "path" (sqlite-config.c). */
typedef struct {
  gint64 lock_timeout;     /* seconds a writer waits for another */
  const char *synchronous; /* the PRAGMA synchronous value: "FULL" unless set */
} PkmSqliteConfig;

struct _PkmStore {
  sqlite3 *db;
  char *path;
  sqlite3_stmt *stmts[STMT_COUNT_];
  gboolean in_transaction;
  PkmSqliteConfig config;
  gint64 wait_started; /* monotonic time the current wait for the lock began */
  gboolean gave_up;    /* the busy handler ran out of lock-timeout */
  gboolean conflicted; /* this transaction lost a write conflict: it can only roll back */
  gboolean next_immediate; /* the re-run after a conflict takes the write lock at BEGIN */
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
gboolean pkm_sqlite_begin (PkmStore *store, gboolean write, GError **error);
gboolean pkm_sqlite_commit (PkmStore *store, GError **error);
void pkm_sqlite_rollback (PkmStore *store);

/* sqlite-records.c */
gint64 pkm_sqlite_insert (PkmStore *store, const char *collection, const char *name, GVariant *record, GError **error);
gboolean pkm_sqlite_update (PkmStore *store, const char *collection, gint64 id, const char *name, GVariant *record,
                            GError **error);
gboolean pkm_sqlite_remove (PkmStore *store, const char *collection, gint64 id, GError **error);
GVariant *pkm_sqlite_get (PkmStore *store, const char *collection, gint64 id, char **out_name, GError **error);
gint64 pkm_sqlite_find (PkmStore *store, const char *collection, const char *name, GError **error);
gboolean pkm_sqlite_foreach (PkmStore *store, const char *collection, PkmStoreForeachFunc func, gpointer user_data,
                             GError **error);
char **pkm_sqlite_list_collections (PkmStore *store, GError **error);

G_END_DECLS
