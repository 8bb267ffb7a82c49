/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include "menus/pkm-menus.h"
#include <pkiman/pkm-files.h>
#include "model/pkm-model.h"

/* /file: the files directory, where import reads and export writes. Items are
 * the entries of the directory and its subdirectories, sorted by name, with
 * the RouterOS types (".crt file", "directory"). */

/* A bound on what one listing walks, against a files directory pointed at /. */
#define FILE_LIST_MAX 100000
#define FILE_LIST_DEPTH 8

static const char *
files_dir (PkmCall *call)
{
  const char *dir = pkm_call_get_files_dir (call);

  return dir != NULL ? dir : ".";
}

static char *
file_type (const char *name, gboolean is_dir)
{
  const char *dot = strrchr (name, '.');

  if (is_dir)
    return g_strdup ("directory");
  if (g_str_has_suffix (name, ".rsc"))
    return g_strdup ("script");
  if (dot != NULL && dot != name && strchr (dot, '/') == NULL)
    return g_strdup_printf ("%s file", dot);
  return g_strdup ("file");
}

static void
walk (const char *root, const char *relative, guint depth, GPtrArray *names)
{
  g_autofree char *path = relative != NULL ? g_build_filename (root, relative, NULL) : g_strdup (root);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *entry;

  if (dir == NULL || depth > FILE_LIST_DEPTH)
    return;
  while ((entry = g_dir_read_name (dir)) != NULL && names->len < FILE_LIST_MAX)
    {
      g_autofree char *child = relative != NULL ? g_build_filename (relative, entry, NULL) : g_strdup (entry);
      g_autofree char *full = g_build_filename (root, child, NULL);

      g_ptr_array_add (names, g_strdup (child));
      if (g_file_test (full, G_FILE_TEST_IS_DIR) && !g_file_test (full, G_FILE_TEST_IS_SYMLINK))
        walk (root, child, depth + 1, names);
    }
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The id is the inode: stable while the file exists, as an item id must be. */
static GVariant *
file_item (const char *root, const char *name)
{
  g_autofree char *full = g_build_filename (root, name, NULL);
  g_autofree char *type = NULL;
  g_autofree char *when = NULL;
  GStatBuf st;
  GVariantDict item;

  if (g_lstat (full, &st) != 0)
    return NULL;
  type = file_type (name, S_ISDIR (st.st_mode));
  when = pkm_format_time (st.st_mtime);
  g_variant_dict_init (&item, NULL);
  g_variant_dict_insert (&item, ".id", "x", (gint64) (st.st_ino & G_MAXINT64));
  g_variant_dict_insert (&item, "name", "s", name);
  g_variant_dict_insert (&item, "type", "s", type);
  g_variant_dict_insert (&item, "size", "t", (guint64) (S_ISDIR (st.st_mode) ? 0 : st.st_size));
  g_variant_dict_insert (&item, "last-modified", "s", when);
  return g_variant_ref_sink (g_variant_dict_end (&item));
}

static GPtrArray *
file_list (PkmCall *call, GError **error)
{
  const char *root = files_dir (call);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  walk (root, NULL, 0, names);
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      GVariant *item = file_item (root, g_ptr_array_index (names, i));
      if (item != NULL)
        g_ptr_array_add (items, item);
    }
  return items;
}

static gint64
file_lookup (PkmCall *call, const char *name, GError **error)
{
  g_autoptr (GPtrArray) items = file_list (call, error);

  for (guint i = 0; i < items->len; i++)
    {
      const char *item_name = NULL;
      gint64 id = 0;

      g_variant_lookup (g_ptr_array_index (items, i), "name", "&s", &item_name);
      g_variant_lookup (g_ptr_array_index (items, i), ".id", "x", &id);
      if (g_strcmp0 (item_name, name) == 0)
        return id;
    }
  return 0;
}

static gboolean
file_remove (PkmCall *call, GError **error)
{
  gint64 id = pkm_call_get_item (call, "numbers");
  g_autoptr (GPtrArray) items = file_list (call, error);
  const char *name = NULL;
  g_autofree char *path = NULL;

  for (guint i = 0; i < items->len && name == NULL; i++)
    {
      gint64 item_id = 0;
      g_variant_lookup (g_ptr_array_index (items, i), ".id", "x", &item_id);
      if (item_id == id)
        g_variant_lookup (g_ptr_array_index (items, i), "name", "&s", &name);
    }
  if (name == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "numbers: no such file");
      return FALSE;
    }
  path = pkm_files_resolve (call, "numbers", name, error);
  if (path == NULL)
    return FALSE;
  if (g_remove (path) != 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "numbers: %s: %s", name, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static const PkmParam remove_params[] = {
  { "numbers", PKM_PARAM_ITEM, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, "/file", "file" },
  { NULL },
};

static const PkmCommand file_commands[] = {
  { "remove", file_remove, remove_params, 0, "remove a file (or an empty directory)" },
  { NULL },
};

static const char *const file_columns[] = { "name", "type", "size", "last-modified", NULL };

const PkmMenu pkm_menu_file = {
  PKM_MENU_SIZES,
  .path = "/file",
  .help = "the files directory",
  .commands = file_commands,
  .list = file_list,
  .lookup = file_lookup,
  .columns = file_columns,
  .fields = file_columns,
};
