/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include "fuzz.h"
#include "fuzz-sandbox.h"
#include "pkm-test-support.h"
#include "core/pkm-context-private.h"
#include "core/pkm-invoke-private.h"
#include "shell/pkm-shell-private.h"

typedef struct {
  char *name;
  GBytes *contents; /* NULL: written by the target, not restored */
  ino_t inode;
} FuzzFile;

static FuzzSandbox *the_sandbox;
static const PkmStoreVTable *real_store;
static PkmStoreVTable nested_store;

static void
fuzz_file_free (gpointer data)
{
  FuzzFile *file = data;

  g_free (file->name);
  g_clear_pointer (&file->contents, g_bytes_unref);
  g_free (file);
}

static void
remove_sandbox (void)
{
  if (the_sandbox == NULL)
    return;
  pkm_shell_free (the_sandbox->shell);
  the_sandbox->ctx->store_vtable = real_store;
  pkm_context_free (the_sandbox->ctx);
  pkm_test_remove_tree (the_sandbox->root);
}

/* -- the outer transaction: the commands of one input begin and commit
 * inside it, and it is rolled back at the end. A failed command's rollback is
 * then a no-op, which no later command can see: a script stops at the first
 * failure. -- */

static PkmStoreTxn *outer_txn;

static PkmStoreTxn *
nested_begin (PkmStore *store, PkmStoreTxnFlags flags, GError **error)
{
  return outer_txn;
}

static gboolean
nested_commit (PkmStoreTxn *txn, GError **error)
{
  return TRUE;
}

static void
nested_rollback (PkmStoreTxn *txn)
{
}

void
fuzz_sandbox_begin (FuzzSandbox *sandbox)
{
  g_autoptr (GError) error = NULL;

  fuzz_shim_new_input ();
  g_assert_true (pkm_context_begin (sandbox->ctx, TRUE, &error));
  g_assert_no_error (error);
  outer_txn = g_steal_pointer (&sandbox->ctx->txn);
  sandbox->ctx->store_vtable = &nested_store;
}

/* -- the files directory -- */

static ino_t
inode_of (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_ino : 0;
}

static FuzzFile *
find_file (FuzzSandbox *sandbox, const char *name)
{
  for (guint i = 0; i < sandbox->files->len; i++)
    {
      FuzzFile *file = g_ptr_array_index (sandbox->files, i);
      if (strcmp (file->name, name) == 0)
        return file;
    }
  return NULL;
}

static void
write_file (const char *path, const void *data, gsize size)
{
  FILE *f = fopen (path, "wb");

  g_assert_nonnull (f);
  g_assert_cmpuint (fwrite (data, 1, size, f), ==, size);
  g_assert_cmpint (fclose (f), ==, 0);
}

void
fuzz_sandbox_write_file (FuzzSandbox *sandbox, const char *name, const void *data, gsize size)
{
  g_autofree char *path = g_build_filename (sandbox->files_dir, name, NULL);
  FuzzFile *file = find_file (sandbox, name);

  write_file (path, data, size);
  if (file == NULL)
    {
      file = g_new0 (FuzzFile, 1);
      file->name = g_strdup (name);
      g_ptr_array_add (sandbox->files, file);
    }
  file->inode = inode_of (path);
}

void
fuzz_sandbox_add_file (FuzzSandbox *sandbox, const char *name, const char *text)
{
  FuzzFile *file;

  fuzz_sandbox_write_file (sandbox, name, text, strlen (text));
  file = find_file (sandbox, name);
  g_clear_pointer (&file->contents, g_bytes_unref);
  file->contents = g_bytes_new (text, strlen (text));
}

static void
snapshot_files (FuzzSandbox *sandbox)
{
  g_autoptr (GDir) dir = g_dir_open (sandbox->files_dir, 0, NULL);
  const char *name;

  g_ptr_array_set_size (sandbox->files, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (sandbox->files_dir, name, NULL);
      FuzzFile *file = g_new0 (FuzzFile, 1);
      char *data = NULL;
      gsize size = 0;

      g_assert_true (g_file_get_contents (path, &data, &size, NULL));
      file->name = g_strdup (name);
      file->contents = g_bytes_new_take (data, size);
      file->inode = inode_of (path);
      g_ptr_array_add (sandbox->files, file);
    }
}

/* Every write the commands make is a new file or a rename over one, so
 * names and inode numbers, read without a stat, say whether anything changed. */
static gboolean
files_unchanged (FuzzSandbox *sandbox)
{
  DIR *dir = opendir (sandbox->files_dir);
  struct dirent *entry;
  guint seen = 0;
  gboolean same = TRUE;

  g_assert_nonnull (dir);
  while (same && (entry = readdir (dir)) != NULL)
    {
      FuzzFile *file;
      if (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0)
        continue;
      file = find_file (sandbox, entry->d_name);
      same = file != NULL && file->inode == entry->d_ino;
      seen++;
    }
  closedir (dir);
  return same && seen == sandbox->files->len;
}

static void
restore_files (FuzzSandbox *sandbox)
{
  pkm_test_remove_tree (sandbox->files_dir);
  g_assert_cmpint (g_mkdir (sandbox->files_dir, 0700), ==, 0);
  for (guint i = 0; i < sandbox->files->len;)
    {
      FuzzFile *file = g_ptr_array_index (sandbox->files, i);
      g_autofree char *path = g_build_filename (sandbox->files_dir, file->name, NULL);

      if (file->contents == NULL)
        {
          g_ptr_array_remove_index (sandbox->files, i);
          continue;
        }
      write_file (path, g_bytes_get_data (file->contents, NULL), g_bytes_get_size (file->contents));
      file->inode = inode_of (path);
      i++;
    }
}

void
fuzz_sandbox_end (FuzzSandbox *sandbox)
{
  PkmContext *ctx = sandbox->ctx;

  ctx->store_vtable = real_store;
  ctx->txn = g_steal_pointer (&outer_txn);
  pkm_context_rollback (ctx);
  g_free (sandbox->shell->menu);
  sandbox->shell->menu = g_strdup ("");
  if (!files_unchanged (sandbox))
    restore_files (sandbox);
}

void
fuzz_sandbox_run (FuzzSandbox *sandbox, const char *text, gboolean script)
{
  g_autoptr (GError) error = NULL;
  gboolean ok;

  fuzz_sandbox_begin (sandbox);
  ok = script ? pkm_shell_run_script (sandbox->shell, text, "fuzz", &error)
              : pkm_shell_run_line (sandbox->shell, text, &error);
  /* A refusal is always an error that says why. */
  g_assert_true (ok == (error == NULL));
  if (error != NULL && g_getenv ("PKIMAN_FUZZ_VERBOSE") != NULL)
    fprintf (stderr, "error: %s\n", error->message);
  fuzz_sandbox_end (sandbox);
}

/* -- setup -- */

static char *
write_config (const char *root, const char *files_dir)
{
  g_autofree char *state_dir = g_build_filename (root, "state", NULL);
  g_autofree char *text = g_strdup_printf ("[plugins]\ncrypto=gnutls\nstore=sqlite\n"
                                           "[store]\nstate-dir=%s\n[files]\ndir=%s\n",
                                           state_dir, files_dir);
  char *path = g_build_filename (root, "pkiman.conf", NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

FuzzSandbox *
fuzz_sandbox_new (const char *setup, gboolean cheap_crypto)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *config = NULL;
  FuzzSandbox *sandbox = g_new0 (FuzzSandbox, 1);
  gboolean verbose = g_getenv ("PKIMAN_FUZZ_VERBOSE") != NULL;
  FILE *null = verbose ? NULL : fopen ("/dev/null", "w");

  g_assert_null (the_sandbox);
  /* Nothing from the caller's environment may point the fuzzer at a real store. */
  g_unsetenv ("PKIMAN_STATE_DIR");
  g_unsetenv ("PKIMAN_PLUGIN_PATH");
  g_unsetenv ("PKIMAN_CONFIG");
  sandbox->root = g_dir_make_tmp ("pkiman-fuzz.XXXXXX", &error);
  g_assert_no_error (error);
  sandbox->files_dir = g_build_filename (sandbox->root, "files", NULL);
  g_assert_cmpint (g_mkdir (sandbox->files_dir, 0700), ==, 0);
  config = write_config (sandbox->root, sandbox->files_dir);
  sandbox->ctx = pkm_context_new (config, &error);
  g_assert_no_error (error);
  the_sandbox = sandbox;
  atexit (remove_sandbox);
  real_store = sandbox->ctx->store_vtable;
  nested_store = *real_store;
  nested_store.begin = nested_begin;
  nested_store.commit = nested_commit;
  nested_store.rollback = nested_rollback;
  if (cheap_crypto)
    fuzz_shim_install (sandbox->ctx);
  g_assert_true (verbose || null != NULL);
  sandbox->shell = pkm_shell_new (sandbox->ctx, "rest", sandbox->files_dir, PKM_OUTPUT_TEXT,
                                  verbose ? stdout : null, verbose ? stderr : null);
  /* The same bound, reached sooner: a run has a few seconds, and a million
   * iterations under ASan take longer (tests/shell/scripting.sh reaches the
   * real one). */
  sandbox->shell->lang_iteration_limit = 10000;
  /* :delay waits for no one here: time is for the parsers. */
  sandbox->shell->lang_delay_limit = 0;
  if (setup != NULL)
    {
      pkm_shell_run_script (sandbox->shell, setup, "setup", &error);
      g_assert_no_error (error);
      /* Every input starts at the root menu, the first one too. */
      g_free (sandbox->shell->menu);
      sandbox->shell->menu = g_strdup ("");
    }
  sandbox->files = g_ptr_array_new_with_free_func (fuzz_file_free);
  snapshot_files (sandbox);
  return sandbox;
}
