/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names: any text, unique within a collection, changed by update, and
 * found (or not) by find. */
#include "conformance.h"

#define C "things"

/* Each of @names names its own record, found by find and given back by get,
 * in its transaction, after commit and after reopening. */
static gboolean
names_round_trip (Cf *cf, const char *const *names)
{
  guint n = g_strv_length ((char **) names);
  g_autofree gint64 *ids = g_new0 (gint64, n);
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if ((ids[i] = cf_insert (cf, txn, C, names[i], cf_record ("i", g_variant_new_uint32 (i), NULL), NULL))
        == 0)
      return FALSE;
  for (int round = 0; round < 3; round++)
    {
      static const char *const when[] = { "in its transaction", "after commit", "after reopening" };

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *name = NULL;
          g_autoptr (GVariant) got = NULL;
          gint64 found = cf_find (cf, txn, C, names[i], NULL);

          if (found != ids[i])
            return cf_fail (cf, "find (\"%s\") %s gave %" G_GINT64_FORMAT ", the record is %" G_GINT64_FORMAT,
                            names[i], when[round], found, ids[i]);
          if ((got = cf_get (cf, txn, C, ids[i], &name, NULL, NULL)) == NULL)
            return FALSE;
          if (g_strcmp0 (name, names[i]) != 0)
            return cf_fail (cf, "get (%" G_GINT64_FORMAT ") %s names the record \"%s\", not \"%s\"", ids[i],
                            when[round], name != NULL ? name : "(NULL)", names[i]);
        }
      if (!cf_commit (cf, txn, NULL))
        return FALSE;
      if (round == 1)
        {
          cf_close (cf, store);
          if ((store = cf_open (cf, cf->dir, NULL)) == NULL)
            return FALSE;
        }
      if ((txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL)
        return FALSE;
    }
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_check_non_ascii_names (Cf *cf)
{
  static const char *const names[] = {
    "zertifikat-äöü-証明書", "ключ-🔑", "名前 mit Leerzeichen", "zertifikat-aou", "Ωμέγα", "\u00e9t\u00e9",
    NULL,
  };

  return names_round_trip (cf, names);
}

gboolean
cf_check_names_any_text (Cf *cf)
{
  g_autofree char *long_name = g_strnfill (1000, 'n');
  const char *names[] = {
    "a/b", "..", ".", "-",   " leading space", "trailing space ", "Name",    "name", "NAME", "back\\slash",
    "%2F", "*",  "?", "a:b", "semi;colon",     "quote'\"",        long_name, NULL,
  };

  return names_round_trip (cf, names);
}

/* How many records @collection holds, counting a full listing. */
static gint64
how_many (Cf *cf, PkmStoreTxn *txn, const char *collection)
{
  g_autoptr (GPtrArray) rows = cf_rows (cf, txn, collection, NULL, NULL);

  return rows != NULL ? (gint64) rows->len : -1;
}

gboolean
cf_check_names_unique (Cf *cf)
{
  g_autoptr (GError) error = NULL;
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 id, other;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (id = cf_insert (cf, txn, C, "same", cf_record ("n", g_variant_new_int64 (1), NULL), NULL)) == 0)
    return FALSE;
  if (cf_insert (cf, txn, C, "same", cf_record ("n", g_variant_new_int64 (2), NULL), &error) != 0)
    return cf_fail (cf, "a second \"same\" in one transaction was inserted");
  if (!cf_expect_error (cf, &error, PKM_ERROR_EXISTS, "insert of a taken name in its transaction"))
    return FALSE;
  if (how_many (cf, txn, C) != 1)
    return cf_fail (
        cf, "after a refused insert of a taken name the collection holds %" G_GINT64_FORMAT " records, not 1",
        how_many (cf, txn, C));
  cf_rollback (cf, txn);
  /* The same again across transactions, where the name is committed. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (id = cf_insert (cf, txn, C, "same", cf_record ("n", g_variant_new_int64 (1), NULL), NULL)) == 0
      || cf_insert (cf, txn, "others", "same", cf_record ("n", g_variant_new_int64 (3), NULL), NULL) == 0
      || cf_insert (cf, txn, C, NULL, cf_record ("n", g_variant_new_int64 (4), NULL), NULL) == 0
      || cf_insert (cf, txn, C, NULL, cf_record ("n", g_variant_new_int64 (5), NULL), NULL) == 0
      || !cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  if (cf_insert (cf, txn, C, "same", cf_record ("n", g_variant_new_int64 (6), NULL), &error) != 0)
    return cf_fail (cf, "a second \"same\" was inserted after the first was committed");
  if (!cf_expect_error (cf, &error, PKM_ERROR_EXISTS, "insert of a committed name"))
    return FALSE;
  if (how_many (cf, txn, C) != 3)
    return cf_fail (cf, "after a refused insert the collection holds %" G_GINT64_FORMAT " records, not 3",
                    how_many (cf, txn, C));
  cf_rollback (cf, txn);
  /* A removed record's name is free again. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL || !cf_remove (cf, txn, C, id, 0, NULL))
    return FALSE;
  if ((other = cf_insert (cf, txn, C, "same", cf_record ("n", g_variant_new_int64 (7), NULL), NULL)) == 0)
    return FALSE;
  if (cf_find (cf, txn, C, "same", NULL) != other)
    return cf_fail (
        cf, "find (\"same\") after the name was taken again does not give the new record %" G_GINT64_FORMAT,
        other);
  if (!cf_commit (cf, txn, NULL))
    return FALSE;
  cf_close (cf, store);
  return TRUE;
}

/* The name and revision of @id, or FALSE (recorded). */
static gboolean
name_of (Cf *cf, PkmStoreTxn *txn, gint64 id, char **name, gint64 *revision)
{
  g_autoptr (GVariant) got = cf_get (cf, txn, C, id, name, revision, NULL);

  return got != NULL;
}

gboolean
cf_check_names_change_by_update (Cf *cf)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 id, other, revision = 0, found;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (id = cf_insert (cf, txn, C, "old", cf_record ("n", g_variant_new_int64 (1), NULL), NULL)) == 0
      || cf_update (cf, txn, C, id, "new", cf_record ("n", g_variant_new_int64 (2), NULL), 0, NULL) == 0)
    return FALSE;
  if ((found = cf_find (cf, txn, C, "old", NULL)) != 0)
    return cf_fail (cf, "after renaming \"old\" to \"new\", find (\"old\") gives %" G_GINT64_FORMAT, found);
  if ((found = cf_find (cf, txn, C, "new", NULL)) != id)
    return cf_fail (cf,
                    "after renaming \"old\" to \"new\", find (\"new\") gives %" G_GINT64_FORMAT
                    ", not %" G_GINT64_FORMAT,
                    found, id);
  if (!cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || !name_of (cf, txn, id, &name, NULL))
    return FALSE;
  if (g_strcmp0 (name, "new") != 0)
    return cf_fail (cf, "after commit, get names the renamed record \"%s\", not \"new\"",
                    name ? name : "(NULL)");
  /* The old name is free for another record; dropping the name frees "new". */
  if ((other = cf_insert (cf, txn, C, "old", cf_record ("n", g_variant_new_int64 (3), NULL), NULL)) == 0
      || cf_update (cf, txn, C, id, NULL, cf_record ("n", g_variant_new_int64 (4), NULL), 0, NULL) == 0)
    return FALSE;
  if ((found = cf_find (cf, txn, C, "new", NULL)) != 0)
    return cf_fail (cf, "after an update with no name, find (\"new\") gives %" G_GINT64_FORMAT, found);
  g_clear_pointer (&name, g_free);
  if (!name_of (cf, txn, id, &name, &revision))
    return FALSE;
  if (name != NULL)
    return cf_fail (cf, "after an update with no name, get names the record \"%s\"", name);
  if (!cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  /* Renaming onto a taken name is refused and changes nothing. */
  if (cf_update (cf, txn, C, id, "old", cf_record ("n", g_variant_new_int64 (5), NULL), 0, &error) != 0)
    return cf_fail (
        cf, "update renamed record %" G_GINT64_FORMAT " onto \"old\", which record %" G_GINT64_FORMAT " has",
        id, other);
  if (!cf_expect_error (cf, &error, PKM_ERROR_EXISTS, "update onto a taken name"))
    return FALSE;
  g_autoptr (GVariant) kept = cf_get (cf, txn, C, id, NULL, NULL, NULL);
  g_autoptr (GVariant) four = g_variant_ref_sink (cf_record ("n", g_variant_new_int64 (4), NULL));
  if (kept == NULL)
    return FALSE;
  if (!cf_records_equal (kept, four) || cf_find (cf, txn, C, "old", NULL) != other)
    return cf_fail (cf, "an update refused for its taken name changed the record or the name's owner");
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}

/* find (@name) in @collection is 0, with no error. */
static gboolean
not_there (Cf *cf, PkmStoreTxn *txn, const char *collection, const char *name, const char *when)
{
  g_autoptr (GError) error = NULL;
  gint64 id = cf_find (cf, txn, collection, name, &error);

  if (id == 0 && error == NULL)
    return TRUE;
  if (error != NULL)
    return cf_fail (cf, "find of a missing name %s failed: %s", when, error->message);
  return cf_fail (cf, "find of a missing name %s gave %" G_GINT64_FORMAT, when, id);
}

gboolean
cf_check_find_missing (Cf *cf)
{
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 id;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL)
    return FALSE;
  if (!not_there (cf, txn, C, "nobody", "in a new store"))
    return FALSE;
  cf_rollback (cf, txn);
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (id = cf_insert (cf, txn, C, "a", cf_record ("n", g_variant_new_int64 (1), NULL), NULL)) == 0)
    return FALSE;
  if (!not_there (cf, txn, C, "b", "in a collection holding another")
      || !not_there (cf, txn, "others", "a", "in another collection than the name's"))
    return FALSE;
  if (!cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || !cf_remove (cf, txn, C, id, 0, NULL))
    return FALSE;
  if (!not_there (cf, txn, C, "a", "after its record was removed"))
    return FALSE;
  if (!cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL)
    return FALSE;
  if (!not_there (cf, txn, C, "a", "after the removal was committed"))
    return FALSE;
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}
