/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "core/pkm-invoke-private.h"

/* What a command answers: items, named values and messages, as data for
 * whichever front end renders them. */

PkmResult *
pkm_result_new (const PkmMenu *menu)
{
  PkmResult *result = g_new0 (PkmResult, 1);

  result->menu = menu;
  result->items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  result->numbers = g_array_new (FALSE, FALSE, sizeof (guint));
  result->listed_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  result->values = g_variant_dict_new (NULL);
  result->value_keys = g_ptr_array_new_with_free_func (g_free);
  result->messages = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  return result;
}

void
pkm_result_free (PkmResult *result)
{
  if (result == NULL)
    return;
  g_ptr_array_unref (result->items);
  g_array_unref (result->numbers);
  g_array_unref (result->listed_ids);
  g_variant_dict_unref (result->values);
  g_ptr_array_unref (result->value_keys);
  g_clear_pointer (&result->values_done, g_variant_unref);
  g_ptr_array_unref (result->messages);
  g_clear_pointer (&result->arguments, g_variant_unref);
  g_free (result);
}

const PkmMenu *
pkm_result_get_menu (PkmResult *result)
{
  return result->menu;
}

GPtrArray *
pkm_result_get_items (PkmResult *result)
{
  return result->items;
}

guint
pkm_result_get_item_number (PkmResult *result, guint index)
{
  g_return_val_if_fail (index < result->numbers->len, 0);
  return g_array_index (result->numbers, guint, index);
}

gboolean
pkm_result_has_listing (PkmResult *result)
{
  return result->listed;
}

const gint64 *
pkm_result_get_listed_ids (PkmResult *result, guint *n_ids)
{
  *n_ids = result->listed_ids->len;
  return (const gint64 *) result->listed_ids->data;
}

/* In the order the handler set them: the shell prints them so. */
GVariant *
pkm_result_get_values (PkmResult *result)
{
  if (result->values_done == NULL)
    {
      GVariantBuilder builder;

      g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
      for (guint i = 0; i < result->value_keys->len; i++)
        {
          const char *key = g_ptr_array_index (result->value_keys, i);
          g_autoptr (GVariant) value = g_variant_dict_lookup_value (result->values, key, NULL);
          g_variant_builder_add (&builder, "{sv}", key, value);
        }
      result->values_done = g_variant_ref_sink (g_variant_builder_end (&builder));
    }
  return result->values_done;
}

const char *const *
pkm_result_get_messages (PkmResult *result)
{
  static const char *const none[] = { NULL };

  /* pdata is NULL-terminated, but NULL itself while nothing was added. */
  return result->messages->len > 0 ? (const char *const *) result->messages->pdata : none;
}

GVariant *
pkm_result_get_arguments (PkmResult *result)
{
  if (result->arguments == NULL)
    result->arguments = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
  return result->arguments;
}
