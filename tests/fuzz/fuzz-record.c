/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A stored record, as a store reads it back from disk (a corrupt or hostile
 * database is outside input): the projection that reads keys straight from
 * the serialized bytes, and the view (pkm-vardict.h) that reads every entry
 * in place, must never read out of bounds; the projection of a record in
 * normal form is exactly what walking the record with GLib gives, and the
 * view reads every entry as GLib reads it, whatever the bytes. */
#include <string.h>
#include "fuzz.h"
#include <pkiman/pkiman.h>

static const char *const keys[] = { "name", "der", "template", "fingerprint", "a", "", NULL };

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

/* What the projection must equal: GLib's own walk over the entries. */
static GVariant *
walked (GVariant *record)
{
  GVariantBuilder out;
  GVariantIter iter;
  GVariant *entry;

  g_variant_builder_init (&out, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, record);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr (GVariant) key = g_variant_get_child_value (entry, 0);
      if (g_strv_contains (keys, g_variant_get_string (key, NULL)))
        g_variant_builder_add_value (&out, entry);
      g_variant_unref (entry);
    }
  return g_variant_ref_sink (g_variant_builder_end (&out));
}

/* Each entry of the view is GLib's entry of the same index. */
static void
check_view (GVariant *record)
{
  g_autoptr (PkmVardictView) view = pkm_vardict_view_new (record);
  gsize n = g_variant_n_children (record);

  g_assert_cmpuint (pkm_vardict_view_size (view), ==, n);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) entry = g_variant_get_child_value (record, i);
      g_autoptr (GVariant) key = g_variant_get_child_value (entry, 0);
      g_autoptr (GVariant) boxed = g_variant_get_child_value (entry, 1);
      g_autoptr (GVariant) value = g_variant_get_variant (boxed);
      const PkmVardictEntry *e = pkm_vardict_view_entry (view, i);
      g_autoptr (GVariant) read = pkm_vardict_entry_get_value (view, e);
      g_autofree char *text = pkm_vardict_entry_to_text (view, e);
      g_autofree char *glib_text = pkm_value_to_text (value);

      g_assert_cmpstr (e->key, ==, g_variant_get_string (key, NULL));
      g_assert_true (g_variant_equal (read, value));
      g_assert_cmpstr (text, ==, glib_text);
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        g_assert_cmpstr (pkm_vardict_entry_get_string (e), ==, g_variant_get_string (value, NULL));
    }
  pkm_vardict_lookup_int64 (record, "name", NULL);
  pkm_vardict_lookup_int64 (record, "", NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* A copy of its own: GVariant may keep the bytes, libFuzzer reuses them. */
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  g_autoptr (GVariant) record = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, FALSE));
  g_autoptr (GVariant) projected = pkm_store_record_project (record, keys);

  g_autoptr (GVariant) from_data = pkm_store_record_project_data (data, size, keys);

  g_assert_nonnull (projected);
  g_assert_true (g_variant_equal (projected, from_data));
  check_view (record);
  g_assert_true (g_variant_is_of_type (projected, G_VARIANT_TYPE_VARDICT));
  if (g_variant_is_normal_form (record))
    {
      g_autoptr (GVariant) expected = walked (record);
      g_assert_true (g_variant_equal (projected, expected));
    }
  return 0;
}
