/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The worker pool: a bounded number of threads, each running commands on a
 * context of its own (its own plugins' instances and its own store handle,
 * as another pkiman process would have), so that an RSA key being made or
 * a certificate being signed never holds up the main loop, where requests
 * are read and answered. A job waits in the pool's queue for a free
 * worker; its done function runs back on the main loop. */
#include "pkm-daemon.h"

struct _PkmWorkers {
  GThreadPool *pool;
  GAsyncQueue *idle; /* PkmContext: the contexts no thread is using */
  GPtrArray *contexts;
  GMainContext *main_context;
};

typedef struct {
  PkmWorkFunc work;
  GSourceFunc done;
  gpointer job;
} PkmWork;

static void
run_work (gpointer data, gpointer user_data)
{
  PkmWorkers *workers = user_data;
  PkmWork *work = data;
  PkmContext *ctx = g_async_queue_pop (workers->idle);

  work->work (ctx, work->job);
  g_async_queue_push (workers->idle, ctx);
  g_main_context_invoke (workers->main_context, work->done, work->job);
  g_free (work);
}

PkmWorkers *
pkm_workers_new (const char *config_file, guint n_workers, GError **error)
{
  PkmWorkers *workers = g_new0 (PkmWorkers, 1);

  workers->idle = g_async_queue_new ();
  workers->contexts = g_ptr_array_new_with_free_func ((GDestroyNotify) pkm_context_free);
  workers->main_context = g_main_context_ref_thread_default ();
  /* The contexts are made here, one after the other: loading plugins is
   * not for several threads at once. */
  for (guint i = 0; i < n_workers; i++)
    {
      PkmContext *ctx = pkm_context_new (config_file, error);
      if (ctx == NULL)
        {
          g_prefix_error (error, "worker %u: ", i + 1);
          pkm_workers_free (workers);
          return NULL;
        }
      g_ptr_array_add (workers->contexts, ctx);
      g_async_queue_push (workers->idle, ctx);
    }
  workers->pool = g_thread_pool_new (run_work, workers, (gint) n_workers, TRUE, error);
  if (workers->pool == NULL)
    {
      pkm_workers_free (workers);
      return NULL;
    }
  return workers;
}

void
pkm_workers_push (PkmWorkers *workers, PkmWorkFunc work, gpointer job, GSourceFunc done)
{
  PkmWork *item = g_new (PkmWork, 1);

  *item = (PkmWork) { work, done, job };
  g_thread_pool_push (workers->pool, item, NULL);
}

guint
pkm_workers_queued (PkmWorkers *workers)
{
  return g_thread_pool_unprocessed (workers->pool);
}

void
pkm_workers_free (PkmWorkers *workers)
{
  if (workers == NULL)
    return;
  /* Every queued job runs to its end first: none is left half done. */
  if (workers->pool != NULL)
    g_thread_pool_free (workers->pool, FALSE, TRUE);
  g_ptr_array_unref (workers->contexts);
  g_async_queue_unref (workers->idle);
  g_main_context_unref (workers->main_context);
  g_free (workers);
}
