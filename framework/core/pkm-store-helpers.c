/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every store does the same way: the order of index values
 * (pkm-store.h); projections are pkm-vardict.c's. */
#include <string.h>
#include <pkiman/pkiman.h>

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
  /* An empty value has no data pointer: memcmp must not see it. */
  int c = MIN (a_len, b_len) > 0 ? memcmp (a, b, MIN (a_len, b_len)) : 0;

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
