/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every store does the same way: projections and the order of index
 * values (pkm-store.h). */
#include <string.h>
#include <pkiman/pkiman.h>

GVariant *
pkm_store_record_project (GVariant *record, const char *const *keys)
{
  GVariantBuilder out;
  GVariantIter iter;
  GVariant *entry;

  g_return_val_if_fail (record != NULL && g_variant_is_of_type (record, G_VARIANT_TYPE_VARDICT), NULL);
  g_variant_builder_init (&out, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, record);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr (GVariant) key = g_variant_get_child_value (entry, 0);
      if (keys != NULL && g_strv_contains (keys, g_variant_get_string (key, NULL)))
        g_variant_builder_add_value (&out, entry);
      g_variant_unref (entry);
    }
  return g_variant_ref_sink (g_variant_builder_end (&out));
}

gboolean
pkm_store_index_type_valid (const char *type_string)
{
  static const char *const types[] = { "s", "ay", "b", "i", "u", "x", NULL };

  return type_string != NULL && g_strv_contains (types, type_string);
}

static gint64
as_integer (GVariant *v)
{
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_get_boolean (v);
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT32))
    return g_variant_get_int32 (v);
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (v);
  return g_variant_get_int64 (v);
}

/* Bytes as SQLite's BINARY collation orders them: memcmp over the common
 * length, then the shorter first. */
static int
compare_bytes (const void *a, gsize a_len, const void *b, gsize b_len)
{
  int c = memcmp (a, b, MIN (a_len, b_len));

  if (c != 0)
    return c;
  return a_len < b_len ? -1 : a_len > b_len ? 1 : 0;
}

int
pkm_store_value_compare (GVariant *a, GVariant *b)
{
  g_return_val_if_fail (a != NULL && b != NULL && g_variant_type_equal (g_variant_get_type (a),
                                                                         g_variant_get_type (b)), 0);
  if (g_variant_is_of_type (a, G_VARIANT_TYPE_STRING))
    {
      gsize a_len, b_len;
      const char *sa = g_variant_get_string (a, &a_len), *sb = g_variant_get_string (b, &b_len);
      return compare_bytes (sa, a_len, sb, b_len);
    }
  if (g_variant_is_of_type (a, G_VARIANT_TYPE_BYTESTRING))
    return compare_bytes (g_variant_get_data (a), g_variant_get_size (a), g_variant_get_data (b),
                          g_variant_get_size (b));
  gint64 x = as_integer (a), y = as_integer (b);
  return x < y ? -1 : x > y ? 1 : 0;
}
