/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store-faulty: store-sqlite with one injected failure, for tests/faults/faults.sh.
 *
 * PKIMAN_FAULT=<kind>:<N> makes the Nth event of <kind> in this process fail:
 *   write   a store write call (insert, update, remove, next_sequence, and a
 *           declare_index that adds an index): PKM_ERROR_STORE_FAILED
 *   commit  a commit: rolled back, PKM_ERROR_STORE_FAILED
 *   sync    an xSync of any file of the database: SQLITE_IOERR_FSYNC
 *   io      an xWrite to any file of the database: SQLITE_IOERR_WRITE
 * The last two come from a VFS shim registered as SQLite's default, so they
 * reach the store the way a failing disk would: through SQLite, whose error
 * store-sqlite turns into its own message.
 *
 * PKIMAN_FAULT_REPORT=<file>: at close, one line per kind, "<kind> <events>
 * <events-while-closing>", so the walk knows when N has passed the last
 * event and which events came after the last commit (the checkpoint SQLite
 * runs when it closes); then "unsynced-commit 1" when the injected failure
 * was a sync of the WAL after a commit frame was written to it, else 0.
 *
 * PKIMAN_FAULT_EXIT=<status>: once a failure was injected, close does not
 * close: the process ends with _exit (<status>), as if killed after it
 * reported the error, and leaves SQLite's files as they are (no checkpoint,
 * the WAL not removed), for the next open to recover.
 *
 * store-sqlite's logic is linked in (store_sqlite_lib) rather than its
 * module dlopen'ed: the calls are direct, the module needs no path to the
 * other one, and declare_index can ask the same connection (PkmStore.db)
 * whether an index is new before it counts the call as a write. Only one
 * store module is ever loaded, and both keep their symbols local, so the two
 * copies of the logic never meet. */
#include <unistd.h>
#include "sqlite-store.h"

typedef enum {
  FAULT_WRITE,
  FAULT_COMMIT,
  FAULT_SYNC,
  FAULT_IO,
  FAULT_KINDS,
} FaultKind;

static const char *const kind_names[FAULT_KINDS] = { "write", "commit", "sync", "io" };

/* Process-wide, as the events are: a process that opened the store twice
 * still fails at its Nth event, not at each store's. */
static struct {
  gboolean parsed;
  int kind; /* a FaultKind, or -1: count only */
  guint64 at;
  guint64 seen[FAULT_KINDS];
  guint64 seen_closing[FAULT_KINDS];
  gboolean closing;
  gboolean fired;           /* the failure was injected */
  gboolean commit_unsynced; /* a commit frame went to the WAL, and no sync of the WAL since */
  gboolean unsynced_commit; /* the injected failure was a sync of the WAL while commit_unsynced */
} faults = { .kind = -1 };

/* Counts one event of @kind; TRUE when it is the one to fail. */
static gboolean
fault_hit (FaultKind kind)
{
  faults.seen[kind]++;
  if (faults.closing)
    faults.seen_closing[kind]++;
  if (faults.kind != (int) kind || faults.seen[kind] != faults.at)
    return FALSE;
  faults.fired = TRUE;
  return TRUE;
}

static gboolean
injected (FaultKind kind, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED,
               "store-faulty: injected failure at %s %" G_GUINT64_FORMAT, kind_names[kind],
               faults.seen[kind]);
  return FALSE;
}

static gboolean
parse_fault (GError **error)
{
  const char *spec = g_getenv ("PKIMAN_FAULT");
  g_auto (GStrv) parts = NULL;

  if (faults.parsed)
    return TRUE;
  if (spec != NULL && *spec != '\0')
    {
      guint64 at = 0;
      int kind = -1;

      parts = g_strsplit (spec, ":", 2);
      for (int k = 0; k < FAULT_KINDS; k++)
        if (g_strcmp0 (parts[0], kind_names[k]) == 0)
          kind = k;
      if (kind < 0 || parts[1] == NULL
          || !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT64, &at, NULL))
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED,
                       "store-faulty: PKIMAN_FAULT=%s: expected write:N, commit:N, sync:N or io:N (N from 1)",
                       spec);
          return FALSE;
        }
      faults.kind = kind;
      faults.at = at;
    }
  faults.parsed = TRUE;
  return TRUE;
}

static void
write_report (void)
{
  const char *path = g_getenv ("PKIMAN_FAULT_REPORT");
  g_autoptr (GString) text = g_string_new (NULL);

  if (path == NULL || *path == '\0')
    return;
  for (int k = 0; k < FAULT_KINDS; k++)
    g_string_append_printf (text, "%s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n", kind_names[k],
                            faults.seen[k], faults.seen_closing[k]);
  g_string_append_printf (text, "unsynced-commit %d\n", faults.unsynced_commit ? 1 : 0);
  /* No way to report a failure from close: the walk finds the file missing. */
  g_file_set_contents (path, text->str, (gssize) text->len, NULL);
}

/* -- The VFS shim: the default unix VFS, with xSync and xWrite counted -- */

typedef struct {
  sqlite3_file base;
  sqlite3_file *real; /* the unix VFS's file, allocated right after this struct */
  gboolean wal;       /* a WAL file (SQLITE_OPEN_WAL) */
} FaultyFile;

/* The WAL format (sqlite.org/fileformat2.html#walformat): a 32-byte header,
 * then frames, each a 24-byte header and a page. SQLite writes a frame's
 * header on its own; bytes 4..7, big-endian, are the database size in pages
 * for the frame that commits a transaction, 0 for the others. */
#define WAL_HEADER_SIZE 32
#define WAL_FRAME_HEADER_SIZE 24

static gboolean
is_commit_frame_header (const FaultyFile *file, const void *buf, int amount, sqlite3_int64 offset)
{
  const guint8 *b = buf;

  return file->wal && amount == WAL_FRAME_HEADER_SIZE && offset >= WAL_HEADER_SIZE
         && (b[4] | b[5] | b[6] | b[7]) != 0;
}

static sqlite3_vfs *real_vfs;

#define REAL(f) (((FaultyFile *) (f))->real)

static int
faulty_close (sqlite3_file *f)
{
  return REAL (f)->pMethods->xClose (REAL (f));
}

static int
faulty_read (sqlite3_file *f, void *buf, int amount, sqlite3_int64 offset)
{
  return REAL (f)->pMethods->xRead (REAL (f), buf, amount, offset);
}

static int
faulty_write (sqlite3_file *f, const void *buf, int amount, sqlite3_int64 offset)
{
  int rc;

  /* Nothing is written: a write that failed at once, as for EIO. */
  if (fault_hit (FAULT_IO))
    return SQLITE_IOERR_WRITE;
  rc = REAL (f)->pMethods->xWrite (REAL (f), buf, amount, offset);
  if (rc == SQLITE_OK && is_commit_frame_header ((FaultyFile *) f, buf, amount, offset))
    faults.commit_unsynced = TRUE;
  return rc;
}

static int
faulty_truncate (sqlite3_file *f, sqlite3_int64 size)
{
  return REAL (f)->pMethods->xTruncate (REAL (f), size);
}

static int
faulty_sync (sqlite3_file *f, int flags)
{
  /* The data may or may not have reached the disk: as Linux reports a
   * failed fsync, SQLite can assume neither. Here it did not sync at all. */
  FaultyFile *self = (FaultyFile *) f;
  int rc;

  if (fault_hit (FAULT_SYNC))
    {
      faults.unsynced_commit = self->wal && faults.commit_unsynced;
      return SQLITE_IOERR_FSYNC;
    }
  rc = REAL (f)->pMethods->xSync (REAL (f), flags);
  if (rc == SQLITE_OK && self->wal)
    faults.commit_unsynced = FALSE;
  return rc;
}

static int
faulty_file_size (sqlite3_file *f, sqlite3_int64 *size)
{
  return REAL (f)->pMethods->xFileSize (REAL (f), size);
}

static int
faulty_lock (sqlite3_file *f, int level)
{
  return REAL (f)->pMethods->xLock (REAL (f), level);
}

static int
faulty_unlock (sqlite3_file *f, int level)
{
  return REAL (f)->pMethods->xUnlock (REAL (f), level);
}

static int
faulty_check_reserved_lock (sqlite3_file *f, int *out)
{
  return REAL (f)->pMethods->xCheckReservedLock (REAL (f), out);
}

static int
faulty_file_control (sqlite3_file *f, int op, void *arg)
{
  int rc = REAL (f)->pMethods->xFileControl (REAL (f), op, arg);

  /* SQLite names the VFS stack in its messages: say the shim is there. */
  if (op == SQLITE_FCNTL_VFSNAME && rc == SQLITE_OK)
    {
      char *below = *(char **) arg;
      *(char **) arg = sqlite3_mprintf ("store-faulty/%z", below);
    }
  return rc;
}

static int
faulty_sector_size (sqlite3_file *f)
{
  return REAL (f)->pMethods->xSectorSize (REAL (f));
}

static int
faulty_device_characteristics (sqlite3_file *f)
{
  return REAL (f)->pMethods->xDeviceCharacteristics (REAL (f));
}

/* The shared-memory and mmap members exist from iVersion 2 and 3 of the
 * real file's methods; a file without them answers as SQLite expects. */
static int
faulty_shm_map (sqlite3_file *f, int region, int size, int extend, void volatile **out)
{
  if (REAL (f)->pMethods->iVersion < 2)
    return SQLITE_IOERR_SHMMAP;
  return REAL (f)->pMethods->xShmMap (REAL (f), region, size, extend, out);
}

static int
faulty_shm_lock (sqlite3_file *f, int offset, int n, int flags)
{
  if (REAL (f)->pMethods->iVersion < 2)
    return SQLITE_IOERR_SHMLOCK;
  return REAL (f)->pMethods->xShmLock (REAL (f), offset, n, flags);
}

static void
faulty_shm_barrier (sqlite3_file *f)
{
  if (REAL (f)->pMethods->iVersion >= 2)
    REAL (f)->pMethods->xShmBarrier (REAL (f));
}

static int
faulty_shm_unmap (sqlite3_file *f, int delete_flag)
{
  if (REAL (f)->pMethods->iVersion < 2)
    return SQLITE_OK;
  return REAL (f)->pMethods->xShmUnmap (REAL (f), delete_flag);
}

static int
faulty_fetch (sqlite3_file *f, sqlite3_int64 offset, int amount, void **out)
{
  if (REAL (f)->pMethods->iVersion < 3)
    {
      *out = NULL;
      return SQLITE_OK;
    }
  return REAL (f)->pMethods->xFetch (REAL (f), offset, amount, out);
}

static int
faulty_unfetch (sqlite3_file *f, sqlite3_int64 offset, void *p)
{
  if (REAL (f)->pMethods->iVersion < 3)
    return SQLITE_OK;
  return REAL (f)->pMethods->xUnfetch (REAL (f), offset, p);
}

static const sqlite3_io_methods faulty_io_methods = {
  .iVersion = 3,
  .xClose = faulty_close,
  .xRead = faulty_read,
  .xWrite = faulty_write,
  .xTruncate = faulty_truncate,
  .xSync = faulty_sync,
  .xFileSize = faulty_file_size,
  .xLock = faulty_lock,
  .xUnlock = faulty_unlock,
  .xCheckReservedLock = faulty_check_reserved_lock,
  .xFileControl = faulty_file_control,
  .xSectorSize = faulty_sector_size,
  .xDeviceCharacteristics = faulty_device_characteristics,
  .xShmMap = faulty_shm_map,
  .xShmLock = faulty_shm_lock,
  .xShmBarrier = faulty_shm_barrier,
  .xShmUnmap = faulty_shm_unmap,
  .xFetch = faulty_fetch,
  .xUnfetch = faulty_unfetch,
};

static int
faulty_open (sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *out_flags)
{
  FaultyFile *self = (FaultyFile *) file;
  int rc;

  self->real = (sqlite3_file *) (self + 1);
  self->wal = (flags & SQLITE_OPEN_WAL) != 0;
  rc = real_vfs->xOpen (real_vfs, name, self->real, flags, out_flags);
  /* SQLite calls xClose only on a file whose pMethods is set, and so must we. */
  self->base.pMethods = self->real->pMethods != NULL ? &faulty_io_methods : NULL;
  return rc;
}

/* Everything else is the real VFS's, called with the real VFS. */
static int
faulty_delete (sqlite3_vfs *vfs, const char *name, int sync_dir)
{
  return real_vfs->xDelete (real_vfs, name, sync_dir);
}

static int
faulty_access (sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
  return real_vfs->xAccess (real_vfs, name, flags, out);
}

static int
faulty_full_pathname (sqlite3_vfs *vfs, const char *name, int size, char *out)
{
  return real_vfs->xFullPathname (real_vfs, name, size, out);
}

static void *
faulty_dl_open (sqlite3_vfs *vfs, const char *name)
{
  return real_vfs->xDlOpen (real_vfs, name);
}

static void
faulty_dl_error (sqlite3_vfs *vfs, int size, char *out)
{
  real_vfs->xDlError (real_vfs, size, out);
}

static void (*faulty_dl_sym (sqlite3_vfs *vfs, void *handle, const char *symbol)) (void)
{
  return real_vfs->xDlSym (real_vfs, handle, symbol);
}

static void
faulty_dl_close (sqlite3_vfs *vfs, void *handle)
{
  real_vfs->xDlClose (real_vfs, handle);
}

static int
faulty_randomness (sqlite3_vfs *vfs, int size, char *out)
{
  return real_vfs->xRandomness (real_vfs, size, out);
}

static int
faulty_sleep (sqlite3_vfs *vfs, int microseconds)
{
  return real_vfs->xSleep (real_vfs, microseconds);
}

static int
faulty_current_time (sqlite3_vfs *vfs, double *out)
{
  return real_vfs->xCurrentTime (real_vfs, out);
}

static int
faulty_get_last_error (sqlite3_vfs *vfs, int size, char *out)
{
  return real_vfs->xGetLastError != NULL ? real_vfs->xGetLastError (real_vfs, size, out) : 0;
}

static int
faulty_current_time_int64 (sqlite3_vfs *vfs, sqlite3_int64 *out)
{
  double days = 0;
  int rc;

  if (real_vfs->iVersion >= 2 && real_vfs->xCurrentTimeInt64 != NULL)
    return real_vfs->xCurrentTimeInt64 (real_vfs, out);
  rc = real_vfs->xCurrentTime (real_vfs, &days);
  *out = (sqlite3_int64) (days * 86400000.0);
  return rc;
}

static sqlite3_vfs faulty_vfs = {
  .iVersion = 2,
  .zName = "store-faulty",
  .xOpen = faulty_open,
  .xDelete = faulty_delete,
  .xAccess = faulty_access,
  .xFullPathname = faulty_full_pathname,
  .xDlOpen = faulty_dl_open,
  .xDlError = faulty_dl_error,
  .xDlSym = faulty_dl_sym,
  .xDlClose = faulty_dl_close,
  .xRandomness = faulty_randomness,
  .xSleep = faulty_sleep,
  .xCurrentTime = faulty_current_time,
  .xGetLastError = faulty_get_last_error,
  .xCurrentTimeInt64 = faulty_current_time_int64,
};

/* Once per process, before the first sqlite3_open: store-sqlite opens with
 * the default VFS, so the shim is made the default. */
static gboolean
register_vfs (GError **error)
{
  int rc;

  if (real_vfs != NULL)
    return TRUE;
  real_vfs = sqlite3_vfs_find (NULL);
  if (real_vfs == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-faulty: SQLite has no default VFS");
      return FALSE;
    }
  faulty_vfs.szOsFile = (int) sizeof (FaultyFile) + real_vfs->szOsFile;
  faulty_vfs.mxPathname = real_vfs->mxPathname;
  if ((rc = sqlite3_vfs_register (&faulty_vfs, 1)) != SQLITE_OK)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-faulty: registering the VFS: %s",
                   sqlite3_errstr (rc));
      real_vfs = NULL;
      return FALSE;
    }
  return TRUE;
}

/* -- The store: store-sqlite's calls, the write calls and commit counted -- */

static PkmStore *
faulty_store_open (const char *state_dir, GKeyFile *config, GError **error)
{
  if (!parse_fault (error) || !register_vfs (error))
    return NULL;
  return pkm_sqlite_open (state_dir, config, error);
}

static void
faulty_store_close (PkmStore *store)
{
  const char *exit_status = g_getenv ("PKIMAN_FAULT_EXIT");

  if (store == NULL)
    return;
  if (faults.fired && exit_status != NULL && *exit_status != '\0')
    {
      write_report ();
      _exit ((int) g_ascii_strtoll (exit_status, NULL, 10));
    }
  /* What SQLite writes and syncs from here on (the checkpoint of the WAL
   * into the database) happens after every commit of the process. */
  faults.closing = TRUE;
  pkm_sqlite_close (store);
  faults.closing = FALSE;
  write_report ();
}

static gboolean
faulty_store_commit (PkmStoreTxn *txn, GError **error)
{
  if (fault_hit (FAULT_COMMIT))
    {
      /* As the contract has it: a failed commit has rolled back. */
      pkm_sqlite_rollback (txn);
      return injected (FAULT_COMMIT, error);
    }
  return pkm_sqlite_commit (txn, error);
}

static gint64
faulty_store_insert (PkmStoreTxn *txn, const char *collection, const char *name, GVariant *record,
                     GError **error)
{
  if (fault_hit (FAULT_WRITE))
    {
      /* The record is (transfer floating): consumed on every path. */
      if (record != NULL)
        g_variant_unref (g_variant_ref_sink (record));
      injected (FAULT_WRITE, error);
      return 0;
    }
  return pkm_sqlite_insert (txn, collection, name, record, error);
}

static gint64
faulty_store_update (PkmStoreTxn *txn, const char *collection, gint64 id, const char *name, GVariant *record,
                     gint64 expected_revision, GError **error)
{
  if (fault_hit (FAULT_WRITE))
    {
      if (record != NULL)
        g_variant_unref (g_variant_ref_sink (record));
      injected (FAULT_WRITE, error);
      return 0;
    }
  return pkm_sqlite_update (txn, collection, id, name, record, expected_revision, error);
}

static gboolean
faulty_store_remove (PkmStoreTxn *txn, const char *collection, gint64 id, gint64 expected_revision,
                     GError **error)
{
  if (fault_hit (FAULT_WRITE))
    return injected (FAULT_WRITE, error);
  return pkm_sqlite_remove (txn, collection, id, expected_revision, error);
}

static gint64
faulty_store_next_sequence (PkmStoreTxn *txn, const char *name, GError **error)
{
  if (fault_hit (FAULT_WRITE))
    {
      injected (FAULT_WRITE, error);
      return 0;
    }
  return pkm_sqlite_next_sequence (txn, name, error);
}

/* Whether declaring @field of @collection would add an index: a valid type
 * and no declaration yet (a repeated declaration reads, and writes nothing). */
static gboolean
index_is_new (PkmStoreTxn *txn, const char *collection, const char *field, const char *type_string)
{
  static const char sql[] = "SELECT 1 FROM indexes WHERE collection = ?1 AND field = ?2";
  sqlite3_stmt *stmt = NULL;
  gboolean is_new;

  if (txn == NULL || !pkm_store_index_type_valid (type_string)
      || sqlite3_prepare_v2 (txn->store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);
  is_new = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return is_new;
}

static gboolean
faulty_store_declare_index (PkmStoreTxn *txn, const char *collection, const char *field,
                            const char *type_string, GError **error)
{
  if (index_is_new (txn, collection, field, type_string) && fault_hit (FAULT_WRITE))
    return injected (FAULT_WRITE, error);
  return pkm_sqlite_declare_index (txn, collection, field, type_string, error);
}

static const PkmStoreVTable vtable = {
  .version = PKM_STORE_VTABLE_VERSION,
  .struct_size = sizeof (PkmStoreVTable),
  .open = faulty_store_open,
  .close = faulty_store_close,
  .begin = pkm_sqlite_begin,
  .commit = faulty_store_commit,
  .rollback = pkm_sqlite_rollback,
  .insert = faulty_store_insert,
  .update = faulty_store_update,
  .remove = faulty_store_remove,
  .get = pkm_sqlite_get,
  .find = pkm_sqlite_find,
  .query = pkm_sqlite_query,
  .count = pkm_sqlite_count,
  .list_collections = pkm_sqlite_list_collections,
  .declare_index = faulty_store_declare_index,
  .next_sequence = faulty_store_next_sequence,
  .current_cursor = pkm_sqlite_current_cursor,
  .changes_since = pkm_sqlite_changes_since,
};

/* store-sqlite's keys: the faults come from the environment, not the config. */
static const char *const config_keys[] = { "path", "lock-timeout", "synchronous", NULL };

PKM_PLUGIN_DEFINE (PKM_PLUGIN_KIND_STORE, "store-faulty", "0.1.0",
                   "store-sqlite failing the Nth write, commit, sync or file write (tests only)",
                   &vtable, config_keys, NULL, NULL)
