/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "menus/pkm-menus.h"
#include "model/pkm-model.h"

/* /log: the audit log, one item per change; info, warning and error add a
 * line of one's own (a script's :log), with the topics RouterOS gives it. */

static gboolean
collect_entry (gint64 id, const char *name, GVariant *record, gpointer user_data)
{
  GVariantDict item;
  gint64 when = 0;
  const char *topics = "", *message = "", *actor = "";
  g_autofree char *time_text = NULL;

  g_variant_lookup (record, "time", "x", &when);
  g_variant_lookup (record, "topics", "&s", &topics);
  g_variant_lookup (record, "message", "&s", &message);
  g_variant_lookup (record, "actor", "&s", &actor);
  time_text = pkm_format_time (when);
  g_variant_dict_init (&item, NULL);
  g_variant_dict_insert (&item, ".id", "x", id);
  g_variant_dict_insert (&item, "time", "s", time_text);
  g_variant_dict_insert (&item, "topics", "s", topics);
  g_variant_dict_insert (&item, "message", "s", message);
  g_variant_dict_insert (&item, "actor", "s", actor);
  g_ptr_array_add (user_data, g_variant_ref_sink (g_variant_dict_end (&item)));
  return TRUE;
}

static GPtrArray *
log_list (PkmCall *call, GError **error)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  if (!pkm_store_foreach (pkm_call_get_context (call), PKM_COLLECTION_LOG, collect_entry, items, error))
    return NULL;
  return g_steal_pointer (&items);
}

static gboolean
log_add (PkmCall *call, const char *level)
{
  g_autofree char *topics = g_strconcat ("script,", level, NULL);

  pkm_call_audit (call, topics, "%s", pkm_call_get_string (call, "message"));
  return TRUE;
}

static gboolean log_info (PkmCall *call, GError **error) { return log_add (call, "info"); }
static gboolean log_warning (PkmCall *call, GError **error) { return log_add (call, "warning"); }
static gboolean log_error (PkmCall *call, GError **error) { return log_add (call, "error"); }

static const PkmParam log_params[] = {
  { "message", PKM_PARAM_STRING, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 4096, NULL, "the line to log" },
  { NULL },
};

static const PkmCommand log_commands[] = {
  { "info", log_info, log_params, PKM_COMMAND_WRITE, "log a line with topics script,info" },
  { "warning", log_warning, log_params, PKM_COMMAND_WRITE, "log a line with topics script,warning" },
  { "error", log_error, log_params, PKM_COMMAND_WRITE, "log a line with topics script,error" },
  { NULL },
};

static const char *const log_columns[] = { "time", "topics", "message", "actor", NULL };

const PkmMenu pkm_menu_log = {
  PKM_MENU_SIZES,
  .path = "/log",
  .help = "the audit log",
  .commands = log_commands,
  .list = log_list,
  .columns = log_columns,
  .fields = log_columns,
};
