/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "core/pkm-context-private.h"

/* The timers and routes plugins registered. Timers are re-armed after each
 * run (interval from the end of one run to the start of the next, plus
 * jitter), so a slow run never piles up behind itself. */

#define G_LOG_DOMAIN_LOOP "pkiman"

typedef struct {
  PkmContext *ctx;
  PkmTimer timer; /* copied at the caller's size, the rest zero */
  gpointer user_data;
  GSource *source;
  guint64 runs, failures;
} PkmTimerSlot;

typedef struct {
  PkmRoute route;
  gpointer user_data;
} PkmRouteSlot;

static void
timer_slot_free (gpointer data)
{
  PkmTimerSlot *slot = data;

  if (slot->source != NULL)
    {
      g_source_destroy (slot->source);
      g_source_unref (slot->source);
    }
  g_free (slot);
}

void
pkm_loop_init (PkmContext *ctx)
{
  ctx->timers = g_ptr_array_new_with_free_func (timer_slot_free);
  ctx->routes = g_ptr_array_new_with_free_func (g_free);
}

void
pkm_loop_clear (PkmContext *ctx)
{
  g_clear_pointer (&ctx->timers, g_ptr_array_unref);
  g_clear_pointer (&ctx->routes, g_ptr_array_unref);
  g_clear_pointer (&ctx->main_context, g_main_context_unref);
}

/* A member the caller's struct does not reach reads as zero. */
static void
copy_sized (void *to, gsize to_size, const void *from, guint32 from_size)
{
  memset (to, 0, to_size);
  memcpy (to, from, MIN (to_size, from_size));
}

gboolean
pkm_context_add_timer (PkmContext *ctx, const PkmTimer *timer, gpointer user_data, GError **error)
{
  PkmTimerSlot *slot;

  if (timer == NULL || timer->struct_size < G_STRUCT_OFFSET (PkmTimer, run) + sizeof (timer->run)
      || timer->name == NULL || timer->run == NULL || timer->interval == 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "timer %s: needs a name, an interval and a run function",
                   timer != NULL && timer->name != NULL ? timer->name : "(unnamed)");
      return FALSE;
    }
  for (guint i = 0; i < ctx->timers->len; i++)
    if (strcmp (((PkmTimerSlot *) g_ptr_array_index (ctx->timers, i))->timer.name, timer->name) == 0)
      {
        g_set_error (error, PKM_ERROR, PKM_ERROR_EXISTS, "timer %s: already registered", timer->name);
        return FALSE;
      }
  slot = g_new0 (PkmTimerSlot, 1);
  slot->ctx = ctx;
  copy_sized (&slot->timer, sizeof slot->timer, timer, timer->struct_size);
  slot->user_data = user_data;
  g_ptr_array_add (ctx->timers, slot);
  return TRUE;
}

static void arm (PkmTimerSlot *slot, guint seconds);

static gboolean
fire (gpointer data)
{
  PkmTimerSlot *slot = data;
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&slot->source, g_source_unref);
  slot->runs++;
  if (slot->timer.run (slot->ctx, slot->user_data, &error))
    g_log (G_LOG_DOMAIN_LOOP, G_LOG_LEVEL_INFO, "timer %s: run %" G_GUINT64_FORMAT " done", slot->timer.name,
           slot->runs);
  else
    {
      slot->failures++;
      g_log (G_LOG_DOMAIN_LOOP, G_LOG_LEVEL_WARNING, "timer %s: run %" G_GUINT64_FORMAT " failed: %s",
             slot->timer.name, slot->runs, error != NULL ? error->message : "no reason given");
    }
  /* A run may detach the context (shutdown): then nothing is re-armed. */
  if (slot->ctx->main_context != NULL)
    arm (slot, slot->timer.interval);
  return G_SOURCE_REMOVE;
}

static void
arm (PkmTimerSlot *slot, guint seconds)
{
  guint jitter = slot->timer.jitter > 0 ? g_random_int_range (0, (gint32) MIN (slot->timer.jitter, G_MAXINT32 - 1) + 1) : 0;

  slot->source = seconds == 0 ? g_idle_source_new () : g_timeout_source_new_seconds (seconds + jitter);
  g_source_set_callback (slot->source, fire, slot, NULL);
  g_source_set_name (slot->source, slot->timer.name);
  g_source_attach (slot->source, slot->ctx->main_context);
}

void
pkm_context_attach (PkmContext *ctx, GMainContext *main_context)
{
  pkm_context_detach (ctx);
  ctx->main_context = g_main_context_ref (main_context != NULL ? main_context : g_main_context_default ());
  for (guint i = 0; i < ctx->timers->len; i++)
    {
      PkmTimerSlot *slot = g_ptr_array_index (ctx->timers, i);
      arm (slot, slot->timer.run_now ? 0 : slot->timer.interval);
    }
}

void
pkm_context_detach (PkmContext *ctx)
{
  for (guint i = 0; ctx->timers != NULL && i < ctx->timers->len; i++)
    {
      PkmTimerSlot *slot = g_ptr_array_index (ctx->timers, i);
      if (slot->source != NULL)
        {
          g_source_destroy (slot->source);
          g_clear_pointer (&slot->source, g_source_unref);
        }
    }
  g_clear_pointer (&ctx->main_context, g_main_context_unref);
}

/* -- routes -- */

gboolean
pkm_context_add_route (PkmContext *ctx, const PkmRoute *route, gpointer user_data, GError **error)
{
  PkmRouteSlot *slot;

  if (route == NULL || route->struct_size < G_STRUCT_OFFSET (PkmRoute, handle) + sizeof (route->handle)
      || route->service == NULL || route->path_prefix == NULL || route->path_prefix[0] != '/'
      || route->handle == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                   "route %s: needs a service, a path prefix starting with / and a handler",
                   route != NULL && route->path_prefix != NULL ? route->path_prefix : "(none)");
      return FALSE;
    }
  for (guint i = 0; i < ctx->routes->len; i++)
    {
      const PkmRoute *other = &((PkmRouteSlot *) g_ptr_array_index (ctx->routes, i))->route;
      if (strcmp (other->service, route->service) == 0 && strcmp (other->path_prefix, route->path_prefix) == 0
          && g_strcmp0 (other->method, route->method) == 0)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_EXISTS, "route %s %s on %s: already registered",
                       route->method != NULL ? route->method : "*", route->path_prefix, route->service);
          return FALSE;
        }
    }
  slot = g_new0 (PkmRouteSlot, 1);
  copy_sized (&slot->route, sizeof slot->route, route, route->struct_size);
  slot->user_data = user_data;
  g_ptr_array_add (ctx->routes, slot);
  return TRUE;
}

static void
respond_text (PkmHttpResponse *response, guint status, const char *text)
{
  response->status = status;
  g_hash_table_insert (response->headers, g_strdup ("content-type"), g_strdup ("text/plain; charset=utf-8"));
  g_clear_pointer (&response->body, g_bytes_unref);
  response->body = g_bytes_new (text, strlen (text));
}

void
pkm_context_handle_request (PkmContext *ctx, const PkmHttpRequest *request, PkmHttpResponse *response)
{
  PkmRouteSlot *best = NULL;
  gboolean path_known = FALSE;
  gsize best_len = 0;

  if (response->headers == NULL)
    response->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  response->status = 200;
  for (guint i = 0; i < ctx->routes->len; i++)
    {
      PkmRouteSlot *slot = g_ptr_array_index (ctx->routes, i);
      gsize len = strlen (slot->route.path_prefix);

      if (strcmp (slot->route.service, request->service) != 0 || !g_str_has_prefix (request->path, slot->route.path_prefix))
        continue;
      path_known = TRUE;
      if (slot->route.method != NULL && g_ascii_strcasecmp (slot->route.method, request->method) != 0)
        continue;
      /* Longest prefix; at equal length a route for this method beats one for every method. */
      if (best == NULL || len > best_len || (len == best_len && slot->route.method != NULL))
        {
          best = slot;
          best_len = len;
        }
    }
  if (best == NULL)
    {
      respond_text (response, path_known ? 405 : 404, path_known ? "method not allowed\n" : "not found\n");
      return;
    }
  best->route.handle (ctx, request, response, best->user_data);
}

void
pkm_http_response_clear (PkmHttpResponse *response)
{
  g_clear_pointer (&response->headers, g_hash_table_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
}
