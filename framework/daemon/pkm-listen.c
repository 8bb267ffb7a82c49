/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A service's listening socket, shared: SO_REUSEPORT lets every pkimand on
 * a host (the same user's) listen on the service's port at once, the kernel
 * spreading new connections among them. So several pkimand processes run
 * on one state directory, as the store allows, and a host with more cores
 * than one pkimand's HTTP thread can use runs more of them. One socket for
 * IPv6 and IPv4 where the host has IPv6, IPv4 alone otherwise. */
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "pkm-daemon.h"

static GSocket *
shared_socket (GSocketFamily family, guint port, GError **error)
{
  g_autoptr (GSocket) socket = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  g_autoptr (GInetAddress) any = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  struct sockaddr_storage native;

  if (socket == NULL)
    return NULL;
  if (!g_socket_set_option (socket, SOL_SOCKET, SO_REUSEPORT, 1, error)
      || (family == G_SOCKET_FAMILY_IPV6 && !g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, 0, error)))
    return NULL;
  any = g_inet_address_new_any (family);
  address = g_inet_socket_address_new (any, (guint16) port);
  /* bind(2) itself: g_socket_bind turns SO_REUSEPORT off for TCP. */
  if (!g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, 1, error)
      || !g_socket_address_to_native (address, &native, sizeof native, error))
    return NULL;
  if (bind (g_socket_get_fd (socket), (struct sockaddr *) &native, g_socket_address_get_native_size (address)) != 0)
    {
      int saved = errno;
      g_autofree char *where = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address));
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", where, g_strerror (saved));
      return NULL;
    }
  if (!g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

gboolean
pkm_listen_shared (SoupServer *server, guint port, SoupServerListenOptions options, GError **error)
{
  g_autoptr (GError) no_ipv6 = NULL;
  g_autoptr (GSocket) socket = shared_socket (G_SOCKET_FAMILY_IPV6, port, &no_ipv6);

  if (socket == NULL && (socket = shared_socket (G_SOCKET_FAMILY_IPV4, port, error)) == NULL)
    return FALSE;
  return soup_server_listen_socket (server, socket, options, error);
}
