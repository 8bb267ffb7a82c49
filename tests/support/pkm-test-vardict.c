/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A view (pkm-vardict.h) reads every entry of @dict as GLib reads it,
 * whatever the bytes: key, value, text, typed reads, finds and the lookup
 * without a view. The unit test runs it on made and damaged dictionaries,
 * fuzz-record on whatever the fuzzer makes. Its own file: only programs
 * that link libpkiman pull it in. */
#include <pkiman/pkiman.h>
#include "pkm-test-support.h"

void
pkm_test_assert_view_reads_as_glib (GVariant *dict)
{
  g_autoptr (PkmVardictView) view = pkm_vardict_view_new (dict);
  gsize n = g_variant_n_children (dict);

  g_assert_nonnull (view);
  g_assert_cmpuint (pkm_vardict_view_size (view), ==, n);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) entry = g_variant_get_child_value (dict, i);
      g_autoptr (GVariant) key = g_variant_get_child_value (entry, 0);
      g_autoptr (GVariant) boxed = g_variant_get_child_value (entry, 1);
      g_autoptr (GVariant) value = g_variant_get_variant (boxed);
      const PkmVardictEntry *e = pkm_vardict_view_entry (view, i);
      g_autoptr (GVariant) read = pkm_vardict_entry_get_value (view, e);
      g_autofree char *text = pkm_vardict_entry_to_text (view, e);
      g_autofree char *glib_text = pkm_value_to_text (value);
      gint64 x = -1;

      g_assert_cmpstr (e->key, ==, g_variant_get_string (key, NULL));
      g_assert_true (g_variant_equal (read, value));
      g_assert_cmpstr (text, ==, glib_text);
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        g_assert_cmpstr (pkm_vardict_entry_get_string (e), ==, g_variant_get_string (value, NULL));
      else
        g_assert_null (pkm_vardict_entry_get_string (e));
      g_assert_cmpint (pkm_vardict_entry_get_boolean (e), ==,
                       g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean (value));
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
        {
          g_assert_true (pkm_vardict_entry_get_int64 (e, &x));
          g_assert_cmpint (x, ==, g_variant_get_int64 (value));
        }
      g_assert_true (pkm_vardict_view_find (view, e->key) != NULL);
      /* The lookup without a view reads the first entry of the key, as the view does. */
      {
        gint64 by_view = -7, by_lookup = -7;
        gboolean found = pkm_vardict_entry_get_int64 (pkm_vardict_view_find (view, e->key), &by_view);
        g_assert_cmpint (pkm_vardict_lookup_int64 (dict, e->key, &by_lookup), ==, found);
        g_assert_cmpint (by_lookup, ==, by_view);
      }
    }
  /* A key the dictionary may not have: found exactly when GLib finds it (an
   * input can hold this very key: fuzz-record's CMP tracing learned it). */
  {
    g_autoptr (GVariant) absent = g_variant_lookup_value (dict, "no such key", NULL);
    g_assert_cmpint (pkm_vardict_view_find (view, "no such key") != NULL, ==, absent != NULL);
    if (absent == NULL)
      g_assert_false (pkm_vardict_lookup_int64 (dict, "no such key", NULL));
  }
}
