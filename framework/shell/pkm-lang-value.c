/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>
#include "pkm-lang-private.h"

/* A script's values: nil, str, num, bool, time, id and array, shared by
 * reference and never changed once made (an array is filled before anyone
 * else sees it), so a copy is a reference. */

typedef struct {
  char *key; /* (nullable) */
  PkmLangValue *value;
} PkmLangElement;

struct _PkmLangValue {
  gint refs;
  PkmLangType type;
  gint64 n;    /* num, time, id; bool as 0/1 */
  char *str;   /* str */
  GArray *elements; /* array: PkmLangElement */
  PkmLangTree *tree;  /* code: the script its block is in */
  PkmLangNode *block; /* code */
};

struct _PkmLangTree {
  gint refs;
  PkmLangNode *root;
};

PkmLangTree *
pkm_lang_tree_new (PkmLangNode *take_root)
{
  PkmLangTree *tree = g_new0 (PkmLangTree, 1);

  tree->refs = 1;
  tree->root = take_root;
  return tree;
}

PkmLangTree *
pkm_lang_tree_ref (PkmLangTree *tree)
{
  g_atomic_int_inc (&tree->refs);
  return tree;
}

void
pkm_lang_tree_unref (PkmLangTree *tree)
{
  if (tree == NULL || !g_atomic_int_dec_and_test (&tree->refs))
    return;
  pkm_lang_node_free (tree->root);
  g_free (tree);
}

static PkmLangValue *
value_new (PkmLangType type)
{
  PkmLangValue *value = g_new0 (PkmLangValue, 1);

  value->refs = 1;
  value->type = type;
  return value;
}

PkmLangValue *
pkm_lang_nil (void)
{
  return value_new (PKM_LANG_NIL);
}

PkmLangValue *
pkm_lang_str_take (char *text)
{
  PkmLangValue *value = value_new (PKM_LANG_STR);

  value->str = text;
  return value;
}

PkmLangValue *
pkm_lang_str_new (const char *text)
{
  return pkm_lang_str_take (g_strdup (text != NULL ? text : ""));
}

static PkmLangValue *
int_new (PkmLangType type, gint64 n)
{
  PkmLangValue *value = value_new (type);

  value->n = n;
  return value;
}

PkmLangValue *pkm_lang_num_new (gint64 num) { return int_new (PKM_LANG_NUM, num); }
PkmLangValue *pkm_lang_bool_new (gboolean b) { return int_new (PKM_LANG_BOOL, b != FALSE); }
PkmLangValue *pkm_lang_time_new (gint64 seconds) { return int_new (PKM_LANG_TIME, seconds); }
PkmLangValue *pkm_lang_id_new (gint64 id) { return int_new (PKM_LANG_ID, id); }

PkmLangValue *
pkm_lang_code_new (PkmLangTree *tree, PkmLangNode *block)
{
  PkmLangValue *value = value_new (PKM_LANG_CODE);

  value->tree = pkm_lang_tree_ref (tree);
  value->block = block;
  return value;
}

PkmLangNode *
pkm_lang_value_code (const PkmLangValue *value)
{
  return value->block;
}

PkmLangTree *
pkm_lang_value_tree (const PkmLangValue *value)
{
  return value->tree;
}

static void
element_clear (gpointer data)
{
  PkmLangElement *element = data;

  g_free (element->key);
  pkm_lang_value_unref (element->value);
}

PkmLangValue *
pkm_lang_array_new (void)
{
  PkmLangValue *value = value_new (PKM_LANG_ARRAY);

  value->elements = g_array_new (FALSE, FALSE, sizeof (PkmLangElement));
  g_array_set_clear_func (value->elements, element_clear);
  return value;
}

gboolean
pkm_lang_array_add (PkmLangValue *array, const char *key, PkmLangValue *take)
{
  PkmLangElement element = { g_strdup (key), take };

  if (array->elements->len >= PKM_LANG_MAX_ARRAY)
    {
      element_clear (&element);
      return FALSE;
    }
  /* A key given again replaces its value, as in RouterOS. */
  for (guint i = 0; key != NULL && i < array->elements->len; i++)
    {
      PkmLangElement *old = &g_array_index (array->elements, PkmLangElement, i);
      if (g_strcmp0 (old->key, key) == 0)
        {
          element_clear (old);
          *old = element;
          return TRUE;
        }
    }
  g_array_append_val (array->elements, element);
  return TRUE;
}

PkmLangValue *
pkm_lang_value_ref (PkmLangValue *value)
{
  g_atomic_int_inc (&value->refs);
  return value;
}

void
pkm_lang_value_unref (PkmLangValue *value)
{
  if (value == NULL || !g_atomic_int_dec_and_test (&value->refs))
    return;
  g_free (value->str);
  if (value->elements != NULL)
    g_array_unref (value->elements);
  pkm_lang_tree_unref (value->tree);
  g_free (value);
}

PkmLangType pkm_lang_value_type (const PkmLangValue *value) { return value->type; }
gint64 pkm_lang_value_int (const PkmLangValue *value) { return value->n; }
gboolean pkm_lang_value_bool (const PkmLangValue *value) { return value->n != 0; }
const char *pkm_lang_value_str (const PkmLangValue *value) { return value->str != NULL ? value->str : ""; }

const char *
pkm_lang_type_name (PkmLangType type)
{
  static const char *const names[] = { "nil", "str", "num", "bool", "time", "id", "array", "code" };

  return type < G_N_ELEMENTS (names) ? names[type] : "nil";
}

guint
pkm_lang_array_len (const PkmLangValue *value)
{
  return value->elements != NULL ? value->elements->len : 0;
}

PkmLangValue *
pkm_lang_array_nth (const PkmLangValue *value, guint i, const char **key)
{
  PkmLangElement *element = &g_array_index (value->elements, PkmLangElement, i);

  if (key != NULL)
    *key = element->key;
  return element->value;
}

PkmLangValue *
pkm_lang_array_lookup (const PkmLangValue *array, const PkmLangValue *key)
{
  g_autofree char *name = NULL;

  if (key->type == PKM_LANG_NUM)
    return key->n >= 0 && key->n < (gint64) pkm_lang_array_len (array) ? pkm_lang_array_nth (array, key->n, NULL)
                                                                         : NULL;
  name = pkm_lang_value_to_string (key);
  for (guint i = 0; i < pkm_lang_array_len (array); i++)
    {
      const char *k;
      PkmLangValue *element = pkm_lang_array_nth (array, i, &k);
      if (g_strcmp0 (k, name) == 0)
        return element;
    }
  return NULL;
}

/* 1d02:00:00, 3w00:00:00, 00:10:00: RouterOS's way of writing a time. */
static void
append_time (GString *out, gint64 seconds)
{
  if (seconds < 0)
    {
      g_string_append_c (out, '-');
      seconds = seconds == G_MININT64 ? G_MAXINT64 : -seconds;
    }
  if (seconds >= 604800)
    g_string_append_printf (out, "%" G_GINT64_FORMAT "w", seconds / 604800);
  if (seconds % 604800 >= 86400)
    g_string_append_printf (out, "%" G_GINT64_FORMAT "d", seconds % 604800 / 86400);
  g_string_append_printf (out, "%02d:%02d:%02d", (int) (seconds % 86400 / 3600), (int) (seconds % 3600 / 60),
                          (int) (seconds % 60));
}

/* 1w2d3h4m5s: what a command's duration parameter and where take. */
static void
append_duration (GString *out, gint64 seconds)
{
  static const struct { char unit; gint64 size; } units[] = {
    { 'w', 604800 }, { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 },
  };

  if (seconds <= 0)
    {
      g_string_append (out, "0s");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (seconds >= units[i].size)
      {
        g_string_append_printf (out, "%" G_GINT64_FORMAT "%c", seconds / units[i].size, units[i].unit);
        seconds %= units[i].size;
      }
}

static void
append_value (GString *out, const PkmLangValue *value, gboolean as_arg)
{
  switch (value->type)
    {
    case PKM_LANG_STR: g_string_append (out, value->str); break;
    case PKM_LANG_NUM: g_string_append_printf (out, "%" G_GINT64_FORMAT, value->n); break;
    case PKM_LANG_BOOL: g_string_append (out, as_arg ? (value->n ? "yes" : "no") : (value->n ? "true" : "false")); break;
    case PKM_LANG_TIME:
      if (as_arg)
        append_duration (out, value->n);
      else
        append_time (out, value->n);
      break;
    case PKM_LANG_ID: g_string_append_printf (out, "*%" G_GINT64_MODIFIER "X", value->n); break;
    case PKM_LANG_ARRAY:
      for (guint i = 0; i < value->elements->len && out->len <= PKM_LANG_MAX_STRING; i++)
        {
          PkmLangElement *element = &g_array_index (value->elements, PkmLangElement, i);
          if (i > 0)
            g_string_append_c (out, as_arg ? ',' : ';');
          if (element->key != NULL && !as_arg)
            g_string_append_printf (out, "%s=", element->key);
          append_value (out, element->value, as_arg);
        }
      break;
    /* Its text is not kept: what it is, as :typeof says. */
    case PKM_LANG_CODE: g_string_append (out, "(code)"); break;
    default: break;
    }
}

char *
pkm_lang_value_to_string (const PkmLangValue *value)
{
  GString *out = g_string_new (NULL);

  append_value (out, value, FALSE);
  return g_string_free (out, FALSE);
}

char *
pkm_lang_value_to_arg (const PkmLangValue *value)
{
  GString *out = g_string_new (NULL);

  append_value (out, value, TRUE);
  return g_string_free (out, FALSE);
}

PkmLangValue *
pkm_lang_value_from_word (const char *text)
{
  gint64 n;

  if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &n, NULL))
    return pkm_lang_num_new (n);
  if (pkm_duration_parse (text, &n))
    return pkm_lang_time_new (n);
  if (strcmp (text, "true") == 0 || strcmp (text, "false") == 0)
    return pkm_lang_bool_new (text[0] == 't');
  if (text[0] == '*' && pkm_item_id_parse (text, &n))
    return pkm_lang_id_new (n);
  return pkm_lang_str_new (text);
}

PkmLangValue *
pkm_lang_value_from_variant (GVariant *variant, const char *key)
{
  gint64 id;

  if (g_variant_is_of_type (variant, G_VARIANT_TYPE_STRING))
    {
      const char *text = g_variant_get_string (variant, NULL);
      /* Names are never ids (pkm_item_ref_is_number): "*1A" is an id. */
      if (text[0] == '*' && pkm_item_id_parse (text, &id))
        return pkm_lang_id_new (id);
      return pkm_lang_str_new (text);
    }
  if (g_variant_is_of_type (variant, G_VARIANT_TYPE_BOOLEAN))
    return pkm_lang_bool_new (g_variant_get_boolean (variant));
  if (g_variant_is_of_type (variant, G_VARIANT_TYPE_INT64))
    {
      id = g_variant_get_int64 (variant);
      return g_strcmp0 (key, ".id") == 0 ? pkm_lang_id_new (id) : pkm_lang_num_new (id);
    }
  if (g_variant_is_of_type (variant, G_VARIANT_TYPE_UINT64))
    return pkm_lang_num_new ((gint64) MIN (g_variant_get_uint64 (variant), (guint64) G_MAXINT64));
  if (g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT) || g_variant_is_of_type (variant, G_VARIANT_TYPE_ARRAY))
    {
      PkmLangValue *array = pkm_lang_array_new ();
      gboolean dict = g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT);
      GVariantIter iter;
      GVariant *child;

      g_variant_iter_init (&iter, variant);
      while ((child = g_variant_iter_next_value (&iter)) != NULL)
        {
          g_autoptr (GVariant) owned = child;
          if (dict)
            {
              const char *k;
              g_autoptr (GVariant) v = NULL;
              g_variant_get (child, "{&sv}", &k, &v);
              pkm_lang_array_add (array, k, pkm_lang_value_from_variant (v, k));
            }
          else
            pkm_lang_array_add (array, NULL, pkm_lang_value_from_variant (child, NULL));
        }
      return array;
    }
  {
    g_autofree char *text = g_variant_print (variant, FALSE);
    return pkm_lang_str_new (text);
  }
}
