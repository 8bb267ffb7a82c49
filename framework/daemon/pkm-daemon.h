/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <pkiman/pkiman.h>

G_BEGIN_DECLS

/* -- pkm-hub.c: the HTTP services of /ip service, serving the plugins' routes -- */
typedef struct _PkmHub PkmHub;
PkmHub *pkm_hub_new (PkmContext *ctx);
/* Stops every service: in-flight requests end with their connections. */
void pkm_hub_free (PkmHub *hub);
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
