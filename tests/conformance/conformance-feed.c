/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sequences (gap-free numbers) and the change feed, in one process; the
 * feed across processes is in conformance-procs.c. */
#include "conformance.h"

#define C "things"

static gint64
number (Cf *cf, PkmStore *store, const char *name, gboolean commit)
{
  PkmStoreTxn *txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL);
  gint64 n = txn != NULL ? cf_next_sequence (cf, txn, name, NULL) : 0;

  if (txn == NULL)
    return 0;
  if (!commit)
    cf_rollback (cf, txn);
  else if (!cf_commit (cf, txn, NULL))
    return 0;
  return n;
}

gboolean
cf_check_sequences (Cf *cf)
{
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStore *second = NULL;
  PkmStoreTxn *txn;
  gint64 expected = 1, n;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  /* 1, 2, 3 in one transaction; another name starts at 1 beside it. */
  for (; expected <= 3; expected++)
    if ((n = cf_next_sequence (cf, txn, "crl", NULL)) != expected)
      return cf_fail (
          cf, "next_sequence (\"crl\") number %" G_GINT64_FORMAT " in a new store gave %" G_GINT64_FORMAT,
          expected, n);
  if ((n = cf_next_sequence (cf, txn, "request", NULL)) != 1)
    return cf_fail (cf, "a second sequence started at %" G_GINT64_FORMAT ", not 1", n);
  if (!cf_commit (cf, txn, NULL))
    return FALSE;
  /* Across commits, with rolled-back numbers given back, and reopening. */
  for (int round = 0; round < 6; round++)
    {
      gboolean commit = round % 2 == 1;

      if ((n = number (cf, store, "crl", commit)) != expected)
        return cf_fail (cf,
                        "next_sequence (\"crl\") gave %" G_GINT64_FORMAT " where %" G_GINT64_FORMAT
                        " was due (the numbers before: %" G_GINT64_FORMAT " committed, the rest rolled back)",
                        n, expected, expected - 1);
      expected += commit;
      if (round == 3)
        {
          cf_close (cf, store);
          if ((store = cf_open (cf, cf->dir, NULL)) == NULL)
            return FALSE;
        }
    }
  /* A second handle continues where the first committed. */
  if ((second = cf_open (cf, cf->dir, NULL)) == NULL)
    return FALSE;
  if ((n = number (cf, second, "crl", TRUE)) != expected)
    return cf_fail (
        cf, "a second handle's next_sequence (\"crl\") gave %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT, n,
        expected);
  expected++;
  if ((n = number (cf, store, "crl", TRUE)) != expected)
    return cf_fail (cf, "after a second handle took %" G_GINT64_FORMAT ", the first got %" G_GINT64_FORMAT,
                    expected - 1, n);
  if ((n = number (cf, store, "request", TRUE)) != 2)
    return cf_fail (cf, "the second sequence, after 1, gave %" G_GINT64_FORMAT, n);
  cf_close (cf, second);
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_feed_is (Cf *cf, PkmStoreTxn *txn, gint64 cursor, const CfExpectedChange *expected, guint n,
            const char *what)
{
  g_autoptr (GPtrArray) changes = cf_changes (cf, txn, cursor, NULL);
  gint64 current = cf_current_cursor (cf, txn, NULL);
  int last_txn = 0;

  if (changes == NULL || current < 0)
    return FALSE;
  for (guint i = 0; i < changes->len; i++)
    {
      const CfChange *change = g_ptr_array_index (changes, i);
      const CfExpectedChange *e = NULL;

      if (change->cursor <= cursor)
        return cf_fail (cf,
                        "%s: changes_since (%" G_GINT64_FORMAT ") lists a change at cursor %" G_GINT64_FORMAT,
                        what, cursor, change->cursor);
      if (i > 0 && change->cursor <= ((CfChange *) g_ptr_array_index (changes, i - 1))->cursor)
        return cf_fail (cf, "%s: cursor %" G_GINT64_FORMAT " is listed after cursor %" G_GINT64_FORMAT, what,
                        change->cursor, ((CfChange *) g_ptr_array_index (changes, i - 1))->cursor);
      for (guint k = 0; k < n && e == NULL; k++)
        if (expected[k].id == change->id && g_strcmp0 (expected[k].collection, change->collection) == 0)
          e = &expected[k];
      if (e == NULL)
        return cf_fail (cf,
                        "%s: the feed lists %s %" G_GINT64_FORMAT " (%s), which has no committed change then",
                        what, change->collection, change->id, cf_change_name (change->change));
      for (guint j = 0; j < i; j++)
        {
          const CfChange *earlier = g_ptr_array_index (changes, j);
          if (earlier->id == change->id && g_strcmp0 (earlier->collection, change->collection) == 0)
            return cf_fail (cf, "%s: the feed lists %s %" G_GINT64_FORMAT " twice", what, change->collection,
                            change->id);
        }
      if (e->change != change->change)
        return cf_fail (cf, "%s: the feed gives %s %" G_GINT64_FORMAT " as %s; its latest change was %s",
                        what, change->collection, change->id, cf_change_name (change->change),
                        cf_change_name (e->change));
      if (e->txn < last_txn)
        return cf_fail (cf,
                        "%s: the feed lists %s %" G_GINT64_FORMAT
                        " (transaction %d) after a change of transaction %d",
                        what, change->collection, change->id, e->txn, last_txn);
      last_txn = e->txn;
    }
  if (changes->len != n)
    return cf_fail (cf, "%s: the feed lists %u records, %u changed", what, changes->len, n);
  if (n > 0 && current != ((CfChange *) g_ptr_array_index (changes, n - 1))->cursor)
    return cf_fail (cf,
                    "%s: current_cursor is %" G_GINT64_FORMAT ", the last listed cursor %" G_GINT64_FORMAT,
                    what, current, ((CfChange *) g_ptr_array_index (changes, n - 1))->cursor);
  if (n == 0 && current != cursor)
    return cf_fail (
        cf, "%s: nothing changed after cursor %" G_GINT64_FORMAT ", yet current_cursor is %" G_GINT64_FORMAT,
        what, cursor, current);
  return TRUE;
}

static GVariant *
n_record (gint64 n)
{
  return cf_record ("n", g_variant_new_int64 (n), NULL);
}

static gint64
cursor_now (Cf *cf, PkmStore *store)
{
  PkmStoreTxn *txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL);
  gint64 cursor = txn != NULL ? cf_current_cursor (cf, txn, NULL) : -1;

  if (txn != NULL)
    cf_rollback (cf, txn);
  return cursor;
}

gboolean
cf_check_changes_since (Cf *cf)
{
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 start, after_first, a, b, c, d, e, f, g;

  if (store == NULL || (start = cursor_now (cf, store)) < 0)
    return FALSE;
  if (start != 0)
    return cf_fail (cf, "a new store's current_cursor is %" G_GINT64_FORMAT ", not 0", start);
  /* 1 (commit): a, b, c, d inserted. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (a = cf_insert (cf, txn, C, "a", n_record (1), NULL)) == 0
      || (b = cf_insert (cf, txn, C, "b", n_record (1), NULL)) == 0
      || (c = cf_insert (cf, txn, C, "c", n_record (1), NULL)) == 0
      || (d = cf_insert (cf, txn, "others", "d", n_record (1), NULL)) == 0 || !cf_commit (cf, txn, NULL)
      || (after_first = cursor_now (cf, store)) < 0)
    return FALSE;
  /* 2 (rolled back): a updated, b removed, e inserted. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || cf_update (cf, txn, C, a, "a", n_record (2), 0, NULL) == 0 || !cf_remove (cf, txn, C, b, 0, NULL)
      || (e = cf_insert (cf, txn, C, "e", n_record (2), NULL)) == 0)
    return FALSE;
  cf_rollback (cf, txn);
  /* 3 (commit): a updated, c removed. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || cf_update (cf, txn, C, a, "a", n_record (3), 0, NULL) == 0 || !cf_remove (cf, txn, C, c, 0, NULL)
      || !cf_commit (cf, txn, NULL))
    return FALSE;
  /* 4 (commit): f inserted and removed, d updated. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (f = cf_insert (cf, txn, C, "f", n_record (4), NULL)) == 0 || !cf_remove (cf, txn, C, f, 0, NULL)
      || cf_update (cf, txn, "others", d, "d", n_record (4), 0, NULL) == 0 || !cf_commit (cf, txn, NULL))
    return FALSE;
  /* 5 (rolled back): g inserted, b updated. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (g = cf_insert (cf, txn, C, "g", n_record (5), NULL)) == 0
      || cf_update (cf, txn, C, b, "b", n_record (5), 0, NULL) == 0)
    return FALSE;
  cf_rollback (cf, txn);
  (void) e;
  (void) g;
  const CfExpectedChange since_start[] = {
    { C, b, PKM_STORE_CHANGE_INSERTED, 1 },       { C, a, PKM_STORE_CHANGE_UPDATED, 3 },
    { C, c, PKM_STORE_CHANGE_REMOVED, 3 },        { C, f, PKM_STORE_CHANGE_REMOVED, 4 },
    { "others", d, PKM_STORE_CHANGE_UPDATED, 4 },
  };
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || !cf_feed_is (cf, txn, start, since_start, G_N_ELEMENTS (since_start), "since the start")
      || !cf_feed_is (cf, txn, after_first, since_start + 1, G_N_ELEMENTS (since_start) - 1,
                      "since the first transaction")
      || !cf_feed_is (cf, txn, cf_current_cursor (cf, txn, NULL), NULL, 0, "since the current cursor"))
    return FALSE;
  cf_rollback (cf, txn);
  /* The same after reopening. */
  cf_close (cf, store);
  if ((store = cf_open (cf, cf->dir, NULL)) == NULL
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || !cf_feed_is (cf, txn, start, since_start, G_N_ELEMENTS (since_start),
                      "since the start, after reopening"))
    return FALSE;
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}
