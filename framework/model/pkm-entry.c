/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "model/pkm-model.h"
#include "core/pkm-providers.h"

PkmEntry *
pkm_entry_new (const char *name)
{
  PkmEntry *entry = g_new0 (PkmEntry, 1);

  entry->name = g_strdup (name);
  entry->dict = g_variant_dict_new (NULL);
  return entry;
}

PkmEntry *
pkm_entry_load (PkmContext *ctx, gint64 id, GError **error)
{
  g_autofree char *name = NULL;
  g_autoptr (GVariant) record = pkm_store_get (ctx, PKM_COLLECTION_CERTIFICATE, id, &name, error);
  PkmEntry *entry;

  if (record == NULL)
    return NULL;
  entry = g_new0 (PkmEntry, 1);
  entry->id = id;
  entry->name = g_steal_pointer (&name);
  entry->dict = g_variant_dict_new (record);
  return entry;
}

gint64
pkm_entry_insert (PkmContext *ctx, PkmEntry *entry, GError **error)
{
  g_autoptr (GVariant) record = g_variant_ref_sink (g_variant_dict_end (entry->dict));

  g_variant_dict_unref (entry->dict);
  entry->dict = g_variant_dict_new (record);
  entry->id = pkm_store_insert (ctx, PKM_COLLECTION_CERTIFICATE, entry->name, record, error);
  return entry->id;
}

gboolean
pkm_entry_save (PkmContext *ctx, PkmEntry *entry, GError **error)
{
  g_autoptr (GVariant) record = g_variant_ref_sink (g_variant_dict_end (entry->dict));

  g_variant_dict_unref (entry->dict);
  entry->dict = g_variant_dict_new (record);
  return pkm_store_update (ctx, PKM_COLLECTION_CERTIFICATE, entry->id, entry->name, record, error);
}

void
pkm_entry_free (PkmEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_variant_dict_unref (entry->dict);
  g_free (entry);
}

gboolean
pkm_entry_is_template (PkmEntry *entry)
{
  return pkm_entry_get_bool (entry, "template");
}

const char *
pkm_entry_get_string (PkmEntry *entry, const char *key)
{
  g_autoptr (GVariant) value = g_variant_dict_lookup_value (entry->dict, key, G_VARIANT_TYPE_STRING);

  /* The dict keeps its own reference, so the string outlives this local one. */
  return value != NULL ? g_variant_get_string (value, NULL) : NULL;
}

gboolean
pkm_entry_get_bool (PkmEntry *entry, const char *key)
{
  gboolean value = FALSE;

  g_variant_dict_lookup (entry->dict, key, "b", &value);
  return value;
}

gint64
pkm_entry_get_int (PkmEntry *entry, const char *key, gint64 fallback)
{
  gint64 value = fallback;

  g_variant_dict_lookup (entry->dict, key, "x", &value);
  return value;
}

guint64
pkm_entry_get_uint (PkmEntry *entry, const char *key, guint64 fallback)
{
  guint64 value = fallback;

  g_variant_dict_lookup (entry->dict, key, "t", &value);
  return value;
}

char **
pkm_entry_get_strv (PkmEntry *entry, const char *key)
{
  char **value = NULL;

  g_variant_dict_lookup (entry->dict, key, "^as", &value);
  return value;
}

GBytes *
pkm_entry_get_bytes (PkmEntry *entry, const char *key)
{
  g_autoptr (GVariant) value = g_variant_dict_lookup_value (entry->dict, key, G_VARIANT_TYPE_BYTESTRING);

  return value != NULL ? g_variant_get_data_as_bytes (value) : NULL;
}

void
pkm_entry_set_string (PkmEntry *entry, const char *key, const char *value)
{
  if (value == NULL)
    g_variant_dict_remove (entry->dict, key);
  else
    g_variant_dict_insert (entry->dict, key, "s", value);
}
