/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* File I/O that says which file failed and why. Every file is created 0600
 * and every directory 0700 whatever the umask: records hold sealed keys. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "files-store.h"

gboolean
pkm_files_fail_errno (int errsv, const char *path, const char *what, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-files: %s: %s%s%s", path, what != NULL ? what : "",
               what != NULL ? ": " : "", g_strerror (errsv));
  return FALSE;
}

gboolean
pkm_files_corrupt (const char *path, const char *reason, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "store-files: %s: %s", path, reason);
  return FALSE;
}

gboolean
pkm_files_write_all (int fd, const void *data, gsize size, const char *path, GError **error)
{
  const guint8 *p = data;

  while (size > 0)
    {
      ssize_t n = write (fd, p, MIN (size, (gsize) G_MAXSSIZE));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return pkm_files_fail_errno (errno, path, "write", error);
      p += n;
      size -= (gsize) n;
    }
  return TRUE;
}

/* Reads up to @size bytes at @offset; *out_read says how many there were. */
gboolean
pkm_files_read_at (int fd, void *data, gsize size, guint64 offset, const char *path, gsize *out_read,
                   GError **error)
{
  guint8 *p = data;
  gsize done = 0;

  while (done < size)
    {
      ssize_t n = pread (fd, p + done, size - done, (off_t) (offset + done));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return pkm_files_fail_errno (errno, path, "read", error);
      if (n == 0)
        break;
      done += (gsize) n;
    }
  *out_read = done;
  return TRUE;
}

static gboolean
fsync_fd (int fd, const char *path, GError **error)
{
  while (fsync (fd) != 0)
    if (errno != EINTR)
      return pkm_files_fail_errno (errno, path, "fsync", error);
  return TRUE;
}

/* A rename or an unlink is durable once its directory is synced. */
gboolean
pkm_files_fsync_dir (const char *dir, GError **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return pkm_files_fail_errno (errno, dir, "open", error);
  ok = fsync_fd (fd, dir, error);
  close (fd);
  return ok;
}

gboolean
pkm_files_replace (const char *path, GBytes *head, GBytes *body, gboolean sync_dir, GError **error)
{
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  GBytes *parts[] = { head, body };
  gboolean ok = TRUE;
  int fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0)
    return pkm_files_fail_errno (errno, tmp, "create", error);
  for (guint i = 0; ok && i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL)
      {
        gsize size = 0;
        const void *data = g_bytes_get_data (parts[i], &size);
        ok = pkm_files_write_all (fd, data, size, tmp, error);
      }
  ok = ok && fsync_fd (fd, tmp, error);
  if (close (fd) != 0 && ok)
    ok = pkm_files_fail_errno (errno, tmp, "close", error);
  if (ok && rename (tmp, path) != 0)
    ok = pkm_files_fail_errno (errno, path, "rename", error);
  if (!ok)
    {
      unlink (tmp);
      return FALSE;
    }
  if (sync_dir)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      return pkm_files_fsync_dir (dir, error);
    }
  return TRUE;
}

GBytes *
pkm_files_read_whole (const char *path, gsize max, gboolean missing_ok, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  struct stat st;
  guint8 *data;
  gsize got = 0;

  if (fd < 0)
    {
      if (!(missing_ok && errno == ENOENT))
        pkm_files_fail_errno (errno, path, "open", error);
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      pkm_files_fail_errno (errno, path, "stat", error);
      close (fd);
      return NULL;
    }
  if (!S_ISREG (st.st_mode) || st.st_size < 0 || (guint64) st.st_size > max)
    {
      g_autofree char *reason = g_strdup_printf ("%s (%" G_GINT64_FORMAT " bytes, at most %" G_GSIZE_FORMAT ")",
                                                 S_ISREG (st.st_mode) ? "too large" : "not a regular file",
                                                 (gint64) st.st_size, max);
      pkm_files_corrupt (path, reason, error);
      close (fd);
      return NULL;
    }
  data = g_malloc ((gsize) st.st_size + 1);
  if (!pkm_files_read_at (fd, data, (gsize) st.st_size, 0, path, &got, error))
    {
      g_free (data);
      close (fd);
      return NULL;
    }
  close (fd);
  return g_bytes_new_take (data, got);
}

/* Creates @dir (0700) if it is not there, syncing @parent when it was made. */
gboolean
pkm_files_mkdir (const char *dir, const char *parent, GError **error)
{
  if (mkdir (dir, 0700) == 0)
    return parent == NULL || pkm_files_fsync_dir (parent, error);
  if (errno != EEXIST)
    return pkm_files_fail_errno (errno, dir, "mkdir", error);
  return TRUE;
}
