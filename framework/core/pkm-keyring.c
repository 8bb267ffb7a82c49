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
 * short master key, and of two racing writers exactly one key wins. TRUE when
 * @path holds a master key afterwards: @key, or the one that won. */
static gboolean
install_master_key (const char *path, PkmSecret *key, GError **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.%d.tmp", path, (int) getpid ());
  int fd;
  gboolean ok;

  fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "master key %s: %s", tmp, g_strerror (errno));
      return FALSE;
    }
  ok = write_all (fd, pkm_secret_get_data (key), pkm_secret_get_size (key)) && fsync (fd) == 0;
  close (fd);
  if (ok && link (tmp, path) != 0 && errno != EEXIST)
    ok = FALSE;
  if (!ok)
    g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "master key %s: %s", path, g_strerror (errno));
  g_unlink (tmp);
  return ok && sync_directory (path, error);
}

static gboolean
create_master_key (PkmContext *ctx, const char *path, GError **error)
{
  g_autoptr (PkmSecret) key = pkm_secret_new (PKM_MASTER_KEY_SIZE);

  return pkm_crypto_random (ctx, pkm_secret_get_data (key), PKM_MASTER_KEY_SIZE, error)
         && install_master_key (path, key, error);
}

static PkmSecret *
read_master_key (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize size = 0;

  if (!pkm_private_path_check (PKM_PRIVATE_MASTER_KEY, path, error)
      || !g_file_get_contents (path, &data, &size, error))
    return NULL;
  if (size != PKM_MASTER_KEY_SIZE)
    {
      explicit_bzero (data, size);
      g_set_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED, "master key %s: %zu bytes, expected %d", path, size,
                   PKM_MASTER_KEY_SIZE);
      return NULL;
    }
  return pkm_secret_new_take (g_steal_pointer (&data), size);
}

/* The model's collection of sealed keys (model/pkm-model.h names it too). */
#define SEALED_KEYS_COLLECTION "key"

/* A new master key is made only for a store that holds no key sealed with an
 * old one: otherwise the old is lost (a node on a shared database, a restore
 * without it), and making another would quietly orphan every stored key. */
static gboolean
check_no_sealed_keys (PkmContext *ctx, const char *path, GError **error)
{
  guint64 sealed = 0;

  if (!pkm_store_count (ctx, SEALED_KEYS_COLLECTION, NULL, &sealed, error))
    return FALSE;
  if (sealed == 0)
    return TRUE;
  g_set_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED,
               "master key %s is missing, and the store holds %" G_GUINT64_FORMAT " key%s sealed with it: restore the master key "
               "(a new one is not made)",
               path, sealed, sealed == 1 ? "" : "s");
  return FALSE;
}

/* The master key's path, once its directory is found to be ours alone. */
static char *
checked_master_key_path (PkmContext *ctx, GError **error)
{
  g_autofree char *path = master_key_path (ctx, error), *dir = NULL;

  if (path == NULL)
    return NULL;
  dir = g_path_get_dirname (path);
  if (!pkm_private_path_check (PKM_PRIVATE_KEY_DIR, dir, error))
    return NULL;
  return g_steal_pointer (&path);
}

static PkmSecret *
master_key (PkmContext *ctx, gboolean create, GError **error)
{
  g_autofree char *path = NULL;

  if (ctx->master_key != NULL)
    return ctx->master_key;
  path = checked_master_key_path (ctx, error);
  if (path == NULL)
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

/* -- the master key carried to another node (the file: pkm-master-file.c) -- */

GBytes *
pkm_keyring_export_master (PkmContext *ctx, const char *passphrase, GError **error)
{
  PkmSecret *master = master_key (ctx, TRUE, error);
  guint8 salt_data[PKM_MASTER_FILE_SALT_SIZE];
  g_autoptr (GBytes) salt = NULL, header = NULL, sealed = NULL;
  g_autoptr (PkmSecret) wrapping = NULL;

  if (master == NULL || !pkm_crypto_random (ctx, salt_data, sizeof salt_data, error))
    return NULL;
  salt = g_bytes_new (salt_data, sizeof salt_data);
  header = pkm_master_file_header (PKM_MASTER_FILE_ITERATIONS, salt);
  wrapping = pkm_crypto_derive_key (ctx, passphrase, salt, PKM_MASTER_FILE_ITERATIONS, PKM_MASTER_KEY_SIZE, error);
  if (wrapping == NULL || (sealed = pkm_crypto_seal (ctx, wrapping, master, header, error)) == NULL)
    return NULL;
  return pkm_master_file_format (header, sealed);
}

/* The master key a file holds, opened with @passphrase. */
static PkmSecret *
open_master_file (PkmContext *ctx, GBytes *exported, const char *passphrase, GError **error)
{
  PkmMasterFile file;
  g_autoptr (PkmSecret) wrapping = NULL;
  g_autoptr (GError) local = NULL;
  PkmSecret *key = NULL;

  if (!pkm_master_file_parse (exported, &file, error))
    return NULL;
  wrapping = pkm_crypto_derive_key (ctx, passphrase, file.salt, file.iterations, PKM_MASTER_KEY_SIZE, error);
  if (wrapping != NULL)
    key = pkm_crypto_unseal (ctx, wrapping, file.sealed, file.header, &local);
  pkm_master_file_clear (&file);
  /* A changed header fails the tag as a wrong passphrase does: one cannot tell them apart. */
  if (local != NULL && g_error_matches (local, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED))
    g_set_error (error, PKM_ERROR, PKM_ERROR_BAD_PASSPHRASE, "passphrase: does not open this master key");
  else if (local != NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  if (key != NULL && pkm_secret_get_size (key) != PKM_MASTER_KEY_SIZE)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "not an exported master key: it holds %" G_GSIZE_FORMAT
                   " bytes, a master key is %d", pkm_secret_get_size (key), PKM_MASTER_KEY_SIZE);
      g_clear_pointer (&key, pkm_secret_free);
    }
  return key;
}

/* Without branches on the bytes: how much of a guess matched does not show in the time taken. */
static gboolean
same_key (PkmSecret *a, PkmSecret *b)
{
  const guint8 *x = pkm_secret_get_data (a), *y = pkm_secret_get_data (b);
  guint8 diff = 0;

  if (pkm_secret_get_size (a) != pkm_secret_get_size (b))
    return FALSE;
  for (gsize i = 0; i < pkm_secret_get_size (a); i++)
    diff |= x[i] ^ y[i];
  return diff == 0;
}

typedef struct {
  char *key_id;
  GBytes *sealed;
} PkmFirstSealed;

static gboolean
first_sealed (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  PkmFirstSealed *first = user_data;
  g_autoptr (GVariant) sealed = g_variant_lookup_value (record, "sealed", G_VARIANT_TYPE_BYTESTRING);

  /* A token's key is recorded by its URI, with nothing sealed. */
  if (sealed == NULL || name == NULL)
    return TRUE;
  first->key_id = g_strdup (name);
  first->sealed = g_variant_get_data_as_bytes (sealed);
  return FALSE;
}

/* A master key put where none was must open what the store holds: else the
 * node would seal new keys under a key that opens none of the old ones. */
static gboolean
opens_sealed_keys (PkmContext *ctx, PkmSecret *key, GError **error)
{
  static const char *const projection[] = { "sealed", NULL };
  PkmStoreQuery query = { .struct_size = sizeof (PkmStoreQuery), .projection = projection };
  PkmFirstSealed first = { NULL, NULL };
  g_autoptr (GBytes) aad = NULL;
  g_autoptr (PkmSecret) opened = NULL;
  g_autoptr (GError) local = NULL;

  if (!pkm_store_query (ctx, SEALED_KEYS_COLLECTION, &query, first_sealed, &first, error))
    return FALSE;
  if (first.sealed == NULL)
    return TRUE;
  aad = g_bytes_new (first.key_id, strlen (first.key_id));
  opened = pkm_crypto_unseal (ctx, key, first.sealed, aad, &local);
  g_free (first.key_id);
  g_bytes_unref (first.sealed);
  if (opened != NULL)
    return TRUE;
  if (g_error_matches (local, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED))
    g_set_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED,
                 "this master key does not open the keys in the store: it is not put in place");
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* The key at @path must be @key: the one found there, or the one installed (or
 * another process's, linked first). */
static gboolean
check_in_place (PkmContext *ctx, const char *path, PkmSecret *key, GError **error)
{
  g_autoptr (PkmSecret) present = read_master_key (path, error);

  if (present == NULL)
    return FALSE;
  if (!same_key (present, key))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_EXISTS,
                   "master key %s: this node has a different master key, which is not replaced", path);
      return FALSE;
    }
  if (ctx->master_key == NULL)
    ctx->master_key = g_steal_pointer (&present);
  return TRUE;
}

gboolean
pkm_keyring_import_master (PkmContext *ctx, GBytes *exported, const char *passphrase, GError **error)
{
  g_autoptr (PkmSecret) key = open_master_file (ctx, exported, passphrase, error);
  g_autofree char *path = NULL;

  if (key == NULL || (path = checked_master_key_path (ctx, error)) == NULL)
    return FALSE;
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return check_in_place (ctx, path, key, error);
  return opens_sealed_keys (ctx, key, error) && install_master_key (path, key, error)
         && check_in_place (ctx, path, key, error);
}

/* -- the public face of the two, for the menus (pkm-services.h) -- */

GBytes *
pkm_context_export_master_key (PkmContext *ctx, const char *passphrase, GError **error)
{
  return pkm_keyring_export_master (ctx, passphrase, error);
}

gboolean
pkm_context_import_master_key (PkmContext *ctx, GBytes *exported, const char *passphrase, GError **error)
{
  return pkm_keyring_import_master (ctx, exported, passphrase, error);
}
