/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include "sqlite-store.h"

/* The schema as a list of migrations: entry N takes version N to N+1, so a
 * new version is one appended entry. */
static const char *const migrations[] = {
  /* 0 -> 1 */
  "CREATE TABLE records ("
  "  collection TEXT NOT NULL,"
  "  id INTEGER NOT NULL,"
  "  name TEXT,"
  "  data BLOB NOT NULL,"
  "  PRIMARY KEY (collection, id)) WITHOUT ROWID;"
  "CREATE UNIQUE INDEX records_name ON records (collection, name) WHERE name IS NOT NULL;"
  "CREATE TABLE sequences (collection TEXT PRIMARY KEY, last_id INTEGER NOT NULL) WITHOUT ROWID;",
  /* 1 -> 2: store vtable 2: revisions, indexes, named sequences, the change feed */
  "ALTER TABLE records ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;"
  "CREATE TABLE indexes (collection TEXT NOT NULL, field TEXT NOT NULL, type TEXT NOT NULL,"
  "  PRIMARY KEY (collection, field)) WITHOUT ROWID;"
  /* value has no declared type: text stays text, integers integers (BINARY order). */
  "CREATE TABLE index_entries (collection TEXT NOT NULL, field TEXT NOT NULL, value NOT NULL, id INTEGER NOT NULL,"
  "  PRIMARY KEY (collection, field, value, id)) WITHOUT ROWID;"
  "CREATE INDEX index_entries_by_id ON index_entries (collection, id);"
  "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE changes (collection TEXT NOT NULL, id INTEGER NOT NULL, kind INTEGER NOT NULL,"
  "  cursor INTEGER NOT NULL, PRIMARY KEY (collection, id)) WITHOUT ROWID;"
  "CREATE UNIQUE INDEX changes_by_cursor ON changes (cursor);",
};
#define SCHEMA_VERSION ((int) G_N_ELEMENTS (migrations))

static const char *const statement_sql[STMT_COUNT_] = {
  [STMT_NEXT_ID] = "SELECT last_id FROM sequences WHERE collection = ?1",
  [STMT_BUMP_ID] = "INSERT INTO sequences (collection, last_id) VALUES (?1, ?2)"
                   " ON CONFLICT (collection) DO UPDATE SET last_id = excluded.last_id",
  [STMT_INSERT] = "INSERT INTO records (collection, id, name, data) VALUES (?1, ?2, ?3, ?4)",
  [STMT_UPDATE] = "UPDATE records SET name = ?3, data = ?4, revision = revision + 1 WHERE collection = ?1 AND id = ?2",
  [STMT_DELETE] = "DELETE FROM records WHERE collection = ?1 AND id = ?2",
  [STMT_GET] = "SELECT name, data, revision FROM records WHERE collection = ?1 AND id = ?2",
  [STMT_FIND] = "SELECT id FROM records WHERE collection = ?1 AND name = ?2",
  [STMT_COLLECTIONS] = "SELECT DISTINCT collection FROM records ORDER BY collection",
  [STMT_REVISION] = "SELECT revision FROM records WHERE collection = ?1 AND id = ?2",
  [STMT_INDEXES_OF] = "SELECT field, type FROM indexes WHERE collection = ?1",
  [STMT_INDEX_ADD] = "INSERT OR IGNORE INTO index_entries (collection, field, value, id) VALUES (?1, ?2, ?3, ?4)",
  [STMT_INDEX_DROP] = "DELETE FROM index_entries WHERE collection = ?1 AND id = ?2",
  [STMT_INDEX_DECLARE] = "INSERT INTO indexes (collection, field, type) VALUES (?1, ?2, ?3)",
  [STMT_SEQUENCE_GET] = "SELECT value FROM counters WHERE name = ?1",
  [STMT_SEQUENCE_SET] = "INSERT INTO counters (name, value) VALUES (?1, ?2)"
                        " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
  [STMT_CHANGE] = "INSERT INTO changes (collection, id, kind, cursor)"
                  " VALUES (?1, ?2, ?3, (SELECT IFNULL (MAX (cursor), 0) + 1 FROM changes))"
                  " ON CONFLICT (collection, id) DO UPDATE SET kind = excluded.kind, cursor = excluded.cursor",
  [STMT_CURSOR] = "SELECT IFNULL (MAX (cursor), 0) FROM changes",
};

gboolean
pkm_sqlite_fail (PkmStore *store, const char *what, GError **error)
{
  int rc = store->db != NULL ? sqlite3_extended_errcode (store->db) : SQLITE_ERROR;

  return pkm_sqlite_fail_code (store, rc, what, error);
}

sqlite3_stmt *
pkm_sqlite_stmt (PkmStore *store, PkmSqliteStmt which, GError **error)
{
  if (store->stmts[which] == NULL
      && sqlite3_prepare_v3 (store->db, statement_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &store->stmts[which],
                             NULL) != SQLITE_OK)
    {
      pkm_sqlite_fail (store, "prepare", error);
      return NULL;
    }
  return store->stmts[which];
}

static gboolean
exec (PkmStore *store, const char *sql, GError **error)
{
  if (sqlite3_exec (store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return pkm_sqlite_fail (store, sql, error);
  return TRUE;
}

static gboolean
user_version (PkmStore *store, int *out, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (store->db, "PRAGMA user_version", -1, &stmt, NULL);

  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    *out = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW || pkm_sqlite_fail_code (store, rc, "user_version", error);
}

static gboolean
migrate_locked (PkmStore *store, GError **error)
{
  int version = 0;

  if (!user_version (store, &version, error))
    return FALSE;
  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED,
                   "store-sqlite: %s: schema version %d is newer than this pkiman (%d)", store->path, version,
                   SCHEMA_VERSION);
      return FALSE;
    }
  for (int v = MAX (version, 0); v < SCHEMA_VERSION; v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", v + 1);
      if (!exec (store, migrations[v], error) || !exec (store, bump, error))
        return FALSE;
    }
  return TRUE;
}

/* Most opens find the schema current: that is read without the write lock,
 * so a reader never waits for a writer just to start. */
static gboolean
migrate (PkmStore *store, GError **error)
{
  int version = 0;

  if (!user_version (store, &version, error))
    return FALSE;
  if (version == SCHEMA_VERSION)
    return TRUE;
  if (!exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!migrate_locked (store, error))
    {
      exec (store, "ROLLBACK", NULL);
      return FALSE;
    }
  return exec (store, "COMMIT", error);
}

/* The database and its WAL hold sealed keys and the audit log: owner only. */
static void
restrict_modes (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_chmod (file, 0600);
    }
}

/* WAL: readers never block the writer. synchronous=FULL: the WAL is synced
 * at every commit, so a command that has returned survives a power cut.
 * page_size (a new store only; WAL fixes it at creation): 16 KiB, so a
 * certificate's record (1.8 KB with an EC key, 3 KB with RSA-4096) stays in
 * its leaf. The records table is WITHOUT ROWID, whose cells spill past a
 * quarter of a page: at 4 KiB every certificate took an overflow page of
 * its own, doubling the file and the pages a list reads (docs/PERFORMANCE.md
 * has what it costs a commit).
 * mmap_size: pages are read in place from the page cache (a print of
 * 10,000 certificates made 12,000 pread calls and copies without it); it
 * is address space only, and the file beyond it is read as before. */
static int
configure (PkmStore *store)
{
  g_autofree char *pragmas = g_strdup_printf (
      "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA foreign_keys=ON;"
      " PRAGMA mmap_size=1073741824", store->config.synchronous);

  sqlite3_extended_result_codes (store->db, 1);
  pkm_sqlite_watch_locks (store);
  return sqlite3_exec (store->db, pragmas, NULL, NULL, NULL);
}

PkmStore *
pkm_sqlite_open (const char *state_dir, GKeyFile *config, GError **error)
{
  PkmStore *store = g_new0 (PkmStore, 1);
  g_autofree char *configured = config != NULL ? g_key_file_get_string (config, "store", "path", NULL) : NULL;
  mode_t old_umask;
  int rc;

  if (!pkm_sqlite_config_parse (config, &store->config, error))
    {
      g_free (store);
      return NULL;
    }
  if (g_mkdir_with_parents (state_dir, 0700) != 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-sqlite: %s: %s", state_dir, g_strerror (errno));
      g_free (store);
      return NULL;
    }
  store->path = configured != NULL && *configured != '\0' ? g_steal_pointer (&configured)
                                                          : g_build_filename (state_dir, "pkiman.db", NULL);
  old_umask = umask (077);
  rc = sqlite3_open_v2 (store->path, &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc == SQLITE_OK)
    rc = configure (store);
  umask (old_umask);
  if (rc != SQLITE_OK)
    {
      if (store->db != NULL)
        pkm_sqlite_fail_code (store, rc, store->path, error);
      else
        g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-sqlite: %s: %s", store->path,
                     sqlite3_errstr (rc));
      pkm_sqlite_close (store);
      return NULL;
    }
  if (!migrate (store, error))
    {
      pkm_sqlite_close (store);
      return NULL;
    }
  restrict_modes (store->path);
  /* A call on the transaction after it ended finds its store, and says so. */
  store->txn.store = store;
  return store;
}

void
pkm_sqlite_close (PkmStore *store)
{
  if (store == NULL)
    return;
  for (guint i = 0; i < STMT_COUNT_; i++)
    sqlite3_finalize (store->stmts[i]);
  sqlite3_close (store->db);
  g_free (store->path);
  g_free (store);
}
