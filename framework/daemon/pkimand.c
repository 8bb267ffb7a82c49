/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pkimand: the daemon. The same config and plugins as the CLI, and one GLib
 * main loop: the plugins' routes served on the services /ip service
 * configures (pkm-hub.c), their timers, and the store's change feed
 * followed (pkm-feed.c), so that a change made with the CLI is seen at once.
 *   pkimand [--config FILE] [--foreground]
 * SIGTERM, SIGINT: stop listening, close the store, exit 0.
 * SIGHUP: read /ip service again and apply it.
 * Without --foreground it detaches once its services listen; under systemd
 * (Type=notify) it says READY=1 then. */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib-unix.h>
#include "pkm-config.h"
#include "pkm-daemon.h"

/* How often the change feed is read: what the CLI changes is live within it. */
#define FEED_INTERVAL_MS 500

/* How long SIGTERM waits for the requests in flight. */
#define DRAIN_TIMEOUT_MS 30000

static char *config_file;
static gboolean foreground;
static gboolean show_version;
static gint n_workers;

static const GOptionEntry options[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file, "Read the configuration from FILE", "FILE" },
  { "workers", 'w', 0, G_OPTION_ARG_INT, &n_workers, "Run commands on N threads (default: the CPUs, 2 to 8)", "N" },
  { "foreground", 'f', 0, G_OPTION_ARG_NONE, &foreground, "Stay in the foreground (for systemd and tests)", NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &show_version, "Print the version", NULL },
  { NULL },
};

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PKM_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(PKM_ASAN)
/* Sanitizer builds only: libsoup 3.2 leaks each accepted socket, which
 * scripts/lsan.supp suppresses by library; matching a library needs whole
 * stacks at malloc, which the fast unwinder cannot walk through GLib. */
const char *__asan_default_options (void);
const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}
#endif

typedef struct {
  PkmContext *ctx;
  PkmWorkers *workers;
  PkmRest *rest;
  PkmHub *hub;
  GMainLoop *loop;
  gint64 stop_deadline;
} PkmDaemon;

static void
apply_services (PkmDaemon *daemon, const char *why)
{
  g_autoptr (GError) error = NULL;

  if (!pkm_hub_apply (daemon->hub, &error))
    g_warning ("%s: %s", why, error->message);
}

/* Stops once the requests in flight are answered (or the wait is over). */
static gboolean
drain (gpointer user_data)
{
  PkmDaemon *daemon = user_data;

  if (pkm_rest_pending (daemon->rest) > 0 && g_get_monotonic_time () < daemon->stop_deadline)
    return G_SOURCE_CONTINUE;
  if (pkm_rest_pending (daemon->rest) > 0)
    g_warning ("stopping with %u requests unanswered", pkm_rest_pending (daemon->rest));
  g_main_loop_quit (daemon->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_terminate (gpointer user_data)
{
  PkmDaemon *daemon = user_data;

  if (daemon->stop_deadline != 0)
    return G_SOURCE_CONTINUE;
  g_message ("stopping: %u requests in flight", pkm_rest_pending (daemon->rest));
  pkm_notify ("STOPPING=1");
  /* No new connection; those open get their answers. */
  pkm_hub_stop_listening (daemon->hub);
  daemon->stop_deadline = g_get_monotonic_time () + DRAIN_TIMEOUT_MS * 1000;
  g_timeout_add (20, drain, daemon);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_hangup (gpointer user_data)
{
  g_message ("SIGHUP: reading /ip service again");
  apply_services (user_data, "SIGHUP");
  return G_SOURCE_CONTINUE;
}

static void
on_store_changed (const char *collection, gpointer user_data)
{
  PkmDaemon *daemon = user_data;

  /* A certificate re-signed or removed may be the one www-ssl presents. */
  if (g_strcmp0 (collection, "ip-service") == 0 || g_strcmp0 (collection, "certificate") == 0)
    apply_services (daemon, "/ip service changed");
  /* A password changed or a user removed: no login is trusted from before. */
  if (g_strcmp0 (collection, "user") == 0)
    pkm_rest_forget_logins (daemon->rest);
}

/* www-ssl's tls-version=, as GnuTLS priorities for glib-networking. GIO has
 * no TLS version setting of its own: its GnuTLS backend reads
 * G_TLS_GNUTLS_PRIORITY once per process, when TLS is first used, so the
 * versions are set here, before any, and a change waits for the next start
 * (pkm-hub.c says so in the log). An administrator's own
 * G_TLS_GNUTLS_PRIORITY wins. */
static char *
apply_tls_version (PkmContext *ctx)
{
  PkmInvocation invocation = PKM_INVOCATION_INIT;
  g_autoptr (PkmResult) result = NULL;
  g_autoptr (GError) error = NULL;
  const char *version = "any";
  GPtrArray *items;

  invocation.menu = "/ip service";
  invocation.command = "print";
  invocation.actor = "pkimand";
  invocation.args = g_variant_new_parsed ("{'where': <'name=www-ssl'>}");
  if ((result = pkm_invoke (ctx, &invocation, &error)) == NULL)
    {
      g_warning ("tls-version: %s", error->message);
      return g_strdup ("any");
    }
  items = pkm_result_get_items (result);
  if (items->len > 0)
    g_variant_lookup (g_ptr_array_index (items, 0), "tls-version", "&s", &version);
  if (g_getenv ("G_TLS_GNUTLS_PRIORITY") != NULL)
    g_message ("www-ssl: TLS versions as G_TLS_GNUTLS_PRIORITY says, not tls-version=%s", version);
  else if (strcmp (version, "only-1.2") == 0)
    g_setenv ("G_TLS_GNUTLS_PRIORITY", "NORMAL:-VERS-ALL:+VERS-TLS1.2", TRUE);
  else if (strcmp (version, "only-1.3") == 0)
    g_setenv ("G_TLS_GNUTLS_PRIORITY", "NORMAL:-VERS-ALL:+VERS-TLS1.3", TRUE);
  return g_strdup (version);
}

/* The parent waits on a pipe until the child's services listen, so that a
 * script that starts pkimand can use it as soon as the parent exits. */
static int
detach (void)
{
  int ready[2];
  pid_t pid;
  char status = 1;

  if (pipe (ready) != 0 || (pid = fork ()) < 0)
    {
      perror ("pkimand: fork");
      exit (1);
    }
  if (pid > 0)
    {
      close (ready[1]);
      if (read (ready[0], &status, 1) != 1)
        status = 1;
      _exit (status);
    }
  close (ready[0]);
  setsid ();
  return ready[1];
}

static void
report_ready (int ready_fd, char status)
{
  if (ready_fd < 0)
    return;
  if (write (ready_fd, &status, 1) != 1)
    perror ("pkimand: ready");
  close (ready_fd);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new ("- the pkiman daemon");
  g_autoptr (GError) error = NULL;
  PkmDaemon daemon = { 0 };
  PkmFeed *feed;
  g_autofree char *tls_version = NULL;
  int ready_fd = -1;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "pkimand: %s\n", error->message);
      return 2;
    }
  if (show_version)
    {
      printf ("pkimand %s\n", PKM_VERSION);
      return 0;
    }
  if (!foreground)
    ready_fd = detach ();
  if ((daemon.ctx = pkm_context_new (config_file, &error)) == NULL)
    {
      fprintf (stderr, "pkimand: %s\n", error->message);
      report_ready (ready_fd, 1);
      return 1;
    }
  daemon.loop = g_main_loop_new (NULL, FALSE);
  if (n_workers <= 0)
    n_workers = (gint) CLAMP (g_get_num_processors (), 2, 8);
  if ((daemon.workers = pkm_workers_new (config_file, (guint) MIN (n_workers, 64), &error)) == NULL)
    {
      fprintf (stderr, "pkimand: %s\n", error->message);
      report_ready (ready_fd, 1);
      pkm_context_free (daemon.ctx);
      return 1;
    }
  daemon.rest = pkm_rest_new (daemon.ctx, daemon.workers);
  tls_version = apply_tls_version (daemon.ctx);
  daemon.hub = pkm_hub_new (daemon.ctx, daemon.rest, tls_version);
  if (!pkm_hub_apply (daemon.hub, &error) || (feed = pkm_feed_new (daemon.ctx, FEED_INTERVAL_MS, on_store_changed,
                                                                   &daemon, &error)) == NULL)
    {
      fprintf (stderr, "pkimand: %s\n", error->message);
      report_ready (ready_fd, 1);
      pkm_hub_free (daemon.hub);
      pkm_rest_free (daemon.rest);
      pkm_workers_free (daemon.workers);
      pkm_context_free (daemon.ctx);
      return 1;
    }
  pkm_context_attach (daemon.ctx, NULL);
  g_unix_signal_add (SIGTERM, on_terminate, &daemon);
  g_unix_signal_add (SIGINT, on_terminate, &daemon);
  g_unix_signal_add (SIGHUP, on_hangup, &daemon);
  g_message ("running (state %s)", pkm_context_get_state_dir (daemon.ctx));
  pkm_notify ("READY=1");
  report_ready (ready_fd, 0);
  g_main_loop_run (daemon.loop);
  pkm_feed_free (feed);
  pkm_context_detach (daemon.ctx);
  pkm_hub_free (daemon.hub);
  /* Every job queued runs to its commit or rollback before the stores close. */
  pkm_workers_free (daemon.workers);
  pkm_rest_free (daemon.rest);
  pkm_context_free (daemon.ctx);
  g_main_loop_unref (daemon.loop);
  g_message ("stopped");
  return 0;
}
