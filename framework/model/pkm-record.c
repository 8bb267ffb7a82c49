/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "model/pkm-model.h"

/* Fast reads of a stored a{sv}: GVariantDict and g_variant_lookup go through
 * the varargs "{sv}" path, which costs thousands of instructions per entry;
 * print and the chain walk read 40 keys of 10,000 records. */

GHashTable *
pkm_record_index (GVariant *record)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_variant_unref);
  gsize n = g_variant_n_children (record);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) entry = g_variant_get_child_value (record, i);
      g_autoptr (GVariant) key = g_variant_get_child_value (entry, 0);
      g_autoptr (GVariant) boxed = g_variant_get_child_value (entry, 1);

      /* The key string lives in the record, which the value keeps alive. */
      g_hash_table_insert (values, (gpointer) g_variant_get_string (key, NULL), g_variant_get_variant (boxed));
    }
  return values;
}

const char *
pkm_record_string (GHashTable *values, const char *key)
{
  GVariant *value = g_hash_table_lookup (values, key);

  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ? g_variant_get_string (value, NULL)
                                                                             : NULL;
}

gint64
pkm_record_int (GHashTable *values, const char *key)
{
  GVariant *value = g_hash_table_lookup (values, key);

  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_INT64) ? g_variant_get_int64 (value) : 0;
}

gboolean
pkm_record_bool (GHashTable *values, const char *key)
{
  GVariant *value = g_hash_table_lookup (values, key);

  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean (value);
}
