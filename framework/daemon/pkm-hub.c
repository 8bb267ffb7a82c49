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
  char *fingerprint;  /* www-ssl: the certificate it presents */
  GPtrArray *allowed; /* GInetAddressMask: the clients allowed; empty: any */
  gboolean rest_api;  /* serves /rest/ */
  char *tls_version_noted; /* www-ssl: the tls-version= last said to wait for a start */
  PkmHub *hub;
} PkmService;

struct _PkmHub {
  PkmContext *ctx;
  char *tls_version; /* what this process's TLS was set up with (pkimand.c) */
  PkmRest *rest;
  PkmReaper *reaper;
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
  g_clear_pointer (&service->fingerprint, g_free);
}

PkmHub *
pkm_hub_new (PkmContext *ctx, PkmRest *rest, const char *tls_version)
{
  PkmHub *hub = g_new0 (PkmHub, 1);
  static const char *const names[] = { "www", "www-ssl" };

  hub->ctx = ctx;
  hub->tls_version = g_strdup (tls_version);
  hub->rest = rest;
  hub->reaper = pkm_reaper_new ();
  for (guint i = 0; i < G_N_ELEMENTS (hub->services); i++)
    hub->services[i] = (PkmService) { .name = names[i], .hub = hub,
                                      .allowed = g_ptr_array_new_with_free_func (g_object_unref) };
  return hub;
}

void
pkm_hub_stop_listening (PkmHub *hub)
{
  for (guint i = 0; i < G_N_ELEMENTS (hub->services); i++)
    if (hub->services[i].server != NULL)
      {
        GSList *listeners = soup_server_get_listeners (hub->services[i].server);
        for (GSList *l = listeners; l != NULL; l = l->next)
          g_socket_close (l->data, NULL);
        g_slist_free (listeners);
      }
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
      g_free (hub->services[i].tls_version_noted);
    }
  pkm_reaper_free (hub->reaper);
  g_free (hub->tls_version);
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

/* /rest and what is under it. */
static gboolean
is_rest_path (const char *path)
{
  return strncmp (path, "/rest", 5) == 0 && (path[5] == '\0' || path[5] == '/');
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
      if (is_rest_path (path))
        pkm_rest_refuse (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "body: larger than 1 MiB");
    }
}

/* The query as routes see it: libsoup's, and the parameters without "="
 * that libsoup drops ("?pem") as empty values. */
static GHashTable *
route_query (SoupServerMessage *msg, GHashTable *decoded)
{
  GHashTable *query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *raw = g_uri_get_query (soup_server_message_get_uri (msg));
  g_auto (GStrv) pairs = raw != NULL ? g_strsplit (raw, "&", 64) : NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (decoded != NULL)
    {
      g_hash_table_iter_init (&iter, decoded);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (query, g_strdup (key), g_strdup (value));
    }
  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i++)
    {
      char *name;

      if (*pairs[i] == '\0' || strchr (pairs[i], '=') != NULL || (name = g_uri_unescape_string (pairs[i], NULL)) == NULL)
        continue;
      if (g_hash_table_contains (query, name))
        g_free (name);
      else
        g_hash_table_insert (query, name, g_strdup (""));
    }
  return query;
}

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  PkmService *service = data;
  g_autoptr (GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) route_params = NULL;
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
  query = route_params = route_query (msg, query);
  if (is_rest_path (decoded))
    {
      pkm_rest_handle (service->hub->rest, msg, decoded, query, body, service->rest_api);
      return;
    }
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), copy_header, headers);
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

static void
append_pem (GString *pem, const char *label, gconstpointer der, gsize size)
{
  g_autofree char *base64 = g_base64_encode (der, size);

  g_string_append_printf (pem, "-----BEGIN %s-----\n", label);
  for (gsize at = 0, len = strlen (base64); at < len; at += 64)
    g_string_append_printf (pem, "%.64s\n", base64 + at);
  g_string_append_printf (pem, "-----END %s-----\n", label);
  memset (base64, 0, strlen (base64));
}

typedef struct {
  const char *name;      /* the certificate's */
  const char *presented; /* (nullable) the fingerprint the running server presents */
  GTlsCertificate *tls;  /* out: NULL when @presented is still the certificate */
  char *fingerprint;     /* out */
} PkmTlsLoad;

/* The certificate @load->name, its issuers in the store (up to 8) and its
 * private key, as GIO's TLS wants them. The key is in PEM in memory only,
 * for as long as it takes to parse it, and wiped. Nothing is read past the
 * fingerprint when the server presents that certificate already: the change
 * feed calls this for every change of /certificate. */
static gboolean
load_tls (PkmCall *call, gpointer user_data, GError **error)
{
  PkmTlsLoad *load = user_data;
  g_autoptr (GVariant) item = pkm_certificates_lookup (call, PKM_CERT_BY_NAME, load->name, error);
  g_autoptr (PkmKey) key = NULL;
  g_autoptr (PkmSecret) pkcs8 = NULL;
  GString *pem = g_string_new (NULL);
  g_autoptr (GVariant) current = NULL;
  gint64 id = 0;
  gboolean ok = FALSE;

  if (item == NULL)
    goto out;
  g_variant_lookup (item, ".id", "x", &id);
  g_variant_lookup (item, "fingerprint", "s", &load->fingerprint);
  if (load->presented != NULL && g_strcmp0 (load->fingerprint, load->presented) == 0)
    {
      ok = TRUE;
      goto out;
    }
  if ((key = pkm_certificates_get_key (call, id, error)) == NULL || (pkcs8 = pkm_key_export_pkcs8 (key, error)) == NULL)
    goto out;
  current = g_variant_ref (item);
  for (guint depth = 0; depth < 8 && current != NULL; depth++)
    {
      const char *fingerprint = NULL, *issuer = NULL;
      gint64 cid = 0;
      g_autoptr (GBytes) der = NULL;

      g_variant_lookup (current, ".id", "x", &cid);
      if ((der = pkm_certificates_get_der (call, cid, error)) == NULL)
        goto out;
      append_pem (pem, "CERTIFICATE", g_bytes_get_data (der, NULL), g_bytes_get_size (der));
      g_variant_lookup (current, "fingerprint", "&s", &fingerprint);
      if (!g_variant_lookup (current, "ca-fingerprint", "&s", &issuer) || g_strcmp0 (issuer, fingerprint) == 0)
        break;
      {
        GVariant *next = pkm_certificates_lookup (call, PKM_CERT_BY_FINGERPRINT, issuer, NULL);
        g_variant_unref (current);
        current = next;
      }
    }
  append_pem (pem, "PRIVATE KEY", pkm_secret_get_data (pkcs8), pkm_secret_get_size (pkcs8));
  load->tls = g_tls_certificate_new_from_pem (pem->str, pem->len, error);
  if (load->tls == NULL)
    g_prefix_error (error, "certificate: %s: ", load->name);
  ok = load->tls != NULL;
out:
  memset (pem->str, 0, pem->len);
  g_string_free (pem, TRUE);
  return ok;
}

/* The service as an item of /ip service says: port, addresses, disabled,
 * and for www-ssl the certificate it presents. */
static gboolean
service_apply (PkmService *service, GVariant *item, GError **error)
{
  guint64 port = 0;
  gboolean disabled = TRUE;
  const char *certificate = NULL, *tls_version = NULL;
  g_autofree const char **address = NULL;
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (GPtrArray) allowed = g_ptr_array_new_with_free_func (g_object_unref);
  PkmTlsLoad tls = { 0 };
  gboolean tls_wanted = strcmp (service->name, "www-ssl") == 0;

  g_variant_lookup (item, "port", "t", &port);
  g_variant_lookup (item, "disabled", "b", &disabled);
  g_variant_lookup (item, "address", "^a&s", &address);
  g_variant_lookup (item, "certificate", "&s", &certificate);
  g_variant_lookup (item, "rest-api", "b", &service->rest_api);
  /* Said once per value, not at every change the feed brings. */
  if (tls_wanted && g_variant_lookup (item, "tls-version", "&s", &tls_version)
      && g_strcmp0 (tls_version, service->hub->tls_version) != 0
      && g_strcmp0 (tls_version, service->tls_version_noted) != 0)
    {
      g_message ("www-ssl: tls-version=%s takes effect when pkimand starts again (now %s)", tls_version,
                 service->hub->tls_version);
      g_free (service->tls_version_noted);
      service->tls_version_noted = g_strdup (tls_version);
    }
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
  if (tls_wanted)
    {
      if (certificate == NULL || strcmp (certificate, "none") == 0)
        {
          service_stop (service);
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                       "www-ssl: no certificate (/ip service set www-ssl certificate=...): not served");
          return FALSE;
        }
      tls.name = certificate;
      tls.presented = service->server != NULL && service->port == port ? service->fingerprint : NULL;
      if (!pkm_context_transact (service->hub->ctx, FALSE, "pkimand", load_tls, &tls, error))
        {
          service_stop (service);
          g_free (tls.fingerprint);
          return FALSE;
        }
    }
  if (service->server != NULL && service->port == port)
    {
      /* Same port: a new certificate is for new connections. */
      if (tls.tls != NULL && g_strcmp0 (tls.fingerprint, service->fingerprint) != 0)
        {
          soup_server_set_tls_certificate (service->server, tls.tls);
          g_message ("%s: now presents %s", service->name, certificate);
        }
      g_free (service->fingerprint);
      service->fingerprint = tls.fingerprint;
      g_clear_object (&tls.tls);
      return TRUE;
    }
  server = soup_server_new ("server-header", "pkimand", "tls-certificate", tls.tls, NULL);
  g_clear_object (&tls.tls);
  soup_server_add_early_handler (server, NULL, early_handler, service, NULL);
  soup_server_add_handler (server, NULL, handler, service, NULL);
  pkm_reaper_watch (service->hub->reaper, server);
  if (!pkm_listen_shared (server, (guint) port, tls_wanted ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    {
      g_prefix_error (error, "%s: port %" G_GUINT64_FORMAT ": ", service->name, port);
      g_free (tls.fingerprint);
      return FALSE;
    }
  service_stop (service);
  service->server = g_steal_pointer (&server);
  service->port = port;
  service->fingerprint = tls.fingerprint;
  g_message ("%s: listening on port %" G_GUINT64_FORMAT "%s%s", service->name, port,
             tls_wanted ? " with " : "", tls_wanted ? certificate : "");
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
