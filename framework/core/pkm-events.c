/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "core/pkm-context-private.h"

/* Handlers by event name; events queued during a transaction wait in
 * ctx->pending until commit delivers them or rollback drops them. */

typedef struct {
  guint id;
  char *event;
  PkmEventFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
} PkmHandler;

typedef struct {
  char *event;
  gint64 item_id;
} PkmPendingEvent;

static void
handler_free (gpointer data)
{
  PkmHandler *handler = data;

  if (handler->destroy != NULL)
    handler->destroy (handler->user_data);
  g_free (handler->event);
  g_free (handler);
}

static void
pending_free (gpointer data)
{
  PkmPendingEvent *pending = data;

  g_free (pending->event);
  g_free (pending);
}

void
pkm_events_init (PkmContext *ctx)
{
  ctx->handlers = g_ptr_array_new_with_free_func (handler_free);
  ctx->pending = g_ptr_array_new_with_free_func (pending_free);
}

void
pkm_events_clear (PkmContext *ctx)
{
  g_clear_pointer (&ctx->pending, g_ptr_array_unref);
  g_clear_pointer (&ctx->handlers, g_ptr_array_unref);
}

guint
pkm_context_connect (PkmContext *ctx, const char *event, PkmEventFunc func, gpointer user_data,
                     GDestroyNotify destroy)
{
  PkmHandler *handler;

  g_return_val_if_fail (ctx != NULL && event != NULL && func != NULL, 0);
  handler = g_new0 (PkmHandler, 1);
  handler->id = ++ctx->last_handler_id;
  handler->event = g_strdup (event);
  handler->func = func;
  handler->user_data = user_data;
  handler->destroy = destroy;
  g_ptr_array_add (ctx->handlers, handler);
  return handler->id;
}

void
pkm_context_disconnect (PkmContext *ctx, guint handler_id)
{
  for (guint i = 0; i < ctx->handlers->len; i++)
    if (((PkmHandler *) g_ptr_array_index (ctx->handlers, i))->id == handler_id)
      {
        g_ptr_array_remove_index (ctx->handlers, i);
        return;
      }
}

/* Handlers may connect or disconnect while being called: each call looks
 * its handler up again by id. */
static void
deliver (PkmContext *ctx, const char *event, gint64 item_id)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < ctx->handlers->len; i++)
    {
      PkmHandler *handler = g_ptr_array_index (ctx->handlers, i);
      if (strcmp (handler->event, event) == 0)
        g_array_append_val (ids, handler->id);
    }
  for (guint i = 0; i < ids->len; i++)
    for (guint h = 0; h < ctx->handlers->len; h++)
      {
        PkmHandler *handler = g_ptr_array_index (ctx->handlers, h);
        if (handler->id == g_array_index (ids, guint, i))
          {
            handler->func (ctx, event, item_id, handler->user_data);
            break;
          }
      }
}

void
pkm_context_emit (PkmContext *ctx, const char *event, gint64 item_id)
{
  PkmPendingEvent *pending;

  if (ctx->txn == NULL)
    {
      deliver (ctx, event, item_id);
      return;
    }
  pending = g_new0 (PkmPendingEvent, 1);
  pending->event = g_strdup (event);
  pending->item_id = item_id;
  g_ptr_array_add (ctx->pending, pending);
}

void
pkm_events_flush (PkmContext *ctx, gboolean wrote)
{
  /* Taken first: what the handlers emit in turn is delivered, not lost. */
  g_autoptr (GPtrArray) pending = g_steal_pointer (&ctx->pending);

  ctx->pending = g_ptr_array_new_with_free_func (pending_free);
  for (guint i = 0; i < pending->len; i++)
    {
      PkmPendingEvent *event = g_ptr_array_index (pending, i);
      deliver (ctx, event->event, event->item_id);
    }
  if (wrote)
    deliver (ctx, PKM_EVENT_STORE_CHANGED, 0);
}

void
pkm_events_drop (PkmContext *ctx)
{
  g_ptr_array_set_size (ctx->pending, 0);
}
