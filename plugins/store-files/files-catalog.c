/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The catalog: the metadata of every record (name, revision, cursor, index
 * values), the last ids, the sequences and the indexes, so that opening the
 * store reads one file, not one per record.
 *
 *   "PKMFCAT" 0x01, then frames (files-format.c), one per commit
 *
 * Every op is an absolute state ("record 7 is now at revision 3"), never a
 * difference, so reading a batch twice (a journal replayed after its batch
 * was already appended) changes nothing. A commit appends one batch; when
 * the file holds over twice the ops a fresh one would, the commit rewrites
 * it instead (temporary file, fsync, rename). A process keeps the catalog it
 * read open: the next transaction reads only the batches appended since,
 * and a rename (another process compacted) is seen as another inode, which
 * cannot be reused while this process holds the old one open. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "files-store.h"

#define CATALOG_MAGIC "PKMFCAT\x01"
#define MAGIC_SIZE 8
/* A rewritten catalog is written in batches of this many ops. */
#define OPS_PER_BATCH 4096
/* Below this many ops a catalog is not worth rewriting. */
#define COMPACT_MIN_OPS 1024

void
pkm_files_catalog_forget (PkmStore *store)
{
  if (store->catalog_fd >= 0)
    close (store->catalog_fd);
  store->catalog_fd = -1;
  store->catalog_size = 0;
  store->catalog_ops = 0;
  g_clear_pointer (&store->state, pkm_files_state_free);
}

void
pkm_files_catalog_stale (PkmStore *store)
{
  if (store->catalog_fd >= 0)
    close (store->catalog_fd);
  store->catalog_fd = -1;
}

/* Ids spent in this process that the catalog may not hold (a failed write
 * of a rolled-back transaction's ids) stay spent across a reload. */
static void
keep_spent_ids (PkmFilesState *from, PkmFilesState *to)
{
  GHashTableIter iter;
  gpointer value;

  if (from == NULL)
    return;
  g_hash_table_iter_init (&iter, from->collections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PkmFilesCollection *old = value;
      if (old->last_id > 0)
        {
          PkmFilesCollection *c = pkm_files_state_collection (to, old->name, TRUE);
          c->last_id = MAX (c->last_id, old->last_id);
        }
    }
}

static gboolean
torn (const char *path, guint64 offset, GError **error)
{
  g_autofree char *reason = g_strdup_printf ("torn or corrupt batch at byte %" G_GUINT64_FORMAT, offset);

  return pkm_files_corrupt (path, reason, error);
}

/* Reads the batches of @fd from @offset to @size into @state. A torn batch
 * is an error, or with @tolerate_torn the end: the file is cut there. */
static gboolean
read_batches (PkmStore *store, int fd, const char *path, guint64 offset, guint64 size, gboolean tolerate_torn,
              GError **error)
{
  while (offset < size)
    {
      guint8 header[PKM_FILES_FRAME_HEADER];
      g_autoptr (GBytes) payload = NULL;
      g_autoptr (GPtrArray) ops = NULL;
      guint32 length = 0, crc = 0;
      guint8 *data;
      gsize got = 0;

      if (!pkm_files_read_at (fd, header, sizeof header, offset, path, &got, error))
        return FALSE;
      if (got < sizeof header || !pkm_files_frame_parse (header, PKM_FILES_BATCH_MAX, &length, &crc)
          || size - offset - sizeof header < length)
        goto torn_batch;
      data = g_malloc (MAX (length, 1));
      payload = g_bytes_new_take (data, length);
      if (!pkm_files_read_at (fd, data, length, offset + sizeof header, path, &got, error))
        return FALSE;
      if (got < length || pkm_files_crc32 (0, data, length) != crc)
        goto torn_batch;
      ops = g_ptr_array_new_with_free_func (pkm_files_op_free);
      if (!pkm_files_ops_decode (payload, FALSE, path, ops, error))
        return FALSE;
      for (guint i = 0; i < ops->len; i++)
        if (!pkm_files_state_apply (store->state, g_ptr_array_index (ops, i), path, error))
          return FALSE;
      offset += sizeof header + length;
      store->catalog_ops += ops->len;
      store->catalog_size = offset;
      continue;

    torn_batch:
      if (!tolerate_torn)
        return torn (path, offset, error);
      /* A commit died while it appended this batch: its journal, about to be
       * replayed, appends it again after the valid part. */
      if (ftruncate (fd, (off_t) offset) != 0 || fsync (fd) != 0)
        return pkm_files_fail_errno (errno, path, "truncate", error);
      store->catalog_size = offset;
      return TRUE;
    }
  store->catalog_size = size;
  return TRUE;
}

static gboolean
load_all (PkmStore *store, const char *path, gboolean tolerate_torn, GError **error)
{
  PkmFilesState *old = g_steal_pointer (&store->state);
  int fd = open (path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  char magic[MAGIC_SIZE];
  struct stat st;
  gsize got = 0;

  pkm_files_catalog_forget (store);
  store->state = pkm_files_state_new ();
  keep_spent_ids (old, store->state);
  pkm_files_state_free (old);
  if (fd < 0)
    return pkm_files_fail_errno (errno, path, "open", error);
  store->catalog_fd = fd;
  if (fstat (fd, &st) != 0)
    return pkm_files_fail_errno (errno, path, "stat", error);
  if (!pkm_files_read_at (fd, magic, sizeof magic, 0, path, &got, error))
    return FALSE;
  if (got < sizeof magic || memcmp (magic, CATALOG_MAGIC, sizeof magic) != 0)
    return pkm_files_corrupt (path, "not a store-files catalog (or of another format version)", error);
  store->catalog_size = sizeof magic;
  return read_batches (store, fd, path, sizeof magic, (guint64) st.st_size, tolerate_torn, error);
}

gboolean
pkm_files_catalog_refresh (PkmStore *store, gboolean tolerate_torn, GError **error)
{
  g_autofree char *path = pkm_files_path (store, "catalog");
  struct stat now, held;
  PkmFilesState *old;
  gboolean ok;

  if (stat (path, &now) != 0)
    {
      if (errno != ENOENT)
        return pkm_files_fail_errno (errno, path, "stat", error);
      /* No commit yet: an empty store (the ids spent here stay spent). */
      old = g_steal_pointer (&store->state);
      pkm_files_catalog_forget (store);
      store->state = pkm_files_state_new ();
      keep_spent_ids (old, store->state);
      pkm_files_state_free (old);
      return TRUE;
    }
  if (store->state != NULL && store->catalog_fd >= 0 && fstat (store->catalog_fd, &held) == 0
      && held.st_dev == now.st_dev && held.st_ino == now.st_ino && (guint64) now.st_size >= store->catalog_size)
    ok = read_batches (store, store->catalog_fd, path, store->catalog_size, (guint64) now.st_size, tolerate_torn,
                       error);
  else
    ok = load_all (store, path, tolerate_torn, error);
  /* Half a batch read is no state to keep. */
  if (!ok)
    pkm_files_catalog_forget (store);
  return ok;
}

/* Rewrites the catalog from the state (which holds the commit's ops). */
static gboolean
compact (PkmStore *store, GError **error)
{
  g_autofree char *path = pkm_files_path (store, "catalog");
  g_autoptr (GPtrArray) all = pkm_files_state_dump (store->state);
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GBytes) body = NULL;
  struct stat st;
  int fd;

  g_byte_array_append (out, (const guint8 *) CATALOG_MAGIC, MAGIC_SIZE);
  for (guint start = 0; start < all->len; start += OPS_PER_BATCH)
    {
      g_autoptr (GPtrArray) part = g_ptr_array_new ();
      g_autoptr (GBytes) frame = NULL;

      for (guint i = start; i < MIN (all->len, start + OPS_PER_BATCH); i++)
        g_ptr_array_add (part, g_ptr_array_index (all, i));
      frame = pkm_files_ops_encode (part, FALSE);
      g_byte_array_append (out, g_bytes_get_data (frame, NULL), (guint) g_bytes_get_size (frame));
    }
  body = g_byte_array_free_to_bytes (g_steal_pointer (&out));
  if (!pkm_files_replace (path, NULL, body, TRUE, error))
    return FALSE;
  fd = open (path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      pkm_files_fail_errno (errno, path, "open", error);
      if (fd >= 0)
        close (fd);
      return FALSE;
    }
  if (store->catalog_fd >= 0)
    close (store->catalog_fd);
  store->catalog_fd = fd;
  store->catalog_size = (guint64) st.st_size;
  store->catalog_ops = all->len;
  return TRUE;
}

gboolean
pkm_files_catalog_append (PkmStore *store, GPtrArray *ops, GError **error)
{
  g_autofree char *path = pkm_files_path (store, "catalog");
  g_autoptr (GBytes) frame = NULL;
  const guint8 *data;
  gsize size = 0, written = 0;

  if (store->catalog_fd < 0
      || (store->catalog_ops + ops->len > COMPACT_MIN_OPS
          && store->catalog_ops + ops->len > 2 * pkm_files_state_live_ops (store->state)))
    return compact (store, error);
  frame = pkm_files_ops_encode (ops, FALSE);
  data = g_bytes_get_data (frame, &size);
  if (store->crash_at == PKM_FILES_CRASH_MID_CATALOG)
    size /= 2;
  while (written < size)
    {
      ssize_t n = pwrite (store->catalog_fd, data + written, size - written,
                          (off_t) (store->catalog_size + written));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return pkm_files_fail_errno (errno, path, "write", error);
      written += (gsize) n;
    }
  if (store->crash_at == PKM_FILES_CRASH_MID_CATALOG)
    {
      store->crashed = TRUE;
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-files: a simulated crash");
      return FALSE;
    }
  while (fsync (store->catalog_fd) != 0)
    if (errno != EINTR)
      return pkm_files_fail_errno (errno, path, "fsync", error);
  store->catalog_size += size;
  store->catalog_ops += ops->len;
  return TRUE;
}
