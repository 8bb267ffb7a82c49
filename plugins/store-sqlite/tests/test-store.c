/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store-sqlite, tested through its vtable the way the core uses it. */
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include "../sqlite-store.h"

typedef struct {
  char *dir;
  PkmStore *store;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("store-XXXXXX", NULL);
  f->store = pkm_sqlite_open (f->dir, NULL, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  pkm_sqlite_close (f->store);
  remove_tree (f->dir);
  g_free (f->dir);
}

static GVariant *
record (const char *text, gint64 number)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "text", "s", text);
  g_variant_dict_insert (&dict, "number", "x", number);
  g_variant_dict_insert (&dict, "flag", "b", TRUE);
  return g_variant_dict_end (&dict);
}

static void
test_crud (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) got = NULL;
  g_autofree char *name = NULL;
  const char *text = NULL;
  gint64 id;

  g_assert_true (pkm_sqlite_begin (f->store, TRUE, &error));
  id = pkm_sqlite_insert (f->store, "things", "one", record ("first", 1), &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (pkm_sqlite_find (f->store, "things", "one", &error), ==, id);
  g_assert_cmpint (pkm_sqlite_find (f->store, "things", "two", &error), ==, 0);
  g_assert_true (pkm_sqlite_update (f->store, "things", id, "uno", record ("changed", 2), &error));
  got = pkm_sqlite_get (f->store, "things", id, &name, &error);
  g_assert_nonnull (got);
  g_assert_cmpstr (name, ==, "uno");
  g_assert_true (g_variant_lookup (got, "text", "&s", &text));
  g_assert_cmpstr (text, ==, "changed");
  g_assert_true (pkm_sqlite_remove (f->store, "things", id, &error));
  g_assert_null (pkm_sqlite_get (f->store, "things", id, NULL, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (pkm_sqlite_remove (f->store, "things", id, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (pkm_sqlite_commit (f->store, &error));
}

static void
test_duplicate_name (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (pkm_sqlite_begin (f->store, TRUE, &error));
  g_assert_cmpint (pkm_sqlite_insert (f->store, "things", "same", record ("a", 1), &error), >, 0);
  g_assert_cmpint (pkm_sqlite_insert (f->store, "things", "same", record ("b", 2), &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_EXISTS);
  g_clear_error (&error);
  /* The same name in another collection is fine. */
  g_assert_cmpint (pkm_sqlite_insert (f->store, "others", "same", record ("c", 3), &error), >, 0);
  g_assert_true (pkm_sqlite_commit (f->store, &error));
}

static void
test_ids_never_reused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 first, second;

  g_assert_true (pkm_sqlite_begin (f->store, TRUE, &error));
  first = pkm_sqlite_insert (f->store, "things", NULL, record ("a", 1), &error);
  g_assert_true (pkm_sqlite_remove (f->store, "things", first, &error));
  second = pkm_sqlite_insert (f->store, "things", NULL, record ("b", 2), &error);
  g_assert_cmpint (second, >, first);
  g_assert_true (pkm_sqlite_commit (f->store, &error));
}

static gboolean
collect (gint64 id, const char *name, GVariant *rec, gpointer user_data)
{
  GArray *ids = user_data;

  g_array_append_val (ids, id);
  return ids->len < 3;
}

static void
test_foreach_order_and_stop (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_true (pkm_sqlite_begin (f->store, TRUE, &error));
  for (int i = 0; i < 5; i++)
    g_assert_cmpint (pkm_sqlite_insert (f->store, "things", NULL, record ("x", i), &error), >, 0);
  g_assert_true (pkm_sqlite_foreach (f->store, "things", collect, ids, &error));
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 0), <, g_array_index (ids, gint64, 1));
  g_assert_cmpint (g_array_index (ids, gint64, 1), <, g_array_index (ids, gint64, 2));
  g_assert_true (pkm_sqlite_commit (f->store, &error));
}

static void
test_rollback_and_reopen (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) collections = NULL;

  g_assert_true (pkm_sqlite_begin (f->store, TRUE, &error));
  g_assert_cmpint (pkm_sqlite_insert (f->store, "kept", "k", record ("a", 1), &error), >, 0);
  g_assert_true (pkm_sqlite_commit (f->store, &error));
  g_assert_true (pkm_sqlite_begin (f->store, TRUE, &error));
  g_assert_cmpint (pkm_sqlite_insert (f->store, "dropped", "d", record ("b", 2), &error), >, 0);
  pkm_sqlite_rollback (f->store);
  pkm_sqlite_close (f->store);
  f->store = pkm_sqlite_open (f->dir, NULL, &error);
  g_assert_no_error (error);
  collections = pkm_sqlite_list_collections (f->store, &error);
  g_assert_cmpuint (g_strv_length (collections), ==, 1);
  g_assert_cmpstr (collections[0], ==, "kept");
}

static void
test_change_outside_transaction (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (pkm_sqlite_insert (f->store, "things", NULL, record ("a", 1), &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
}

static void
test_file_modes (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir, "pkiman.db", NULL);
  GStatBuf st;

  g_assert_cmpint (g_stat (db, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_newer_schema_refused (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir, "pkiman.db", NULL);
  g_autoptr (GError) error = NULL;
  sqlite3 *raw = NULL;
  PkmStore *again;

  pkm_sqlite_close (f->store);
  f->store = NULL;
  g_assert_cmpint (sqlite3_open (db, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);
  again = pkm_sqlite_open (f->dir, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
  g_assert_nonnull (strstr (error->message, "schema version 99 is newer than this pkiman (1)"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store-sqlite/crud", Fixture, NULL, setup, test_crud, teardown);
  g_test_add ("/store-sqlite/duplicate-name", Fixture, NULL, setup, test_duplicate_name, teardown);
  g_test_add ("/store-sqlite/ids-never-reused", Fixture, NULL, setup, test_ids_never_reused, teardown);
  g_test_add ("/store-sqlite/foreach", Fixture, NULL, setup, test_foreach_order_and_stop, teardown);
  g_test_add ("/store-sqlite/rollback-reopen", Fixture, NULL, setup, test_rollback_and_reopen, teardown);
  g_test_add ("/store-sqlite/outside-transaction", Fixture, NULL, setup, test_change_outside_transaction, teardown);
  g_test_add ("/store-sqlite/file-modes", Fixture, NULL, setup, test_file_modes, teardown);
  g_test_add ("/store-sqlite/newer-schema", Fixture, NULL, setup, test_newer_schema_refused, teardown);
  return g_test_run ();
}
