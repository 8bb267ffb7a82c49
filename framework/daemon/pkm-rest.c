/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The REST API under /rest/, as RouterOS has it
 * (https://help.mikrotik.com/docs/spaces/ROS/pages/47579162/REST+API):
 * /rest/ip/service is /ip service, GET lists or reads an item, PUT adds,
 * PATCH sets, DELETE removes, POST /rest/MENU/COMMAND runs any command.
 * Every menu is here, the plugins' too, because this is one more front end
 * of pkm_invoke (pkm-rest-run.c runs the command on a worker).
 *
 * This file is the main loop's part: HTTP Basic logins checked against
 * /user (the slow hash on a worker; a failure answered after a fixed delay
 * from the request's arrival, so that no timing tells a missing user from
 * a wrong password), a read user kept from writing, and the path read. */
#include <string.h>
#include "pkm-rest-private.h"

/* A failed login is answered this long after the request came. */
#define LOGIN_FAILURE_DELAY_MS 800
/* A login checked is trusted this long (and until /user changes). */
#define LOGIN_LIFETIME_US (300 * G_USEC_PER_SEC)
#define LOGIN_CACHE_MAX 1024
/* Requests waiting for a worker (a login to check, a command to run) past
 * which a new one is answered 503 at once: a flood of wrong passwords, each
 * a slow hash, must not queue without end. */
#define MAX_QUEUED 1024
/* Path segments of /rest/...: the deepest menu is three words. */
#define MAX_SEGMENTS 8

struct _PkmRest {
  PkmContext *ctx;
  PkmWorkers *workers;
  char *files_dir;
  guint8 login_key[32]; /* keys the logins remembered: no password is kept */
  GHashTable *logins;   /* HMAC of user and password (hex) -> PkmLogin */
  guint pending;
};

typedef struct {
  char *group;
  gint64 expires;
} PkmLogin;

/* One request while it waits: for its login to be checked, or for its work. */
typedef struct {
  PkmRest *rest;
  SoupServerMessage *msg;
  gboolean paused;
  gboolean gone; /* the client hung up */
  gint64 arrived;
  char *user;
  char *password;
  char *hash; /* the user's stored hash; NULL: no such user */
  char *group;
  char *login_digest;
  gboolean verified;
  gboolean writes;   /* the command changes something: not for group read */
  guint refusal;     /* the path or body is refused with this status... */
  char *refusal_why; /* ...and this detail, once the login is known good */
  PkmRestWork *work;
} PkmRestRequest;

static void
login_free (gpointer data)
{
  PkmLogin *login = data;

  g_free (login->group);
  g_free (login);
}

PkmRest *
pkm_rest_new (PkmContext *ctx, PkmWorkers *workers)
{
  PkmRest *rest = g_new0 (PkmRest, 1);
  const char *files_dir = pkm_context_get_files_dir (ctx);

  rest->ctx = ctx;
  rest->workers = workers;
  /* Without [files] dir=, the daemon's files are in its state directory. */
  rest->files_dir = files_dir != NULL ? g_strdup (files_dir)
                                      : g_build_filename (pkm_context_get_state_dir (ctx), "files", NULL);
  g_mkdir_with_parents (rest->files_dir, 0700);
  for (guint i = 0; i < sizeof rest->login_key; i += 4)
    {
      guint32 r = g_random_int ();
      memcpy (rest->login_key + i, &r, 4);
    }
  rest->logins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, login_free);
  return rest;
}

void
pkm_rest_free (PkmRest *rest)
{
  if (rest == NULL)
    return;
  g_hash_table_unref (rest->logins);
  memset (rest->login_key, 0, sizeof rest->login_key);
  g_free (rest->files_dir);
  g_free (rest);
}

guint
pkm_rest_pending (PkmRest *rest)
{
  return rest->pending;
}

void
pkm_rest_forget_logins (PkmRest *rest)
{
  g_hash_table_remove_all (rest->logins);
}

static void
request_free (PkmRestRequest *request)
{
  if (request->password != NULL)
    memset (request->password, 0, strlen (request->password));
  g_free (request->password);
  g_free (request->user);
  g_free (request->hash);
  g_free (request->group);
  g_free (request->login_digest);
  g_free (request->refusal_why);
  if (request->work != NULL)
    pkm_rest_work_free (request->work);
  g_signal_handlers_disconnect_by_data (request->msg, request);
  g_object_unref (request->msg);
  request->rest->pending--;
  g_free (request);
}

static void
on_disconnected (SoupServerMessage *msg, gpointer data)
{
  ((PkmRestRequest *) data)->gone = TRUE;
}

static void
send_answer (SoupServerMessage *msg, guint status, GBytes *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL && g_bytes_get_size (body) > 0)
    {
      soup_message_headers_replace (headers, "Content-Type", "application/json");
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
    }
}

void
pkm_rest_refuse (SoupServerMessage *msg, guint status, const char *detail)
{
  g_autoptr (GBytes) body = pkm_rest_error_body (status, detail);

  if (status == 401)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "WWW-Authenticate",
                                  "Basic realm=\"pkimand\"");
  send_answer (msg, status, body);
}

/* The request's answer is set: the message goes on, the request ends. */
static void
finish (PkmRestRequest *request)
{
  if (request->paused && !request->gone)
    soup_server_message_unpause (request->msg);
  request_free (request);
}

static void
pause_request (PkmRestRequest *request)
{
  if (!request->paused)
    {
      soup_server_message_pause (request->msg);
      request->paused = TRUE;
    }
}

static void
run_request (PkmContext *ctx, gpointer data)
{
  pkm_rest_run (ctx, ((PkmRestRequest *) data)->work);
}

static gboolean
work_done (gpointer data)
{
  PkmRestRequest *request = data;

  if (!request->gone)
    send_answer (request->msg, request->work->status, request->work->answer);
  finish (request);
  return G_SOURCE_REMOVE;
}

/* The login is good: what the path asks is refused, or run on a worker. */
static void
authorized (PkmRestRequest *request)
{
  if (request->refusal != 0 || (request->writes && g_strcmp0 (request->group, "full") != 0))
    {
      pkm_rest_refuse (request->msg, request->refusal != 0 ? request->refusal : 403,
                  request->refusal != 0 ? request->refusal_why
                                        : "the user's group is read: it may not change anything");
      finish (request);
      return;
    }
  request->work->actor = g_strdup_printf ("rest:%s", request->user);
  request->work->files_dir = g_strdup (request->rest->files_dir);
  pause_request (request);
  pkm_workers_push (request->rest->workers, run_request, request, work_done);
}

static gboolean
refuse_login (gpointer data)
{
  PkmRestRequest *request = data;

  if (!request->gone)
    pkm_rest_refuse (request->msg, 401, "wrong user name or password");
  finish (request);
  return G_SOURCE_REMOVE;
}

static void
remember_login (PkmRestRequest *request)
{
  PkmLogin *login = g_new (PkmLogin, 1);

  if (g_hash_table_size (request->rest->logins) >= LOGIN_CACHE_MAX)
    g_hash_table_remove_all (request->rest->logins);
  login->group = g_strdup (request->group);
  login->expires = g_get_monotonic_time () + LOGIN_LIFETIME_US;
  g_hash_table_replace (request->rest->logins, g_strdup (request->login_digest), login);
}

/* The password checked, on the main loop again. */
static gboolean
login_checked (gpointer data)
{
  PkmRestRequest *request = data;
  gint64 wait_ms;

  if (!request->verified)
    {
      wait_ms = LOGIN_FAILURE_DELAY_MS - (g_get_monotonic_time () - request->arrived) / 1000;
      g_timeout_add (wait_ms > 0 ? (guint) wait_ms : 0, refuse_login, request);
      return G_SOURCE_REMOVE;
    }
  remember_login (request);
  authorized (request);
  return G_SOURCE_REMOVE;
}

static void
check_password (PkmContext *unused, gpointer data)
{
  PkmRestRequest *request = data;

  request->verified = pkm_password_verify (request->hash, request->password);
}

/* User and password of an Authorization: Basic header; FALSE without one. */
static gboolean
read_credentials (SoupServerMessage *msg, PkmRestRequest *request)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autofree guchar *decoded = NULL;
  gsize size = 0;
  char *colon;

  if (header == NULL || g_ascii_strncasecmp (header, "Basic ", 6) != 0 || strlen (header) > 1024)
    return FALSE;
  decoded = g_base64_decode (header + 6, &size);
  if (decoded == NULL || size == 0 || memchr (decoded, '\0', size) != NULL)
    return FALSE;
  decoded = g_realloc (decoded, size + 1);
  decoded[size] = '\0';
  if ((colon = strchr ((char *) decoded, ':')) == NULL)
    {
      memset (decoded, 0, size);
      return FALSE;
    }
  request->user = g_strndup ((char *) decoded, colon - (char *) decoded);
  request->password = g_strdup (colon + 1);
  memset (decoded, 0, size);
  return TRUE;
}

/* The key a login is remembered under: an HMAC under a key of this process,
 * so that what is remembered is no password and no hash of one. */
static char *
login_digest (PkmRest *rest, PkmRestRequest *request)
{
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, rest->login_key, sizeof rest->login_key);

  g_hmac_update (hmac, (const guchar *) request->user, (gssize) strlen (request->user) + 1);
  g_hmac_update (hmac, (const guchar *) request->password, -1);
  return g_strdup (g_hmac_get_string (hmac));
}

/* Notes the first refusal; FALSE, for `return refuse (...)`. */
static gboolean
refuse (PkmRestRequest *request, guint status, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
refuse (PkmRestRequest *request, guint status, const char *format, ...)
{
  va_list args;

  if (request->refusal != 0)
    return FALSE;
  va_start (args, format);
  request->refusal = status;
  request->refusal_why = g_strdup_vprintf (format, args);
  va_end (args);
  return FALSE;
}

/* The menu of the longest prefix of @segments that is one: its path, and
 * in *@used the segments it took. */
static const PkmMenu *
find_menu (PkmContext *ctx, char **segments, guint n, guint *used)
{
  for (guint take = n; take > 0; take--)
    {
      g_autofree char *path = NULL;
      const PkmMenu *menu;
      char *saved = segments[take];

      segments[take] = NULL;
      path = g_strjoinv (" ", segments);
      segments[take] = saved;
      {
        g_autofree char *rooted = g_strconcat ("/", path, NULL);
        if ((menu = pkm_context_find_menu (ctx, rooted)) != NULL)
          {
            *used = take;
            return menu;
          }
      }
    }
  return NULL;
}

/* The query string of a GET: .proplist, and every other key as name=value. */
static void
read_filters (PkmRestRequest *request, GHashTable *query)
{
  GHashTableIter iter;
  gpointer key, value;
  GString *where = g_string_new (NULL);

  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (strcmp (key, ".proplist") == 0)
        {
          g_strfreev (request->work->body.proplist);
          request->work->body.proplist = g_strsplit (value, ",", PKM_REST_MAX_MEMBERS);
        }
      else if (!pkm_rest_is_property_name (key))
        refuse (request, 400, "query: \"%.64s\" is not a property", (char *) key);
      else
        pkm_rest_where_add_equal (where, key, value);
    }
  request->work->where = g_string_free (where, FALSE);
}

/* What the method and path ask, or the refusal to give once the login is good. */
static gboolean
read_route (PkmRestRequest *request, const char *method, const char *path, GHashTable *query, GBytes *body)
{
  PkmRestWork *work = request->work;
  g_auto (GStrv) parts = g_strsplit (path, "/", MAX_SEGMENTS + 2);
  char *segments[MAX_SEGMENTS + 1];
  const PkmMenu *menu;
  const PkmCommand *command = NULL;
  const char *rest_of_path;
  guint n = 0, used = 0;
  gboolean has_item;
  g_autoptr (GError) error = NULL;

  /* parts[0] is "" and parts[1] "rest". */
  for (guint i = 2; parts[i] != NULL && n <= MAX_SEGMENTS; i++)
    if (*parts[i] != '\0')
      segments[n++] = parts[i];
  if (n == 0 || n > MAX_SEGMENTS)
    return refuse (request, 404, "%s: no such menu", path);
  segments[n] = NULL;
  if ((menu = find_menu (request->rest->ctx, segments, n, &used)) == NULL || n - used > 1)
    return refuse (request, 404, "%s: no such menu or item", path);
  work->menu = g_strdup (menu->path);
  rest_of_path = used < n ? segments[used] : NULL;
  has_item = rest_of_path != NULL;
  if (strcmp (method, "GET") == 0)
    {
      work->op = has_item ? PKM_REST_GET : PKM_REST_LIST;
      if (menu->list == NULL)
        return refuse (request, 404, "%s has no items to list", menu->path);
      work->item = g_strdup (rest_of_path);
      read_filters (request, query);
      return TRUE;
    }
  if (strcmp (method, "PUT") == 0 && !has_item)
    work->op = PKM_REST_ADD, command = pkm_menu_find_command (menu, "add");
  else if (strcmp (method, "PATCH") == 0 && has_item)
    work->op = PKM_REST_SET, command = pkm_menu_find_command (menu, "set");
  else if (strcmp (method, "DELETE") == 0 && has_item)
    work->op = PKM_REST_REMOVE, command = pkm_menu_find_command (menu, "remove");
  else if (strcmp (method, "POST") == 0 && has_item)
    {
      work->op = PKM_REST_COMMAND;
      if ((command = pkm_menu_find_command (menu, rest_of_path)) == NULL)
        return refuse (request, 404, "%s: no such command: %s", menu->path, rest_of_path);
    }
  else
    return refuse (request, 405, "%s %s: %s", method, path,
                   has_item ? "an item takes GET, PATCH, DELETE, or POST of a command"
                            : "a menu takes GET and PUT; a command is POST /rest/MENU/COMMAND");
  if (command == NULL)
    return refuse (request, 405, "%s %s: %s has no %s command", method, path, menu->path,
                   work->op == PKM_REST_ADD ? "add" : work->op == PKM_REST_SET ? "set" : "remove");
  work->command = g_strdup (command->name);
  work->item = g_strdup (work->op == PKM_REST_COMMAND ? NULL : rest_of_path);
  request->writes = strcmp (command->name, "print") != 0
                    && ((command->flags & PKM_COMMAND_WRITE) != 0 || command->run_async != NULL);
  /* An asynchronous command writes in short steps of its own, waiting on
   * the network between them: it does not hold the workers' write lock. */
  work->writes = (command->flags & PKM_COMMAND_WRITE) != 0;
  if (!pkm_rest_body_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &work->body, &error))
    return refuse (request, 400, "%s", error->message);
  return TRUE;
}

void
pkm_rest_handle (PkmRest *rest, SoupServerMessage *msg, const char *path, GHashTable *query, GBytes *body,
                 gboolean served_here)
{
  PkmRestRequest *request = g_new0 (PkmRestRequest, 1);
  g_autoptr (GError) error = NULL;
  PkmLogin *login;

  request->rest = rest;
  request->msg = g_object_ref (msg);
  request->arrived = g_get_monotonic_time ();
  request->work = g_new0 (PkmRestWork, 1);
  rest->pending++;
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_disconnected), request);
  if (!served_here)
    {
      pkm_rest_refuse (msg, 403, "the REST API is not served on www (/ip service set www rest-api=yes serves it)");
      finish (request);
      return;
    }
  if (pkm_workers_queued (rest->workers) >= MAX_QUEUED)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      pkm_rest_refuse (msg, 503, "busy: too many requests wait for a worker");
      finish (request);
      return;
    }
  if (!read_credentials (msg, request))
    {
      pkm_rest_refuse (msg, 401, "a user name and password are needed (HTTP Basic)");
      finish (request);
      return;
    }
  read_route (request, soup_server_message_get_method (msg), path, query, body);
  request->login_digest = login_digest (rest, request);
  login = g_hash_table_lookup (rest->logins, request->login_digest);
  if (login != NULL && login->expires > g_get_monotonic_time ())
    {
      request->group = g_strdup (login->group);
      authorized (request);
      return;
    }
  request->hash = pkm_context_lookup_user (rest->ctx, request->user, &request->group, &error);
  if (request->hash == NULL && !g_error_matches (error, PKM_ERROR, PKM_ERROR_NOT_FOUND))
    {
      pkm_rest_refuse (msg, 503, error->message);
      finish (request);
      return;
    }
  /* A missing user is checked too (against a hash of nothing): the same work. */
  pause_request (request);
  pkm_workers_push (rest->workers, check_password, request, login_checked);
}
