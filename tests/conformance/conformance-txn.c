/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Transactions: the error contract over every member, what a rollback
 * leaves (nothing), where a change may happen (a write transaction), and
 * what a commit keeps (everything, across a reopening). */
#include <glib/gstdio.h>
#include "conformance.h"

#define C "things"

/* What a handle sees of the store: its collections and their records, the
 * cursor and the whole change feed. */
typedef struct {
  char **collections;
  GPtrArray *rows; /* a listing per collection, in the order of @collections */
  gint64 cursor;
  GPtrArray *changes;
} State;

static void
state_clear (State *state)
{
  g_clear_pointer (&state->collections, g_strfreev);
  g_clear_pointer (&state->rows, g_ptr_array_unref);
  g_clear_pointer (&state->changes, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (State, state_clear)

static gboolean
state_read (Cf *cf, PkmStoreTxn *txn, State *out)
{
  if ((out->collections = cf_list_collections (cf, txn, NULL)) == NULL
      || (out->cursor = cf_current_cursor (cf, txn, NULL)) < 0
      || (out->changes = cf_changes (cf, txn, 0, NULL)) == NULL)
    return FALSE;
  out->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; out->collections[i] != NULL; i++)
    {
      GPtrArray *rows = cf_rows (cf, txn, out->collections[i], NULL, NULL);
      if (rows == NULL)
        return FALSE;
      g_ptr_array_add (out->rows, rows);
    }
  return TRUE;
}

static char *
describe_change (const CfChange *change)
{
  if (change == NULL)
    return g_strdup ("none");
  return g_strdup_printf ("%s %" G_GINT64_FORMAT " %s at cursor %" G_GINT64_FORMAT, change->collection,
                          change->id, cf_change_name (change->change), change->cursor);
}

static gboolean
state_same (Cf *cf, State *expected, State *got, const char *what)
{
  if (!g_strv_equal ((const char *const *) expected->collections, (const char *const *) got->collections))
    {
      g_autofree char *e = g_strjoinv (", ", expected->collections);
      g_autofree char *g = g_strjoinv (", ", got->collections);
      return cf_fail (cf, "%s, the collections are [%s], expected [%s]", what, g, e);
    }
  for (guint i = 0; expected->collections[i] != NULL; i++)
    {
      g_autofree char *where = g_strdup_printf ("%s, in \"%s\"", what, expected->collections[i]);
      if (!cf_rows_equal (cf, g_ptr_array_index (expected->rows, i), g_ptr_array_index (got->rows, i), where))
        return FALSE;
    }
  if (expected->cursor != got->cursor)
    return cf_fail (cf, "%s, current_cursor is %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT, what,
                    got->cursor, expected->cursor);
  for (guint i = 0; i < MAX (expected->changes->len, got->changes->len); i++)
    {
      const CfChange *e = i < expected->changes->len ? g_ptr_array_index (expected->changes, i) : NULL;
      const CfChange *g = i < got->changes->len ? g_ptr_array_index (got->changes, i) : NULL;

      if (e == NULL || g == NULL || e->cursor != g->cursor || e->id != g->id || e->change != g->change
          || g_strcmp0 (e->collection, g->collection) != 0)
        {
          g_autofree char *seen = describe_change (g);
          g_autofree char *wanted = describe_change (e);
          return cf_fail (cf, "%s, change feed entry %u is %s, expected %s", what, i + 1, seen, wanted);
        }
    }
  return TRUE;
}

/* The ids of @collection's records whose @field is @value, or NULL (recorded). */
static GPtrArray *
with_value (Cf *cf, PkmStoreTxn *txn, const char *collection, const char *field, GVariant *value)
{
  g_autoptr (GVariant) owned = g_variant_ref_sink (value);
  PkmStoreQuery query = cf_range (field, owned, owned);

  return cf_rows (cf, txn, collection, &query, NULL);
}

static GVariant *
s_record (const char *s)
{
  return cf_record ("s", g_variant_new_string (s), NULL);
}

gboolean
cf_check_error_contract (Cf *cf)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *file = g_build_filename (cf->dir, "a-file", NULL);
  g_autofree char *under_file = g_build_filename (file, "state", NULL);
  g_autoptr (GVariant) low = g_variant_ref_sink (g_variant_new_string (""));
  g_autoptr (GVariant) number = g_variant_ref_sink (g_variant_new_int64 (1));
  g_autoptr (GVariant) got = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  g_auto (GStrv) collections = NULL;
  PkmStoreQuery all = { .struct_size = sizeof (PkmStoreQuery) };
  PkmStoreQuery by_s = cf_range ("s", low, NULL);
  PkmStoreQuery unindexed = cf_range ("nope", NULL, NULL);
  PkmStoreQuery mistyped = cf_range ("s", number, NULL);
  PkmStore *store, *bad;
  PkmStoreTxn *txn;
  guint64 count = 0;
  gint64 id;

  /* open, failing: a state directory under a regular file cannot be made.
   * A store that needs no directory yet may succeed; the wrapper checks the
   * contract either way. */
  if (!g_file_set_contents (file, "", 0, NULL))
    return cf_fail (cf, "cannot write %s", file);
  if ((bad = cf_open (cf, under_file, &error)) != NULL)
    cf_close (cf, bad);
  g_clear_error (&error);
  g_unlink (file);
  /* Every member once, succeeding: each must leave its error untouched. */
  if ((store = cf_open (cf, cf->dir, NULL)) == NULL
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || !cf_declare_index (cf, txn, C, "s", "s", NULL) || !cf_declare_index (cf, txn, C, "s", "s", NULL)
      || (id = cf_insert (cf, txn, C, "a", s_record ("x"), NULL)) == 0
      || cf_update (cf, txn, C, id, "a", s_record ("y"), 0, NULL) == 0
      || (got = cf_get (cf, txn, C, id, NULL, NULL, NULL)) == NULL || cf_find (cf, txn, C, "a", NULL) != id
      || cf_find (cf, txn, C, "zz", NULL) != 0 || (rows = cf_rows (cf, txn, C, &all, NULL)) == NULL
      || !cf_count (cf, txn, C, &by_s, &count, NULL)
      || (collections = cf_list_collections (cf, txn, NULL)) == NULL
      || cf_next_sequence (cf, txn, "seq", NULL) == 0 || cf_current_cursor (cf, txn, NULL) < 0
      || (changes = cf_changes (cf, txn, 0, NULL)) == NULL || !cf_commit (cf, txn, NULL))
    return FALSE;
  /* Every member that can fail here, failing: each returns its failure
   * value and sets an error of the code its member names. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  cf_insert (cf, txn, C, "a", s_record ("z"), &error);
  if (!cf_expect_error (cf, &error, PKM_ERROR_EXISTS, "insert of a taken name"))
    return FALSE;
  cf_update (cf, txn, C, id + 100, NULL, s_record ("z"), 0, &error);
  if (!cf_expect_error (cf, &error, PKM_ERROR_NOT_FOUND, "update of a missing id"))
    return FALSE;
  cf_update (cf, txn, C, id, "a", s_record ("z"), 1, &error);
  if (!cf_expect_error (cf, &error, PKM_ERROR_CONFLICT, "update with a stale expected_revision"))
    return FALSE;
  cf_remove (cf, txn, C, id + 100, 0, &error);
  if (!cf_expect_error (cf, &error, PKM_ERROR_NOT_FOUND, "remove of a missing id"))
    return FALSE;
  cf_remove (cf, txn, C, id, 1, &error);
  if (!cf_expect_error (cf, &error, PKM_ERROR_CONFLICT, "remove with a stale expected_revision"))
    return FALSE;
  g_clear_pointer (&got, g_variant_unref);
  got = cf_get (cf, txn, C, id + 100, NULL, NULL, &error);
  if (!cf_expect_error (cf, &error, PKM_ERROR_NOT_FOUND, "get of a missing id"))
    return FALSE;
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = cf_rows (cf, txn, C, &unindexed, &error);
  if (!cf_expect_error (cf, &error, PKM_ERROR_INVALID_ARGUMENT, "query of an unindexed field"))
    return FALSE;
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = cf_rows (cf, txn, C, &mistyped, &error);
  if (!cf_expect_error (cf, &error, PKM_ERROR_INVALID_ARGUMENT, "query with a bound of another type"))
    return FALSE;
  cf_count (cf, txn, C, &unindexed, &count, &error);
  if (!cf_expect_error (cf, &error, PKM_ERROR_INVALID_ARGUMENT, "count of an unindexed field"))
    return FALSE;
  cf_declare_index (cf, txn, C, "s", "x", &error);
  if (!cf_expect_error (cf, &error, PKM_ERROR_EXISTS, "declare_index of an indexed field with another type"))
    return FALSE;
  cf_declare_index (cf, txn, C, "d", "d", &error);
  if (!cf_expect_failure (cf, &error, "declare_index of type \"d\" (not an index type)"))
    return FALSE;
  cf_rollback (cf, txn);
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL)
    return FALSE;
  cf_insert (cf, txn, C, NULL, s_record ("z"), &error);
  if (!cf_expect_failure (cf, &error, "insert in a read transaction"))
    return FALSE;
  cf_next_sequence (cf, txn, "seq", &error);
  if (!cf_expect_failure (cf, &error, "next_sequence in a read transaction"))
    return FALSE;
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_check_rollback_leaves_nothing (Cf *cf)
{
  g_auto (State) before = { 0 };
  g_auto (State) after = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  PkmStoreQuery by_x = cf_range ("x", NULL, NULL);
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 keep1, keep2, n;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || !cf_declare_index (cf, txn, C, "s", "s", NULL)
      || (keep1 = cf_insert (cf, txn, C, "keep-1", s_record ("a"), NULL)) == 0
      || (keep2 = cf_insert (cf, txn, C, "keep-2", s_record ("b"), NULL)) == 0
      || cf_next_sequence (cf, txn, "seq", NULL) == 0 || !cf_commit (cf, txn, NULL)
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL || !state_read (cf, txn, &before))
    return FALSE;
  cf_rollback (cf, txn);
  /* Every kind of change, then rollback. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || cf_insert (cf, txn, C, "gone-1", s_record ("zzz"), NULL) == 0
      || cf_insert (cf, txn, "scratch", "gone-2", s_record ("zzz"), NULL) == 0
      || cf_update (cf, txn, C, keep1, "renamed", s_record ("q"), 0, NULL) == 0
      || !cf_remove (cf, txn, C, keep2, 0, NULL) || cf_next_sequence (cf, txn, "seq", NULL) == 0
      || cf_next_sequence (cf, txn, "new-seq", NULL) == 0 || !cf_declare_index (cf, txn, C, "x", "x", NULL)
      || cf_insert (cf, txn, C, "gone-3", cf_record ("x", g_variant_new_int64 (5), NULL), NULL) == 0)
    return FALSE;
  cf_rollback (cf, txn);
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL || !state_read (cf, txn, &after)
      || !state_same (cf, &before, &after, "after a rollback"))
    return FALSE;
  const struct {
    const char *collection, *name;
    gint64 id;
  } names[] = { { C, "gone-1", 0 },         { C, "gone-3", 0 },     { C, "renamed", 0 },
                { "scratch", "gone-2", 0 }, { C, "keep-1", keep1 }, { C, "keep-2", keep2 } };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if ((n = cf_find (cf, txn, names[i].collection, names[i].name, NULL)) != names[i].id)
      return cf_fail (
          cf, "after a rollback, find (\"%s\") gives %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
          names[i].name, n, names[i].id);
  const struct {
    const char *value;
    gint64 id;
  } entries[] = { { "zzz", 0 }, { "q", 0 }, { "a", keep1 }, { "b", keep2 } };
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autoptr (GPtrArray) found = with_value (cf, txn, C, "s", g_variant_new_string (entries[i].value));
      const CfRow *first = found != NULL && found->len > 0 ? g_ptr_array_index (found, 0) : NULL;

      if (found == NULL)
        return FALSE;
      if (found->len != (entries[i].id != 0 ? 1u : 0u) || (first != NULL && first->id != entries[i].id))
        return cf_fail (
            cf,
            "after a rollback, the index of \"s\" holds %u records for \"%s\" (first %" G_GINT64_FORMAT
            "), expected %s",
            found->len, entries[i].value, first != NULL ? first->id : 0,
            entries[i].id != 0 ? "the one committed" : "none");
    }
  if ((rows = cf_rows (cf, txn, C, &by_x, &error)) != NULL)
    return cf_fail (
        cf, "an index declared in a rolled-back transaction is still there (a query of it lists %u records)",
        rows->len);
  g_clear_error (&error);
  cf_rollback (cf, txn);
  /* A rolled-back sequence number is given back. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  if ((n = cf_next_sequence (cf, txn, "seq", NULL)) != 2)
    return cf_fail (
        cf, "after a rollback that took number 2 of \"seq\", next_sequence gives %" G_GINT64_FORMAT, n);
  if ((n = cf_next_sequence (cf, txn, "new-seq", NULL)) != 1)
    return cf_fail (cf, "after a rollback that started \"new-seq\", next_sequence gives %" G_GINT64_FORMAT,
                    n);
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}

/* Each change the read transaction @txn may not make fails, and the store is
 * as it was; this ends @txn. */
static gboolean
changes_refused (Cf *cf, PkmStore *store, PkmStoreTxn *txn, gint64 id, State *before,
                 const char *where)
{
  g_autoptr (GError) error = NULL;
  g_auto (State) after = { 0 };
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *insert = g_strdup_printf ("insert %s", where);
  g_autofree char *update = g_strdup_printf ("update %s", where);
  g_autofree char *remove = g_strdup_printf ("remove %s", where);
  g_autofree char *sequence = g_strdup_printf ("next_sequence %s", where);
  g_autofree char *declare = g_strdup_printf ("declare_index %s", where);
  PkmStoreQuery by_m = cf_range ("m", NULL, NULL);
  gint64 n;

  cf_insert (cf, txn, C, "new", s_record ("n"), &error);
  if (!cf_expect_failure (cf, &error, insert))
    return FALSE;
  cf_update (cf, txn, C, id, "k", s_record ("u"), 0, &error);
  if (!cf_expect_failure (cf, &error, update))
    return FALSE;
  cf_remove (cf, txn, C, id, 0, &error);
  if (!cf_expect_failure (cf, &error, remove))
    return FALSE;
  cf_next_sequence (cf, txn, "seq", &error);
  if (!cf_expect_failure (cf, &error, sequence))
    return FALSE;
  cf_declare_index (cf, txn, C, "m", "x", &error);
  if (!cf_expect_failure (cf, &error, declare))
    return FALSE;
  cf_rollback (cf, txn);
  /* Nothing changed: the same records, cursor and feed; no number taken; no index. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL || !state_read (cf, txn, &after)
      || !state_same (cf, before, &after, "after the refused changes"))
    return FALSE;
  if ((n = cf_next_sequence (cf, txn, "seq", NULL)) != 1)
    return cf_fail (cf, "after a refused next_sequence, the first number of \"seq\" is %" G_GINT64_FORMAT, n);
  if ((rows = cf_rows (cf, txn, C, &by_m, &error)) != NULL)
    return cf_fail (cf, "declare_index %s was refused, yet the field is indexed", where);
  g_clear_error (&error);
  cf_rollback (cf, txn);
  return TRUE;
}

/* A store with one record (@id, "k"), and what a handle sees of it. */
static PkmStore *
one_record (Cf *cf, gint64 *id, State *state)
{
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (*id = cf_insert (cf, txn, C, "k", s_record ("k"), NULL)) == 0 || !cf_commit (cf, txn, NULL)
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL || !state_read (cf, txn, state))
    return NULL;
  cf_rollback (cf, txn);
  return store;
}

gboolean
cf_check_write_in_read_txn (Cf *cf)
{
  g_auto (State) before = { 0 };
  PkmStoreTxn *txn;
  gint64 id = 0;
  PkmStore *store = one_record (cf, &id, &before);

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL)
    return FALSE;
  if (!changes_refused (cf, store, txn, id, &before, "in a read transaction"))
    return FALSE;
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_check_commit_then_reopen (Cf *cf)
{
  g_auto (State) before = { 0 };
  g_auto (State) after = { 0 };
  g_autoptr (GVariant) low = g_variant_ref_sink (g_variant_new_string (""));
  g_autoptr (GPtrArray) indexed_before = NULL;
  g_autoptr (GPtrArray) indexed_after = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  PkmStoreQuery by_s = cf_range ("s", low, NULL);
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 n, highest = 0;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || !cf_declare_index (cf, txn, C, "s", "s", NULL))
    return FALSE;
  for (int i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("r%02d", i);
      g_autofree char *value = g_strdup_printf ("v%d", g_rand_int_range (cf->rand, 0, 5));
      gint64 id = cf_insert (cf, txn, i % 4 == 0 ? "others" : C, name, s_record (value), NULL);

      if (id == 0)
        return FALSE;
      if (i % 4 == 0)
        continue;
      g_array_append_val (ids, id);
      highest = MAX (highest, id);
    }
  for (guint i = 0; i < 5; i++)
    if (cf_update (cf, txn, C, g_array_index (ids, gint64, i), NULL, s_record ("updated"), 0, NULL) == 0
        || !cf_remove (cf, txn, C, g_array_index (ids, gint64, ids->len - 1 - i), 0, NULL))
      return FALSE;
  for (int i = 0; i < 3; i++)
    if (cf_next_sequence (cf, txn, "seq", NULL) == 0)
      return FALSE;
  if (!cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || !state_read (cf, txn, &before) || (indexed_before = cf_rows (cf, txn, C, &by_s, NULL)) == NULL)
    return FALSE;
  cf_rollback (cf, txn);
  cf_close (cf, store);
  if ((store = cf_open (cf, cf->dir, NULL)) == NULL
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL || !state_read (cf, txn, &after)
      || !state_same (cf, &before, &after, "after reopening")
      || (indexed_after = cf_rows (cf, txn, C, &by_s, NULL)) == NULL
      || !cf_rows_equal (cf, indexed_before, indexed_after, "the index of \"s\" after reopening"))
    return FALSE;
  for (guint c = 0; before.collections[c] != NULL; c++)
    {
      GPtrArray *rows = g_ptr_array_index (before.rows, c);
      for (guint i = 0; i < rows->len; i++)
        {
          const CfRow *row = g_ptr_array_index (rows, i);
          if (row->name != NULL && (n = cf_find (cf, txn, before.collections[c], row->name, NULL)) != row->id)
            return cf_fail (
                cf, "after reopening, find (\"%s\") gives %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT,
                row->name, n, row->id);
        }
    }
  cf_rollback (cf, txn);
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  if ((n = cf_next_sequence (cf, txn, "seq", NULL)) != 4)
    return cf_fail (cf, "after 3 committed numbers and reopening, next_sequence gives %" G_GINT64_FORMAT, n);
  if ((n = cf_insert (cf, txn, C, NULL, s_record ("late"), NULL)) <= highest)
    return cf_fail (cf,
                    "after reopening, insert gave id %" G_GINT64_FORMAT "; %" G_GINT64_FORMAT " was taken", n,
                    highest);
  if (!cf_commit (cf, txn, NULL))
    return FALSE;
  cf_close (cf, store);
  return TRUE;
}
