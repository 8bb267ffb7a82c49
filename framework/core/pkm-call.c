/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <string.h>
#include "core/pkm-invoke-private.h"
#include "core/pkm-context-private.h"

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

/* The members of @invocation the caller's struct_size covers, else NULL. */
#define INVOCATION_HAS(inv, member) \
  ((inv) != NULL && (inv)->struct_size >= G_STRUCT_OFFSET (PkmInvocation, member) + sizeof ((inv)->member))

PkmCall *
pkm_call_new (PkmContext *ctx, const PkmMenu *menu, const PkmCommand *command, const PkmInvocation *invocation)
{
  PkmCall *call = g_new0 (PkmCall, 1);

  call->ctx = ctx;
  call->menu = menu;
  call->command = command;
  call->actor = g_strdup (INVOCATION_HAS (invocation, actor) && invocation->actor != NULL ? invocation->actor : "");
  if (INVOCATION_HAS (invocation, files_dir))
    call->files_dir = g_strdup (invocation->files_dir);
  if (INVOCATION_HAS (invocation, progress_data))
    {
      call->progress = invocation->progress;
      call->progress_data = invocation->progress_data;
    }
  if (INVOCATION_HAS (invocation, properties) && invocation->properties != NULL)
    {
      call->properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (const char *const *p = invocation->properties; *p != NULL; p++)
        g_hash_table_add (call->properties, g_strdup (*p));
    }
  if (INVOCATION_HAS (invocation, unnumbered))
    call->unnumbered = invocation->unnumbered;
  call->args = g_variant_dict_new (NULL);
  call->lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  call->result = pkm_result_new (menu);
  call->data = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, call_data_free);
  call->audit = g_ptr_array_new_with_free_func (pkm_log_record_free);
  return call;
}

void
pkm_call_free (PkmCall *call)
{
  if (call == NULL)
    return;
  g_free (call->actor);
  g_free (call->label);
  g_clear_pointer (&call->properties, g_hash_table_unref);
  g_free (call->files_dir);
  g_variant_dict_unref (call->args);
  g_hash_table_unref (call->lists);
  pkm_result_free (call->result);
  g_hash_table_unref (call->data);
  g_ptr_array_unref (call->audit);
  g_free (call);
}

/* The arguments and the data stay: a re-run is the same command asked again. */
void
pkm_call_reset (PkmCall *call)
{
  pkm_result_free (call->result);
  call->result = pkm_result_new (call->menu);
  g_ptr_array_set_size (call->audit, 0);
}

PkmResult *
pkm_call_steal_result (PkmCall *call)
{
  PkmResult *result = call->result;

  call->result = pkm_result_new (call->menu);
  return result;
}

gboolean
pkm_call_write_audit (PkmCall *call, GError **error)
{
  return pkm_log_records_write (call->ctx, call->audit, error);
}

void
pkm_call_audit (PkmCall *call, const char *topics, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (call->audit, pkm_log_record_new (call->actor, topics, g_strdup_vprintf (format, args)));
  va_end (args);
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
  return call->ctx;
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

const gint64 *
pkm_call_get_items (PkmCall *call, const char *name, gsize *out_n)
{
  g_autoptr (GVariant) ids = g_variant_dict_lookup_value (call->args, name, G_VARIANT_TYPE ("ax"));

  *out_n = 0;
  if (ids == NULL)
    return NULL;
  /* The call's dictionary keeps the value: its data lives as long as the call. */
  return g_variant_get_fixed_array (ids, out_n, sizeof (gint64));
}

const char *
pkm_call_get_files_dir (PkmCall *call)
{
  return call->files_dir;
}

const char *
pkm_call_get_actor (PkmCall *call)
{
  return call->actor;
}

void
pkm_call_print (PkmCall *call, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (call->result->messages, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Shown at once by the front end that asked for progress, else only in debug output. */
void
pkm_call_progress (PkmCall *call, const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (call->progress != NULL)
    call->progress (text, call->progress_data);
  else
    g_debug ("%s", text);
}

void
pkm_call_set_result (PkmCall *call, GVariant *result)
{
  PkmResult *r = call->result;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_ref_sink (result);
  g_variant_iter_init (&iter, result);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      if (!g_variant_dict_contains (r->values, key))
        g_ptr_array_add (r->value_keys, g_strdup (key));
      g_variant_dict_insert_value (r->values, key, value);
      g_variant_unref (value);
    }
  g_variant_unref (result);
  g_clear_pointer (&r->values_done, g_variant_unref);
}

void
pkm_call_add_numbered_item (PkmCall *call, GVariant *item, guint number)
{
  g_ptr_array_add (call->result->items, g_variant_ref_sink (item));
  g_array_append_val (call->result->numbers, number);
}

void
pkm_call_add_item (PkmCall *call, GVariant *item)
{
  guint number = call->result->items->len;

  /* (transfer floating/full): the call takes the caller's reference, floating
   * or not (a ref_sink would add one to a full reference, and leak it). */
  g_ptr_array_add (call->result->items, g_variant_take_ref (item));
  g_array_append_val (call->result->numbers, number);
}

gboolean
pkm_call_wants_property (PkmCall *call, const char *property)
{
  return call->properties == NULL || g_hash_table_contains (call->properties, property)
         || strcmp (property, ".id") == 0 || strcmp (property, "name") == 0;
}

void
pkm_call_want_property (PkmCall *call, const char *property)
{
  if (call->properties != NULL)
    g_hash_table_add (call->properties, g_strdup (property));
}
