/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>
#include <pkiman/pkm-menu.h>

PKM_BEGIN_DECLS

/* Timers and HTTP routes: a plugin registers them from init; the core keeps
 * them, and whichever front end runs a GLib main loop (pkimand) runs the
 * timers and serves the routes. Plugins never touch the HTTP library: a
 * route sees a plain request and fills a plain response. Since: 1 */

/* -- Timers -- */

/* One run of a periodic job; FALSE with @error when it failed (logged; the
 * job runs again at its next time, and other jobs are not affected). */
typedef gboolean (*PkmTimerFunc) (PkmContext *ctx, gpointer user_data, GError **error);

typedef struct {
  guint32 struct_size; /* sizeof (PkmTimer) of the caller */
  const char *name;    /* for the log, e.g. "crl-reissue"; unique per context */
  guint interval;      /* seconds from the end of one run to the next, > 0 */
  guint jitter;        /* up to this many seconds added at random to each interval */
  gboolean run_now;    /* also run once as soon as the main loop runs */
  PkmTimerFunc run;
} PkmTimer;

/* @timer and @user_data must stay valid while the context lives. */
gboolean pkm_context_add_timer (PkmContext *ctx, const PkmTimer *timer, gpointer user_data, GError **error);

/* -- HTTP routes -- */

typedef struct {
  const char *service;  /* "www" or "www-ssl" */
  const char *method;   /* "GET", "POST", ... */
  const char *path;     /* decoded path, e.g. "/crl/1A2B.crl" */
  GHashTable *query;    /* (element-type utf8 utf8): decoded query parameters */
  GHashTable *headers;  /* (element-type utf8 utf8): names in lower case */
  GBytes *body;         /* never NULL; empty when there is none */
  const char *peer;     /* the client's address, for logs */
} PkmHttpRequest;

typedef struct {
  guint status;         /* preset to 200 */
  GHashTable *headers;  /* (element-type utf8 utf8): add with g_hash_table_insert (g_strdup, g_strdup) */
  GBytes *body;         /* (transfer full) (nullable): set by the route */
} PkmHttpResponse;

typedef void (*PkmRouteFunc) (PkmContext *ctx, const PkmHttpRequest *request, PkmHttpResponse *response,
                              gpointer user_data);

typedef struct {
  guint32 struct_size;     /* sizeof (PkmRoute) of the caller */
  const char *service;     /* "www" or "www-ssl" */
  const char *method;      /* "GET", or NULL for every method */
  const char *path_prefix; /* "/crl/": the longest registered prefix of a path wins */
  PkmRouteFunc handle;
} PkmRoute;

/* A second route for the same service, method and prefix is PKM_ERROR_EXISTS.
 * @route and @user_data must stay valid while the context lives. */
gboolean pkm_context_add_route (PkmContext *ctx, const PkmRoute *route, gpointer user_data, GError **error);

/* -- For front ends that run a main loop (pkimand, an embedder) -- */

/* Runs every registered timer on @main_context (NULL: the default one) from
 * now on, each run logged; pkm_context_detach stops them. Since: 1 */
void pkm_context_attach (PkmContext *ctx, GMainContext *main_context);
void pkm_context_detach (PkmContext *ctx);
/* Finds the route for @request (service, method, longest path prefix) and
 * runs it: 404 when no prefix matches, 405 when only the method does not;
 * @response starts as 200 with no body. Since: 1 */
void pkm_context_handle_request (PkmContext *ctx, const PkmHttpRequest *request, PkmHttpResponse *response);
/* A response's parts, freed: headers and body. */
void pkm_http_response_clear (PkmHttpResponse *response);

PKM_END_DECLS
