/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Ids: positive, assigned by the store, increasing and never reused within a
 * collection, not after a removal, a rollback or a reopening. */
#include "conformance.h"

#define C "things"

static gint64
insert_one (Cf *cf, PkmStoreTxn *txn, const char *collection, gint64 n)
{
  return cf_insert (cf, txn, collection, NULL, cf_record ("n", g_variant_new_int64 (n), NULL), NULL);
}

/* The next id is above @highest, the highest ever taken, or the check says
 * what reused it. */
static gboolean
above (Cf *cf, gint64 id, gint64 highest, const char *after)
{
  if (id > highest)
    return TRUE;
  return cf_fail (cf,
                  "after %s, insert gave id %" G_GINT64_FORMAT "; id %" G_GINT64_FORMAT " was already taken",
                  after, id, highest);
}

gboolean
cf_check_ids_increase (Cf *cf)
{
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  gint64 last[2] = { 0, 0 };
  static const char *const collections[] = { C, "others" };

  if (store == NULL)
    return FALSE;
  /* Two collections interleaved, across transactions: each one's ids rise. */
  for (int round = 0; round < 3; round++)
    {
      PkmStoreTxn *txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL);

      if (txn == NULL)
        return FALSE;
      for (int i = 0; i < 20; i++)
        {
          int which = g_rand_int_range (cf->rand, 0, 2);
          gint64 id = insert_one (cf, txn, collections[which], i);

          if (id == 0)
            return FALSE;
          if (id <= last[which])
            return cf_fail (cf, "in \"%s\", insert gave id %" G_GINT64_FORMAT " after id %" G_GINT64_FORMAT,
                            collections[which], id, last[which]);
          last[which] = id;
        }
      if (!cf_commit (cf, txn, NULL))
        return FALSE;
    }
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_check_ids_after_remove (Cf *cf)
{
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 a, b, c, id;

  /* The newest removed and committed; then removed in the same transaction;
   * then every record removed. */
  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (a = insert_one (cf, txn, C, 1)) == 0 || (b = insert_one (cf, txn, C, 2)) == 0
      || (c = insert_one (cf, txn, C, 3)) == 0 || !cf_commit (cf, txn, NULL)
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || !cf_remove (cf, txn, C, c, 0, NULL) || !cf_commit (cf, txn, NULL)
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (id = insert_one (cf, txn, C, 4)) == 0)
    return FALSE;
  if (!above (cf, id, c, "removing the newest record and committing"))
    return FALSE;
  c = id;
  if (!cf_remove (cf, txn, C, c, 0, NULL) || (id = insert_one (cf, txn, C, 5)) == 0)
    return FALSE;
  if (!above (cf, id, c, "removing the newest record in the same transaction"))
    return FALSE;
  c = id;
  if (!cf_remove (cf, txn, C, a, 0, NULL) || !cf_remove (cf, txn, C, b, 0, NULL)
      || !cf_remove (cf, txn, C, c, 0, NULL) || !cf_commit (cf, txn, NULL)
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (id = insert_one (cf, txn, C, 6)) == 0)
    return FALSE;
  if (!above (cf, id, c, "removing every record of the collection"))
    return FALSE;
  if (!cf_commit (cf, txn, NULL))
    return FALSE;
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_check_ids_after_rollback (Cf *cf)
{
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 taken = 0, id;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || insert_one (cf, txn, C, 1) == 0 || (taken = insert_one (cf, txn, C, 2)) == 0 || !cf_commit (cf, txn, NULL))
    return FALSE;
  /* The newest committed id is removed, then a transaction takes ids and
   * rolls back: the rollback gives back only what it took (a store may give
   * those again: nobody saw them), never the removed id. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL || !cf_remove (cf, txn, C, taken, 0, NULL)
      || !cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  for (int i = 0; i < 3; i++)
    if (insert_one (cf, txn, C, 10 + i) == 0)
      return FALSE;
  cf_rollback (cf, txn);
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (id = insert_one (cf, txn, C, 3)) == 0)
    return FALSE;
  if (!above (cf, id, taken, "a removal, then a rolled-back transaction"))
    return FALSE;
  if (!cf_commit (cf, txn, NULL))
    return FALSE;
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_check_ids_after_reopen (Cf *cf)
{
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 newest = 0, id;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  for (int i = 0; i < 3; i++)
    if ((newest = insert_one (cf, txn, C, i)) == 0)
      return FALSE;
  if (!cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || !cf_remove (cf, txn, C, newest, 0, NULL) || !cf_commit (cf, txn, NULL))
    return FALSE;
  cf_close (cf, store);
  if ((store = cf_open (cf, cf->dir, NULL)) == NULL
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (id = insert_one (cf, txn, C, 9)) == 0)
    return FALSE;
  if (!above (cf, id, newest, "removing the newest record, closing and reopening the store"))
    return FALSE;
  if (!cf_commit (cf, txn, NULL))
    return FALSE;
  cf_close (cf, store);
  return TRUE;
}
