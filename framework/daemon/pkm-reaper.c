/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Closes what libsoup 3.2 forgets: a kept-alive connection that the client
 * closes while it is idle is never disposed of, and its socket stays open
 * (libsoup commit d20c6601, "Don't leak idle connections closed by the
 * client", first in 3.3.0; Debian 12 ships 3.2.3). Without this, every
 * client connection costs pkimand a file descriptor for good.
 *
 * The reaper follows each connection's requests (request-started, and
 * request-finished or request-aborted) and, once a second, closes the
 * socket of any connection that has no request running and whose peer has
 * shut its side (POLLRDHUP): there is nothing left to answer on it. */
#define _GNU_SOURCE /* POLLRDHUP */
#include <poll.h>
#include "pkm-daemon.h"

#define REAP_INTERVAL_MS 1000

typedef struct {
  GSocket *socket;
  guint running; /* requests started and not finished on it */
} PkmConnection;

struct _PkmReaper {
  GHashTable *connections; /* GSocket -> PkmConnection */
  guint timer;
};

static void
connection_free (gpointer data)
{
  PkmConnection *connection = data;

  g_object_unref (connection->socket);
  g_free (connection);
}

static void
on_request_started (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  PkmReaper *reaper = data;
  GSocket *socket = soup_server_message_get_socket (msg);
  PkmConnection *connection;

  if (socket == NULL)
    return;
  if ((connection = g_hash_table_lookup (reaper->connections, socket)) == NULL)
    {
      connection = g_new0 (PkmConnection, 1);
      connection->socket = g_object_ref (socket);
      g_hash_table_insert (reaper->connections, socket, connection);
    }
  connection->running++;
}

static void
on_request_done (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  PkmReaper *reaper = data;
  GSocket *socket = soup_server_message_get_socket (msg);
  PkmConnection *connection = socket != NULL ? g_hash_table_lookup (reaper->connections, socket) : NULL;

  if (connection != NULL && connection->running > 0)
    connection->running--;
}

/* The peer has shut its side: nothing more will come on @socket. */
static gboolean
peer_gone (GSocket *socket)
{
  struct pollfd entry = { .fd = g_socket_get_fd (socket), .events = POLLRDHUP };

  return poll (&entry, 1, 0) == 1 && (entry.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static gboolean
reap (gpointer data)
{
  PkmReaper *reaper = data;
  GHashTableIter iter;
  PkmConnection *connection;

  g_hash_table_iter_init (&iter, reaper->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &connection))
    {
      if (g_socket_is_closed (connection->socket))
        g_hash_table_iter_remove (&iter);
      else if (connection->running == 0 && peer_gone (connection->socket))
        {
          g_socket_close (connection->socket, NULL);
          g_hash_table_iter_remove (&iter);
        }
    }
  return G_SOURCE_CONTINUE;
}

PkmReaper *
pkm_reaper_new (void)
{
  PkmReaper *reaper = g_new0 (PkmReaper, 1);

  reaper->connections = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, connection_free);
  reaper->timer = g_timeout_add (REAP_INTERVAL_MS, reap, reaper);
  return reaper;
}

void
pkm_reaper_watch (PkmReaper *reaper, SoupServer *server)
{
  g_signal_connect (server, "request-started", G_CALLBACK (on_request_started), reaper);
  g_signal_connect (server, "request-finished", G_CALLBACK (on_request_done), reaper);
  g_signal_connect (server, "request-aborted", G_CALLBACK (on_request_done), reaper);
}

void
pkm_reaper_free (PkmReaper *reaper)
{
  if (reaper == NULL)
    return;
  g_source_remove (reaper->timer);
  g_hash_table_unref (reaper->connections);
  g_free (reaper);
}
