/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include "shell/pkm-shell-private.h"

typedef struct {
  gpointer data;
  GDestroyNotify destroy;
} PkmCallData;

static void
call_data_free (gpointer p)
{
  PkmCallData *d = p;

  if (d->destroy != NULL)
    d->destroy (d->data);
  g_free (d);
}

PkmCall *
pkm_call_new (PkmShell *shell, const PkmMenu *menu, const PkmCommand *command)
{
  PkmCall *call = g_new0 (PkmCall, 1);

  call->shell = shell;
  call->menu = menu;
  call->command = command;
  call->args = g_variant_dict_new (NULL);
  call->lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  call->lines = g_ptr_array_new_with_free_func (g_free);
  call->result = g_variant_dict_new (NULL);
  call->result_keys = g_ptr_array_new_with_free_func (g_free);
  call->data = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, call_data_free);
  return call;
}

void
pkm_call_free (PkmCall *call)
{
  if (call == NULL)
    return;
  g_variant_dict_unref (call->args);
  g_hash_table_unref (call->lists);
  g_ptr_array_unref (call->lines);
  g_variant_dict_unref (call->result);
  g_ptr_array_unref (call->result_keys);
  g_hash_table_unref (call->data);
  g_free (call);
}

/* The arguments and the data stay: a re-run is the same command asked again. */
void
pkm_call_reset (PkmCall *call)
{
  g_ptr_array_set_size (call->lines, 0);
  g_variant_dict_unref (call->result);
  call->result = g_variant_dict_new (NULL);
  g_ptr_array_set_size (call->result_keys, 0);
}

void
pkm_call_set_data (PkmCall *call, const char *key, gpointer data, GDestroyNotify destroy)
{
  PkmCallData *d;

  if (data == NULL)
    {
      g_hash_table_remove (call->data, key);
      return;
    }
  d = g_new (PkmCallData, 1);
  d->data = data;
  d->destroy = destroy;
  g_hash_table_replace (call->data, g_strdup (key), d);
}

gpointer
pkm_call_get_data (PkmCall *call, const char *key)
{
  PkmCallData *d = g_hash_table_lookup (call->data, key);

  return d != NULL ? d->data : NULL;
}

PkmContext *
pkm_call_get_context (PkmCall *call)
{
  return call->shell->ctx;
}

const PkmMenu *
pkm_call_get_menu (PkmCall *call)
{
  return call->menu;
}

gboolean
pkm_call_has (PkmCall *call, const char *name)
{
  return g_variant_dict_contains (call->args, name);
}

const char *
pkm_call_get_string (PkmCall *call, const char *name)
{
  g_autoptr (GVariant) value = g_variant_dict_lookup_value (call->args, name, G_VARIANT_TYPE_STRING);

  /* The dict holds its own reference: the string lives as long as the call. */
  return value != NULL ? g_variant_get_string (value, NULL) : NULL;
}

gboolean
pkm_call_get_bool (PkmCall *call, const char *name, gboolean fallback)
{
  gboolean value = fallback;

  g_variant_dict_lookup (call->args, name, "b", &value);
  return value;
}

guint64
pkm_call_get_uint (PkmCall *call, const char *name, guint64 fallback)
{
  guint64 value = fallback;

  g_variant_dict_lookup (call->args, name, "t", &value);
  return value;
}

gint64
pkm_call_get_duration (PkmCall *call, const char *name, gint64 fallback)
{
  gint64 value = fallback;

  g_variant_dict_lookup (call->args, name, "x", &value);
  return value;
}

const char *const *
pkm_call_get_list (PkmCall *call, const char *name)
{
  char **list = g_hash_table_lookup (call->lists, name);

  if (list == NULL && g_variant_dict_lookup (call->args, name, "^as", &list))
    g_hash_table_insert (call->lists, g_strdup (name), list);
  return (const char *const *) list;
}

gint64
pkm_call_get_item (PkmCall *call, const char *name)
{
  gint64 id = 0;

  g_variant_dict_lookup (call->args, name, "x", &id);
  return id;
}

const char *
pkm_call_get_files_dir (PkmCall *call)
{
  return call->shell->files_dir;
}

const char *
pkm_call_get_actor (PkmCall *call)
{
  return call->shell->actor;
}

void
pkm_call_print (PkmCall *call, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (call->lines, g_strdup_vprintf (format, args));
  va_end (args);
}

void
pkm_call_progress (PkmCall *call, const char *format, ...)
{
  g_autofree char *text = NULL, *shown = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  /* A note may name a template: escaped like everything else printed. */
  shown = pkm_text_escape (text, FALSE);
  fprintf (call->shell->err, "%s\n", shown);
  fflush (call->shell->err);
}

void
pkm_call_set_result (PkmCall *call, GVariant *result)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_ref_sink (result);
  g_variant_iter_init (&iter, result);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      if (!g_variant_dict_contains (call->result, key))
        g_ptr_array_add (call->result_keys, g_strdup (key));
      g_variant_dict_insert_value (call->result, key, value);
      g_variant_unref (value);
    }
  g_variant_unref (result);
}
