/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "core/pkm-invoke-private.h"

/* Items as every front end reads them: their ids (*1A, as RouterOS writes
 * them) and their properties as text. */

char *
pkm_item_id_format (gint64 id)
{
  return g_strdup_printf ("*%" G_GINT64_MODIFIER "X", id);
}

gboolean
pkm_item_id_parse (const char *text, gint64 *out_id)
{
  guint64 id;

  if (text[0] != '*' || !g_ascii_isxdigit (text[1])
      || !g_ascii_string_to_unsigned (text + 1, 16, 1, G_MAXINT64, &id, NULL))
    return FALSE;
  *out_id = (gint64) id;
  return TRUE;
}

gboolean
pkm_item_ref_is_number (const char *text)
{
  gint64 id;

  if (pkm_item_id_parse (text, &id))
    return TRUE;
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

char *
pkm_item_get_text (GVariant *item, const char *property)
{
  g_autoptr (PkmVardictView) view = pkm_vardict_view_new (item);

  return pkm_vardict_entry_to_text (view, pkm_vardict_view_find (view, property));
}

char *
pkm_value_to_text (GVariant *value)
{
  if (value == NULL)
    return g_strdup ("");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_variant_dup_string (value, NULL);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_strdup (g_variant_get_boolean (value) ? "yes" : "no");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    return g_strdup_printf ("%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY))
    {
      g_autofree const char **strv = g_variant_get_strv (value, NULL);
      return g_strjoinv (",", (char **) strv);
    }
  return g_variant_print (value, FALSE);
}

/* A flag's text: set unless empty, "no" or "false". */
static gboolean
text_means_set (const char *text)
{
  return *text != '\0' && strcmp (text, "no") != 0 && strcmp (text, "false") != 0;
}

gboolean
pkm_vardict_entry_is_set (const PkmVardictView *view, const PkmVardictEntry *entry)
{
  g_autofree char *text = NULL;

  if (entry == NULL)
    return FALSE;
  if (entry->type[0] == 'b')
    return pkm_vardict_entry_get_boolean (entry);
  text = pkm_vardict_entry_to_text (view, entry);
  return text_means_set (text);
}

gboolean
pkm_item_get_flag (GVariant *item, const char *property)
{
  g_autoptr (PkmVardictView) view = pkm_vardict_view_new (item);

  return pkm_vardict_entry_is_set (view, pkm_vardict_view_find (view, property));
}

gboolean
pkm_value_is_set (GVariant *value)
{
  g_autofree char *text = NULL;

  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_get_boolean (value);
  text = pkm_value_to_text (value);
  return text_means_set (text);
}
