/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <json-glib/json-glib.h>
#include "pkm-shell-private.h"

/* What a command said, once it has succeeded: its lines, then its result as
 * "  key: value" lines (RouterOS), or all of it as one JSON object. Nothing
 * is printed for a command that failed. */

static void
output_json (PkmShell *shell, PkmResult *result)
{
  GVariant *values = pkm_result_get_values (result);
  const char *const *messages = pkm_result_get_messages (result);
  GVariantIter iter;
  const char *key;
  GVariant *value;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL, *tidy = NULL;

  json_builder_begin_object (builder);
  g_variant_iter_init (&iter, values);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      json_builder_set_member_name (builder, key);
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
        json_builder_add_int_value (builder, (gint64) g_variant_get_uint64 (value));
      else
        json_builder_add_value (builder, json_gvariant_serialize (value));
      g_variant_unref (value);
    }
  if (messages[0] != NULL)
    {
      json_builder_set_member_name (builder, "messages");
      json_builder_begin_array (builder);
      for (guint i = 0; messages[i] != NULL; i++)
        json_builder_add_string_value (builder, messages[i]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  tidy = pkm_text_json_tidy (text);
  fprintf (shell->out, "%s\n", tidy);
}

void
pkm_output_result (PkmShell *shell, PkmResult *result)
{
  const char *const *messages = pkm_result_get_messages (result);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (shell->format == PKM_OUTPUT_JSON)
    {
      output_json (shell, result);
      return;
    }
  for (guint i = 0; messages[i] != NULL; i++)
    {
      g_autofree char *line = pkm_text_escape (messages[i], FALSE);
      fprintf (shell->out, "%s\n", line);
    }
  g_variant_iter_init (&iter, pkm_result_get_values (result));
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr (GVariant) owned = value;
      g_autofree char *text = NULL, *shown = NULL;

      /* .id and the like are for programs (--json, scripts), as in RouterOS. */
      if (key[0] == '.')
        continue;
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        text = g_variant_dup_string (value, NULL);
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
        text = g_strdup_printf ("%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
      else
        text = g_variant_print (value, FALSE);
      shown = pkm_text_escape (text, FALSE);
      fprintf (shell->out, "  %s: %s\n", key, shown);
    }
  fflush (shell->out);
}
