/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The value parsers, against every parameter of the real menus. An input is
 * "name=value": the value goes to each parameter of that name, or, for a name
 * no menu has, to one parameter chosen by the name, so every type is reached
 * from any bytes while seeds stay readable. */
#include <string.h>
#include "fuzz.h"
#include "core/pkm-invoke-private.h"
#include "shell/pkm-shell-private.h"
#include "menus/pkm-menus.h"

static GPtrArray *params; /* (element-type PkmParam) borrowed from the tables */

/* Parameter shapes no menu has yet, so the parsers' corners are reached too. */
static const char *const few[] = { "a", "b", NULL };
static const PkmParam extra_params[] = {
  { "uint-any", PKM_PARAM_UINT, 0, NULL, 0, 0, NULL, NULL },
  { "uint-range", PKM_PARAM_UINT, 0, NULL, 5, 7, NULL, NULL },
  { "enum-open", PKM_PARAM_ENUM, 0, NULL, 0, 0, NULL, NULL },
  { "enum-list-open", PKM_PARAM_ENUM_LIST, 0, NULL, 0, 0, NULL, NULL },
  { "enum-list", PKM_PARAM_ENUM_LIST, 0, few, 0, 0, NULL, NULL },
  { "duration", PKM_PARAM_DURATION, 0, NULL, 0, 0, NULL, NULL },
  { "unknown-type", 99, 0, NULL, 0, 0, NULL, NULL },
  { NULL },
};

static void
add_table (const PkmParam *table)
{
  for (const PkmParam *p = table; p != NULL && p->name != NULL; p++)
    g_ptr_array_add (params, (gpointer) p);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  const PkmMenu *const menus[] = { pkm_menu_certificate_get (), &pkm_menu_system_plugin, &pkm_menu_system_store,
                                   &pkm_menu_log, &pkm_menu_file };

  fuzz_init_glib ();
  params = g_ptr_array_new ();
  for (guint m = 0; m < G_N_ELEMENTS (menus); m++)
    for (const PkmCommand *c = menus[m]->commands; c != NULL && c->name != NULL; c++)
      add_table (c->params);
  add_table (pkm_print_command.params);
  add_table (extra_params);
  return 0;
}

static const char *
expected_type (const PkmParam *param)
{
  switch (param->type)
    {
    case PKM_PARAM_BOOL: return "b";
    case PKM_PARAM_UINT: return "t";
    case PKM_PARAM_ENUM_LIST:
    case PKM_PARAM_STRING_LIST: return "as";
    case PKM_PARAM_DURATION: return "x";
    default: return "s";
    }
}

static void
parse (const PkmParam *param, const char *raw)
{
  g_autoptr (GError) error = NULL;
  GVariant *value = NULL;

  if (!pkm_value_parse (param, raw, &value, &error))
    {
      /* A refusal names the parameter, as the shell's one-line errors promise. */
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, param->name));
      g_assert_null (value);
      return;
    }
  g_assert_no_error (error);
  g_variant_ref_sink (value);
  g_assert_cmpstr (g_variant_get_type_string (value), ==, expected_type (param));
  if (param->type == PKM_PARAM_UINT && (param->min != 0 || param->max != 0))
    {
      g_assert_cmpuint (g_variant_get_uint64 (value), >=, param->min);
      g_assert_cmpuint (g_variant_get_uint64 (value), <=, param->max);
    }
  if (param->type == PKM_PARAM_ENUM && param->choices != NULL)
    g_assert_true (g_strv_contains (param->choices, g_variant_get_string (value, NULL)));
  g_variant_unref (value);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = fuzz_string (data, size);
  char *equals = strchr (text, '=');
  const char *name = text, *raw = "";
  gboolean found = FALSE;

  if (equals != NULL)
    {
      *equals = '\0';
      raw = equals + 1;
    }
  for (guint i = 0; i < params->len; i++)
    {
      const PkmParam *param = g_ptr_array_index (params, i);
      if (strcmp (param->name, name) == 0)
        {
          parse (param, raw);
          found = TRUE;
        }
    }
  if (!found)
    parse (g_ptr_array_index (params, g_str_hash (name) % params->len), raw);
  return 0;
}
