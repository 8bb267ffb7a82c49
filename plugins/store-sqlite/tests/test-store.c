/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store-sqlite, tested through its vtable the way the core uses it. */
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include "../sqlite-store.h"
#include "pkm-test-support.h"

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
teardown (Fixture *f, gconstpointer data)
{
  pkm_sqlite_close (f->store);
  pkm_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* The one transaction of @store, as the vtable's calls take it. */
#define TX(store) (&(store)->txn)

static gboolean
begin_txn (PkmStore *store, PkmStoreTxnFlags flags, GError **error)
{
  return pkm_sqlite_begin (store, flags, error) != NULL;
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

  g_assert_true (begin_txn (f->store, PKM_STORE_TXN_WRITE, &error));
  id = pkm_sqlite_insert (TX (f->store), "things", "one", record ("first", 1), &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (pkm_sqlite_find (TX (f->store), "things", "one", &error), ==, id);
  g_assert_cmpint (pkm_sqlite_find (TX (f->store), "things", "two", &error), ==, 0);
  g_assert_true (pkm_sqlite_update (TX (f->store), "things", id, "uno", record ("changed", 2), 0, &error) == 2);
  got = pkm_sqlite_get (TX (f->store), "things", id, &name, NULL, &error);
  g_assert_nonnull (got);
  g_assert_cmpstr (name, ==, "uno");
  g_assert_true (g_variant_lookup (got, "text", "&s", &text));
  g_assert_cmpstr (text, ==, "changed");
  g_assert_true (pkm_sqlite_remove (TX (f->store), "things", id, 0, &error));
  g_assert_null (pkm_sqlite_get (TX (f->store), "things", id, NULL, NULL, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (pkm_sqlite_remove (TX (f->store), "things", id, 0, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (pkm_sqlite_commit (TX (f->store), &error));
}

static void
test_duplicate_name (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (begin_txn (f->store, PKM_STORE_TXN_WRITE, &error));
  g_assert_cmpint (pkm_sqlite_insert (TX (f->store), "things", "same", record ("a", 1), &error), >, 0);
  g_assert_cmpint (pkm_sqlite_insert (TX (f->store), "things", "same", record ("b", 2), &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_EXISTS);
  g_clear_error (&error);
  /* The same name in another collection is fine. */
  g_assert_cmpint (pkm_sqlite_insert (TX (f->store), "others", "same", record ("c", 3), &error), >, 0);
  g_assert_true (pkm_sqlite_commit (TX (f->store), &error));
}

static void
test_ids_never_reused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 first, second;

  g_assert_true (begin_txn (f->store, PKM_STORE_TXN_WRITE, &error));
  first = pkm_sqlite_insert (TX (f->store), "things", NULL, record ("a", 1), &error);
  g_assert_true (pkm_sqlite_remove (TX (f->store), "things", first, 0, &error));
  second = pkm_sqlite_insert (TX (f->store), "things", NULL, record ("b", 2), &error);
  g_assert_cmpint (second, >, first);
  g_assert_true (pkm_sqlite_commit (TX (f->store), &error));
}

static gboolean
collect (gint64 id, const char *name, gint64 revision, GVariant *rec, gpointer user_data)
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

  g_assert_true (begin_txn (f->store, PKM_STORE_TXN_WRITE, &error));
  for (int i = 0; i < 5; i++)
    g_assert_cmpint (pkm_sqlite_insert (TX (f->store), "things", NULL, record ("x", i), &error), >, 0);
  PkmStoreQuery all = { .struct_size = sizeof (PkmStoreQuery) };

  g_assert_true (pkm_sqlite_query (TX (f->store), "things", &all, collect, ids, &error));
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 0), <, g_array_index (ids, gint64, 1));
  g_assert_cmpint (g_array_index (ids, gint64, 1), <, g_array_index (ids, gint64, 2));
  g_assert_true (pkm_sqlite_commit (TX (f->store), &error));
}

static void
test_rollback_and_reopen (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) collections = NULL;

  g_assert_true (begin_txn (f->store, PKM_STORE_TXN_WRITE, &error));
  g_assert_cmpint (pkm_sqlite_insert (TX (f->store), "kept", "k", record ("a", 1), &error), >, 0);
  g_assert_true (pkm_sqlite_commit (TX (f->store), &error));
  g_assert_true (begin_txn (f->store, PKM_STORE_TXN_WRITE, &error));
  g_assert_cmpint (pkm_sqlite_insert (TX (f->store), "dropped", "d", record ("b", 2), &error), >, 0);
  pkm_sqlite_rollback (TX (f->store));
  pkm_sqlite_close (f->store);
  f->store = pkm_sqlite_open (f->dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (begin_txn (f->store, PKM_STORE_TXN_READ, &error));
  collections = pkm_sqlite_list_collections (TX (f->store), &error);
  pkm_sqlite_rollback (TX (f->store));
  g_assert_cmpuint (g_strv_length (collections), ==, 1);
  g_assert_cmpstr (collections[0], ==, "kept");
}

static void
test_change_outside_transaction (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (pkm_sqlite_insert (TX (f->store), "things", NULL, record ("a", 1), &error), ==, 0);
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
  g_assert_nonnull (strstr (error->message, "schema version 99 is newer than this pkiman (2)"));
}

/* -- two handles on one store, as two pkiman processes would be -- */

static PkmStore *
open_with (Fixture *f, const char *keys)
{
  g_autoptr (GKeyFile) config = g_key_file_new ();
  g_autofree char *text = g_strconcat ("[store]\n", keys, NULL);
  g_autoptr (GError) error = NULL;
  PkmStore *store;

  g_assert_true (g_key_file_load_from_data (config, text, -1, G_KEY_FILE_NONE, NULL));
  store = pkm_sqlite_open (f->dir, config, &error);
  g_assert_no_error (error);
  return store;
}

static int
pragma_int (PkmStore *store, const char *pragma)
{
  g_autofree char *sql = g_strconcat ("PRAGMA ", pragma, NULL);
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
test_synchronous_full (Fixture *f, gconstpointer data)
{
  PkmStore *normal = open_with (f, "synchronous=normal\n");
  sqlite3_stmt *stmt = NULL;

  /* 2 is FULL, 1 NORMAL; the journal is the WAL either way. */
  g_assert_cmpint (pragma_int (f->store, "synchronous"), ==, 2);
  g_assert_cmpint (pragma_int (normal, "synchronous"), ==, 1);
  g_assert_cmpint (sqlite3_prepare_v2 (f->store->db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  pkm_sqlite_close (normal);
}

static void
expect_bad_config (Fixture *f, const char *keys, const char *message)
{
  g_autoptr (GKeyFile) config = g_key_file_new ();
  g_autofree char *text = g_strconcat ("[store]\n", keys, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_key_file_load_from_data (config, text, -1, G_KEY_FILE_NONE, NULL));
  g_assert_null (pkm_sqlite_open (f->dir, config, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_bad_config (Fixture *f, gconstpointer data)
{
  expect_bad_config (f, "lock-timeout=5m\n",
                     "[store] lock-timeout: \"5m\" is not a whole number of seconds from 0 to 86400");
  expect_bad_config (f, "lock-timeout=-1\n",
                     "[store] lock-timeout: \"-1\" is not a whole number of seconds from 0 to 86400");
  expect_bad_config (f, "synchronous=off\n", "[store] synchronous: \"off\" is not one of full, normal");
}

/* A read, then another handle commits, then a write: the snapshot is stale. */
static void
test_conflict_stale_snapshot (Fixture *f, gconstpointer data)
{
  PkmStore *other = open_with (f, "lock-timeout=0\n");
  g_autoptr (GError) error = NULL;

  g_assert_true (begin_txn (f->store, PKM_STORE_TXN_WRITE, &error));
  g_assert_cmpint (pkm_sqlite_find (TX (f->store), "things", "theirs", &error), ==, 0);
  g_assert_true (begin_txn (other, PKM_STORE_TXN_WRITE, &error));
  g_assert_cmpint (pkm_sqlite_insert (TX (other), "things", "theirs", record ("b", 2), &error), >, 0);
  g_assert_true (pkm_sqlite_commit (TX (other), &error));

  g_assert_cmpint (pkm_sqlite_insert (TX (f->store), "things", "mine", record ("a", 1), &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CONFLICT);
  g_assert_null (strstr (error->message, "locked"));
  g_clear_error (&error);
  /* The transaction is lost: no later change and no commit get through. */
  g_assert_false (pkm_sqlite_remove (TX (f->store), "things", 1, 0, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (pkm_sqlite_commit (TX (f->store), &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CONFLICT);
  g_clear_error (&error);
  pkm_sqlite_rollback (TX (f->store));

  /* The re-run (LOCK_NOW) holds the write lock from BEGIN: another handle that will
   * not wait (lock-timeout=0) cannot take it until the re-run commits. */
  g_assert_true (begin_txn (f->store, PKM_STORE_TXN_WRITE | PKM_STORE_TXN_LOCK_NOW, &error));
  g_assert_cmpint (sqlite3_exec (other->db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_BUSY);
  g_assert_cmpint (pkm_sqlite_find (TX (f->store), "things", "theirs", &error), >, 0);
  g_assert_cmpint (pkm_sqlite_insert (TX (f->store), "things", "mine", record ("a", 1), &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (pkm_sqlite_commit (TX (f->store), &error));
  /* And the next command is optimistic again: BEGIN takes no lock. */
  g_assert_true (begin_txn (f->store, PKM_STORE_TXN_WRITE, &error));
  g_assert_true (begin_txn (other, PKM_STORE_TXN_WRITE, &error));
  g_assert_cmpint (pkm_sqlite_insert (TX (other), "things", "after", record ("d", 4), &error), >, 0);
  g_assert_true (pkm_sqlite_commit (TX (other), &error));
  pkm_sqlite_rollback (TX (f->store));
  pkm_sqlite_close (other);
}

/* A read, then a write while another handle holds the lock: SQLite cannot
 * wait there (the snapshot would be stale once the lock came free), so it is
 * a conflict at once, not a wait that ends in a timeout. */
static void
test_conflict_lock_held (Fixture *f, gconstpointer data)
{
  PkmStore *reader = open_with (f, "lock-timeout=2\n");
  g_autoptr (GError) error = NULL;

  g_assert_true (begin_txn (f->store, PKM_STORE_TXN_WRITE, &error));
  g_assert_cmpint (pkm_sqlite_insert (TX (f->store), "things", "held", record ("a", 1), &error), >, 0);
  g_assert_true (begin_txn (reader, PKM_STORE_TXN_WRITE, &error));
  g_assert_cmpint (pkm_sqlite_find (TX (reader), "things", "held", &error), ==, 0);
  g_assert_cmpint (pkm_sqlite_insert (TX (reader), "things", "mine", record ("b", 2), &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CONFLICT);
  pkm_sqlite_rollback (TX (reader));
  pkm_sqlite_rollback (TX (f->store));
  pkm_sqlite_close (reader);
}

typedef struct {
  PkmTestMessages *waiting;
  PkmStore *holder;
} Release;

/* Commits the holder's transaction once the waiter has said that it waits. */
static gpointer
release_when_waiting (gpointer data)
{
  Release *r = data;

  pkm_test_messages_wait (r->waiting);
  return GINT_TO_POINTER (pkm_sqlite_commit (TX (r->holder), NULL));
}

static void
test_wait_then_write (Fixture *f, gconstpointer data)
{
  PkmStore *holder = open_with (f, "");
  PkmTestMessages waiting;
  Release release = { &waiting, holder };
  g_autoptr (GError) error = NULL;
  GThread *thread;

  pkm_test_messages_start (&waiting, "store-sqlite");
  g_assert_true (begin_txn (holder, PKM_STORE_TXN_WRITE, &error));
  g_assert_cmpint (pkm_sqlite_insert (TX (holder), "things", "first", record ("a", 1), &error), >, 0);
  thread = g_thread_new ("release", release_when_waiting, &release);
  /* Every insert reads first, so a held lock is a conflict, not a wait... */
  g_assert_true (begin_txn (f->store, PKM_STORE_TXN_WRITE, &error));
  g_assert_cmpint (pkm_sqlite_insert (TX (f->store), "things", "second", record ("b", 2), &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpuint (waiting.count, ==, 0);
  pkm_sqlite_rollback (TX (f->store));
  /* ...and the re-run's BEGIN IMMEDIATE waits, says so, and gets the lock. */
  g_assert_true (begin_txn (f->store, PKM_STORE_TXN_WRITE | PKM_STORE_TXN_LOCK_NOW, &error));
  g_assert_cmpint (pkm_sqlite_insert (TX (f->store), "things", "second", record ("b", 2), &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (pkm_sqlite_commit (TX (f->store), &error));
  g_assert_true (GPOINTER_TO_INT (g_thread_join (thread)));
  g_assert_cmpuint (waiting.count, ==, 1);
  g_assert_cmpstr (waiting.last, ==,
                   "waiting for another pkiman that is writing the store (up to 300 s, [store] "
                   "lock-timeout)...");
  g_assert_cmpint (pkm_sqlite_find (TX (f->store), "things", "first", &error), >, 0);
  pkm_test_messages_stop (&waiting);
  pkm_sqlite_close (holder);
}

static void
test_lock_timeout (Fixture *f, gconstpointer data)
{
  PkmStore *waiter = open_with (f, "lock-timeout=1\n");
  PkmTestMessages waiting;
  g_autoptr (GError) error = NULL;

  pkm_test_messages_start (&waiting, "store-sqlite");
  g_assert_true (begin_txn (f->store, PKM_STORE_TXN_WRITE, &error));
  g_assert_cmpint (pkm_sqlite_insert (TX (f->store), "things", "held", record ("a", 1), &error), >, 0);
  g_assert_true (begin_txn (waiter, PKM_STORE_TXN_WRITE, &error));
  g_assert_cmpint (pkm_sqlite_insert (TX (waiter), "things", "mine", record ("b", 2), &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CONFLICT);
  g_clear_error (&error);
  pkm_sqlite_rollback (TX (waiter));
  g_assert_false (begin_txn (waiter, PKM_STORE_TXN_WRITE | PKM_STORE_TXN_LOCK_NOW, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "store-sqlite: another pkiman kept writing the store for over 1 s ([store] lock-timeout); "
                   "nothing was changed");
  g_assert_cmpuint (waiting.count, ==, 1);
  pkm_sqlite_rollback (TX (waiter));
  pkm_sqlite_rollback (TX (f->store));
  pkm_test_messages_stop (&waiting);
  pkm_sqlite_close (waiter);
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
  g_test_add ("/store-sqlite/synchronous-full", Fixture, NULL, setup, test_synchronous_full, teardown);
  g_test_add ("/store-sqlite/bad-config", Fixture, NULL, setup, test_bad_config, teardown);
  g_test_add ("/store-sqlite/conflict-stale-snapshot", Fixture, NULL, setup, test_conflict_stale_snapshot,
              teardown);
  g_test_add ("/store-sqlite/conflict-lock-held", Fixture, NULL, setup, test_conflict_lock_held, teardown);
  g_test_add ("/store-sqlite/wait-then-write", Fixture, NULL, setup, test_wait_then_write, teardown);
  g_test_add ("/store-sqlite/lock-timeout", Fixture, NULL, setup, test_lock_timeout, teardown);
  return g_test_run ();
}
