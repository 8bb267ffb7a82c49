/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Records and revisions: what one handle writes, it reads back, and
 * listings of it. */
#include <string.h>
#include "conformance.h"

#define C "things"

static void
unref_variant (gpointer v)
{
  g_variant_unref (v);
}

/* Values of each type a record may hold, at the edges of each. */
static GPtrArray *
typed_values (void)
{
  static const guint8 bytes[] = { 0x00, 0xff, 0x00, 0x7f, 0x80, 0x01 };
  static const char *const strv[] = { "a", "", "äöü", "証明書", NULL };
  GPtrArray *values = g_ptr_array_new_with_free_func (unref_variant);
  g_autoptr (GString) large = g_string_new (NULL);

  while (large->len < (1 << 20))
    g_string_append (large, "a large string, äöü, 証明書; ");
#define ADD(v) g_ptr_array_add (values, g_variant_ref_sink (v))
  ADD (g_variant_new_string ("text"));
  ADD (g_variant_new_string (""));
  ADD (g_variant_new_string ("zertifikat-äöü-証明書 🔐 \t\"'\\ end"));
  ADD (g_variant_new_string (large->str));
  ADD (g_variant_new_boolean (TRUE));
  ADD (g_variant_new_boolean (FALSE));
  ADD (g_variant_new_byte (0));
  ADD (g_variant_new_byte (255));
  ADD (g_variant_new_int16 (G_MININT16));
  ADD (g_variant_new_int16 (G_MAXINT16));
  ADD (g_variant_new_uint16 (G_MAXUINT16));
  ADD (g_variant_new_int32 (G_MININT32));
  ADD (g_variant_new_int32 (G_MAXINT32));
  ADD (g_variant_new_uint32 (G_MAXUINT32));
  ADD (g_variant_new_int64 (G_MININT64));
  ADD (g_variant_new_int64 (G_MAXINT64));
  ADD (g_variant_new_uint64 (G_MAXUINT64));
  ADD (g_variant_new_double (0.5));
  ADD (g_variant_new_double (-0.0));
  ADD (g_variant_new_double (1e308));
  ADD (g_variant_new_double (-4.9e-324));
  ADD (g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, bytes, 0, 1));
  ADD (g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, bytes, sizeof bytes, 1));
  ADD (g_variant_new_strv (NULL, 0));
  ADD (g_variant_new_strv (strv, -1));
  ADD (g_variant_new_parsed ("@a{sv} {}"));
  ADD (g_variant_new_parsed ("{'inner': <{'deep': <[1, 2, 3]>, 'name': <'x'>}>, 'empty': <@a{sv} {}>,"
                             " 'boxed': <<int64 7>>, 'list': <[<'a'>, <byte 1>]>}"));
#undef ADD
  return values;
}

/* @record came back as @got, or the check says which type did not. */
static gboolean
same_record (Cf *cf, GVariant *record, GVariant *got, const char *what, const char *when)
{
  g_autofree char *sent = NULL;
  g_autofree char *seen = NULL;

  if (cf_records_equal (record, got))
    return TRUE;
  sent = cf_describe (record);
  seen = cf_describe (got);
  return cf_fail (cf, "a record holding %s came back different %s: sent %s, got %s", what, when, sent, seen);
}

/* What record @i of the round trip holds, for messages. */
static char *
describe_record (GPtrArray *values, GPtrArray *records, guint i)
{
  g_autofree char *text = NULL;

  if (i < values->len)
    {
      GVariant *value = g_ptr_array_index (values, i);
      text = cf_describe (value);
      return g_strdup_printf ("%s %s", g_variant_get_type_string (value), text);
    }
  return g_strdup ("every value at once");
}

gboolean
cf_check_round_trip_types (Cf *cf)
{
  g_autoptr (GPtrArray) values = typed_values ();
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (unref_variant);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GVariantDict all;
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gboolean ok = TRUE;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  /* One record per value, so a failure names the type; then all in one. */
  g_variant_dict_init (&all, NULL);
  for (guint i = 0; i < values->len; i++)
    {
      GVariant *value = g_ptr_array_index (values, i);
      g_autofree char *key = g_strdup_printf ("v%02u", i);
      g_ptr_array_add (records, g_variant_ref_sink (cf_record ("value", value, NULL)));
      g_variant_dict_insert_value (&all, key, value);
    }
  g_ptr_array_add (records, g_variant_ref_sink (g_variant_dict_end (&all)));
  for (guint i = 0; ok && i < records->len; i++)
    {
      GVariant *record = g_ptr_array_index (records, i);
      g_autoptr (GError) error = NULL;
      gint64 id = cf_insert (cf, txn, C, NULL, g_variant_ref (record), &error);
      g_autoptr (GVariant) got = id > 0 ? cf_get (cf, txn, C, id, NULL, NULL, NULL) : NULL;
      g_autofree char *what = describe_record (values, records, i);

      if (id == 0)
        return cf_fail (cf, "insert of a record holding %s failed: %s", what, error->message);
      g_array_append_val (ids, id);
      ok = got != NULL && same_record (cf, record, got, what, "in its transaction");
    }
  if (!ok || !cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL)
    return FALSE;
  for (guint i = 0; ok && i < records->len; i++)
    {
      GVariant *record = g_ptr_array_index (records, i);
      g_autoptr (GVariant) got = cf_get (cf, txn, C, g_array_index (ids, gint64, i), NULL, NULL, NULL);

      g_autofree char *what = describe_record (values, records, i);

      ok = got != NULL && same_record (cf, record, got, what, "after commit");
    }
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return ok;
}

static GVariant *
random_bytes (GRand *rand, gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i += 4)
    {
      guint32 r = g_rand_int (rand);
      memcpy (data + i, &r, MIN (4, size - i));
    }
  return g_variant_new_from_data (G_VARIANT_TYPE_BYTESTRING, data, size, TRUE, g_free, data);
}

gboolean
cf_check_large_record (Cf *cf)
{
  g_autoptr (GVariant) first
      = g_variant_ref_sink (cf_record ("blob", random_bytes (cf->rand, 8 << 20), NULL));
  g_autoptr (GVariant) second = g_variant_ref_sink (
      cf_record ("blob", random_bytes (cf->rand, (8 << 20) + 3), "n", g_variant_new_int64 (2), NULL));
  g_autoptr (GVariant) got = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 id;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (id = cf_insert (cf, txn, C, "large", g_variant_ref (first), NULL)) == 0
      || !cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || (got = cf_get (cf, txn, C, id, NULL, NULL, NULL)) == NULL)
    return FALSE;
  if (!same_record (cf, first, got, "8 MiB of ay", "after commit"))
    return FALSE;
  cf_rollback (cf, txn);
  g_clear_pointer (&got, g_variant_unref);
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || cf_update (cf, txn, C, id, "large", g_variant_ref (second), 0, NULL) == 0
      || !cf_commit (cf, txn, NULL))
    return FALSE;
  cf_close (cf, store);
  if ((store = cf_open (cf, cf->dir, NULL)) == NULL
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || (rows = cf_rows (cf, txn, C, NULL, NULL)) == NULL)
    return FALSE;
  if (rows->len != 1)
    return cf_fail (cf, "a collection of one large record lists %u", rows->len);
  if (!same_record (cf, second, ((CfRow *) g_ptr_array_index (rows, 0))->record, "8 MiB of ay, updated",
                    "in a listing after reopening"))
    return FALSE;
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_check_empty_record (Cf *cf)
{
  g_autoptr (GVariant) empty = g_variant_ref_sink (g_variant_new_parsed ("@a{sv} {}"));
  g_autoptr (GVariant) got = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 id, other;

  /* Inserted empty, and another record updated to empty. */
  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  if ((id = cf_insert (cf, txn, C, "empty", g_variant_ref (empty), &error)) == 0)
    return cf_fail (cf, "insert of the empty a{sv} failed: %s", error->message);
  if ((other = cf_insert (cf, txn, C, "emptied", cf_record ("n", g_variant_new_int64 (1), NULL), NULL)) == 0)
    return FALSE;
  if (cf_update (cf, txn, C, other, "emptied", g_variant_ref (empty), 0, &error) == 0)
    return cf_fail (cf, "update to the empty a{sv} failed: %s", error->message);
  if (!cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || (got = cf_get (cf, txn, C, id, NULL, NULL, NULL)) == NULL
      || (rows = cf_rows (cf, txn, C, NULL, NULL)) == NULL)
    return FALSE;
  if (!same_record (cf, empty, got, "nothing (the empty a{sv})", "after commit"))
    return FALSE;
  if (rows->len != 2 || !cf_records_equal (((CfRow *) g_ptr_array_index (rows, 1))->record, empty))
    return cf_fail (cf, "a listing of two empty records gives %u records, or the updated one not empty",
                    rows->len);
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_check_query_id_order (Cf *cf)
{
  g_autoptr (GArray) live = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) rows = NULL;
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn = NULL;
  guint64 count = 0;

  if (store == NULL)
    return FALSE;
  /* Names in an order unlike the ids' (descending), another collection
   * between, and removals: the listing is still by id. */
  for (int round = 0; round < 3; round++)
    {
      if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
        return FALSE;
      for (int i = 0; i < 10; i++)
        {
          g_autofree char *name = g_strdup_printf ("z%03d", 100 - (round * 10 + i));
          gint64 id = cf_insert (cf, txn, C, name, cf_record ("n", g_variant_new_int32 (i), NULL), NULL);

          if (id == 0
              || cf_insert (cf, txn, "others", NULL, cf_record ("n", g_variant_new_int32 (i), NULL), NULL)
                     == 0)
            return FALSE;
          g_array_append_val (live, id);
        }
      for (int r = 0; r < 3 && live->len > 0; r++)
        {
          guint at = g_rand_int_range (cf->rand, 0, live->len);
          if (!cf_remove (cf, txn, C, g_array_index (live, gint64, at), 0, NULL))
            return FALSE;
          g_array_remove_index (live, at);
        }
      if (!cf_commit (cf, txn, NULL))
        return FALSE;
    }
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || (rows = cf_rows (cf, txn, C, NULL, NULL)) == NULL)
    return FALSE;
  if (!cf_rows_in_id_order (cf, rows, "query with no field"))
    return FALSE;
  if (rows->len != live->len)
    return cf_fail (cf, "query with no field lists %u records; %u are stored", rows->len, live->len);
  for (guint i = 0; i < live->len; i++)
    if (cf_rows_find (rows, g_array_index (live, gint64, i)) == NULL)
      return cf_fail (cf, "query with no field leaves out record %" G_GINT64_FORMAT,
                      g_array_index (live, gint64, i));
  PkmStoreQuery all = { .struct_size = sizeof (PkmStoreQuery) };
  if (!cf_count (cf, txn, C, &all, &count, NULL))
    return FALSE;
  if (count != live->len)
    return cf_fail (cf, "count with no field gives %" G_GUINT64_FORMAT "; %u are stored", count, live->len);
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_check_list_collections (Cf *cf)
{
  static const char *const expected[] = { "alpha", "beta", "zeta", NULL };
  g_auto (GStrv) names = NULL;
  g_autofree char *seen = NULL;
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 gone;

  /* Created out of order; "emptied" holds a record no more. */
  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || cf_insert (cf, txn, "zeta", NULL, cf_record ("n", g_variant_new_int64 (1), NULL), NULL) == 0
      || cf_insert (cf, txn, "alpha", NULL, cf_record ("n", g_variant_new_int64 (1), NULL), NULL) == 0
      || (gone = cf_insert (cf, txn, "emptied", NULL, cf_record ("n", g_variant_new_int64 (1), NULL), NULL))
             == 0
      || cf_insert (cf, txn, "beta", NULL, cf_record ("n", g_variant_new_int64 (1), NULL), NULL) == 0
      || !cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || !cf_remove (cf, txn, "emptied", gone, 0, NULL) || !cf_commit (cf, txn, NULL)
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || (names = cf_list_collections (cf, txn, NULL)) == NULL)
    return FALSE;
  cf_rollback (cf, txn);
  cf_close (cf, store);
  if (g_strv_equal ((const char *const *) names, expected))
    return TRUE;
  seen = g_strjoinv (", ", names);
  return cf_fail (cf, "list_collections gives [%s], expected [alpha, beta, zeta]", seen);
}

/* The revision get gives for @id, or -1 (recorded). */
static gint64
revision_now (Cf *cf, PkmStoreTxn *txn, gint64 id)
{
  gint64 revision = -1;
  g_autoptr (GVariant) got = cf_get (cf, txn, C, id, NULL, &revision, NULL);

  return got != NULL ? revision : -1;
}

static gboolean
listed_revision (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  *(gint64 *) user_data = revision;
  return TRUE;
}

gboolean
cf_check_revisions (Cf *cf)
{
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 id, bystander, revision, listed = -1;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (id = cf_insert (cf, txn, C, "r", cf_record ("n", g_variant_new_int64 (0), NULL), NULL)) == 0
      || (bystander = cf_insert (cf, txn, C, "b", cf_record ("n", g_variant_new_int64 (0), NULL), NULL)) == 0)
    return FALSE;
  if ((revision = revision_now (cf, txn, id)) != 1)
    return cf_fail (cf, "a record just inserted is at revision %" G_GINT64_FORMAT, revision);
  /* One more at each update, in one transaction and across several. */
  for (gint64 n = 1; n <= 6; n++)
    {
      gint64 expected = n % 2 == 0 ? n : 0; /* naming the revision read, or not */
      gint64 returned
          = cf_update (cf, txn, C, id, "r", cf_record ("n", g_variant_new_int64 (n), NULL), expected, NULL);

      if (returned == 0)
        return FALSE;
      if (returned != n + 1)
        return cf_fail (cf, "update %" G_GINT64_FORMAT " of a record returned revision %" G_GINT64_FORMAT, n,
                        returned);
      if ((revision = revision_now (cf, txn, id)) != n + 1)
        return cf_fail (cf, "after update %" G_GINT64_FORMAT " get gives revision %" G_GINT64_FORMAT, n,
                        revision);
      if (n % 3 == 0
          && (!cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL))
        return FALSE;
    }
  if (!cf_commit (cf, txn, NULL))
    return FALSE;
  cf_close (cf, store);
  if ((store = cf_open (cf, cf->dir, NULL)) == NULL
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL)
    return FALSE;
  if ((revision = revision_now (cf, txn, id)) != 7)
    return cf_fail (cf, "after 6 updates and reopening, get gives revision %" G_GINT64_FORMAT ", not 7",
                    revision);
  if ((revision = revision_now (cf, txn, bystander)) != 1)
    return cf_fail (cf, "a record never updated is at revision %" G_GINT64_FORMAT " after another's updates",
                    revision);
  PkmStoreQuery all = { .struct_size = sizeof (PkmStoreQuery), .after_id = id - 1, .limit = 1 };
  if (!cf_query (cf, txn, C, &all, listed_revision, &listed, NULL))
    return FALSE;
  if (listed != 7)
    return cf_fail (cf, "query gives revision %" G_GINT64_FORMAT " for a record get has at 7", listed);
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_check_stale_revision (Cf *cf)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) before = NULL;
  g_autoptr (GVariant) after = NULL;
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 id, revision = 0;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (id = cf_insert (cf, txn, C, "r", cf_record ("n", g_variant_new_int64 (1), NULL), NULL)) == 0
      || cf_update (cf, txn, C, id, "r", cf_record ("n", g_variant_new_int64 (2), NULL), 0, NULL) == 0
      || !cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (before = cf_get (cf, txn, C, id, NULL, &revision, NULL)) == NULL)
    return FALSE;
  /* Revision 1 is stale: the record is at 2. */
  if (cf_update (cf, txn, C, id, "moved", cf_record ("n", g_variant_new_int64 (3), NULL), 1, &error) != 0)
    return cf_fail (cf, "update naming revision 1 of a record at revision 2 succeeded (a lost update)");
  if (!cf_expect_error (cf, &error, PKM_ERROR_CONFLICT, "update with a stale expected_revision"))
    return FALSE;
  if (cf_remove (cf, txn, C, id, 1, &error))
    return cf_fail (cf, "remove naming revision 1 of a record at revision 2 succeeded");
  if (!cf_expect_error (cf, &error, PKM_ERROR_CONFLICT, "remove with a stale expected_revision"))
    return FALSE;
  cf_rollback (cf, txn);
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || (after = cf_get (cf, txn, C, id, NULL, &revision, NULL)) == NULL)
    return FALSE;
  if (revision != 2 || !cf_records_equal (before, after) || cf_find (cf, txn, C, "r", NULL) != id)
    return cf_fail (cf,
                    "a refused update or removal changed the record (now at revision %" G_GINT64_FORMAT ")",
                    revision);
  cf_rollback (cf, txn);
  /* The current revision works for both. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || cf_update (cf, txn, C, id, "r", cf_record ("n", g_variant_new_int64 (4), NULL), 2, NULL) != 3
      || !cf_remove (cf, txn, C, id, 3, NULL) || !cf_commit (cf, txn, NULL))
    return cf_fail (cf, "update naming the current revision 2, then remove naming 3, did not both succeed");
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_check_not_found (Cf *cf)
{
  g_autoptr (GError) error = NULL;
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 id, gone;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (id = cf_insert (cf, txn, C, NULL, cf_record ("n", g_variant_new_int64 (1), NULL), NULL)) == 0
      || (gone = cf_insert (cf, txn, C, NULL, cf_record ("n", g_variant_new_int64 (2), NULL), NULL)) == 0
      || !cf_remove (cf, txn, C, gone, 0, NULL) || !cf_commit (cf, txn, NULL)
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  /* Never used, removed, and an id of another collection. */
  const struct {
    const char *collection;
    gint64 id;
    const char *what;
  } missing[] = { { C, gone + 1000, "an id never used" },
                  { C, gone, "a removed id" },
                  { "others", id, "an id of another collection" } };
  for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      g_autofree char *get = g_strdup_printf ("get of %s", missing[i].what);
      g_autofree char *update = g_strdup_printf ("update of %s", missing[i].what);
      g_autofree char *remove = g_strdup_printf ("remove of %s", missing[i].what);
      g_autoptr (GVariant) got = cf_get (cf, txn, missing[i].collection, missing[i].id, NULL, NULL, &error);

      if (got != NULL)
        return cf_fail (cf, "%s gave a record", get);
      if (!cf_expect_error (cf, &error, PKM_ERROR_NOT_FOUND, get))
        return FALSE;
      if (cf_update (cf, txn, missing[i].collection, missing[i].id, NULL,
                     cf_record ("n", g_variant_new_int64 (3), NULL), 0, &error)
          != 0)
        return cf_fail (cf, "%s succeeded", update);
      if (!cf_expect_error (cf, &error, PKM_ERROR_NOT_FOUND, update))
        return FALSE;
      if (cf_remove (cf, txn, missing[i].collection, missing[i].id, 0, &error))
        return cf_fail (cf, "%s succeeded", remove);
      if (!cf_expect_error (cf, &error, PKM_ERROR_NOT_FOUND, remove))
        return FALSE;
    }
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}
