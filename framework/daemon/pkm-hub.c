/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The HTTP hub: one libsoup server a service (/ip service), each serving
 * the routes plugins registered (pkm-loop.h). Plugins never see libsoup: a
 * request becomes a PkmHttpRequest, the route fills a PkmHttpResponse.
 * pkm_hub_apply reads /ip service and brings the servers in line: a
 * service whose port changed listens on the new port before the old one is
 * closed, so new connections see the change without a restart. */
#include <string.h>
#include <libsoup/soup.h>
#include "pkm-daemon.h"

/* A request body larger than this is refused with 413, unread. */
#define MAX_BODY (1024 * 1024)

typedef struct {
  const char *name; /* "www", "www-ssl" */
  SoupServer *server;
  guint64 port;
  GPtrArray *allowed; /* GInetAddressMask: the clients allowed; empty: any */
  PkmHub *hub;
} PkmService;

struct _PkmHub {
  PkmContext *ctx;
  PkmService services[2];
};

static void
service_stop (PkmService *service)
{
  if (service->server != NULL)
    {
      soup_server_disconnect (service->server);
      g_clear_object (&service->server);
      g_message ("%s: stopped", service->name);
    }
  service->port = 0;
}

PkmHub *
pkm_hub_new (PkmContext *ctx)
{
  PkmHub *hub = g_new0 (PkmHub, 1);

  hub->ctx = ctx;
  hub->services[0] = (PkmService) { "www", NULL, 0, g_ptr_array_new_with_free_func (g_object_unref), hub };
  hub->services[1] = (PkmService) { "www-ssl", NULL, 0, g_ptr_array_new_with_free_func (g_object_unref), hub };
  return hub;
}

void
pkm_hub_free (PkmHub *hub)
{
  if (hub == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (hub->services); i++)
    {
      service_stop (&hub->services[i]);
      g_ptr_array_unref (hub->services[i].allowed);
    }
  g_free (hub);
}

static gboolean
peer_allowed (PkmService *service, SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  GInetAddress *address;

  if (service->allowed->len == 0)
    return TRUE;
  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return FALSE;
  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  for (guint i = 0; i < service->allowed->len; i++)
    if (g_inet_address_mask_matches (g_ptr_array_index (service->allowed, i), address))
      return TRUE;
  return FALSE;
}

static void
copy_header (const char *name, const char *value, gpointer headers)
{
  g_hash_table_insert (headers, g_ascii_strdown (name, -1), g_strdup (value));
}

static void
send_header (gpointer name, gpointer value, gpointer headers)
{
  soup_message_headers_replace (headers, name, value);
}

/* Before the body: a client that is not allowed loses its connection; a body
 * announced larger than the bound is refused unread. */
static void
early_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  PkmService *service = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (!peer_allowed (service, msg))
    {
      GIOStream *stream = soup_server_message_steal_connection (msg);
      g_message ("%s: %s is not an allowed address: connection closed", service->name,
                 soup_server_message_get_remote_host (msg));
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      return;
    }
  if (soup_message_headers_get_content_length (headers) > MAX_BODY
      || (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED))
    {
      /* A chunked body has no length to check before it is read: refused. */
      soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
    }
}

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  PkmService *service = data;
  g_autoptr (GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) no_query = NULL;
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *decoded = g_uri_unescape_string (path, NULL);
  PkmHttpRequest request = { 0 };
  PkmHttpResponse response = { 0 };

  if (soup_server_message_get_status (msg) != 0)
    return; /* refused before the body (413) */
  if (decoded == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      return;
    }
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), copy_header, headers);
  if (query == NULL)
    query = no_query = g_hash_table_new (g_str_hash, g_str_equal);
  request.service = service->name;
  request.method = soup_server_message_get_method (msg);
  request.path = decoded;
  request.query = query;
  request.headers = headers;
  request.body = body;
  request.peer = soup_server_message_get_remote_host (msg);
  response.status = 200;
  response.headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  pkm_context_handle_request (service->hub->ctx, &request, &response);
  soup_server_message_set_status (msg, response.status, NULL);
  g_hash_table_foreach (response.headers, send_header, soup_server_message_get_response_headers (msg));
  if (response.body != NULL)
    soup_message_body_append_bytes (soup_server_message_get_response_body (msg), response.body);
  pkm_http_response_clear (&response);
}

/* The service as an item of /ip service says: port, addresses, disabled. */
static gboolean
service_apply (PkmService *service, GVariant *item, GError **error)
{
  guint64 port = 0;
  gboolean disabled = TRUE;
  g_autofree const char **address = NULL;
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (GPtrArray) allowed = g_ptr_array_new_with_free_func (g_object_unref);

  g_variant_lookup (item, "port", "t", &port);
  g_variant_lookup (item, "disabled", "b", &disabled);
  g_variant_lookup (item, "address", "^a&s", &address);
  for (guint i = 0; address != NULL && address[i] != NULL; i++)
    {
      GInetAddressMask *mask = g_inet_address_mask_new_from_string (address[i], NULL);
      if (mask != NULL)
        g_ptr_array_add (allowed, mask);
    }
  /* The allowed clients change at once, for every new request. */
  g_ptr_array_set_size (service->allowed, 0);
  g_ptr_array_extend_and_steal (service->allowed, g_steal_pointer (&allowed));
  if (disabled)
    {
      service_stop (service);
      return TRUE;
    }
  if (strcmp (service->name, "www-ssl") == 0)
    {
      service_stop (service);
      g_warning ("www-ssl: TLS is not served yet by this pkimand; the service stays down");
      return TRUE;
    }
  if (service->server != NULL && service->port == port)
    return TRUE;
  server = soup_server_new ("server-header", "pkimand", NULL);
  soup_server_add_early_handler (server, NULL, early_handler, service, NULL);
  soup_server_add_handler (server, NULL, handler, service, NULL);
  if (!soup_server_listen_all (server, (guint) port, 0, error))
    {
      g_prefix_error (error, "%s: port %" G_GUINT64_FORMAT ": ", service->name, port);
      return FALSE;
    }
  service_stop (service);
  service->server = g_steal_pointer (&server);
  service->port = port;
  g_message ("%s: listening on port %" G_GUINT64_FORMAT, service->name, port);
  return TRUE;
}

gboolean
pkm_hub_apply (PkmHub *hub, GError **error)
{
  PkmInvocation invocation = PKM_INVOCATION_INIT;
  g_autoptr (PkmResult) result = NULL;
  GPtrArray *items;
  gboolean ok = TRUE;

  invocation.menu = "/ip service";
  invocation.command = "print";
  invocation.actor = "pkimand";
  if ((result = pkm_invoke (hub->ctx, &invocation, error)) == NULL)
    return FALSE;
  items = pkm_result_get_items (result);
  for (guint s = 0; s < G_N_ELEMENTS (hub->services); s++)
    for (guint i = 0; i < items->len; i++)
      {
        const char *name = NULL;
        GVariant *item = g_ptr_array_index (items, i);
        g_autoptr (GError) local = NULL;

        if (!g_variant_lookup (item, "name", "&s", &name) || strcmp (name, hub->services[s].name) != 0)
          continue;
        /* One service that cannot listen does not take the other down. */
        if (!service_apply (&hub->services[s], item, &local))
          {
            if (ok)
              g_propagate_error (error, g_steal_pointer (&local));
            ok = FALSE;
          }
      }
  return ok;
}

guint
pkm_hub_get_port (PkmHub *hub, const char *service)
{
  for (guint i = 0; i < G_N_ELEMENTS (hub->services); i++)
    if (strcmp (hub->services[i].name, service) == 0 && hub->services[i].server != NULL)
      return (guint) hub->services[i].port;
  return 0;
}
