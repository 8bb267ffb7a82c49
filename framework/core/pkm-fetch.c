/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <libsoup/soup.h>
#include <pkiman/pkiman.h>
#include "pkm-config.h"

/* pkm_fetch: one bounded HTTP GET on libsoup's blocking API, with a session
 * of its own (so any thread may call it). Redirects are followed here, not
 * by libsoup, to count them and to keep them on http and https. */

#define DEFAULT_MAX_SIZE (16u << 20)
#define DEFAULT_TIMEOUT 30
#define DEFAULT_MAX_REDIRECTS 5
#define READ_CHUNK 65536

static gboolean
scheme_supported (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);

  return g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0;
}

static GUri *
parse_url (const char *url, GError **error)
{
  g_autoptr (GError) local = NULL;
  GUri *uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &local);

  if (uri == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: not a URL (%s)", url, local->message);
      return NULL;
    }
  if (!scheme_supported (uri))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "%s: unsupported scheme \"%s\"", url,
                   g_uri_get_scheme (uri));
      g_uri_unref (uri);
      return NULL;
    }
  return uri;
}

/* The body, at most @max_size bytes, read before @deadline (monotonic µs). */
static GBytes *
read_body (GInputStream *in, goffset length, guint64 max_size, gint64 deadline, const char *url, GError **error)
{
  g_autoptr (GByteArray) body = g_byte_array_sized_new (length > 0 ? (guint) length : READ_CHUNK);
  g_autoptr (GError) local = NULL;

  for (;;)
    {
      gsize room = READ_CHUNK;
      gssize n;

      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_UNREACHABLE, "%s: no whole answer within the time limit", url);
          return NULL;
        }
      g_byte_array_set_size (body, body->len + room);
      n = g_input_stream_read (in, body->data + body->len - room, room, NULL, &local);
      if (n < 0)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_UNREACHABLE, "%s: the body was cut short (%s)", url,
                       local->message);
          return NULL;
        }
      g_byte_array_set_size (body, body->len - room + (gsize) n);
      if (n == 0)
        break;
      if (body->len > max_size)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_REJECTED, "%s: larger than the limit (%" G_GUINT64_FORMAT " bytes)",
                       url, max_size);
          return NULL;
        }
    }
  if (length >= 0 && (guint64) length != body->len)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_UNREACHABLE, "%s: the body was cut short (%u of %" G_GOFFSET_FORMAT
                   " bytes)", url, body->len, length);
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&body));
}

/* (transfer none) (nullable): a proxy from $http_proxy (or $HTTP_PROXY) and
 * $no_proxy, or none. Not GIO's default resolver: it loads libproxy, a C++
 * library that runs desktop configuration code (and throws) in a daemon. */
static GProxyResolver *
environment_proxy (void)
{
  static GProxyResolver *resolver;
  static gsize done;

  if (g_once_init_enter (&done))
    {
      const char *proxy = g_getenv ("http_proxy") != NULL ? g_getenv ("http_proxy") : g_getenv ("HTTP_PROXY");
      const char *no_proxy = g_getenv ("no_proxy") != NULL ? g_getenv ("no_proxy") : g_getenv ("NO_PROXY");
      g_auto (GStrv) ignored = no_proxy != NULL ? g_strsplit (no_proxy, ",", -1) : NULL;

      if (proxy != NULL && *proxy != '\0')
        resolver = g_simple_proxy_resolver_new (proxy, ignored);
      g_once_init_leave (&done, 1);
    }
  return resolver;
}

gboolean
pkm_fetch (const char *url, const PkmFetchOptions *options, PkmFetchResult *out, GError **error)
{
  PkmFetchOptions o = PKM_FETCH_OPTIONS_INIT;
  g_autoptr (SoupSession) session = NULL;
  g_autoptr (GUri) uri = NULL;
  gint64 deadline;

  memset (out, 0, sizeof *out);
  if (options != NULL)
    memcpy (&o, options, MIN (options->struct_size, sizeof o));
  o.max_size = o.max_size != 0 ? o.max_size : DEFAULT_MAX_SIZE;
  o.timeout = o.timeout != 0 ? o.timeout : DEFAULT_TIMEOUT;
  o.max_redirects = o.max_redirects != 0 ? o.max_redirects : DEFAULT_MAX_REDIRECTS;
  if ((uri = parse_url (url, error)) == NULL)
    return FALSE;
  deadline = g_get_monotonic_time () + (gint64) o.timeout * G_USEC_PER_SEC;
  /* Each blocking read waits at most the whole limit; the deadline bounds their sum. */
  session = soup_session_new_with_options ("timeout", o.timeout, "idle-timeout", o.timeout, "user-agent",
                                           "pkiman/" PKM_VERSION, "proxy-resolver", environment_proxy (), NULL);
  for (guint redirects = 0;; redirects++)
    {
      g_autoptr (SoupMessage) msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
      g_autoptr (GInputStream) in = NULL;
      g_autoptr (GError) local = NULL;
      g_autofree char *where = g_uri_to_string (uri);
      SoupMessageHeaders *headers;
      guint status;

      soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
      headers = soup_message_get_request_headers (msg);
      if (o.if_none_match != NULL)
        soup_message_headers_replace (headers, "If-None-Match", o.if_none_match);
      if (o.accept != NULL)
        soup_message_headers_replace (headers, "Accept", o.accept);
      if ((in = soup_session_send (session, msg, NULL, &local)) == NULL)
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            g_set_error (error, PKM_ERROR, PKM_ERROR_UNREACHABLE, "%s: no answer within %u s", where, o.timeout);
          else
            g_set_error (error, PKM_ERROR, PKM_ERROR_UNREACHABLE, "%s: %s", where, local->message);
          return FALSE;
        }
      status = soup_message_get_status (msg);
      headers = soup_message_get_response_headers (msg);
      if (SOUP_STATUS_IS_REDIRECTION (status) && status != SOUP_STATUS_NOT_MODIFIED)
        {
          const char *location = soup_message_headers_get_one (headers, "Location");
          GUri *next;

          if (location == NULL)
            {
              g_set_error (error, PKM_ERROR, PKM_ERROR_UNREACHABLE, "%s: HTTP %u without a Location", where, status);
              return FALSE;
            }
          if (redirects + 1 > o.max_redirects)
            {
              g_set_error (error, PKM_ERROR, PKM_ERROR_UNREACHABLE, "%s: more than %u redirects", url,
                           o.max_redirects);
              return FALSE;
            }
          if ((next = g_uri_parse_relative (uri, location, SOUP_HTTP_URI_FLAGS, NULL)) == NULL
              || !scheme_supported (next))
            {
              g_set_error (error, PKM_ERROR, PKM_ERROR_UNREACHABLE, "%s: redirected to an unsupported URL", where);
              g_clear_pointer (&next, g_uri_unref);
              return FALSE;
            }
          g_input_stream_close (in, NULL, NULL);
          g_uri_unref (uri);
          uri = next;
          continue;
        }
      if (status == SOUP_STATUS_NOT_MODIFIED || SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          goffset length = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
                               ? soup_message_headers_get_content_length (headers)
                               : -1;

          if (length > 0 && (guint64) length > o.max_size)
            {
              g_set_error (error, PKM_ERROR, PKM_ERROR_REJECTED,
                           "%s: larger than the limit (%" G_GUINT64_FORMAT " bytes)", where, o.max_size);
              return FALSE;
            }
          if (status != SOUP_STATUS_NOT_MODIFIED
              && (out->body = read_body (in, length, o.max_size, deadline, where, error)) == NULL)
            return FALSE;
          out->status = status;
          out->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
          out->final_url = g_steal_pointer (&where);
          return TRUE;
        }
      g_set_error (error, PKM_ERROR, PKM_ERROR_UNREACHABLE, "%s: HTTP %u %s", where, status,
                   soup_message_get_reason_phrase (msg) != NULL ? soup_message_get_reason_phrase (msg) : "");
      return FALSE;
    }
}

void
pkm_fetch_result_clear (PkmFetchResult *result)
{
  g_clear_pointer (&result->body, g_bytes_unref);
  g_clear_pointer (&result->etag, g_free);
  g_clear_pointer (&result->final_url, g_free);
}
