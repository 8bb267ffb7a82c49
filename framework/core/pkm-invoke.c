/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "core/pkm-invoke-private.h"
#include "core/pkm-context-private.h"

/* The one way a command runs, whoever asks: the command's table types and
 * checks the arguments, then the handler runs inside one transaction (commit
 * on success, rollback on any failure, validation included: a refused command
 * changes nothing), and its audit records are written in that transaction. */

/* A command that lost a write conflict (another writer changed what it read)
 * runs again from a clean result, items resolved anew; its slow results
 * survive in the call's data. The bound is for a store that keeps losing:
 * store-sqlite's re-run holds the lock from its start and cannot lose. */
#define MAX_ATTEMPTS 32

static const char *
menu_label (const PkmMenu *menu)
{
  return menu != NULL && *menu->path != '\0' ? menu->path : "/";
}

static const PkmCommand *
find_command (const PkmMenu *menu, const char *name)
{
  const PkmCommand *generic = menu != NULL && menu->list != NULL ? pkm_item_command_find (name) : NULL;

  for (const PkmCommand *c = menu != NULL ? menu->commands : NULL; c != NULL && c->name != NULL; c++)
    if (strcmp (c->name, name) == 0)
      return c;
  if (generic != NULL)
    return generic;
  if (menu != NULL && strcmp (name, "unset") == 0 && find_command (menu, "set") != NULL)
    return menu->list != NULL ? &pkm_unset_command : &pkm_unset_setting_command;
  if (menu != NULL && strcmp (name, "reset") == 0 && find_command (menu, "set") != NULL)
    return menu->list != NULL ? &pkm_reset_command : &pkm_reset_setting_command;
  return menu != NULL && strcmp (name, "export") == 0 ? &pkm_export_command : NULL;
}

/* What every menu with items has, declared once: a menu cannot have its own. */
static const PkmCommand *const item_commands[] = { &pkm_print_command, &pkm_find_command, &pkm_get_command };

const PkmCommand *
pkm_item_command_find (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (item_commands); i++)
    if (strcmp (item_commands[i]->name, name) == 0)
      return item_commands[i];
  return NULL;
}

const PkmCommand *
pkm_menu_find_command (const PkmMenu *menu, const char *name)
{
  return find_command (menu, name);
}

GPtrArray *
pkm_menu_get_commands (const PkmMenu *menu)
{
  GPtrArray *commands = g_ptr_array_new ();

  g_return_val_if_fail (menu != NULL, commands);
  for (const PkmCommand *c = menu->commands; c != NULL && c->name != NULL; c++)
    g_ptr_array_add (commands, (gpointer) c);
  for (guint i = 0; menu->list != NULL && i < G_N_ELEMENTS (item_commands); i++)
    if (find_command (menu, item_commands[i]->name) == item_commands[i])
      g_ptr_array_add (commands, (gpointer) item_commands[i]);
  {
    const PkmCommand *unset = find_command (menu, pkm_unset_command.name);
    const PkmCommand *reset = find_command (menu, pkm_reset_command.name);
    if (unset == &pkm_unset_command || unset == &pkm_unset_setting_command)
      g_ptr_array_add (commands, (gpointer) unset);
    if (reset == &pkm_reset_command || reset == &pkm_reset_setting_command)
      g_ptr_array_add (commands, (gpointer) reset);
  }
  if (find_command (menu, pkm_export_command.name) == &pkm_export_command)
    g_ptr_array_add (commands, (gpointer) &pkm_export_command);
  return commands;
}

const PkmParam *
pkm_command_find_param (const PkmCommand *command, const char *name)
{
  for (const PkmParam *p = command->params; p != NULL && p->name != NULL; p++)
    if (strcmp (p->name, name) == 0)
      return p;
  return NULL;
}

/* The GVariant type a handler reads @param as. */
static const GVariantType *
param_type (const PkmParam *param)
{
  switch (param->type)
    {
    case PKM_PARAM_BOOL: return G_VARIANT_TYPE_BOOLEAN;
    case PKM_PARAM_UINT: return G_VARIANT_TYPE_UINT64;
    case PKM_PARAM_ENUM_LIST:
    case PKM_PARAM_STRING_LIST: return G_VARIANT_TYPE_STRING_ARRAY;
    case PKM_PARAM_DURATION:
    case PKM_PARAM_ITEM: return G_VARIANT_TYPE_INT64;
    case PKM_PARAM_ITEM_LIST: return G_VARIANT_TYPE ("ax");
    default: return G_VARIANT_TYPE_STRING;
    }
}

/* A typed value is checked as its text would be: the same ranges and
 * choices. (transfer full) @out: a strong reference. */
static gboolean
check_typed (const PkmParam *param, GVariant *value, GVariant **out, GError **error)
{
  g_autofree char *text = NULL;

  if (!g_variant_is_of_type (value, param_type (param)))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: a %s value was expected, not %s", param->name,
                   (const char *) param_type (param), g_variant_get_type_string (value));
      return FALSE;
    }
  switch (param->type)
    {
    case PKM_PARAM_UINT:
      text = g_strdup_printf ("%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
      break;
    case PKM_PARAM_ENUM_LIST:
    case PKM_PARAM_STRING_LIST:
      {
        g_autofree const char **strv = g_variant_get_strv (value, NULL);
        text = g_strjoinv (",", (char **) strv);
        break;
      }
    case PKM_PARAM_BOOL:
    case PKM_PARAM_DURATION:
      *out = g_variant_ref (value);
      return TRUE;
    default:
      text = g_variant_dup_string (value, NULL);
    }
  if (!pkm_value_parse (param, text, out, error))
    return FALSE;
  g_variant_ref_sink (*out);
  return TRUE;
}

/* Types every argument into the call's; ITEM values wait in @items (param ->
 * text) until the transaction is open. */
static gboolean
type_arguments (PkmCall *call, GVariant *args, GHashTable *items, GError **error)
{
  GVariantIter iter;
  const char *name;
  GVariant *value;

  if (args == NULL)
    goto required;
  if (!g_variant_is_of_type (args, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "arguments: an a{sv} was expected, not %s",
                   g_variant_get_type_string (args));
      return FALSE;
    }
  g_variant_iter_init (&iter, args);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      g_autoptr (GVariant) owned = value;
      const PkmParam *param = pkm_command_find_param (call->command, name);
      GVariant *typed = NULL;

      if (param == NULL)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: no such parameter of %s %s", name,
                       menu_label (call->menu), call->command->name);
          return FALSE;
        }
      if (param->type == PKM_PARAM_ITEM_LIST && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        {
          g_hash_table_insert (items, (gpointer) param, g_variant_dup_string (value, NULL));
          continue;
        }
      if (param->type == PKM_PARAM_ITEM)
        {
          char *text;
          if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
            text = pkm_item_id_format (g_variant_get_int64 (value));
          else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
            text = g_variant_dup_string (value, NULL);
          else
            {
              g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: an id (x) or a name (s) was expected",
                           param->name);
              return FALSE;
            }
          g_hash_table_insert (items, (gpointer) param, text);
          continue;
        }
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) && param_type (param) != G_VARIANT_TYPE_STRING)
        {
          if (!pkm_value_parse (param, g_variant_get_string (value, NULL), &typed, error))
            return FALSE;
          g_variant_ref_sink (typed);
        }
      else if (!check_typed (param, value, &typed, error))
        return FALSE;
      g_variant_dict_insert_value (call->args, param->name, typed);
      g_variant_unref (typed);
    }
required:
  for (const PkmParam *p = call->command->params; p != NULL && p->name != NULL; p++)
    if ((p->flags & PKM_PARAM_REQUIRED) && !g_variant_dict_contains (call->args, p->name)
        && !g_hash_table_contains (items, p))
      {
        g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: required", p->name);
        return FALSE;
      }
  return TRUE;
}

/* An ITEM_LIST: names and ids joined by commas, each resolved. */
#define ITEM_LIST_MAX 100000

static gboolean
resolve_item_list (PkmCall *call, const PkmParam *param, const char *raw, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (raw, ",", ITEM_LIST_MAX + 1);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (g_strv_length (parts) > ITEM_LIST_MAX)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: more than %d items", param->name, ITEM_LIST_MAX);
      return FALSE;
    }
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id = 0;

      if (*g_strstrip (parts[i]) == '\0' && parts[1] != NULL)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: an empty item in the list \"%s\"",
                       param->name, raw);
          return FALSE;
        }
      if (*parts[i] == '\0')
        continue;
      if (!pkm_value_resolve_item (call, param, parts[i], &id, error))
        return FALSE;
      g_array_append_val (ids, id);
    }
  g_variant_dict_insert_value (call->args, param->name,
                               g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids->data, ids->len, sizeof (gint64)));
  return TRUE;
}

static gboolean
resolve_items (PkmCall *call, GHashTable *items, GError **error)
{
  GHashTableIter iter;
  gpointer param, raw;

  g_hash_table_iter_init (&iter, items);
  while (g_hash_table_iter_next (&iter, &param, &raw))
    {
      gint64 id = 0;
      if (((const PkmParam *) param)->type == PKM_PARAM_ITEM_LIST)
        {
          if (!resolve_item_list (call, param, raw, error))
            return FALSE;
          continue;
        }
      if (!pkm_value_resolve_item (call, param, raw, &id, error))
        return FALSE;
      g_variant_dict_insert (call->args, ((const PkmParam *) param)->name, "x", id);
    }
  return TRUE;
}

/* What runs inside the transaction: a command, or pkm_context_transact's function. */
typedef struct {
  guint flags; /* PkmCommandFlags */
  GHashTable *items;
  PkmTransactFunc func;
  gpointer user_data;
} PkmBody;

static gboolean resolve_items_alone (PkmCall *call, GHashTable *items, GError **error);

/* Whether a command of @flags runs inside a transaction of its own. */
static gboolean
in_transaction (guint flags)
{
  return (flags & (PKM_COMMAND_WRITE | PKM_COMMAND_READ)) != 0;
}

static gboolean
run_body (PkmCall *call, PkmBody *body, GError **error)
{
  if (body->func != NULL)
    return body->func (call, body->user_data, error);
  /* A command that runs outside any transaction (a download: nothing locked
   * while the network answers) has its items resolved in one of their own. */
  return (in_transaction (body->flags) ? resolve_items (call, body->items, error) : resolve_items_alone (call, body->items, error))
         && call->command->run (call, error);
}

static gboolean
run_once (PkmCall *call, PkmBody *body, GError **error)
{
  gboolean write = (body->flags & PKM_COMMAND_WRITE) != 0;
  gboolean transaction = in_transaction (body->flags);
  gboolean ok;

  if (transaction && !pkm_context_begin (call->ctx, write, error))
    return FALSE;
  ok = run_body (call, body, error) && (!write || pkm_call_write_audit (call, error));
  if (transaction)
    {
      if (ok)
        ok = pkm_context_commit (call->ctx, error);
      else
        pkm_context_rollback (call->ctx);
    }
  return ok;
}

static const char *
what_runs (PkmCall *call)
{
  if (call->command == NULL)
    return call->actor;
  if (call->label == NULL)
    call->label = g_strdup_printf ("%s %s", menu_label (call->menu), call->command->name);
  return call->label;
}

static gboolean run_attempts (PkmCall *call, PkmBody *body, GError **error);

/* The command's log lines are written whatever its outcome. */
static gboolean
run_in_transaction (PkmCall *call, PkmBody *body, GError **error)
{
  gboolean ok = run_attempts (call, body, error);
  g_autoptr (GError) local = NULL;

  if (!pkm_log_flush (call->ctx, &local))
    g_log ("pkiman", G_LOG_LEVEL_WARNING, "log: %s", local->message);
  return ok;
}

static gboolean
run_attempts (PkmCall *call, PkmBody *body, GError **error)
{
  for (guint attempt = 1;; attempt++)
    {
      g_autoptr (GError) local = NULL;

      if (run_once (call, body, &local))
        return TRUE;
      if (!g_error_matches (local, PKM_ERROR, PKM_ERROR_CONFLICT))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (attempt == MAX_ATTEMPTS)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_CONFLICT,
                       "%s: another writer kept winning the store; gave up after %u attempts",
                       what_runs (call), MAX_ATTEMPTS);
          return FALSE;
        }
      g_debug ("%s: %s; running it again (attempt %u)", what_runs (call), local->message, attempt + 1);
      pkm_context_note_conflict (call->ctx);
      pkm_call_reset (call);
    }
}

/* Finds, checks and types everything before anything runs. (transfer full) */
static PkmCall *
prepare (PkmContext *ctx, const PkmInvocation *invocation, GHashTable *items, GError **error)
{
  g_autoptr (PkmCall) call = NULL;
  g_autoptr (GVariant) args = NULL;
  const PkmMenu *menu;
  const PkmCommand *command;
  const char *path;

  g_return_val_if_fail (invocation != NULL && invocation->struct_size >= G_STRUCT_OFFSET (PkmInvocation, actor), NULL);
  /* A floating a{sv} is consumed, as GVariant constructors do, whatever happens next. */
  args = invocation->args != NULL ? g_variant_ref_sink (invocation->args) : NULL;
  path = invocation->menu != NULL ? invocation->menu : "";
  menu = pkm_context_find_menu (ctx, path);
  if (menu == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: no such menu", *path != '\0' ? path : "/");
      return NULL;
    }
  command = invocation->command != NULL ? find_command (menu, invocation->command) : NULL;
  if (command == NULL || (command->run == NULL && command->run_async == NULL))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: no such command in %s",
                   invocation->command != NULL ? invocation->command : "(none)", menu_label (menu));
      return NULL;
    }
  call = pkm_call_new (ctx, menu, command, invocation);
  if (!type_arguments (call, args, items, error))
    return NULL;
  return g_steal_pointer (&call);
}

static PkmResult *
finish_result (PkmCall *call)
{
  PkmResult *result = pkm_call_steal_result (call);

  result->arguments = g_variant_ref_sink (g_variant_dict_end (call->args));
  return result;
}

/* An asynchronous command's items are resolved in a short read transaction
 * of their own: none is open while it runs. */
static gboolean
resolve_items_alone (PkmCall *call, GHashTable *items, GError **error)
{
  gboolean ok;

  if (g_hash_table_size (items) == 0)
    return TRUE;
  if (!pkm_context_begin (call->ctx, FALSE, error))
    return FALSE;
  ok = resolve_items (call, items, error);
  if (ok)
    return pkm_context_commit (call->ctx, error);
  pkm_context_rollback (call->ctx);
  return FALSE;
}

typedef struct {
  PkmCall *call;
  GTask *task;       /* pkm_invoke_async's; NULL when pkm_invoke waits */
  GAsyncResult *result;
  gboolean done;
} PkmAsyncRun;

static void
async_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PkmAsyncRun *run = user_data;
  GError *error = NULL;

  if (run->task == NULL)
    {
      run->result = g_object_ref (result);
      run->done = TRUE;
      return;
    }
  if (run->call->command->run_finish (run->call, result, &error))
    g_task_return_pointer (run->task, finish_result (run->call), (GDestroyNotify) pkm_result_free);
  else
    g_task_return_error (run->task, error);
  pkm_log_flush (run->call->ctx, NULL);
  g_clear_object (&run->task);
  pkm_call_free (run->call);
  g_free (run);
}

/* pkm_invoke of an asynchronous command: it runs on a main context of its
 * own until it is done, as GIO's synchronous wrappers do. */
static gboolean
run_async_and_wait (PkmCall *call, GError **error)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  PkmAsyncRun run = { call, NULL, NULL, FALSE };
  gboolean ok;

  g_main_context_push_thread_default (context);
  call->command->run_async (call, NULL, async_done, &run);
  while (!run.done)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
  ok = call->command->run_finish (call, run.result, error);
  g_object_unref (run.result);
  return ok;
}

PkmResult *
pkm_invoke (PkmContext *ctx, const PkmInvocation *invocation, GError **error)
{
  g_autoptr (GHashTable) items = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  g_autoptr (PkmCall) call = prepare (ctx, invocation, items, error);
  PkmBody body = { 0 };

  if (call == NULL)
    return NULL;
  if (call->command->run_async != NULL)
    {
      gboolean ok = resolve_items_alone (call, items, error) && run_async_and_wait (call, error);
      pkm_log_flush (ctx, NULL);
      return ok ? finish_result (call) : NULL;
    }
  body.flags = call->command->flags;
  body.items = items;
  if (!run_in_transaction (call, &body, error))
    return NULL;
  return finish_result (call);
}

void
pkm_invoke_async (PkmContext *ctx, const PkmInvocation *invocation, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr (GHashTable) items = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  GError *error = NULL;
  PkmCall *call;
  PkmAsyncRun *run;

  g_task_set_source_tag (task, pkm_invoke_async);
  call = prepare (ctx, invocation, items, &error);
  if (call != NULL && call->command->run_async == NULL)
    {
      /* A synchronous command answers at once; the caller still gets it on its main context. */
      PkmBody body = { call->command->flags, items, NULL, NULL };
      if (run_in_transaction (call, &body, &error))
        g_task_return_pointer (task, finish_result (call), (GDestroyNotify) pkm_result_free);
      else
        g_task_return_error (task, error);
      pkm_call_free (call);
      return;
    }
  if (call == NULL || !resolve_items_alone (call, items, &error))
    {
      pkm_call_free (call);
      g_task_return_error (task, error);
      return;
    }
  run = g_new0 (PkmAsyncRun, 1);
  run->call = call;
  run->task = g_object_ref (task);
  call->command->run_async (call, cancellable, async_done, run);
}

PkmResult *
pkm_invoke_finish (PkmContext *ctx, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
pkm_context_transact (PkmContext *ctx, gboolean write, const char *actor, PkmTransactFunc func, gpointer user_data,
                      GError **error)
{
  PkmInvocation invocation = PKM_INVOCATION_INIT;
  PkmBody body = { write ? PKM_COMMAND_WRITE : PKM_COMMAND_READ, NULL, func, user_data };
  g_autoptr (PkmCall) call = NULL;

  g_return_val_if_fail (func != NULL, FALSE);
  if (pkm_context_in_transaction (ctx))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_FAILED, "%s: a transaction is open already (a handler has its call)",
                   actor != NULL ? actor : "pkm_context_transact");
      return FALSE;
    }
  invocation.actor = actor != NULL ? actor : "plugin";
  call = pkm_call_new (ctx, NULL, NULL, &invocation);
  return run_in_transaction (call, &body, error);
}
