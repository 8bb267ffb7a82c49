/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A stored record, as a store reads it back from disk (a corrupt or hostile
 * database is outside input): the projection that reads keys straight from
 * the serialized bytes, and the view (pkm-vardict.h) that reads every entry
 * in place, must never read out of bounds; the projection of a record in
 * normal form is exactly what walking the record with GLib gives, and the
 * view reads every entry as GLib reads it, whatever the bytes. */
#include <string.h>
#include "fuzz.h"
#include "pkm-test-support.h"
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
  pkm_test_assert_view_reads_as_glib (record);
  g_assert_true (g_variant_is_of_type (projected, G_VARIANT_TYPE_VARDICT));
  if (g_variant_is_normal_form (record))
    {
      g_autoptr (GVariant) expected = walked (record);
      g_assert_true (g_variant_equal (projected, expected));
    }
  return 0;
}
