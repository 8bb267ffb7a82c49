/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <pkiman/pkiman.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _PkmRest PkmRest;

/* -- pkm-workers.c: a bounded pool of threads, each with a context of its own -- */
typedef struct _PkmWorkers PkmWorkers;
/* Runs on a worker thread with that worker's context. */
typedef void (*PkmWorkFunc) (PkmContext *ctx, gpointer job);
PkmWorkers *pkm_workers_new (const char *config_file, guint n_workers, GError **error);
/* Queues @job: @work runs it on the next free worker, then @done runs with
 * @job on the main context the pool was made on. */
void pkm_workers_push (PkmWorkers *workers, PkmWorkFunc work, gpointer job, GSourceFunc done);
/* Jobs waiting for a worker. */
guint pkm_workers_queued (PkmWorkers *workers);
/* Waits for every queued job, then closes the workers' contexts. */
void pkm_workers_free (PkmWorkers *workers);

/* -- pkm-rest.c: the REST API under /rest/, one more front end of pkm_invoke -- */
PkmRest *pkm_rest_new (PkmContext *ctx, PkmWorkers *workers);
void pkm_rest_free (PkmRest *rest);
/* Answers @msg (its path under /rest); @served_here: the service allows the
 * API (/ip service rest-api=). The answer may come later: @msg is paused. */
void pkm_rest_handle (PkmRest *rest, SoupServerMessage *msg, const char *path, GHashTable *query, GBytes *body,
                      gboolean served_here);
/* Answers @msg with a REST error body (the hub's refusals before the body). */
void pkm_rest_refuse (SoupServerMessage *msg, guint status, const char *detail);
/* Requests not answered yet. */
guint pkm_rest_pending (PkmRest *rest);
/* Logins remembered are forgotten (/user changed). */
void pkm_rest_forget_logins (PkmRest *rest);

/* -- pkm-reaper.c: closes the idle connections libsoup 3.2 forgets -- */
typedef struct _PkmReaper PkmReaper;
PkmReaper *pkm_reaper_new (void);
/* Follows @server's connections (signals connected with the reaper as data). */
void pkm_reaper_watch (PkmReaper *reaper, SoupServer *server);
void pkm_reaper_free (PkmReaper *reaper);

/* -- pkm-listen.c: @server listens on @port, on every address, with the
 * port shared among the pkimand processes of the host (SO_REUSEPORT) -- */
gboolean pkm_listen_shared (SoupServer *server, guint port, SoupServerListenOptions options, GError **error);

/* -- pkm-hub.c: the HTTP services of /ip service, serving the plugins' routes -- */
typedef struct _PkmHub PkmHub;
/* @tls_version: www-ssl's tls-version= as this process applied it at start. */
PkmHub *pkm_hub_new (PkmContext *ctx, PkmRest *rest, const char *tls_version);
/* Stops every service: in-flight requests end with their connections. */
void pkm_hub_free (PkmHub *hub);
/* Stops accepting connections; those open go on to their answers. */
void pkm_hub_stop_listening (PkmHub *hub);
/* Reads /ip service and brings the servers in line with it. */
gboolean pkm_hub_apply (PkmHub *hub, GError **error);

/* -- pkm-feed.c: the store's change feed, followed -- */
typedef struct _PkmFeed PkmFeed;
/* Calls @changed with each collection that changed since the last look,
 * every @interval_ms on the thread-default main context. */
typedef void (*PkmFeedFunc) (const char *collection, gpointer user_data);
PkmFeed *pkm_feed_new (PkmContext *ctx, guint interval_ms, PkmFeedFunc changed, gpointer user_data, GError **error);
void pkm_feed_free (PkmFeed *feed);

/* -- pkm-notify.c: sd_notify without libsystemd -- */
/* Sends @state ("READY=1") to $NOTIFY_SOCKET; nothing without it. */
void pkm_notify (const char *state);

G_END_DECLS
