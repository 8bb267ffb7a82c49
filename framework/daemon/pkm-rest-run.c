/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A REST request run on a worker: RouterOS's REST verbs as pkm_invoke
 * calls (GET: print; PUT: add; PATCH: set; DELETE: remove; POST: any
 * command), and the answer in RouterOS's JSON. The arguments are the
 * body's strings, typed and checked by the core as the CLI's are, so that
 * REST refuses what the CLI refuses, with the same one-line detail. */
#include <string.h>
#include "pkm-rest-private.h"

void
pkm_rest_work_free (PkmRestWork *work)
{
  g_free (work->menu);
  g_free (work->command);
  g_free (work->item);
  g_free (work->where);
  pkm_rest_body_clear (&work->body);
  g_free (work->actor);
  g_free (work->files_dir);
  g_clear_pointer (&work->answer, g_bytes_unref);
  g_free (work);
}

static void
answer_error (PkmRestWork *work, guint status, const char *detail)
{
  work->status = status;
  g_clear_pointer (&work->answer, g_bytes_unref);
  work->answer = pkm_rest_error_body (status, detail);
}

/* A failed command: 400 with the CLI's line, but a store that could not
 * take the write (locked past its wait, full) is the server's trouble. */
static void
answer_failure (PkmRestWork *work, const GError *error)
{
  gboolean ours = g_error_matches (error, PKM_ERROR, PKM_ERROR_STORE_FAILED)
                  || g_error_matches (error, PKM_ERROR, PKM_ERROR_CONFLICT);
  answer_error (work, ours ? 503 : 400, error->message);
}

/* (transfer full): @command of the work's menu run with @args (floating
 * or not; nullable), or NULL with the answer set. */
static PkmResult *
invoke (PkmContext *ctx, PkmRestWork *work, const char *command, GVariant *args, const char *where,
        const char *const *properties)
{
  PkmInvocation invocation = PKM_INVOCATION_INIT;
  g_autoptr (GVariant) owned = args != NULL ? g_variant_ref_sink (args) : NULL;
  g_auto (GVariantBuilder) with_where = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autoptr (GError) error = NULL;
  PkmResult *result;

  if (where != NULL && *where != '\0')
    {
      g_variant_builder_add (&with_where, "{sv}", "where", g_variant_new_string (where));
      owned = g_variant_ref_sink (g_variant_builder_end (&with_where));
    }
  invocation.menu = work->menu;
  invocation.command = command;
  invocation.args = owned;
  invocation.actor = work->actor;
  invocation.files_dir = work->files_dir;
  invocation.properties = properties;
  invocation.unnumbered = TRUE; /* REST shows no numbers: one item is read alone */
  if ((result = pkm_invoke (ctx, &invocation, &error)) == NULL)
    answer_failure (work, error);
  return result;
}

/* The condition that picks the item @ref names: *ID or a name. */
static char *
item_condition (const char *ref)
{
  GString *where = g_string_new (NULL);
  gint64 id;

  pkm_rest_where_add_equal (where, pkm_item_id_parse (ref, &id) ? ".id" : "name", ref);
  return g_string_free (where, FALSE);
}

/* (transfer full): the item @ref names, as print gives it; NULL with a 404
 * answer when there is none. */
static GVariant *
find_item (PkmContext *ctx, PkmRestWork *work, const char *ref, const char *const *properties)
{
  g_autofree char *where = item_condition (ref);
  g_autoptr (PkmResult) result = invoke (ctx, work, "print", NULL, where, properties);
  GPtrArray *items;

  if (result == NULL)
    return NULL;
  items = pkm_result_get_items (result);
  if (items->len == 0)
    {
      g_autofree char *detail = g_strdup_printf ("%s: no such item: %s", work->menu, ref);
      answer_error (work, 404, detail);
      return NULL;
    }
  return g_variant_ref (g_ptr_array_index (items, 0));
}

static void
answer_items (PkmRestWork *work, GPtrArray *items, const char *const *proplist)
{
  GString *out = g_string_sized_new (64 + 512 * items->len);

  g_string_append_c (out, '[');
  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      pkm_rest_append_item (out, g_ptr_array_index (items, i), proplist);
    }
  g_string_append_c (out, ']');
  work->status = 200;
  work->answer = g_string_free_to_bytes (out);
}

static void
answer_item (PkmRestWork *work, GVariant *item, const char *const *proplist)
{
  GString *out = g_string_new (NULL);

  pkm_rest_append_item (out, item, proplist);
  work->status = 200;
  work->answer = g_string_free_to_bytes (out);
}

/* A command's answer: its items when it listed some, otherwise its values
 * (".id" of what it made, counts) and its messages. */
static void
answer_result (PkmRestWork *work, PkmResult *result)
{
  GString *out;
  const char *const *messages = pkm_result_get_messages (result);

  if (pkm_result_get_items (result)->len > 0)
    {
      answer_items (work, pkm_result_get_items (result), NULL);
      return;
    }
  out = g_string_new (NULL);
  pkm_rest_append_item (out, pkm_result_get_values (result), NULL);
  if (messages != NULL && messages[0] != NULL)
    {
      g_string_truncate (out, out->len - 1);
      g_string_append (out, out->len > 1 ? ",\"messages\":[" : "\"messages\":[");
      for (guint i = 0; messages[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          pkm_rest_append_string (out, messages[i]);
        }
      g_string_append (out, "]}");
    }
  work->status = 200;
  work->answer = g_string_free_to_bytes (out);
}

/* (transfer floating): the body's arguments with @ref given to the
 * command's item parameter (numbers=). */
static GVariant *
args_with_item (const PkmCommand *command, GVariant *args, const char *ref)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (ref != NULL)
    for (const PkmParam *p = command->params; p != NULL && p->name != NULL; p++)
      if (p->type == PKM_PARAM_ITEM && (p->flags & PKM_PARAM_POSITIONAL) != 0)
        {
          g_variant_builder_add (&builder, "{sv}", p->name, g_variant_new_string (ref));
          break;
        }
  g_variant_iter_init (&iter, args);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_variant_builder_add (&builder, "{sv}", key, value);
      g_variant_unref (value);
    }
  return g_variant_builder_end (&builder);
}

static void
run_print (PkmContext *ctx, PkmRestWork *work, const char *where)
{
  const char *const *proplist = (const char *const *) work->body.proplist;
  g_autoptr (PkmResult) result = invoke (ctx, work, "print", NULL, where, proplist);

  if (result != NULL)
    answer_items (work, pkm_result_get_items (result), proplist);
}

/* The item after add or set, found again by its .id. */
static void
answer_changed (PkmContext *ctx, PkmRestWork *work, gint64 id)
{
  g_autofree char *ref = pkm_item_id_format (id);
  g_autoptr (GVariant) item = find_item (ctx, work, ref, NULL);

  if (item != NULL)
    answer_item (work, item, NULL);
}

static void
run_command (PkmContext *ctx, PkmRestWork *work, const PkmCommand *command, const char *ref)
{
  g_autoptr (PkmResult) result = invoke (ctx, work, command->name, args_with_item (command, work->body.args, ref),
                                         NULL, NULL);
  const char *new_id = NULL;
  gint64 id = 0;

  if (result == NULL)
    return;
  switch (work->op)
    {
    case PKM_REST_ADD:
      /* add answers the new item's .id, *HEX, as [/certificate add] does. */
      if (g_variant_lookup (pkm_result_get_values (result), ".id", "&s", &new_id) && pkm_item_id_parse (new_id, &id))
        answer_changed (ctx, work, id);
      else
        answer_result (work, result);
      break;
    case PKM_REST_REMOVE:
      work->status = 204;
      break;
    case PKM_REST_SET:
      break; /* answered with the item as it is now */
    default:
      answer_result (work, result);
    }
}

/* One writer at a time among the workers: the store lets one write
 * transaction commit at a time anyway, and a worker that found the write
 * lock taken would poll it with backoff sleeps (the store's busy wait, made
 * for other processes), so that 16 clients issuing at once spent their
 * time asleep. Readers do not take it. */
static GMutex write_lock;

static void run_work (PkmContext *ctx, PkmRestWork *work);

void
pkm_rest_run (PkmContext *ctx, gpointer data)
{
  PkmRestWork *work = data;

  if (work->writes)
    g_mutex_lock (&write_lock);
  run_work (ctx, work);
  if (work->writes)
    g_mutex_unlock (&write_lock);
}

static void
run_work (PkmContext *ctx, PkmRestWork *work)
{
  const PkmMenu *menu = pkm_context_find_menu (ctx, work->menu);
  static const char *const id_only[] = { ".id", NULL };
  /* read_route named the command of every verb but GET. */
  const PkmCommand *command = work->command != NULL && menu != NULL ? pkm_menu_find_command (menu, work->command)
                                                                    : NULL;
  g_autoptr (GVariant) item = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id = 0;

  switch (work->op)
    {
    case PKM_REST_LIST:
      run_print (ctx, work, work->where);
      return;
    case PKM_REST_GET:
      if ((item = find_item (ctx, work, work->item, (const char *const *) work->body.proplist)) != NULL)
        answer_item (work, item, (const char *const *) work->body.proplist);
      return;
    case PKM_REST_COMMAND:
      if (strcmp (work->command, "print") == 0)
        {
          g_autofree char *where = pkm_rest_where_from_query ((const char *const *) work->body.query, &error);
          if (where == NULL)
            answer_error (work, 400, error->message);
          else
            run_print (ctx, work, where);
          return;
        }
      run_command (ctx, work, command, work->body.id);
      return;
    case PKM_REST_SET:
    case PKM_REST_REMOVE:
      /* The item of the path must exist: a missing one is 404, not 400. */
      if ((item = find_item (ctx, work, work->item, id_only)) == NULL)
        return;
      g_variant_lookup (item, ".id", "x", &id);
      {
        g_autofree char *ref = pkm_item_id_format (id);
        run_command (ctx, work, command, ref);
      }
      if (work->op == PKM_REST_SET && work->status == 0)
        answer_changed (ctx, work, id);
      return;
    case PKM_REST_ADD:
      run_command (ctx, work, command, NULL);
      return;
    }
}
