/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pkm-vardict.h against GLib itself: what the builder writes is byte for
 * byte GLib's normal form of the same dictionary, a view reads back every
 * entry GLib reads, and bytes that are not a dictionary in normal form are
 * read as GLib reads them, never past their end. An embedder's test: only
 * <pkiman/pkiman.h> (and the tests' shared check of a view, tests/support). */
#include <string.h>
#include <pkiman/pkiman.h>
#include "pkm-test-support.h"

/* The same dictionary both ways: GVariantBuilder and the vardict builder. */
typedef struct {
  GVariantBuilder glib;
  PkmVardictBuilder *ours;
} Both;

static void
both_add (Both *both, const char *key, GVariant *value)
{
  g_variant_ref_sink (value);
  g_variant_builder_add (&both->glib, "{sv}", key, value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    pkm_vardict_builder_add_string (both->ours, key, g_variant_get_string (value, NULL));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    pkm_vardict_builder_add_boolean (both->ours, key, g_variant_get_boolean (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    pkm_vardict_builder_add_int64 (both->ours, key, g_variant_get_int64 (value));
  else
    pkm_vardict_builder_add_value (both->ours, key, value);
  g_variant_unref (value);
}

static void
assert_same_bytes (GVariant *ours, GVariant *glib)
{
  g_autoptr (GVariant) normal = g_variant_get_normal_form (glib);

  g_assert_true (g_variant_is_normal_form (ours));
  g_assert_cmpuint (g_variant_get_size (ours), ==, g_variant_get_size (normal));
  g_assert_cmpmem (g_variant_get_data (ours), g_variant_get_size (ours), g_variant_get_data (normal),
                   g_variant_get_size (normal));
  g_assert_true (g_variant_equal (ours, glib));
}

/* Dictionaries of every size class of offsets (1, 2 and 4 bytes), of every
 * value type a record holds, random keys and values. */
static void
test_builder_matches_glib (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (8894);
  Both both = { .ours = pkm_vardict_builder_new () };

  for (guint round = 0; round < 400; round++)
    {
      guint n = round % 7 == 0 ? 0 : g_rand_int_range (rand, 1, round < 380 ? 40 : 3);
      gsize big = round >= 390 ? 70000 : round >= 380 ? 300 : 0;
      g_autoptr (GVariant) glib = NULL, ours = NULL;

      g_variant_builder_init (&both.glib, G_VARIANT_TYPE_VARDICT);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *key = g_strdup_printf ("k%u-%s", i, i % 3 == 0 ? "é" : "");
          g_autofree char *text = g_strnfill (big > 0 ? big : (gsize) g_rand_int_range (rand, 0, 60), 'a' + i % 26);
          switch (g_rand_int_range (rand, 0, 7))
            {
            case 0: both_add (&both, key, g_variant_new_string (text)); break;
            case 1: both_add (&both, key, g_variant_new_boolean (g_rand_boolean (rand))); break;
            case 2: both_add (&both, key, g_variant_new_int64 ((gint64) g_rand_int (rand) << 20)); break;
            case 3: both_add (&both, key, g_variant_new_uint32 (g_rand_int (rand))); break;
            case 4: both_add (&both, key, g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, text, strlen (text), 1)); break;
            case 5:
              {
                const char *strv[] = { text, "", "x", NULL };
                both_add (&both, key, g_variant_new_strv (strv, -1));
                break;
              }
            default: both_add (&both, key, g_variant_new_parsed ("{'a': <(%s, %x)>}", text, (gint64) i)); break;
            }
        }
      glib = g_variant_ref_sink (g_variant_builder_end (&both.glib));
      g_assert_cmpuint (pkm_vardict_builder_size (both.ours), ==, n);
      ours = pkm_vardict_builder_end (both.ours);
      g_assert_false (g_variant_is_floating (ours));
      assert_same_bytes (ours, glib);
      g_assert_cmpuint (pkm_vardict_builder_size (both.ours), ==, 0);
    }
  pkm_vardict_builder_free (both.ours);
}

static void
test_view_matches_glib (void)
{
  g_autoptr (GVariant) empty = g_variant_ref_sink (g_variant_new_parsed ("@a{sv} {}"));
  g_autoptr (GVariant) tree = g_variant_ref_sink (
      g_variant_new_parsed ("{'name': <'c1'>, 'trusted': <true>, 'serial': <int64 -5>, 'n': <uint32 7>,"
                            " 'usage': <['a', 'b']>, 'der': <@ay [1, 2, 3]>, 'nested': <<'deep'>>}"));
  g_autoptr (GVariant) serialized = g_variant_new_from_data (G_VARIANT_TYPE_VARDICT, g_variant_get_data (tree),
                                                             g_variant_get_size (tree), TRUE, NULL, NULL);
  g_autoptr (PkmVardictView) view = pkm_vardict_view_new (tree);
  g_autoptr (PkmVardictBuilder) builder = pkm_vardict_builder_new ();
  g_autoptr (GVariant) copied = NULL;

  g_variant_ref_sink (serialized);
  pkm_test_assert_view_reads_as_glib (empty);
  pkm_test_assert_view_reads_as_glib (tree);
  pkm_test_assert_view_reads_as_glib (serialized);
  g_assert_cmpstr (pkm_vardict_view_get_string (view, "name"), ==, "c1");
  g_assert_true (pkm_vardict_view_get_boolean (view, "trusted"));
  g_assert_cmpint (pkm_vardict_view_get_int64 (view, "serial"), ==, -5);
  g_assert_cmpint (pkm_vardict_view_get_int64 (view, "n"), ==, 7);
  g_assert_cmpint (pkm_vardict_view_get_int64 (view, "name"), ==, 0);
  g_assert_null (pkm_vardict_view_get_string (view, "trusted"));
  /* Entries copied as they are make the same dictionary. */
  for (guint i = 0; i < pkm_vardict_view_size (view); i++)
    pkm_vardict_builder_add_entry (builder, view, pkm_vardict_view_entry (view, i));
  copied = pkm_vardict_builder_end (builder);
  assert_same_bytes (copied, tree);
}

/* Bytes that are not a dictionary in normal form: every byte of a real one
 * flipped in turn, and every prefix of it. The view never reads past the
 * data (ASan's part) and reads what GLib reads. */
static void
test_view_of_damaged_bytes (void)
{
  g_autoptr (GVariant) good = g_variant_ref_sink (
      g_variant_new_parsed ("{'name': <'c1'>, 'trusted': <true>, 'serial': <int64 -5>, 'usage': <['a', 'b']>}"));
  gsize size = g_variant_get_size (good);
  const guint8 *data = g_variant_get_data (good);

  for (gsize at = 0; at <= size; at++)
    for (guint variant = 0; variant < 3; variant++)
      {
        guint8 *copy = g_memdup2 (data, size);
        gsize len = size;
        g_autoptr (GVariant) damaged = NULL;

        if (variant == 0 && at < size)
          copy[at] ^= 0xff;
        else if (variant == 1 && at < size)
          copy[at] = 0;
        else
          len = at;
        damaged = g_variant_ref_sink (
            g_variant_new_from_data (G_VARIANT_TYPE_VARDICT, copy, len, FALSE, g_free, copy));
        pkm_test_assert_view_reads_as_glib (damaged);
      }
}

/* A key twice: every find gives the first, whatever was found before it
 * (a view remembers where its last find stopped). */
static void
test_repeated_keys (void)
{
  g_autoptr (PkmVardictBuilder) builder = pkm_vardict_builder_new ();
  g_autoptr (GVariant) dict = NULL;
  g_autoptr (PkmVardictView) view = NULL;
  gint64 glib = 0;

  pkm_vardict_builder_add_int64 (builder, "a", 1);
  pkm_vardict_builder_add_int64 (builder, "b", 2);
  pkm_vardict_builder_add_int64 (builder, "a", 3);
  dict = pkm_vardict_builder_end (builder);
  view = pkm_vardict_view_new (dict);
  g_assert_true (g_variant_lookup (dict, "a", "x", &glib));
  g_assert_cmpint (glib, ==, 1);
  for (guint round = 0; round < 3; round++)
    {
      g_assert_cmpint (pkm_vardict_view_get_int64 (view, "b"), ==, 2);
      g_assert_cmpint (pkm_vardict_view_get_int64 (view, "a"), ==, 1);
    }
  /* Without repeats, finds in any order find every key. */
  {
    g_autoptr (GVariant) plain = g_variant_ref_sink (g_variant_new_parsed ("{'x': <int64 1>, 'y': <int64 2>, 'z': <int64 3>}"));
    g_autoptr (PkmVardictView) v = pkm_vardict_view_new (plain);
    const char *order[] = { "z", "x", "y", "y", "x", "z", "x" };
    for (guint i = 0; i < G_N_ELEMENTS (order); i++)
      g_assert_cmpint (pkm_vardict_view_get_int64 (v, order[i]), ==, order[i][0] - 'x' + 1);
  }
}

/* A layout reads what finds read, for dictionaries of one layout and of
 * others, keys asked twice and keys repeated in the dictionary. */
static void
test_layout (void)
{
  static const char *const keys[] = { "c", "a", "missing", "b", "a", NULL };
  g_autoptr (PkmVardictLayout) layout = pkm_vardict_layout_new (keys);
  const char *dicts[] = {
    "{'a': <int64 1>, 'b': <int64 2>, 'c': <int64 3>}",
    "{'a': <int64 4>, 'b': <int64 5>, 'c': <int64 6>}",
    "{'c': <int64 7>, 'x': <int64 8>}",
    "@a{sv} {}",
    "{'b': <int64 9>, 'a': <int64 10>, 'b': <int64 11>, 'a': <int64 12>}",
  };

  g_assert_cmpuint (pkm_vardict_layout_size (layout), ==, 5);
  for (guint round = 0; round < 2; round++)
    for (guint d = 0; d < G_N_ELEMENTS (dicts); d++)
      {
        g_autoptr (GVariant) dict = g_variant_ref_sink (g_variant_new_parsed (dicts[d]));
        g_autoptr (PkmVardictView) view = pkm_vardict_view_new (dict);
        const PkmVardictEntry *const *slots = pkm_vardict_layout_read (layout, view);

        for (guint k = 0; keys[k] != NULL; k++)
          g_assert_true (slots[k] == pkm_vardict_view_find (view, keys[k]));
      }
}

/* A fixed-size value of the wrong size (an int32's four bytes under the type
 * x) is not normal form: a view reads it as GLib does. */
static void
test_wrong_size_value (void)
{
  g_autoptr (GVariant) good = g_variant_ref_sink (g_variant_new_parsed ("{'a': <int32 5>}"));
  gsize size = g_variant_get_size (good);
  guint8 *copy = g_memdup2 (g_variant_get_data (good), size);
  g_autoptr (GVariant) bad = NULL;
  guint8 *type = memchr (copy + 8, 'i', size - 8);

  g_assert_nonnull (type);
  *type = 'x';
  bad = g_variant_ref_sink (g_variant_new_from_data (G_VARIANT_TYPE_VARDICT, copy, size, FALSE, g_free, copy));
  pkm_test_assert_view_reads_as_glib (bad);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vardict/builder-matches-glib", test_builder_matches_glib);
  g_test_add_func ("/vardict/view-matches-glib", test_view_matches_glib);
  g_test_add_func ("/vardict/damaged-bytes", test_view_of_damaged_bytes);
  g_test_add_func ("/vardict/repeated-keys", test_repeated_keys);
  g_test_add_func ("/vardict/layout", test_layout);
  g_test_add_func ("/vardict/wrong-size-value", test_wrong_size_value);
  return g_test_run ();
}
