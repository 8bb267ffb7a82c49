/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <glib/gstdio.h>
#include "menus/pkm-menus.h"

/* /system master-key: the key that seals the store's private keys, carried
 * to another node that shares the database, in a file sealed under a
 * passphrase. The file, like the key, is 0600; neither the passphrase nor
 * the key reaches the output, an error or the log. */

/* As for every passphrase that protects a key pkiman writes (/certificate). */
#define NEW_PASSPHRASE_MIN 8
#define PASSPHRASE_MAX 1024
/* An exported master key is a few hundred bytes; the core refuses more too. */
#define MASTER_FILE_MAX_SIZE (64 * 1024)

static gboolean
has_passphrase (const char *passphrase, GError **error)
{
  if (passphrase != NULL && *passphrase != '\0')
    return TRUE;
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "passphrase: must not be empty");
  return FALSE;
}

/* export file-name=F passphrase=P: never over an existing file, which may be
 * the only copy of another node's key. */
static gboolean
master_key_export (PkmCall *call, GError **error)
{
  const char *file = pkm_call_get_string (call, "file-name");
  const char *passphrase = pkm_call_get_string (call, "passphrase");
  g_autofree char *path = NULL;
  g_autoptr (GBytes) text = NULL;
  GStatBuf st;

  if (!has_passphrase (passphrase, error) || (path = pkm_files_resolve (call, "file-name", file, error)) == NULL)
    return FALSE;
  /* The file is written before the command commits: a run again after a
   * write conflict finds its own file there. */
  if (pkm_call_get_data (call, "master-key-written") == NULL)
    {
      if (g_lstat (path, &st) == 0)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_EXISTS, "file-name: %s: exists already, and is not overwritten",
                       file);
          return FALSE;
        }
      text = pkm_context_export_master_key (pkm_call_get_context (call), passphrase, error);
      if (text == NULL
          || !pkm_files_write ("file-name", path, g_bytes_get_data (text, NULL), g_bytes_get_size (text), 0600, error))
        return FALSE;
      pkm_call_set_data (call, "master-key-written", GINT_TO_POINTER (TRUE), NULL);
    }
  pkm_call_print (call, "exported the master key to %s", file);
  return PKM_AUDITED (call, "system,info", "master key exported to %s", file);
}

/* import file-name=F passphrase=P: a no-op when this node has the key. */
static gboolean
master_key_import (PkmCall *call, GError **error)
{
  const char *file = pkm_call_get_string (call, "file-name");
  const char *passphrase = pkm_call_get_string (call, "passphrase");
  g_autofree char *path = NULL;
  g_autoptr (GBytes) text = NULL;
  g_autoptr (GError) local = NULL;

  if (!has_passphrase (passphrase, error) || (path = pkm_files_resolve (call, "file-name", file, error)) == NULL
      || (text = pkm_files_read (path, "file-name", file, MASTER_FILE_MAX_SIZE, error)) == NULL)
    return FALSE;
  if (!pkm_context_import_master_key (pkm_call_get_context (call), text, passphrase, &local))
    {
      /* What is wrong with the file's content is said with its name. */
      if (g_error_matches (local, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT))
        g_prefix_error (&local, "file-name: %s: ", file);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  pkm_call_print (call, "the master key of %s is in place", file);
  return PKM_AUDITED (call, "system,info", "master key of %s put in place", file);
}

static const PkmParam export_params[] = {
  { "file-name", PKM_PARAM_STRING, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, NULL,
    "the file to write (mode 0600; never over an existing one)" },
  { "passphrase", PKM_PARAM_STRING, PKM_PARAM_REQUIRED | PKM_PARAM_SECRET, NULL, NEW_PASSPHRASE_MIN, PASSPHRASE_MAX,
    NULL, "seals the master key in the file (at least 8 characters)" },
  { NULL },
};

static const PkmParam import_params[] = {
  { "file-name", PKM_PARAM_STRING, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, NULL,
    "a file written by export" },
  { "passphrase", PKM_PARAM_STRING, PKM_PARAM_REQUIRED | PKM_PARAM_SECRET, NULL, 0, PASSPHRASE_MAX, NULL,
    "the passphrase export was given" },
  { NULL },
};

/* Write commands, for the audit log: neither changes a record otherwise. */
static const PkmCommand master_key_commands[] = {
  { "export", master_key_export, export_params, PKM_COMMAND_WRITE,
    "write the master key, sealed under a passphrase, for another node on this database" },
  { "import", master_key_import, import_params, PKM_COMMAND_WRITE,
    "put the master key of an exported file in place (refused when this node has another)" },
  { NULL },
};

const PkmMenu pkm_menu_system_master_key = {
  PKM_MENU_SIZES,
  .path = "/system master-key",
  .help = "the master key that seals the stored private keys, moved between nodes",
  .commands = master_key_commands,
};
