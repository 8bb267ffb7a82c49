/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every store does the same way: projections and the order of index
 * values (pkm-store.h). */
#include <string.h>
#include <pkiman/pkiman.h>

/* The serialized a{sv} (GVariant specification, "Arrays" and "Dictionary
 * entries"): elements aligned to 8, a table of end offsets after them, each
 * entry's key NUL-terminated at the start of it and the key's end as the
 * entry's last offset. Reading keys from there costs no allocation, so a
 * projection of a dozen keys from a forty-entry record allocates a dozen
 * values, not eighty. Every offset is checked; any doubt (not normal form,
 * a corrupt record) takes GLib's own walk instead. */
static gsize
offset_size (gsize container_size)
{
  return container_size <= G_MAXUINT8 ? 1 : container_size <= G_MAXUINT16 ? 2 : container_size <= G_MAXUINT32 ? 4 : 8;
}

static gsize
read_offset (const guint8 *p, gsize width)
{
  gsize value = 0;

  for (gsize i = 0; i < width; i++)
    value |= (gsize) p[i] << (8 * i);
  return value;
}

/* The key of entry @i of the @n entries of an array whose elements end at
 * @elements_end, or NULL when the bytes do not hold one. */
static const char *
entry_key (const guint8 *data, gsize elements_end, gsize width, gsize i)
{
  gsize end = read_offset (data + elements_end + i * width, width);
  gsize start = i == 0 ? 0 : (read_offset (data + elements_end + (i - 1) * width, width) + 7) & ~(gsize) 7;
  gsize entry_width, key_end;

  if (start > end || end > elements_end || end - start < 2)
    return NULL;
  entry_width = offset_size (end - start);
  if (end - start < entry_width + 1)
    return NULL;
  key_end = read_offset (data + end - entry_width, entry_width);
  if (key_end == 0 || key_end > end - start - entry_width || data[start + key_end - 1] != '\0'
      || memchr (data + start, '\0', key_end) != data + start + key_end - 1)
    return NULL;
  return (const char *) data + start;
}

static GVariant *
project_by_walk (GVariant *record, const char *const *keys)
{
  GVariantBuilder out;
  GVariantIter iter;
  GVariant *entry;

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

GVariant *
pkm_store_record_project (GVariant *record, const char *const *keys)
{
  GVariantBuilder out;
  const guint8 *data;
  gsize size, width, elements_end, n;

  g_return_val_if_fail (record != NULL && g_variant_is_of_type (record, G_VARIANT_TYPE_VARDICT), NULL);
  /* Not g_variant_is_normal_form: it walks every byte. A record that is
   * not in normal form (only a corrupt one) still reads safely: each
   * offset is bounded here and GLib checks each child it returns. */
  size = g_variant_get_size (record);
  data = g_variant_get_data (record);
  if (size == 0 || data == NULL)
    return project_by_walk (record, keys);
  width = offset_size (size);
  elements_end = read_offset (data + size - width, width);
  if (elements_end > size - width || (size - elements_end) % width != 0)
    return project_by_walk (record, keys);
  n = (size - elements_end) / width;
  g_variant_builder_init (&out, G_VARIANT_TYPE_VARDICT);
  for (gsize i = 0; i < n; i++)
    {
      const char *key = entry_key (data, elements_end, width, i);
      if (key == NULL)
        {
          g_variant_builder_clear (&out);
          return project_by_walk (record, keys);
        }
      if (keys != NULL && g_strv_contains (keys, key))
        {
          g_autoptr (GVariant) entry = g_variant_get_child_value (record, i);
          g_variant_builder_add_value (&out, entry);
        }
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
