/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The write-ahead journal: how a commit of many records is all or nothing
 * whenever the process dies.
 *
 *   "PKMFJNL" 0x01, one frame (files-format.c) holding every op of the
 *   transaction with its records' bytes, then the commit mark "PKMFEND" 0x01
 *
 * 1. The journal is written as journal.tmp, synced, and renamed to journal;
 *    the directory is synced. The rename is the commit point: before it the
 *    store holds none of the transaction, after it all of it.
 * 2. The record files are written (each: temporary file, fsync, rename) or
 *    removed, and their directories synced; then the catalog batch is
 *    appended and synced.
 * 3. The journal is removed. That needs no sync: should the removal be lost
 *    the journal is replayed once more, which rewrites the same files and
 *    appends the same absolute ops; only the latest journal can come back,
 *    as the next commit's rename (and its directory sync) replaces it.
 *
 * Whoever takes the lock and finds a journal (another process, or this one
 * after the apply failed) replays step 2 and 3 from it. A journal without a
 * whole frame and its commit mark was never renamed into place by a commit
 * that finished step 1 (or the disk lost it): it is dropped. */
#include <errno.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "files-store.h"

#define JOURNAL_MAGIC "PKMFJNL\x01"
#define JOURNAL_END "PKMFEND\x01"
#define MARK_SIZE 8

gboolean
pkm_files_journal_present (PkmStore *store)
{
  g_autofree char *path = pkm_files_path (store, "journal");
  struct stat st;

  /* A journal that cannot even be looked at is "present": recovery reports why. */
  return stat (path, &st) == 0 || errno != ENOENT;
}

static gboolean
simulated_crash (PkmStore *store, PkmFilesCrash at, GError **error)
{
  if (store->crash_at != at)
    return FALSE;
  store->crashed = TRUE;
  g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-files: a simulated crash");
  return TRUE;
}

static gboolean
write_journal (PkmStore *store, GPtrArray *ops, GError **error)
{
  g_autofree char *path = pkm_files_path (store, "journal");
  g_autoptr (GBytes) frame = pkm_files_ops_encode (ops, TRUE);
  g_autoptr (GByteArray) out = NULL;
  g_autoptr (GBytes) all = NULL;

  if (g_bytes_get_size (frame) - PKM_FILES_FRAME_HEADER > PKM_FILES_BATCH_MAX)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED,
                   "store-files: a transaction of %" G_GSIZE_FORMAT " bytes is over the journal's limit of %"
                   G_GSIZE_FORMAT " bytes; nothing was changed",
                   g_bytes_get_size (frame), PKM_FILES_BATCH_MAX);
      return FALSE;
    }
  out = g_byte_array_sized_new ((guint) (g_bytes_get_size (frame) + 2 * MARK_SIZE));
  g_byte_array_append (out, (const guint8 *) JOURNAL_MAGIC, MARK_SIZE);
  g_byte_array_append (out, g_bytes_get_data (frame, NULL), (guint) g_bytes_get_size (frame));
  g_byte_array_append (out, (const guint8 *) JOURNAL_END, MARK_SIZE);
  all = g_byte_array_free_to_bytes (g_steal_pointer (&out));
  return pkm_files_replace (path, NULL, all, TRUE, error);
}

static gboolean
ready_dir (PkmStore *store, PkmFilesCollection *c, GError **error)
{
  g_autofree char *records = NULL, *dir = NULL;

  if (c->dir_ready)
    return TRUE;
  records = pkm_files_path (store, "records");
  dir = g_build_filename (records, c->dir_name, NULL);
  if (!pkm_files_mkdir (records, store->dir, error) || !pkm_files_mkdir (dir, records, error))
    return FALSE;
  c->dir_ready = TRUE;
  return TRUE;
}

/* Step 2's record files; each directory written to is synced once. */
static gboolean
apply_records (PkmStore *store, GPtrArray *ops, GError **error)
{
  g_autoptr (GHashTable) dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer dir;

  for (guint i = 0; i < ops->len; i++)
    {
      const PkmFilesOp *op = g_ptr_array_index (ops, i);
      PkmFilesCollection *c;
      g_autofree char *path = NULL;

      if (op->kind != PKM_FILES_OP_PUT && op->kind != PKM_FILES_OP_REMOVE)
        continue;
      c = pkm_files_state_collection (store->state, op->a, TRUE);
      path = pkm_files_record_path (store, c, op->n1);
      if (op->kind == PKM_FILES_OP_PUT)
        {
          g_autoptr (GBytes) bytes = pkm_files_record_encode (op->n1, op->b, op->n2, op->data);
          if (!ready_dir (store, c, error) || !pkm_files_replace (path, NULL, bytes, FALSE, error))
            return FALSE;
        }
      else if (unlink (path) != 0 && errno != ENOENT)
        return pkm_files_fail_errno (errno, path, "unlink", error);
      g_hash_table_add (dirs, g_path_get_dirname (path));
    }
  g_hash_table_iter_init (&iter, dirs);
  while (g_hash_table_iter_next (&iter, &dir, NULL))
    if (g_file_test (dir, G_FILE_TEST_IS_DIR) && !pkm_files_fsync_dir (dir, error))
      return FALSE;
  return TRUE;
}

/* Steps 2 and 3, with store->state already holding @ops. */
static gboolean
apply (PkmStore *store, GPtrArray *ops, GError **error)
{
  g_autofree char *path = pkm_files_path (store, "journal");

  if (!apply_records (store, ops, error) || simulated_crash (store, PKM_FILES_CRASH_AFTER_RECORDS, error))
    return FALSE;
  if (store->crash_at == PKM_FILES_FAIL_APPLY)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-files: a simulated write error");
      return FALSE;
    }
  if (!pkm_files_catalog_append (store, ops, error))
    return FALSE;
  if (unlink (path) != 0 && errno != ENOENT)
    return pkm_files_fail_errno (errno, path, "unlink", error);
  return TRUE;
}

static void
note_saved_ids (PkmStore *store, GPtrArray *ops)
{
  for (guint i = 0; i < ops->len; i++)
    {
      const PkmFilesOp *op = g_ptr_array_index (ops, i);
      if (op->kind == PKM_FILES_OP_LAST_ID)
        pkm_files_state_apply (store->state, op, NULL, NULL);
    }
}

gboolean
pkm_files_journal_commit (PkmStore *store, GPtrArray *ops, gboolean *out_durable, GError **error)
{
  *out_durable = FALSE;
  if (!write_journal (store, ops, error))
    return FALSE;
  *out_durable = TRUE;
  if (simulated_crash (store, PKM_FILES_CRASH_AFTER_JOURNAL, error))
    return FALSE;
  note_saved_ids (store, ops);
  return apply (store, ops, error);
}

/* The ops of the journal in @bytes, or NULL (and no error) when it is not
 * a whole, committed journal. */
static GPtrArray *
parse_journal (GBytes *bytes, const char *path, GError **error)
{
  gsize size = 0;
  const guint8 *p = g_bytes_get_data (bytes, &size);
  g_autoptr (GBytes) payload = NULL;
  g_autoptr (GPtrArray) ops = NULL;
  guint32 length = 0, crc = 0;

  if (size < 2 * MARK_SIZE + PKM_FILES_FRAME_HEADER || memcmp (p, JOURNAL_MAGIC, MARK_SIZE) != 0
      || !pkm_files_frame_parse (p + MARK_SIZE, PKM_FILES_BATCH_MAX, &length, &crc)
      || size != 2 * MARK_SIZE + PKM_FILES_FRAME_HEADER + (gsize) length
      || memcmp (p + size - MARK_SIZE, JOURNAL_END, MARK_SIZE) != 0
      || pkm_files_crc32 (0, p + MARK_SIZE + PKM_FILES_FRAME_HEADER, length) != crc)
    return NULL;
  payload = g_bytes_new_from_bytes (bytes, MARK_SIZE + PKM_FILES_FRAME_HEADER, length);
  ops = g_ptr_array_new_with_free_func (pkm_files_op_free);
  /* A journal whose checksum holds and whose ops do not is no torn write:
   * the store refuses to open rather than guess. */
  if (!pkm_files_ops_decode (payload, TRUE, path, ops, error))
    return NULL;
  return g_steal_pointer (&ops);
}

gboolean
pkm_files_journal_recover (PkmStore *store, GError **error)
{
  g_autofree char *path = pkm_files_path (store, "journal");
  g_autofree char *tmp = pkm_files_path (store, "journal.tmp");
  gsize max = PKM_FILES_BATCH_MAX + 2 * MARK_SIZE + PKM_FILES_FRAME_HEADER;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GPtrArray) ops = NULL;
  GError *local = NULL;
  struct stat st;

  g_return_val_if_fail (store->held == LOCK_EX, FALSE);
  /* A journal still being written when its writer died: never committed. */
  if (unlink (tmp) != 0 && errno != ENOENT)
    return pkm_files_fail_errno (errno, tmp, "unlink", error);
  if (stat (path, &st) != 0)
    return errno == ENOENT || pkm_files_fail_errno (errno, path, "stat", error);
  /* Over the limit is as good as torn: no commit writes one. */
  if (S_ISREG (st.st_mode) && (guint64) st.st_size <= max
      && (bytes = pkm_files_read_whole (path, max, FALSE, error)) == NULL)
    return FALSE;
  if (bytes != NULL)
    ops = parse_journal (bytes, path, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (ops == NULL)
    {
      g_debug ("store-files: %s: dropped a journal that was never committed", path);
      if (unlink (path) != 0 && errno != ENOENT)
        return pkm_files_fail_errno (errno, path, "unlink", error);
      return pkm_files_fsync_dir (store->dir, error);
    }
  /* The catalog as the dead commit left it (a torn last batch cut off),
   * then the journal's ops on top, then the files from the journal. */
  if (!pkm_files_catalog_refresh (store, TRUE, error))
    return FALSE;
  for (guint i = 0; i < ops->len; i++)
    if (!pkm_files_state_apply (store->state, g_ptr_array_index (ops, i), path, error))
      {
        pkm_files_catalog_forget (store);
        return FALSE;
      }
  if (!apply (store, ops, error))
    {
      pkm_files_catalog_forget (store);
      return FALSE;
    }
  return TRUE;
}
