/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "core/pkm-context-private.h"
#include "core/pkm-providers.h"

/* Private keys are sealed with AES-256-GCM under a master key that lives in
 * its own file, outside the store, so a copy of the database alone reveals
 * no key. The key id is the AAD: a sealed key cannot be moved to another record. */

#define MASTER_KEY_SIZE 32

/* [keys] master-key= may keep the key apart from the database, so that one
 * backup never holds both; relative to nothing, a relative path would give
 * each working directory its own master key. */
static char *
master_key_path (PkmContext *ctx, GError **error)
{
  g_autofree char *configured = g_key_file_get_string (ctx->config, "keys", "master-key", NULL);

  if (configured == NULL || *configured == '\0')
    return g_build_filename (ctx->state_dir, "master.key", NULL);
  if (!g_path_is_absolute (configured))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                   "[keys] master-key: %s is not an absolute path", configured);
      return NULL;
    }
  return g_steal_pointer (&configured);
}

static gboolean
write_all (int fd, const guint8 *data, gsize size)
{
  while (size > 0)
    {
      ssize_t n = write (fd, data, size);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      size -= n;
    }
  return TRUE;
}

/* The new name must reach the disk too, or a power cut can lose the only key. */
static gboolean
sync_directory (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  gboolean ok = fd >= 0 && fsync (fd) == 0;

  if (!ok)
    g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "master key directory %s: %s", dir, g_strerror (errno));
  if (fd >= 0)
    close (fd);
  return ok;
}

/* Written to a temporary file, then linked into place: a crash never leaves a
 * short master key, and of two racing first users exactly one key wins. */
static gboolean
create_master_key (PkmContext *ctx, const char *path, GError **error)
{
  g_autoptr (PkmSecret) key = pkm_secret_new (MASTER_KEY_SIZE);
  g_autofree char *tmp = g_strdup_printf ("%s.%d.tmp", path, (int) getpid ());
  int fd;
  gboolean ok;

  if (!pkm_crypto_random (ctx, pkm_secret_get_data (key), MASTER_KEY_SIZE, error))
    return FALSE;
  fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "master key %s: %s", tmp, g_strerror (errno));
      return FALSE;
    }
  ok = write_all (fd, pkm_secret_get_data (key), MASTER_KEY_SIZE) && fsync (fd) == 0;
  close (fd);
  if (ok && link (tmp, path) != 0 && errno != EEXIST)
    ok = FALSE;
  if (!ok)
    g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "master key %s: %s", path, g_strerror (errno));
  g_unlink (tmp);
  return ok && sync_directory (path, error);
}

static PkmSecret *
read_master_key (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize size = 0;

  if (!pkm_private_path_check (PKM_PRIVATE_MASTER_KEY, path, error)
      || !g_file_get_contents (path, &data, &size, error))
    return NULL;
  if (size != MASTER_KEY_SIZE)
    {
      explicit_bzero (data, size);
      g_set_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED, "master key %s: %zu bytes, expected %d", path, size,
                   MASTER_KEY_SIZE);
      return NULL;
    }
  return pkm_secret_new_take (g_steal_pointer (&data), size);
}

/* The model's collection of sealed keys (model/pkm-model.h names it too). */
#define SEALED_KEYS_COLLECTION "key"

static gboolean
count_record (gint64 id, const char *name, GVariant *record, gpointer user_data)
{
  (*(guint *) user_data)++;
  return TRUE;
}

/* A new master key is made only for a store that holds no key sealed with an
 * old one: otherwise the old is lost (a node on a shared database, a restore
 * without it), and making another would quietly orphan every stored key. */
static gboolean
check_no_sealed_keys (PkmContext *ctx, const char *path, GError **error)
{
  guint sealed = 0;

  if (!pkm_store_foreach (ctx, SEALED_KEYS_COLLECTION, count_record, &sealed, error))
    return FALSE;
  if (sealed == 0)
    return TRUE;
  g_set_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED,
               "master key %s is missing, and the store holds %u key%s sealed with it: restore the master key "
               "(a new one is not made)",
               path, sealed, sealed == 1 ? "" : "s");
  return FALSE;
}

static PkmSecret *
master_key (PkmContext *ctx, gboolean create, GError **error)
{
  g_autofree char *path = NULL, *dir = NULL;

  if (ctx->master_key != NULL)
    return ctx->master_key;
  path = master_key_path (ctx, error);
  if (path == NULL)
    return NULL;
  dir = g_path_get_dirname (path);
  if (!pkm_private_path_check (PKM_PRIVATE_KEY_DIR, dir, error))
    return NULL;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!create)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED, "master key %s is missing: stored keys cannot be opened",
                       path);
          return NULL;
        }
      if (!check_no_sealed_keys (ctx, path, error) || !create_master_key (ctx, path, error))
        return NULL;
    }
  ctx->master_key = read_master_key (path, error);
  return ctx->master_key;
}

GBytes *
pkm_keyring_seal (PkmContext *ctx, PkmSecret *key, const char *key_id, GError **error)
{
  PkmSecret *master = master_key (ctx, TRUE, error);
  g_autoptr (GBytes) aad = NULL;

  if (master == NULL)
    return NULL;
  aad = g_bytes_new (key_id, strlen (key_id));
  return pkm_crypto_seal (ctx, master, key, aad, error);
}

PkmSecret *
pkm_keyring_open (PkmContext *ctx, GBytes *sealed, const char *key_id, GError **error)
{
  PkmSecret *master = master_key (ctx, FALSE, error);
  g_autoptr (GBytes) aad = NULL;

  if (master == NULL)
    return NULL;
  aad = g_bytes_new (key_id, strlen (key_id));
  return pkm_crypto_unseal (ctx, master, sealed, aad, error);
}

PkmKey *
pkm_keyring_load_key (PkmContext *ctx, GBytes *sealed, const char *key_id, GError **error)
{
  g_autoptr (PkmSecret) pkcs8 = pkm_keyring_open (ctx, sealed, key_id, error);
  g_autofree char *uri = NULL;

  if (pkcs8 == NULL)
    return NULL;
  uri = g_strconcat (PKM_KEYRING_URI_PREFIX, key_id, NULL);
  return pkm_crypto_load_key (ctx, pkcs8, uri, error);
}
