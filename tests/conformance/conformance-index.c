/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Indexes and queries, against a full scan filtered here with
 * pkm_store_value_compare: whatever a store keeps, it answers as the scan. */
#include "conformance.h"

#define C "indexed"

typedef struct {
  const char *field;
  const char *type;
  GVariant *(*value) (GRand *rand); /* a random value of the field's type */
  GVariant *(*other) (void);        /* a value of another type */
} Field;

static GVariant *
random_s (GRand *rand)
{
  static const char *const pool[]
      = { "a", "ab", "abc", "b", "B", "ä", "äb", "証明書", "z", "\x7f", "0", "a\x01" };
  static const char alphabet[] = "aAb0";
  char text[4] = { 0 };

  if (g_rand_boolean (rand))
    return g_variant_new_string (pool[g_rand_int_range (rand, 0, G_N_ELEMENTS (pool))]);
  for (int i = 0, n = g_rand_int_range (rand, 1, 4); i < n; i++)
    text[i] = alphabet[g_rand_int_range (rand, 0, 4)];
  return g_variant_new_string (text);
}

static GVariant *
random_x (GRand *rand)
{
  static const gint64 edges[] = { G_MININT64, G_MININT64 + 1, -1, 0, 1, G_MAXINT64 - 1, G_MAXINT64 };

  switch (g_rand_int_range (rand, 0, 3))
    {
    case 0: return g_variant_new_int64 (edges[g_rand_int_range (rand, 0, G_N_ELEMENTS (edges))]);
    case 1: return g_variant_new_int64 (g_rand_int_range (rand, -20, 21));
    default: return g_variant_new_int64 ((gint64) (((guint64) g_rand_int (rand) << 32) | g_rand_int (rand)));
    }
}

static GVariant *
random_b (GRand *rand)
{
  return g_variant_new_boolean (g_rand_boolean (rand));
}

static GVariant *
random_ay (GRand *rand)
{
  static const guint8 pool[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
  guint8 bytes[3];
  /* Not empty: the empty values have a check of their own (index-empty-values). */
  int n = g_rand_int_range (rand, 1, 4);

  for (int i = 0; i < n; i++)
    bytes[i] = pool[g_rand_int_range (rand, 0, G_N_ELEMENTS (pool))];
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, bytes, n, 1);
}

static GVariant *
other_int32 (void)
{
  return g_variant_new_int32 (1);
}

static GVariant *
other_string (void)
{
  return g_variant_new_string ("5");
}

static const Field fields[] = {
  { "s", "s", random_s, other_int32 },
  { "x", "x", random_x, other_string },
  { "b", "b", random_b, other_int32 },
  { "ay", "ay", random_ay, other_string },
};

/* A record numbered @n: each indexed field there with its type, missing, or
 * of another type (which its index must leave out). */
static GVariant *
random_record (GRand *rand, gint64 n)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "n", "x", n);
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      double p = g_rand_double (rand);
      if (p < 0.1)
        continue;
      g_variant_dict_insert_value (&dict, fields[f].field,
                                   p < 0.2 ? fields[f].other () : fields[f].value (rand));
    }
  return g_variant_dict_end (&dict);
}

/* Whether @record is in the range: it holds @field with @type, within the bounds. */
static gboolean
selects (GVariant *record, const Field *field, GVariant *lower, GVariant *upper)
{
  g_autoptr (GVariant) value = g_variant_lookup_value (record, field->field, G_VARIANT_TYPE (field->type));

  return value != NULL && (lower == NULL || pkm_store_value_compare (value, lower) >= 0)
         && (upper == NULL || pkm_store_value_compare (value, upper) <= 0);
}

/* The rows of @scan that @query selects, as a full scan filtered here. */
static GPtrArray *
expected_rows (GPtrArray *scan, const Field *field, const PkmStoreQuery *query)
{
  GPtrArray *rows = g_ptr_array_new ();
  guint64 limit = query->limit > 0 ? query->limit : G_MAXUINT64;

  for (guint i = 0; i < scan->len && rows->len < limit; i++)
    {
      CfRow *row = g_ptr_array_index (scan, i);
      if (row->id > query->after_id
          && (field == NULL || selects (row->record, field, query->lower, query->upper)))
        g_ptr_array_add (rows, row);
    }
  return rows;
}

static char *
describe_query (const PkmStoreQuery *query)
{
  g_autofree char *lower = query->lower != NULL ? cf_describe (query->lower) : g_strdup ("unbounded");
  g_autofree char *upper = query->upper != NULL ? cf_describe (query->upper) : g_strdup ("unbounded");

  return g_strdup_printf ("query of %s from %s to %s after id %" G_GINT64_FORMAT " limit %" G_GUINT64_FORMAT,
                          query->field != NULL ? query->field : "every record", lower, upper, query->after_id,
                          query->limit);
}

/* The first record one listing has and the other lacks, with its value. */
static gboolean
same_ids (Cf *cf, const Field *field, GPtrArray *expected, GPtrArray *got, const char *what)
{
  for (int side = 0; side < 2; side++)
    {
      GPtrArray *from = side == 0 ? expected : got, *in = side == 0 ? got : expected;

      for (guint i = 0; i < from->len; i++)
        {
          const CfRow *row = g_ptr_array_index (from, i);
          g_autoptr (GVariant) value = NULL;
          g_autofree char *text = NULL;

          if (cf_rows_find (in, row->id) != NULL)
            continue;
          value = field != NULL ? g_variant_lookup_value (row->record, field->field, NULL) : NULL;
          text = value != NULL ? cf_describe (value) : g_strdup ("absent");
          return cf_fail (cf, "%s: record %" G_GINT64_FORMAT " (%s %s) %s", what, row->id,
                          field != NULL ? field->field : "field", text,
                          side == 0 ? "is missing" : "is listed and should not be");
        }
    }
  return TRUE;
}

/* @query's rows and count are those of the filtered scan. */
static gboolean
agrees (Cf *cf, PkmStoreTxn *txn, GPtrArray *scan, const Field *field, const PkmStoreQuery *query,
        const char *when)
{
  g_autoptr (GPtrArray) expected = expected_rows (scan, field, query);
  g_autoptr (GPtrArray) got = cf_rows (cf, txn, C, query, NULL);
  g_autofree char *described = NULL;
  g_autofree char *what = NULL;
  guint64 count = 0;

  if (got == NULL || !cf_count (cf, txn, C, query, &count, NULL))
    return FALSE;
  described = describe_query (query);
  what = g_strdup_printf ("%s, %s, against a full scan", described, when);
  if (!cf_rows_in_id_order (cf, got, what) || !same_ids (cf, field, expected, got, what)
      || !cf_rows_equal (cf, expected, got, what))
    return FALSE;
  if (count != expected->len)
    return cf_fail (cf, "%s: count gives %" G_GUINT64_FORMAT ", the scan %u", what, count, expected->len);
  return TRUE;
}

/* A value of @field's type, from a record of @scan or at random. */
static GVariant *
some_value (Cf *cf, GPtrArray *scan, const Field *field)
{
  if (scan->len > 0 && g_rand_boolean (cf->rand))
    {
      CfRow *row = g_ptr_array_index (scan, g_rand_int_range (cf->rand, 0, scan->len));
      GVariant *value = g_variant_lookup_value (row->record, field->field, G_VARIANT_TYPE (field->type));
      if (value != NULL)
        return value;
    }
  return g_variant_ref_sink (field->value (cf->rand));
}

/* @rounds random ranges of each field: both bounds, lower only, upper only,
 * and one value. */
static gboolean
ranges_agree (Cf *cf, PkmStoreTxn *txn, int rounds, const char *when)
{
  g_autoptr (GPtrArray) scan = cf_rows (cf, txn, C, NULL, NULL);

  if (scan == NULL)
    return FALSE;
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    for (int i = 0; i < rounds; i++)
      {
        g_autoptr (GVariant) a = some_value (cf, scan, &fields[f]);
        g_autoptr (GVariant) b = some_value (cf, scan, &fields[f]);
        gboolean ordered = pkm_store_value_compare (a, b) <= 0;
        GVariant *low = ordered ? a : b, *high = ordered ? b : a;
        PkmStoreQuery ranges[] = {
          cf_range (fields[f].field, low, high),
          cf_range (fields[f].field, a, NULL),
          cf_range (fields[f].field, NULL, a),
          cf_range (fields[f].field, a, a),
        };

        for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
          if (!agrees (cf, txn, scan, &fields[f], &ranges[r], when))
            return FALSE;
      }
  return TRUE;
}

/* A store of @n random records with the four indexes, then some updated
 * (to other values, other types, or without the field) and some removed.
 * @rounds > 0: ranges are checked inside the inserting transaction too. */
static PkmStore *
populate (Cf *cf, guint n, int rounds)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return NULL;
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    if (!cf_declare_index (cf, txn, C, fields[f].field, fields[f].type, NULL))
      return NULL;
  for (guint i = 0; i < n; i++)
    {
      gint64 id = cf_insert (cf, txn, C, NULL, random_record (cf->rand, i), NULL);
      if (id == 0)
        return NULL;
      g_array_append_val (ids, id);
    }
  if ((rounds > 0 && !ranges_agree (cf, txn, rounds, "in the inserting transaction"))
      || !cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return NULL;
  for (guint i = 0; i < n / 5; i++)
    {
      gint64 id = g_array_index (ids, gint64, g_rand_int_range (cf->rand, 0, ids->len));
      if (cf_update (cf, txn, C, id, NULL, random_record (cf->rand, n + i), 0, NULL) == 0)
        return NULL;
    }
  for (guint i = 0; i < n / 10; i++)
    {
      guint at = g_rand_int_range (cf->rand, 0, ids->len);
      if (!cf_remove (cf, txn, C, g_array_index (ids, gint64, at), 0, NULL))
        return NULL;
      g_array_remove_index_fast (ids, at);
    }
  return cf_commit (cf, txn, NULL) ? store : NULL;
}

gboolean
cf_check_index_agrees_with_scan (Cf *cf)
{
  PkmStore *store = populate (cf, 500, 10);
  PkmStoreTxn *txn;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || !ranges_agree (cf, txn, 50, "after updates and removals"))
    return FALSE;
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}

/* @got holds exactly the keys of @keys that @full has, with their values. */
static gboolean
projected (Cf *cf, const CfRow *full, const CfRow *got, const char *const *keys, const char *what)
{
  guint expected = 0;

  if (g_strcmp0 (full->name, got->name) != 0 || full->revision != got->revision)
    return cf_fail (cf, "%s: record %" G_GINT64_FORMAT " lost its name or revision", what, got->id);
  for (guint k = 0; keys[k] != NULL; k++)
    {
      g_autoptr (GVariant) want = g_variant_lookup_value (full->record, keys[k], NULL);
      g_autoptr (GVariant) have = g_variant_lookup_value (got->record, keys[k], NULL);

      expected += want != NULL;
      if ((want == NULL) != (have == NULL) || (want != NULL && !g_variant_equal (want, have)))
        {
          g_autofree char *w = cf_describe (want);
          g_autofree char *h = cf_describe (have);
          return cf_fail (cf, "%s: record %" G_GINT64_FORMAT " gives %s for \"%s\", the record holds %s",
                          what, got->id, h, keys[k], w);
        }
    }
  if (g_variant_n_children (got->record) != expected)
    {
      g_autofree char *h = cf_describe (got->record);
      return cf_fail (
          cf, "%s: record %" G_GINT64_FORMAT " holds %zu keys (%s), expected the %u asked for that it has",
          what, got->id, g_variant_n_children (got->record), h, expected);
    }
  return TRUE;
}

gboolean
cf_check_query_projection (Cf *cf)
{
  static const char *const none[] = { NULL };
  static const char *const some[] = { "s", "b", "absent", NULL };
  static const char *const one[] = { "n", NULL };
  static const char *const every[] = { "ay", "x", "n", "s", "b", NULL };
  static const char *const *const projections[] = { none, some, one, every };
  g_autoptr (GVariant) low = g_variant_ref_sink (g_variant_new_string (""));
  g_autoptr (GPtrArray) scan = NULL;
  PkmStore *store = populate (cf, 200, 0);
  PkmStoreTxn *txn;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || (scan = cf_rows (cf, txn, C, NULL, NULL)) == NULL)
    return FALSE;
  for (guint p = 0; p < G_N_ELEMENTS (projections); p++)
    for (int by_field = 0; by_field < 2; by_field++)
      {
        PkmStoreQuery query = by_field ? cf_range ("s", low, NULL) : cf_range (NULL, NULL, NULL);
        g_autoptr (GPtrArray) expected = NULL;
        g_autoptr (GPtrArray) got = NULL;
        g_autofree char *keys = g_strjoinv (", ", (char **) projections[p]);
        g_autofree char *what = g_strdup_printf ("%s with the projection [%s]",
                                                 by_field ? "query of s" : "query of every record", keys);

        query.projection = projections[p];
        expected = expected_rows (scan, by_field ? &fields[0] : NULL, &query);
        if ((got = cf_rows (cf, txn, C, &query, NULL)) == NULL)
          return FALSE;
        if (got->len != expected->len)
          return cf_fail (cf, "%s lists %u records, without it %u", what, got->len, expected->len);
        for (guint i = 0; i < got->len; i++)
          {
            const CfRow *full = g_ptr_array_index (expected, i), *row = g_ptr_array_index (got, i);
            if (full->id != row->id)
              return cf_fail (cf, "%s lists id %" G_GINT64_FORMAT " where the scan has %" G_GINT64_FORMAT,
                              what, row->id, full->id);
            if (!projected (cf, full, row, projections[p], what))
              return FALSE;
          }
      }
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}

/* after_id and limit for @field (NULL: every record), at random and by pages. */
static gboolean
pages_agree (Cf *cf, PkmStoreTxn *txn, GPtrArray *scan, const Field *field)
{
  static const guint64 limits[] = { 0, 1, 2, 7, 1000 };
  const CfRow *last = g_ptr_array_index (scan, scan->len - 1);
  PkmStoreQuery query = cf_range (field != NULL ? field->field : NULL, NULL, NULL);
  g_autoptr (GPtrArray) whole = expected_rows (scan, field, &query);
  g_autoptr (GArray) paged = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (int i = 0; i < 20; i++)
    {
      const CfRow *some = g_ptr_array_index (scan, g_rand_int_range (cf->rand, 0, scan->len));
      const gint64 after[] = { 0, some->id, some->id + 1, last->id, last->id + 100 };

      query.after_id = after[g_rand_int_range (cf->rand, 0, G_N_ELEMENTS (after))];
      query.limit = limits[g_rand_int_range (cf->rand, 0, G_N_ELEMENTS (limits))];
      if (!agrees (cf, txn, scan, field, &query, "paging"))
        return FALSE;
    }
  /* Pages of 7, each after the last id of the one before, make the whole. */
  query.after_id = 0;
  query.limit = 7;
  for (;;)
    {
      g_autoptr (GPtrArray) page = cf_rows (cf, txn, C, &query, NULL);

      if (page == NULL)
        return FALSE;
      if (page->len > 7)
        return cf_fail (cf, "a query with limit 7 lists %u records", page->len);
      if (page->len == 0)
        break;
      for (guint i = 0; i < page->len; i++)
        g_array_append_val (paged, ((CfRow *) g_ptr_array_index (page, i))->id);
      query.after_id = g_array_index (paged, gint64, paged->len - 1);
    }
  for (guint i = 0; i < MAX (paged->len, whole->len); i++)
    if (i >= paged->len || i >= whole->len
        || g_array_index (paged, gint64, i) != ((CfRow *) g_ptr_array_index (whole, i))->id)
      return cf_fail (cf, "paging %s by 7 after the last id gives %u records, one query %u, differing at %u",
                      field != NULL ? field->field : "every record", paged->len, whole->len, i + 1);
  return TRUE;
}

gboolean
cf_check_query_paging (Cf *cf)
{
  g_autoptr (GPtrArray) scan = NULL;
  PkmStore *store = populate (cf, 300, 0);
  PkmStoreTxn *txn;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || (scan = cf_rows (cf, txn, C, NULL, NULL)) == NULL)
    return FALSE;
  if (scan->len == 0)
    return cf_fail (cf, "300 records inserted, none listed");
  if (!pages_agree (cf, txn, scan, NULL))
    return FALSE;
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    if (!pages_agree (cf, txn, scan, &fields[f]))
      return FALSE;
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}

/* A query and a count of @query both fail with PKM_ERROR_INVALID_ARGUMENT. */
static gboolean
refused_query (Cf *cf, PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = cf_rows (cf, txn, collection, query, &error);
  g_autofree char *query_what = g_strdup_printf ("query of %s", what);
  g_autofree char *count_what = g_strdup_printf ("count of %s", what);
  guint64 count = 0;

  if (!cf_expect_error (cf, &error, PKM_ERROR_INVALID_ARGUMENT, query_what))
    return FALSE;
  cf_count (cf, txn, collection, query, &count, &error);
  return cf_expect_error (cf, &error, PKM_ERROR_INVALID_ARGUMENT, count_what);
}

gboolean
cf_check_index_declarations (Cf *cf)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) number = g_variant_ref_sink (g_variant_new_int64 (1));
  PkmStoreQuery unindexed = cf_range ("nope", NULL, NULL);
  PkmStoreQuery mistyped = cf_range ("s", number, NULL);
  PkmStoreQuery elsewhere = cf_range ("s", NULL, NULL);
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;

  /* Twice in one transaction, again in the next, and after reopening.
   * Indexes are per collection: the same field elsewhere may have another type. */
  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || !cf_declare_index (cf, txn, C, "s", "s", NULL) || !cf_declare_index (cf, txn, C, "s", "s", NULL)
      || !cf_declare_index (cf, txn, "elsewhere", "s", "x", NULL)
      || cf_insert (cf, txn, C, NULL, cf_record ("s", g_variant_new_string ("v"), NULL), NULL) == 0
      || !cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || !cf_declare_index (cf, txn, C, "s", "s", NULL))
    return FALSE;
  cf_declare_index (cf, txn, C, "s", "x", &error);
  if (!cf_expect_error (cf, &error, PKM_ERROR_EXISTS, "declare_index of \"s\" as \"x\" when it is \"s\""))
    return FALSE;
  cf_rollback (cf, txn);
  cf_close (cf, store);
  if ((store = cf_open (cf, cf->dir, NULL)) == NULL
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || !cf_declare_index (cf, txn, C, "s", "s", NULL))
    return FALSE;
  cf_declare_index (cf, txn, C, "s", "ay", &error);
  if (!cf_expect_error (cf, &error, PKM_ERROR_EXISTS, "declare_index of \"s\" as \"ay\" after reopening"))
    return FALSE;
  cf_declare_index (cf, txn, C, "d", "d", &error);
  if (!cf_expect_failure (cf, &error, "declare_index of type \"d\" (not an index type)"))
    return FALSE;
  if (!refused_query (cf, txn, C, &unindexed, "an unindexed field")
      || !refused_query (cf, txn, C, &mistyped, "an \"s\" index with an int64 bound")
      || !refused_query (cf, txn, "unrelated", &elsewhere, "a field indexed in another collection only"))
    return FALSE;
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_check_index_backfill (Cf *cf)
{
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;

  /* Records committed before the declaration, and records of the declaring
   * transaction, before and after it. */
  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  for (int i = 0; i < 60; i++)
    if (cf_insert (cf, txn, C, NULL, random_record (cf->rand, i), NULL) == 0)
      return FALSE;
  if (!cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  for (int i = 60; i < 80; i++)
    if (cf_insert (cf, txn, C, NULL, random_record (cf->rand, i), NULL) == 0)
      return FALSE;
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    if (!cf_declare_index (cf, txn, C, fields[f].field, fields[f].type, NULL))
      return FALSE;
  for (int i = 80; i < 100; i++)
    if (cf_insert (cf, txn, C, NULL, random_record (cf->rand, i), NULL) == 0)
      return FALSE;
  if (!ranges_agree (cf, txn, 10, "in the declaring transaction") || !cf_commit (cf, txn, NULL)
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || !ranges_agree (cf, txn, 10, "after the declaring transaction committed"))
    return FALSE;
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}

/* The empty string and the empty byte array are values like any other: the
 * least of their type. */
gboolean
cf_check_index_empty_values (Cf *cf)
{
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL)
    return FALSE;
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    if (!cf_declare_index (cf, txn, C, fields[f].field, fields[f].type, NULL))
      return FALSE;
  /* "" and [] beside values just above them: "\x01" and [0x00]. */
  for (int i = 0; i < 12; i++)
    {
      static const char *const strings[] = { "", "a", "\x01" };
      static const guint8 zero = 0x00;
      GVariant *s = g_variant_new_string (strings[i % 3]);
      GVariant *ay = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, &zero, i % 2, 1);

      if (cf_insert (cf, txn, C, NULL, cf_record ("n", g_variant_new_int64 (i), "s", s, "ay", ay, NULL), NULL)
          == 0)
        return FALSE;
    }
  if (!ranges_agree (cf, txn, 3, "in the inserting transaction") || !cf_commit (cf, txn, NULL)
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL)
    return FALSE;
  for (guint i = 0; i < 2; i++)
    {
      const Field *field = i == 0 ? &fields[0] : &fields[3]; /* s, ay */
      g_autoptr (GPtrArray) scan = cf_rows (cf, txn, C, NULL, NULL);
      g_autoptr (GVariant) empty = g_variant_ref_sink (
          i == 0 ? g_variant_new_string ("") : g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1));
      PkmStoreQuery ranges[] = {
        cf_range (field->field, empty, empty),
        cf_range (field->field, empty, NULL),
        cf_range (field->field, NULL, empty),
        cf_range (field->field, NULL, NULL),
      };

      if (scan == NULL)
        return FALSE;
      for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
        if (!agrees (cf, txn, scan, field, &ranges[r], "after commit"))
          return FALSE;
    }
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}
