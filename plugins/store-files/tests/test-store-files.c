/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store-files, tested through its vtable the way the core uses it. */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "../files-store.h"
#include "pkm-test-support.h"

typedef struct {
  char *dir;   /* the state directory */
  char *store; /* the store's directory in it */
  PkmStore *s;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("store-files-XXXXXX", NULL);
  f->store = g_build_filename (f->dir, "files-store", NULL);
  f->s = pkm_files_open (f->dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->s);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  pkm_files_close (f->s);
  pkm_test_remove_tree (f->dir);
  g_free (f->store);
  g_free (f->dir);
}

/* The one transaction of @store, as the vtable's calls take it. */
#define TX(store) (&(store)->txn)

static void
begin_ok (PkmStore *store, PkmStoreTxnFlags flags)
{
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (pkm_files_begin (store, flags, &error));
  g_assert_no_error (error);
}

static void
commit_ok (PkmStore *store)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (pkm_files_commit (TX (store), &error));
  g_assert_no_error (error);
}

static PkmStore *
open_with (Fixture *f, const char *keys)
{
  g_autoptr (GKeyFile) config = g_key_file_new ();
  g_autofree char *text = g_strconcat ("[store]\n", keys, NULL);
  g_autoptr (GError) error = NULL;
  PkmStore *store;

  g_assert_true (g_key_file_load_from_data (config, text, -1, G_KEY_FILE_NONE, NULL));
  store = pkm_files_open (f->dir, config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
reopen (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  pkm_files_close (f->s);
  f->s = pkm_files_open (f->dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->s);
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

static gint64
insert_ok (PkmStore *store, const char *collection, const char *name, GVariant *rec)
{
  g_autoptr (GError) error = NULL;
  gint64 id = pkm_files_insert (TX (store), collection, name, rec, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gboolean
dump_row (gint64 id, const char *name, gint64 revision, GVariant *rec, gpointer user_data)
{
  g_autofree char *text = g_variant_print (rec, TRUE);

  g_string_append_printf (user_data, "  %" G_GINT64_FORMAT " %s r%" G_GINT64_FORMAT " %s\n", id,
                          name != NULL ? name : "-", revision, text);
  return TRUE;
}

/* Everything a transaction of @store sees, as text. */
static char *
dump_in_txn (PkmStore *store)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) collections = pkm_files_list_collections (TX (store), &error);
  GString *out = g_string_new (NULL);
  PkmStoreQuery all = { .struct_size = sizeof (PkmStoreQuery) };

  g_assert_no_error (error);
  for (guint i = 0; collections[i] != NULL; i++)
    {
      g_string_append_printf (out, "%s\n", collections[i]);
      g_assert_true (pkm_files_query (TX (store), collections[i], &all, dump_row, out, &error));
      g_assert_no_error (error);
    }
  g_string_append_printf (out, "cursor %" G_GINT64_FORMAT "\n", pkm_files_current_cursor (TX (store), NULL));
  return g_string_free (out, FALSE);
}

static char *
dump (PkmStore *store)
{
  char *text;

  begin_ok (store, PKM_STORE_TXN_READ);
  text = dump_in_txn (store);
  commit_ok (store);
  return text;
}

/* -- records -- */

static void
test_crud (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) got = NULL;
  g_autofree char *name = NULL;
  const char *text = NULL;
  gint64 id, revision = 0;

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  id = insert_ok (f->s, "things", "one", record ("first", 1));
  g_assert_cmpint (pkm_files_find (TX (f->s), "things", "one", &error), ==, id);
  g_assert_cmpint (pkm_files_find (TX (f->s), "things", "two", &error), ==, 0);
  g_assert_cmpint (pkm_files_find (TX (f->s), "nothing", "two", &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (pkm_files_update (TX (f->s), "things", id, "uno", record ("changed", 2), 1, &error), ==, 2);
  got = pkm_files_get (TX (f->s), "things", id, &name, &revision, &error);
  g_assert_nonnull (got);
  g_assert_cmpstr (name, ==, "uno");
  g_assert_cmpint (revision, ==, 2);
  g_assert_true (g_variant_lookup (got, "text", "&s", &text));
  g_assert_cmpstr (text, ==, "changed");
  commit_ok (f->s);

  /* From the files now, in a new transaction and after a reopen. */
  reopen (f);
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_clear_pointer (&got, g_variant_unref);
  g_clear_pointer (&name, g_free);
  got = pkm_files_get (TX (f->s), "things", id, &name, &revision, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "uno");
  g_assert_cmpint (revision, ==, 2);
  g_assert_true (g_variant_lookup (got, "text", "&s", &text));
  g_assert_cmpstr (text, ==, "changed");
  /* A stale revision is a conflict, for update and remove alike. */
  g_assert_cmpint (pkm_files_update (TX (f->s), "things", id, "uno", record ("x", 3), 1, &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (pkm_files_remove (TX (f->s), "things", id, 7, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (pkm_files_update (TX (f->s), "things", id, NULL, record ("three", 3), 0, &error), ==, 3);
  g_assert_cmpint (pkm_files_find (TX (f->s), "things", "uno", &error), ==, 0);
  g_assert_true (pkm_files_remove (TX (f->s), "things", id, 3, &error));
  g_assert_null (pkm_files_get (TX (f->s), "things", id, NULL, NULL, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "things 1 does not exist");
  g_clear_error (&error);
  g_assert_false (pkm_files_remove (TX (f->s), "things", id, 0, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (pkm_files_update (TX (f->s), "nothing", 5, NULL, record ("x", 1), 0, &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (pkm_files_insert (TX (f->s), "things", NULL, g_variant_new_string ("no dict"), &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  commit_ok (f->s);
  reopen (f);
  begin_ok (f->s, PKM_STORE_TXN_READ);
  g_assert_null (pkm_files_get (TX (f->s), "things", id, NULL, NULL, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND);
  commit_ok (f->s);
}

static void
test_duplicate_name (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 a, b;

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  a = insert_ok (f->s, "things", "same", record ("a", 1));
  g_assert_cmpint (pkm_files_insert (TX (f->s), "things", "same", record ("b", 2), &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "things \"same\" already exists");
  g_clear_error (&error);
  /* The same name in another collection is fine. */
  insert_ok (f->s, "others", "same", record ("c", 3));
  b = insert_ok (f->s, "things", "other", record ("d", 4));
  g_assert_cmpint (pkm_files_update (TX (f->s), "things", b, "same", record ("d", 4), 0, &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_EXISTS);
  g_clear_error (&error);
  commit_ok (f->s);

  /* Two records swap their names in one transaction: the journal and the
   * catalog hold the end state whatever the order. */
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_cmpint (pkm_files_update (TX (f->s), "things", b, "tmp", record ("d", 4), 0, &error), ==, 2);
  g_assert_cmpint (pkm_files_update (TX (f->s), "things", a, "other", record ("a", 1), 0, &error), ==, 2);
  g_assert_cmpint (pkm_files_update (TX (f->s), "things", b, "same", record ("d", 4), 0, &error), ==, 3);
  g_assert_no_error (error);
  commit_ok (f->s);
  reopen (f);
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_cmpint (pkm_files_find (TX (f->s), "things", "same", &error), ==, b);
  g_assert_cmpint (pkm_files_find (TX (f->s), "things", "other", &error), ==, a);
  /* A removed record's name is free again. */
  g_assert_true (pkm_files_remove (TX (f->s), "things", b, 0, &error));
  g_assert_cmpint (insert_ok (f->s, "things", "same", record ("e", 5)), >, b);
  commit_ok (f->s);
}

static void
test_names_and_collections (Fixture *f, gconstpointer data)
{
  static const char *const names[] = { "zertifikat-für-köln", "証明書", "with space", "a/b", "..", "%41", "" };
  static const char *const collections[] = { "certificate", "a/b", "..", ".", "%41", "A", "a", "ü" };
  g_autofree char *long_collection = g_strnfill (300, 'c');
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_auto (GStrv) listed = NULL;

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  for (guint c = 0; c < G_N_ELEMENTS (collections); c++)
    for (guint n = 0; n < G_N_ELEMENTS (names); n++)
      insert_ok (f->s, collections[c], names[n], record (names[n], n));
  insert_ok (f->s, long_collection, "long", record ("long", 1));
  commit_ok (f->s);
  before = dump (f->s);
  reopen (f);
  after = dump (f->s);
  g_assert_cmpstr (before, ==, after);
  begin_ok (f->s, PKM_STORE_TXN_READ);
  for (guint c = 0; c < G_N_ELEMENTS (collections); c++)
    for (guint n = 0; n < G_N_ELEMENTS (names); n++)
      {
        gint64 id = pkm_files_find (TX (f->s), collections[c], names[n], &error);
        g_autoptr (GVariant) got = pkm_files_get (TX (f->s), collections[c], id, NULL, NULL, &error);
        const char *text = NULL;

        g_assert_no_error (error);
        g_assert_true (g_variant_lookup (got, "text", "&s", &text));
        g_assert_cmpstr (text, ==, names[n]);
      }
  /* "A" and "a" are two collections (and two directories); sorted as bytes. */
  listed = pkm_files_list_collections (TX (f->s), &error);
  g_assert_cmpuint (g_strv_length (listed), ==, G_N_ELEMENTS (collections) + 1);
  for (guint i = 1; listed[i] != NULL; i++)
    g_assert_cmpint (strcmp (listed[i - 1], listed[i]), <, 0);
  commit_ok (f->s);
}

/* -- ids -- */

static void
test_ids_never_reused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 first, second, third, fourth;

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  first = insert_ok (f->s, "things", NULL, record ("a", 1));
  g_assert_true (pkm_files_remove (TX (f->s), "things", first, 0, &error));
  second = insert_ok (f->s, "things", NULL, record ("b", 2));
  g_assert_cmpint (second, >, first);
  commit_ok (f->s);
  /* A rolled-back transaction's id stays spent, here... */
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  third = insert_ok (f->s, "things", NULL, record ("c", 3));
  pkm_files_rollback (TX (f->s));
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  fourth = insert_ok (f->s, "things", NULL, record ("d", 4));
  g_assert_cmpint (fourth, >, third);
  pkm_files_rollback (TX (f->s));
  /* ...after a reopen, and for another handle on the store. */
  reopen (f);
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_cmpint (insert_ok (f->s, "things", NULL, record ("e", 5)), >, fourth);
  commit_ok (f->s);
  /* A new collection whose only insert rolled back starts past it. */
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_cmpint (insert_ok (f->s, "fresh", NULL, record ("f", 6)), ==, 1);
  pkm_files_rollback (TX (f->s));
  reopen (f);
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_cmpint (insert_ok (f->s, "fresh", NULL, record ("g", 7)), ==, 2);
  commit_ok (f->s);
}

/* -- queries -- */

static gboolean
collect_ids (gint64 id, const char *name, gint64 revision, GVariant *rec, gpointer user_data)
{
  g_array_append_val ((GArray *) user_data, id);
  return TRUE;
}

static gboolean
stop_at_three (gint64 id, const char *name, gint64 revision, GVariant *rec, gpointer user_data)
{
  GArray *ids = user_data;

  g_array_append_val (ids, id);
  return ids->len < 3;
}

/* Records whose fields of several types take few distinct values, so that
 * ranges hold many and equal values tie. */
static GVariant *
typed_record (guint i)
{
  GVariantDict dict;
  char text[16];
  guint8 bytes[3] = { (guint8) (i % 5), (guint8) (i % 3), 0 };

  g_variant_dict_init (&dict, NULL);
  g_snprintf (text, sizeof text, "v%02u", (i * 7) % 23);
  if (i % 6 != 0) /* some records lack the field: they are not in its index */
    g_variant_dict_insert (&dict, "s", "s", text);
  g_variant_dict_insert (&dict, "x", "x", (gint64) ((i * 37) % 50) - 25);
  g_variant_dict_insert_value (&dict, "ay",
                               g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, bytes, 1 + i % 3, 1));
  g_variant_dict_insert (&dict, "b", "b", i % 4 == 0);
  g_variant_dict_insert (&dict, "i", "i", (gint32) (i % 9) - 4);
  g_variant_dict_insert (&dict, "u", "u", (guint32) (i % 11));
  /* The same key with another type than the index's: not in the index. */
  if (i % 10 == 0)
    g_variant_dict_insert (&dict, "u", "s", "not a u");
  g_variant_dict_insert (&dict, "payload", "s", "some bytes that are not indexed");
  return g_variant_dict_end (&dict);
}

static const struct {
  const char *field, *type;
} typed_fields[] = { { "s", "s" }, { "x", "x" }, { "ay", "ay" }, { "b", "b" }, { "i", "i" }, { "u", "u" } };

typedef struct {
  const char *field;
  const char *type;
  GVariant *lower, *upper;
  gint64 after_id;
  guint64 limit;
  GArray *ids;
} Scan;

static gboolean
scan_row (gint64 id, const char *name, gint64 revision, GVariant *rec, gpointer user_data)
{
  Scan *scan = user_data;
  g_autoptr (GVariant) value = g_variant_lookup_value (rec, scan->field, G_VARIANT_TYPE (scan->type));

  if (value == NULL || id <= scan->after_id || (scan->limit > 0 && scan->ids->len >= scan->limit))
    return TRUE;
  if (scan->lower != NULL && pkm_store_value_compare (value, scan->lower) < 0)
    return TRUE;
  if (scan->upper != NULL && pkm_store_value_compare (value, scan->upper) > 0)
    return TRUE;
  g_array_append_val (scan->ids, id);
  return TRUE;
}

static GVariant *
some_value (const char *type, guint n)
{
  guint8 bytes[2] = { (guint8) (n % 5), (guint8) (n % 3) };

  if (g_str_equal (type, "s"))
    return g_variant_new_take_string (g_strdup_printf ("v%02u", n % 25));
  if (g_str_equal (type, "x"))
    return g_variant_new_int64 ((gint64) (n % 56) - 28);
  if (g_str_equal (type, "ay"))
    return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, bytes, n % 3, 1);
  if (g_str_equal (type, "b"))
    return g_variant_new_boolean (n % 2);
  if (g_str_equal (type, "i"))
    return g_variant_new_int32 ((gint32) (n % 11) - 5);
  return g_variant_new_uint32 (n % 13);
}

/* Many queries on each indexed field, each against a full scan. */
static void
check_queries_agree (PkmStore *store, GRand *rand)
{
  g_autoptr (GError) error = NULL;

  for (guint round = 0; round < 300; round++)
    {
      guint k = g_rand_int_range (rand, 0, G_N_ELEMENTS (typed_fields));
      const char *field = typed_fields[k].field, *type = typed_fields[k].type;
      g_autoptr (GVariant) lower = NULL, upper = NULL;
      g_autoptr (GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (GArray) got = g_array_new (FALSE, FALSE, sizeof (gint64));
      guint shape = g_rand_int_range (rand, 0, 4);
      Scan scan;
      PkmStoreQuery all = { .struct_size = sizeof (PkmStoreQuery) }, q;
      guint64 count = 0;

      if (shape == 0 || shape == 1)
        lower = g_variant_ref_sink (some_value (type, g_rand_int (rand)));
      if (shape == 0 || shape == 2)
        upper = g_variant_ref_sink (some_value (type, g_rand_int (rand)));
      if (shape == 3) /* one value */
        {
          lower = g_variant_ref_sink (some_value (type, g_rand_int (rand)));
          upper = g_variant_ref (lower);
        }
      scan = (Scan) { field, type, lower, upper, g_rand_boolean (rand) ? g_rand_int_range (rand, 0, 150) : 0,
                      g_rand_boolean (rand) ? (guint64) g_rand_int_range (rand, 1, 40) : 0, expected };
      g_assert_true (pkm_files_query (TX (store), "typed", &all, scan_row, &scan, &error));
      q = (PkmStoreQuery) { .struct_size = sizeof (PkmStoreQuery), .field = field, .lower = lower, .upper = upper,
                            .after_id = scan.after_id, .limit = scan.limit };
      g_assert_true (pkm_files_query (TX (store), "typed", &q, collect_ids, got, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (got->len, ==, expected->len);
      for (guint i = 0; i < got->len; i++)
        g_assert_cmpint (g_array_index (got, gint64, i), ==, g_array_index (expected, gint64, i));
      g_assert_true (pkm_files_count (TX (store), "typed", &q, &count, &error));
      g_assert_cmpuint (count, ==, expected->len);
    }
}

static void
declare_typed (PkmStore *store)
{
  g_autoptr (GError) error = NULL;

  for (guint k = 0; k < G_N_ELEMENTS (typed_fields); k++)
    {
      g_assert_true (pkm_files_declare_index (TX (store), "typed", typed_fields[k].field, typed_fields[k].type,
                                              &error));
      g_assert_no_error (error);
    }
}

static void
test_query_agrees_with_scan (Fixture *f, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  g_autoptr (GError) error = NULL;

  /* Half the records before the indexes are declared (backfilled), half after. */
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  for (guint i = 0; i < 100; i++)
    insert_ok (f->s, "typed", NULL, typed_record (i));
  commit_ok (f->s);
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  declare_typed (f->s);
  for (guint i = 100; i < 200; i++)
    insert_ok (f->s, "typed", NULL, typed_record (i));
  /* Uncommitted changes are seen by the transaction's own queries. */
  check_queries_agree (f->s, rand);
  commit_ok (f->s);

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  for (gint64 id = 3; id <= 200; id += 7)
    g_assert_true (pkm_files_remove (TX (f->s), "typed", id, 0, &error));
  for (gint64 id = 5; id <= 200; id += 9)
    if (id % 7 != 3)
      g_assert_cmpint (pkm_files_update (TX (f->s), "typed", id, NULL, typed_record ((guint) id * 3), 0, &error), >, 0);
  g_assert_no_error (error);
  check_queries_agree (f->s, rand);
  commit_ok (f->s);
  reopen (f);
  begin_ok (f->s, PKM_STORE_TXN_READ);
  check_queries_agree (f->s, rand);
  commit_ok (f->s);
}

static void
test_query_paging_projection (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *const keys[] = { "text", "missing", NULL };
  PkmStoreQuery all = { .struct_size = sizeof (PkmStoreQuery) };
  PkmStoreQuery paged = { .struct_size = sizeof (PkmStoreQuery), .after_id = 2, .limit = 2 };
  PkmStoreQuery projected = { .struct_size = sizeof (PkmStoreQuery), .projection = keys };
  /* A caller built before projection existed: the members past its size are not read. */
  PkmStoreQuery old = { .struct_size = G_STRUCT_OFFSET (PkmStoreQuery, projection), .projection = keys };
  g_autoptr (GString) text = g_string_new (NULL);
  guint64 count = 0;

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  for (int i = 0; i < 5; i++)
    insert_ok (f->s, "things", NULL, record ("x", i));
  commit_ok (f->s);
  begin_ok (f->s, PKM_STORE_TXN_READ);
  g_assert_true (pkm_files_query (TX (f->s), "things", &all, stop_at_three, ids, &error));
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 2), ==, 3);
  g_array_set_size (ids, 0);
  g_assert_true (pkm_files_query (TX (f->s), "things", &paged, collect_ids, ids, &error));
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 4);
  g_assert_true (pkm_files_count (TX (f->s), "things", &paged, &count, &error));
  g_assert_cmpuint (count, ==, 2);
  g_assert_true (pkm_files_count (TX (f->s), "things", &all, &count, &error));
  g_assert_cmpuint (count, ==, 5);
  g_assert_true (pkm_files_count (TX (f->s), "nothing", &all, &count, &error));
  g_assert_cmpuint (count, ==, 0);
  g_assert_true (pkm_files_query (TX (f->s), "things", &projected, dump_row, text, &error));
  g_assert_nonnull (strstr (text->str, "  1 - r1 {'text': <'x'>}\n"));
  g_assert_null (strstr (text->str, "number"));
  g_string_truncate (text, 0);
  g_assert_true (pkm_files_query (TX (f->s), "things", &old, dump_row, text, &error));
  g_assert_nonnull (strstr (text->str, "number"));
  g_assert_no_error (error);
  commit_ok (f->s);
}

static void
test_declare_index (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) three = g_variant_ref_sink (g_variant_new_int64 (3));
  g_autoptr (GVariant) wrong = g_variant_ref_sink (g_variant_new_string ("3"));
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  PkmStoreQuery q = { .struct_size = sizeof (PkmStoreQuery), .field = "number", .lower = three, .upper = three };

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  for (int i = 0; i < 6; i++)
    insert_ok (f->s, "things", NULL, record ("x", i % 4));
  g_assert_false (pkm_files_query (TX (f->s), "things", &q, collect_ids, ids, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "store-files: things.number is not indexed");
  g_clear_error (&error);
  g_assert_true (pkm_files_declare_index (TX (f->s), "things", "number", "x", &error));
  /* Declaring it again is a no-op; another type is EXISTS; a bad type is refused. */
  g_assert_true (pkm_files_declare_index (TX (f->s), "things", "number", "x", &error));
  g_assert_false (pkm_files_declare_index (TX (f->s), "things", "number", "s", &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (pkm_files_declare_index (TX (f->s), "things", "text", "as", &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* The records already stored were indexed. */
  g_assert_true (pkm_files_query (TX (f->s), "things", &q, collect_ids, ids, &error));
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 4);
  q.lower = wrong;
  g_assert_false (pkm_files_query (TX (f->s), "things", &q, collect_ids, ids, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  q.lower = three;
  commit_ok (f->s);

  /* Persisted: after a reopen a read transaction finds it declared (a
   * no-op), and refuses a new one. */
  reopen (f);
  begin_ok (f->s, PKM_STORE_TXN_READ);
  g_assert_true (pkm_files_declare_index (TX (f->s), "things", "number", "x", &error));
  g_assert_false (pkm_files_declare_index (TX (f->s), "things", "text", "s", &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
  g_clear_error (&error);
  g_array_set_size (ids, 0);
  g_assert_true (pkm_files_query (TX (f->s), "things", &q, collect_ids, ids, &error));
  g_assert_cmpuint (ids->len, ==, 1);
  commit_ok (f->s);

  /* A declaration rolled back leaves no index. */
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_true (pkm_files_declare_index (TX (f->s), "things", "text", "s", &error));
  pkm_files_rollback (TX (f->s));
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  q.field = "text";
  q.lower = q.upper = NULL;
  g_assert_false (pkm_files_query (TX (f->s), "things", &q, collect_ids, ids, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  pkm_files_rollback (TX (f->s));
}

static void
remove_record_file (Fixture *f, const char *collection, gint64 id)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *path = g_build_filename (f->store, "records", collection, number, NULL);

  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* The index and the catalog answer without the record files: a count over
 * an index, a find, and opening the store read none; a query reads the
 * files of the records it returns only. */
static void
test_index_reads_no_records (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) low = g_variant_ref_sink (g_variant_new_int64 (90));
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  PkmStoreQuery q = { .struct_size = sizeof (PkmStoreQuery), .field = "number", .lower = low };
  PkmStoreQuery all = { .struct_size = sizeof (PkmStoreQuery) };
  guint64 count = 0;

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_true (pkm_files_declare_index (TX (f->s), "things", "number", "x", &error));
  for (int i = 0; i < 100; i++)
    {
      char name[16];
      g_snprintf (name, sizeof name, "n%d", i);
      insert_ok (f->s, "things", name, record ("x", i));
    }
  commit_ok (f->s);
  for (gint64 id = 1; id <= 90; id++)
    remove_record_file (f, "things", id);
  reopen (f);
  begin_ok (f->s, PKM_STORE_TXN_READ);
  g_assert_true (pkm_files_count (TX (f->s), "things", &q, &count, &error));
  g_assert_cmpuint (count, ==, 10);
  g_assert_true (pkm_files_count (TX (f->s), "things", &all, &count, &error));
  g_assert_cmpuint (count, ==, 100);
  g_assert_cmpint (pkm_files_find (TX (f->s), "things", "n5", &error), ==, 6);
  g_assert_true (pkm_files_query (TX (f->s), "things", &q, collect_ids, ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 10);
  /* A full scan does read them, and says which is missing. */
  g_assert_false (pkm_files_query (TX (f->s), "things", &all, collect_ids, ids, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
  g_assert_nonnull (strstr (error->message, "records/things/1: open: No such file or directory"));
  commit_ok (f->s);
}

/* -- sequences and the feed -- */

static void
test_sequences (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_cmpint (pkm_files_next_sequence (TX (f->s), "crl", &error), ==, 1);
  g_assert_cmpint (pkm_files_next_sequence (TX (f->s), "crl", &error), ==, 2);
  g_assert_cmpint (pkm_files_next_sequence (TX (f->s), "other", &error), ==, 1);
  commit_ok (f->s);
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_cmpint (pkm_files_next_sequence (TX (f->s), "crl", &error), ==, 3);
  g_assert_cmpint (pkm_files_next_sequence (TX (f->s), "new", &error), ==, 1);
  pkm_files_rollback (TX (f->s));
  /* The rolled-back numbers are given back, after a reopen too. */
  reopen (f);
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_cmpint (pkm_files_next_sequence (TX (f->s), "crl", &error), ==, 3);
  g_assert_cmpint (pkm_files_next_sequence (TX (f->s), "new", &error), ==, 1);
  commit_ok (f->s);
  begin_ok (f->s, PKM_STORE_TXN_READ);
  g_assert_cmpint (pkm_files_next_sequence (TX (f->s), "crl", &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
  commit_ok (f->s);
}

typedef struct {
  GString *text;
} Feed;

static gboolean
note_change (gint64 cursor, const char *collection, gint64 id, PkmStoreChange change, gpointer user_data)
{
  static const char *const kinds[] = { "?", "inserted", "updated", "removed" };

  g_string_append_printf (user_data, "%" G_GINT64_FORMAT " %s %" G_GINT64_FORMAT " %s\n", cursor, collection, id,
                          kinds[change]);
  return TRUE;
}

static char *
changes (PkmStore *store, gint64 since)
{
  g_autoptr (GError) error = NULL;
  GString *text = g_string_new (NULL);

  g_assert_true (pkm_files_changes_since (TX (store), since, note_change, text, &error));
  g_assert_no_error (error);
  return g_string_free (text, FALSE);
}

static void
test_changes_since (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *all = NULL, *later = NULL, *reopened = NULL;
  gint64 a, b, c, cursor;

  begin_ok (f->s, PKM_STORE_TXN_READ);
  g_assert_cmpint (pkm_files_current_cursor (TX (f->s), &error), ==, 0);
  commit_ok (f->s);
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  a = insert_ok (f->s, "things", "a", record ("a", 1)); /* cursor 1 */
  b = insert_ok (f->s, "things", "b", record ("b", 2)); /* 2 */
  c = insert_ok (f->s, "others", "c", record ("c", 3)); /* 3 */
  commit_ok (f->s);
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  cursor = pkm_files_current_cursor (TX (f->s), &error);
  g_assert_cmpint (cursor, ==, 3);
  g_assert_cmpint (pkm_files_update (TX (f->s), "things", a, "a", record ("a2", 1), 0, &error), ==, 2); /* 4 */
  g_assert_true (pkm_files_remove (TX (f->s), "others", c, 0, &error));                              /* 5 */
  g_assert_cmpint (pkm_files_current_cursor (TX (f->s), &error), ==, 5);
  commit_ok (f->s);
  /* A rolled-back change moves the cursor back. */
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_cmpint (pkm_files_update (TX (f->s), "things", b, "b", record ("b2", 1), 0, &error), ==, 2);
  g_assert_cmpint (pkm_files_current_cursor (TX (f->s), &error), ==, 6);
  pkm_files_rollback (TX (f->s));
  begin_ok (f->s, PKM_STORE_TXN_READ);
  g_assert_cmpint (pkm_files_current_cursor (TX (f->s), &error), ==, 5);
  all = changes (f->s, 0);
  later = changes (f->s, cursor);
  commit_ok (f->s);
  g_assert_cmpstr (all, ==, "2 things 2 inserted\n4 things 1 updated\n5 others 1 removed\n");
  g_assert_cmpstr (later, ==, "4 things 1 updated\n5 others 1 removed\n");
  reopen (f);
  begin_ok (f->s, PKM_STORE_TXN_READ);
  reopened = changes (f->s, 0);
  g_assert_cmpstr (reopened, ==, all);
  g_assert_cmpint (pkm_files_current_cursor (TX (f->s), &error), ==, 5);
  commit_ok (f->s);
}

/* -- transactions -- */

static void
test_rollback_leaves_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL, *reopened = NULL;
  gint64 kept, other;
  g_auto (GStrv) collections = NULL;

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_true (pkm_files_declare_index (TX (f->s), "kept", "number", "x", &error));
  kept = insert_ok (f->s, "kept", "k", record ("a", 1));
  other = insert_ok (f->s, "kept", "o", record ("b", 2));
  g_assert_cmpint (pkm_files_next_sequence (TX (f->s), "seq", &error), ==, 1);
  commit_ok (f->s);
  before = dump (f->s);
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  insert_ok (f->s, "dropped", "d", record ("b", 2));
  g_assert_cmpint (pkm_files_update (TX (f->s), "kept", kept, "o2", record ("changed", 9), 0, &error), ==, 2);
  g_assert_cmpint (pkm_files_update (TX (f->s), "kept", other, "k2", record ("changed", 8), 0, &error), ==, 2);
  g_assert_cmpint (pkm_files_update (TX (f->s), "kept", kept, "o", record ("changed", 7), 0, &error), ==, 3);
  g_assert_cmpint (pkm_files_update (TX (f->s), "kept", other, "k", record ("changed", 6), 0, &error), ==, 3);
  g_assert_true (pkm_files_remove (TX (f->s), "kept", other, 0, &error));
  g_assert_true (pkm_files_declare_index (TX (f->s), "kept", "text", "s", &error));
  g_assert_cmpint (pkm_files_next_sequence (TX (f->s), "seq", &error), ==, 2);
  g_assert_no_error (error);
  pkm_files_rollback (TX (f->s));
  after = dump (f->s);
  g_assert_cmpstr (before, ==, after);
  reopen (f);
  reopened = dump (f->s);
  g_assert_cmpstr (before, ==, reopened);
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  collections = pkm_files_list_collections (TX (f->s), &error);
  g_assert_cmpuint (g_strv_length (collections), ==, 1);
  g_assert_cmpstr (collections[0], ==, "kept");
  g_assert_cmpint (pkm_files_find (TX (f->s), "kept", "o", &error), ==, other);
  g_assert_cmpint (pkm_files_next_sequence (TX (f->s), "seq", &error), ==, 2);
  commit_ok (f->s);
}

static void
test_outside_transaction (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (pkm_files_insert (TX (f->s), "things", NULL, record ("a", 1), &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (pkm_files_find (TX (f->s), "things", "a", &error), ==, -1);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
  g_clear_error (&error);
  begin_ok (f->s, PKM_STORE_TXN_READ);
  g_assert_null (pkm_files_begin (f->s, PKM_STORE_TXN_READ, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (pkm_files_insert (TX (f->s), "things", NULL, record ("a", 1), &error), ==, 0);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
  g_assert_cmpstr (error->message, ==, "store-files: a change in a read transaction");
  g_clear_error (&error);
  g_assert_false (pkm_files_remove (TX (f->s), "things", 1, 0, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
  commit_ok (f->s);
}

static GBytes *
read_file (const char *path)
{
  char *data = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (path, &data, &size, NULL));
  return g_bytes_new_take (data, size);
}

static void
write_file (const char *path, const void *data, gsize size)
{
  g_assert_true (g_file_set_contents (path, data, (gssize) size, NULL));
}

/* -- crashes -- */

static gint64
crash_during_commit (Fixture *f, PkmFilesCrash at)
{
  g_autoptr (GError) error = NULL;
  gint64 id;

  f->s->crash_at = at;
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  id = insert_ok (f->s, "things", "crashed", record ("in the journal", 42));
  g_assert_cmpint (pkm_files_update (TX (f->s), "things", 1, "first", record ("updated", 2), 0, &error), ==, 2);
  g_assert_true (pkm_files_remove (TX (f->s), "things", 2, 0, &error));
  g_assert_cmpint (pkm_files_next_sequence (TX (f->s), "seq", &error), ==, 1);
  g_assert_false (pkm_files_commit (TX (f->s), &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
  g_assert_cmpstr (error->message, ==, "store-files: a simulated crash");
  /* The process is dead: nothing more of it runs, the kernel drops its lock. */
  return id;
}

static void
test_crash_replayed (Fixture *f, gconstpointer data)
{
  static const PkmFilesCrash points[] = { PKM_FILES_CRASH_AFTER_JOURNAL, PKM_FILES_CRASH_AFTER_RECORDS,
                                          PKM_FILES_CRASH_MID_CATALOG };
  g_autofree char *journal = g_build_filename (f->store, "journal", NULL);

  for (guint p = 0; p < G_N_ELEMENTS (points); p++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GVariant) got = NULL;
      g_autofree char *first = NULL, *second = NULL;
      g_autoptr (GBytes) saved = NULL;
      PkmStore *other, *early;
      const char *text = NULL;
      gint64 id;

      pkm_test_remove_tree (f->store);
      reopen (f);
      begin_ok (f->s, PKM_STORE_TXN_WRITE);
      insert_ok (f->s, "things", "first", record ("one", 1));
      insert_ok (f->s, "things", "second", record ("two", 2));
      commit_ok (f->s);
      early = open_with (f, "");
      id = crash_during_commit (f, points[p]);
      pkm_files_close (f->s);
      f->s = NULL;
      g_assert_true (g_file_test (journal, G_FILE_TEST_EXISTS));
      saved = read_file (journal);

      /* A handle opened before the crash replays it when it begins (a
       * reader: it takes the lock exclusive for that)... */
      begin_ok (early, PKM_STORE_TXN_READ);
      g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
      g_assert_cmpint (pkm_files_find (TX (early), "things", "crashed", &error), ==, id);
      commit_ok (early);
      pkm_files_close (early);
      write_file (journal, g_bytes_get_data (saved, NULL), g_bytes_get_size (saved));
      /* ...and so does another that opens the store. */
      other = open_with (f, "");
      g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
      begin_ok (other, PKM_STORE_TXN_READ);
      got = pkm_files_get (TX (other), "things", id, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_variant_lookup (got, "text", "&s", &text));
      g_assert_cmpstr (text, ==, "in the journal");
      g_assert_cmpint (pkm_files_find (TX (other), "things", "first", &error), ==, 1);
      g_assert_cmpint (pkm_files_find (TX (other), "things", "second", &error), ==, 0);
      first = dump_in_txn (other);
      commit_ok (other);
      begin_ok (other, PKM_STORE_TXN_WRITE);
      g_assert_cmpint (pkm_files_next_sequence (TX (other), "seq", &error), ==, 2);
      g_assert_cmpint (insert_ok (other, "things", NULL, record ("after", 3)), ==, id + 1);
      pkm_files_rollback (TX (other));
      pkm_files_close (other);

      /* ...and replaying the same journal again (a lost unlink) changes nothing. */
      write_file (journal, g_bytes_get_data (saved, NULL), g_bytes_get_size (saved));
      other = open_with (f, "");
      g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
      second = dump (other);
      pkm_files_close (other);
      g_assert_cmpstr (first, ==, second);
      f->s = open_with (f, "");
    }
}

/* A write that fails after the commit point: the commit stands (it says so
 * in a warning), and the next transaction finishes applying it. */
static void
test_apply_fails_after_commit (Fixture *f, gconstpointer data)
{
  g_autofree char *journal = g_build_filename (f->store, "journal", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  gint64 id;

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  insert_ok (f->s, "things", "first", record ("one", 1));
  insert_ok (f->s, "things", "second", record ("two", 2));
  commit_ok (f->s);
  f->s->crash_at = PKM_FILES_FAIL_APPLY;
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  id = insert_ok (f->s, "things", "third", record ("three", 3));
  g_test_expect_message ("store-files", G_LOG_LEVEL_WARNING,
                         "store-files: a simulated write error; the change is committed*");
  commit_ok (f->s);
  g_test_assert_expected_messages ();
  f->s->crash_at = PKM_FILES_CRASH_NONE;
  g_assert_true (g_file_test (journal, G_FILE_TEST_EXISTS));
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (pkm_files_find (TX (f->s), "things", "third", &error), ==, id);
  g_assert_cmpint (insert_ok (f->s, "things", "fourth", record ("four", 4)), ==, id + 1);
  commit_ok (f->s);
  before = dump (f->s);
  reopen (f);
  after = dump (f->s);
  g_assert_cmpstr (before, ==, after);
}

static void
test_torn_journal_dropped (Fixture *f, gconstpointer data)
{
  g_autofree char *journal = g_build_filename (f->store, "journal", NULL);
  g_autofree char *saved = g_build_filename (f->dir, "journal.saved", NULL);
  g_autofree char *tmp = g_build_filename (f->store, "journal.tmp", NULL);
  g_autofree char *before = NULL;
  g_autoptr (GBytes) whole = NULL;
  gsize size;

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  insert_ok (f->s, "things", "first", record ("one", 1));
  insert_ok (f->s, "things", "second", record ("two", 2));
  commit_ok (f->s);
  before = dump (f->s);
  crash_during_commit (f, PKM_FILES_CRASH_AFTER_JOURNAL);
  pkm_files_close (f->s);
  f->s = NULL;
  whole = read_file (journal);
  size = g_bytes_get_size (whole);
  g_assert_cmpint (g_rename (journal, saved), ==, 0);

  /* Every cut of it lacks the commit mark; so does one bit flipped in the body. */
  for (gsize cut = 0; cut < size; cut += MAX (1, size / 40))
    {
      g_autofree char *after = NULL;
      write_file (journal, g_bytes_get_data (whole, NULL), cut);
      /* A leftover journal.tmp is never a commit either. */
      write_file (tmp, g_bytes_get_data (whole, NULL), size);
      f->s = open_with (f, "");
      g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
      after = dump (f->s);
      g_assert_cmpstr (before, ==, after);
      pkm_files_close (f->s);
      f->s = NULL;
    }
  {
    g_autofree guint8 *flipped = g_memdup2 (g_bytes_get_data (whole, NULL), size);
    g_autofree char *after = NULL;
    flipped[size / 2] ^= 0x10;
    write_file (journal, flipped, size);
    f->s = open_with (f, "");
    after = dump (f->s);
    g_assert_cmpstr (before, ==, after);
  }
  /* The whole journal is replayed. */
  pkm_files_close (f->s);
  g_assert_cmpint (g_rename (saved, journal), ==, 0);
  f->s = open_with (f, "");
  begin_ok (f->s, PKM_STORE_TXN_READ);
  g_assert_cmpint (pkm_files_find (TX (f->s), "things", "crashed", NULL), ==, 3);
  commit_ok (f->s);
}

/* -- files -- */

static void
expect_mode (const char *path, guint mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  if ((st.st_mode & 0777) != mode)
    g_error ("%s: mode %o, not %o", path, st.st_mode & 0777, mode);
}

static void
expect_modes_under (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  expect_mode (dir, 0700);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        expect_modes_under (path);
      else
        expect_mode (path, 0600);
    }
}

static void
test_file_modes (Fixture *f, gconstpointer data)
{
  mode_t old = umask (0);
  g_autofree char *catalog = g_build_filename (f->store, "catalog", NULL);

  /* Whatever the umask. */
  reopen (f);
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  insert_ok (f->s, "key", "k", record ("sealed", 1));
  insert_ok (f->s, "certificate", "c", record ("cert", 1));
  commit_ok (f->s);
  umask (old);
  g_assert_true (g_file_test (catalog, G_FILE_TEST_EXISTS));
  expect_modes_under (f->store);
}

static void
test_corrupt_record (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->store, "records", "things", "1", NULL);
  g_autofree char *second = g_build_filename (f->store, "records", "things", "2", NULL);
  g_autoptr (GBytes) good = NULL;
  g_autoptr (GBytes) other = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  const guint8 *bytes;
  gsize size;

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  insert_ok (f->s, "things", "one", record ("a record of some length", 1));
  insert_ok (f->s, "things", "two", record ("a record of some length", 1));
  commit_ok (f->s);
  good = read_file (path);
  other = read_file (second);
  bytes = g_bytes_get_data (good, &size);

  for (guint round = 0; round < 200; round++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree guint8 *bad = g_memdup2 (bytes, size);
      gsize bad_size = size;
      GVariant *got;

      if (round == 0)
        write_file (path, g_bytes_get_data (other, NULL), g_bytes_get_size (other)); /* another record's file */
      else if (round < size / 2)
        write_file (path, bad, bad_size = (gsize) g_rand_int_range (rand, 0, (gint32) size)); /* truncated */
      else
        {
          bad[g_rand_int_range (rand, 0, (gint32) size)] ^= (guint8) g_rand_int_range (rand, 1, 256);
          write_file (path, bad, bad_size);
        }
      begin_ok (f->s, PKM_STORE_TXN_READ);
      got = pkm_files_get (TX (f->s), "things", 1, NULL, NULL, &error);
      g_assert_null (got);
      g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
      g_assert_true (g_str_has_prefix (error->message, "store-files: "));
      g_assert_nonnull (strstr (error->message, path));
      g_assert_null (strchr (error->message, '\n'));
      commit_ok (f->s);
    }
  /* The good file back: it reads again. */
  write_file (path, bytes, size);
  begin_ok (f->s, PKM_STORE_TXN_READ);
  g_variant_unref (pkm_files_get (TX (f->s), "things", 1, NULL, NULL, NULL));
  commit_ok (f->s);
}

static void
test_corrupt_catalog (Fixture *f, gconstpointer data)
{
  g_autofree char *catalog = g_build_filename (f->store, "catalog", NULL);
  g_autoptr (GBytes) good = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  g_autofree char *before = NULL;
  const guint8 *bytes;
  gsize size;

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  insert_ok (f->s, "things", "one", record ("a", 1));
  commit_ok (f->s);
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_true (pkm_files_declare_index (TX (f->s), "things", "number", "x", NULL));
  insert_ok (f->s, "things", "two", record ("b", 2));
  g_assert_cmpint (pkm_files_next_sequence (TX (f->s), "seq", NULL), ==, 1);
  commit_ok (f->s);
  before = dump (f->s);
  pkm_files_close (f->s);
  f->s = NULL;
  good = read_file (catalog);
  bytes = g_bytes_get_data (good, &size);

  /* Cut anywhere, or a byte changed: refused with one line naming the file (or,
   * cut at a batch's end, the state of that batch), never a crash. */
  for (guint round = 0; round < 300; round++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree guint8 *bad = g_memdup2 (bytes, size);
      gsize bad_size = size;
      PkmStore *store;

      if (round < 100)
        bad_size = (gsize) g_rand_int_range (rand, 0, (gint32) size);
      else
        bad[g_rand_int_range (rand, 0, (gint32) size)] ^= (guint8) g_rand_int_range (rand, 1, 256);
      write_file (catalog, bad, bad_size);
      store = pkm_files_open (f->dir, NULL, &error);
      if (store == NULL)
        {
          g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
          g_assert_nonnull (strstr (error->message, catalog));
          g_assert_null (strchr (error->message, '\n'));
        }
      else
        {
          g_autofree char *text = dump (store);
          g_assert_no_error (error);
          pkm_files_close (store);
        }
    }
  write_file (catalog, bytes, size);
  f->s = open_with (f, "");
  {
    g_autofree char *after = dump (f->s);
    g_assert_cmpstr (before, ==, after);
  }
}

/* The decoders on mutations of what they read and on noise: an error or a
 * valid result, never a crash (valgrind and the sanitizers watch). */
static void
test_decoders_on_garbage (Fixture *f, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  g_autoptr (GPtrArray) ops = g_ptr_array_new_with_free_func (pkm_files_op_free);
  g_autoptr (GVariant) rec = g_variant_ref_sink (typed_record (7));
  g_autoptr (GBytes) frame = NULL, file = NULL;
  PkmFilesOp *op = pkm_files_op_new (PKM_FILES_OP_PUT, "things");

  op->b = g_strdup ("name");
  op->n1 = 1;
  op->n2 = 2;
  op->n3 = 3;
  op->values = g_variant_ref_sink (typed_record (8));
  op->data = g_variant_ref (rec);
  g_ptr_array_add (ops, op);
  op = pkm_files_op_new (PKM_FILES_OP_INDEX, "things");
  op->b = g_strdup ("s");
  op->c = g_strdup ("s");
  g_ptr_array_add (ops, op);
  frame = pkm_files_ops_encode (ops, TRUE);
  file = pkm_files_record_encode (1, "name", 2, rec);

  for (guint round = 0; round < 3000; round++)
    {
      GBytes *source = round % 2 ? frame : file;
      gsize size = g_bytes_get_size (source);
      g_autofree guint8 *bad = g_memdup2 (g_bytes_get_data (source, NULL), size);
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (pkm_files_op_free);
      g_autoptr (GError) error = NULL;
      g_autoptr (GVariant) got = NULL;

      if (round % 3 == 0)
        for (gsize i = 0; i < size; i++)
          bad[i] = (guint8) g_rand_int (rand);
      else
        for (guint k = 0; k < 1 + round % 4; k++)
          bad[g_rand_int_range (rand, 0, (gint32) size)] = (guint8) g_rand_int (rand);
      if (round % 5 == 0)
        size = (gsize) g_rand_int_range (rand, 0, (gint32) size);
      if (source == frame)
        {
          /* The payload as its frame gives it: its checksum is not consulted here. */
          gsize header = MIN (size, PKM_FILES_FRAME_HEADER);
          bytes = g_bytes_new (bad + header, size - header);
          if (!pkm_files_ops_decode (bytes, round % 4 == 1, "test", out, &error))
            g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
        }
      else
        {
          bytes = g_bytes_new (bad, size);
          got = pkm_files_record_decode (bytes, "test", 1, "name", 2, &error);
          g_assert_true ((got == NULL) == (error != NULL));
        }
    }
}

/* Many updates of few records: the catalog is rewritten, not grown for ever. */
static void
test_catalog_compacts (Fixture *f, gconstpointer data)
{
  g_autofree char *catalog = g_build_filename (f->store, "catalog", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr (GError) error = NULL;
  GStatBuf st;
  PkmStore *other = open_with (f, "");

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_true (pkm_files_declare_index (TX (f->s), "things", "number", "x", &error));
  for (int i = 0; i < 10; i++)
    insert_ok (f->s, "things", NULL, record ("x", i));
  commit_ok (f->s);
  /* The other handle read the catalog before it was rewritten. */
  g_free (dump (other));
  for (int round = 0; round < 400; round++)
    {
      begin_ok (f->s, PKM_STORE_TXN_WRITE);
      for (gint64 id = 1; id <= 10; id++)
        g_assert_cmpint (pkm_files_update (TX (f->s), "things", id, NULL, record ("y", round), 0, &error), >, 0);
      commit_ok (f->s);
    }
  g_assert_cmpint (g_stat (catalog, &st), ==, 0);
  /* 4,000 ops appended; at most some 1,000 kept (a smaller catalog is not worth rewriting). */
  g_assert_cmpint (st.st_size, <, 100000);
  g_assert_cmpuint (f->s->catalog_ops, <=, 1100);
  before = dump (f->s);
  after = dump (other);
  g_assert_cmpstr (before, ==, after);
  pkm_files_close (other);
  reopen (f);
  g_free (after);
  after = dump (f->s);
  g_assert_cmpstr (before, ==, after);
}

/* -- two handles on one store, as two pkiman processes would be -- */

static void
test_writer_blocks_writer (Fixture *f, gconstpointer data)
{
  PkmStore *other = open_with (f, "lock-timeout=0\n");
  g_autoptr (GError) error = NULL;

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  insert_ok (f->s, "things", "mine", record ("a", 1));
  g_assert_null (pkm_files_begin (other, PKM_STORE_TXN_WRITE | PKM_STORE_TXN_LOCK_NOW, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "store-files: another pkiman kept the store busy for over 0 s ([store] lock-timeout); "
                   "nothing was changed");
  g_clear_error (&error);
  /* A reader waits for the writer too. */
  g_assert_null (pkm_files_begin (other, PKM_STORE_TXN_READ, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
  g_clear_error (&error);
  commit_ok (f->s);
  begin_ok (other, PKM_STORE_TXN_WRITE);
  g_assert_cmpint (pkm_files_find (TX (other), "things", "mine", &error), ==, 1);
  g_assert_cmpint (insert_ok (other, "things", "theirs", record ("b", 2)), ==, 2);
  commit_ok (other);
  pkm_files_close (other);
}

static void
test_reader_snapshot (Fixture *f, gconstpointer data)
{
  PkmStore *writer = open_with (f, "lock-timeout=0\n");
  PkmStore *reader2 = open_with (f, "lock-timeout=0\n");
  g_autoptr (GError) error = NULL;
  g_autofree char *first = NULL, *second = NULL;

  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  insert_ok (f->s, "things", "one", record ("a", 1));
  commit_ok (f->s);
  /* Two readers at once; no writer while they read. */
  begin_ok (f->s, PKM_STORE_TXN_READ);
  begin_ok (reader2, PKM_STORE_TXN_READ);
  first = dump_in_txn (f->s);
  g_assert_null (pkm_files_begin (writer, PKM_STORE_TXN_WRITE, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED);
  g_clear_error (&error);
  second = dump_in_txn (f->s);
  g_assert_cmpstr (first, ==, second);
  commit_ok (f->s);
  commit_ok (reader2);
  /* Once they are done the writer gets in, and the next read sees it. */
  begin_ok (writer, PKM_STORE_TXN_WRITE);
  insert_ok (writer, "things", "two", record ("b", 2));
  commit_ok (writer);
  begin_ok (f->s, PKM_STORE_TXN_READ);
  g_assert_cmpint (pkm_files_find (TX (f->s), "things", "two", &error), ==, 2);
  g_assert_cmpint (pkm_files_current_cursor (TX (f->s), &error), ==, 2);
  commit_ok (f->s);
  pkm_files_close (writer);
  pkm_files_close (reader2);
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
  return GINT_TO_POINTER (pkm_files_commit (TX (r->holder), NULL));
}

static void
test_wait_then_write (Fixture *f, gconstpointer data)
{
  PkmStore *holder = open_with (f, "");
  PkmTestMessages waiting;
  Release release = { &waiting, holder };
  g_autoptr (GError) error = NULL;
  GThread *thread;

  pkm_test_messages_start (&waiting, "store-files");
  begin_ok (holder, PKM_STORE_TXN_WRITE);
  insert_ok (holder, "things", "first", record ("a", 1));
  thread = g_thread_new ("release", release_when_waiting, &release);
  /* The waiter says it waits, gets the lock when the holder commits, and
   * reads what the holder wrote. */
  begin_ok (f->s, PKM_STORE_TXN_WRITE);
  g_assert_cmpint (pkm_files_find (TX (f->s), "things", "first", &error), ==, 1);
  g_assert_cmpint (insert_ok (f->s, "things", "second", record ("b", 2)), ==, 2);
  commit_ok (f->s);
  g_assert_true (GPOINTER_TO_INT (g_thread_join (thread)));
  g_assert_cmpuint (waiting.count, ==, 1);
  g_assert_cmpstr (waiting.last, ==,
                   "waiting for another pkiman that is using the store (up to 300 s, [store] lock-timeout)...");
  pkm_test_messages_stop (&waiting);
  pkm_files_close (holder);
}

static void
test_config (Fixture *f, gconstpointer data)
{
  g_autoptr (GKeyFile) config = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *elsewhere = g_build_filename (f->dir, "elsewhere", "store", NULL);
  g_autofree char *text = g_strdup_printf ("[store]\npath=%s\n", elsewhere);
  g_autofree char *lock = g_build_filename (elsewhere, "lock", NULL);
  PkmStore *store;

  g_assert_true (g_key_file_load_from_data (config, "[store]\nlock-timeout=5m\n", -1, G_KEY_FILE_NONE, NULL));
  g_assert_null (pkm_files_open (f->dir, config, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "[store] lock-timeout: \"5m\" is not a whole number of seconds from 0 to 86400");
  g_clear_error (&error);
  g_assert_true (g_key_file_load_from_data (config, text, -1, G_KEY_FILE_NONE, NULL));
  store = pkm_files_open (f->dir, config, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (lock, G_FILE_TEST_EXISTS));
  pkm_files_close (store);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store-files/crud", Fixture, NULL, setup, test_crud, teardown);
  g_test_add ("/store-files/duplicate-name", Fixture, NULL, setup, test_duplicate_name, teardown);
  g_test_add ("/store-files/names-and-collections", Fixture, NULL, setup, test_names_and_collections, teardown);
  g_test_add ("/store-files/ids-never-reused", Fixture, NULL, setup, test_ids_never_reused, teardown);
  g_test_add ("/store-files/query-agrees-with-scan", Fixture, NULL, setup, test_query_agrees_with_scan, teardown);
  g_test_add ("/store-files/query-paging-projection", Fixture, NULL, setup, test_query_paging_projection,
              teardown);
  g_test_add ("/store-files/declare-index", Fixture, NULL, setup, test_declare_index, teardown);
  g_test_add ("/store-files/index-reads-no-records", Fixture, NULL, setup, test_index_reads_no_records, teardown);
  g_test_add ("/store-files/sequences", Fixture, NULL, setup, test_sequences, teardown);
  g_test_add ("/store-files/changes-since", Fixture, NULL, setup, test_changes_since, teardown);
  g_test_add ("/store-files/rollback-leaves-nothing", Fixture, NULL, setup, test_rollback_leaves_nothing,
              teardown);
  g_test_add ("/store-files/outside-transaction", Fixture, NULL, setup, test_outside_transaction, teardown);
  g_test_add ("/store-files/crash-replayed", Fixture, NULL, setup, test_crash_replayed, teardown);
  g_test_add ("/store-files/apply-fails-after-commit", Fixture, NULL, setup, test_apply_fails_after_commit,
              teardown);
  g_test_add ("/store-files/torn-journal-dropped", Fixture, NULL, setup, test_torn_journal_dropped, teardown);
  g_test_add ("/store-files/file-modes", Fixture, NULL, setup, test_file_modes, teardown);
  g_test_add ("/store-files/corrupt-record", Fixture, NULL, setup, test_corrupt_record, teardown);
  g_test_add ("/store-files/corrupt-catalog", Fixture, NULL, setup, test_corrupt_catalog, teardown);
  g_test_add ("/store-files/decoders-on-garbage", Fixture, NULL, setup, test_decoders_on_garbage, teardown);
  g_test_add ("/store-files/catalog-compacts", Fixture, NULL, setup, test_catalog_compacts, teardown);
  g_test_add ("/store-files/writer-blocks-writer", Fixture, NULL, setup, test_writer_blocks_writer, teardown);
  g_test_add ("/store-files/reader-snapshot", Fixture, NULL, setup, test_reader_snapshot, teardown);
  g_test_add ("/store-files/wait-then-write", Fixture, NULL, setup, test_wait_then_write, teardown);
  g_test_add ("/store-files/config", Fixture, NULL, setup, test_config, teardown);
  return g_test_run ();
}
