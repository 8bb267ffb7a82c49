/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Timers and routes as a front end sees them: a real context loads the
 * fixture plugin feature-loop, a GMainLoop runs its timers (one of which
 * fails every second run without stopping the other), and requests go
 * through the core's route table without HTTP. */
#include <glib/gstdio.h>
#include "core/pkm-context.h"

static PkmContext *ctx;
static char *state_dir;
static GPtrArray *logged; /* what the core logged under "pkiman" */

static void
record_log (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
  g_ptr_array_add (logged, g_strdup_printf ("%s %s", (level & G_LOG_LEVEL_WARNING) ? "warning" : "info", message));
}

static gboolean
was_logged (const char *line)
{
  for (guint i = 0; i < logged->len; i++)
    if (g_strcmp0 (g_ptr_array_index (logged, i), line) == 0)
      return TRUE;
  return FALSE;
}

static char *
request (const char *method, const char *path, const char *query_x, const char *body, guint *status)
{
  g_autoptr (GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) headers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GBytes) bytes = g_bytes_new (body, body != NULL ? strlen (body) : 0);
  PkmHttpRequest req = { "www", method, path, query, headers, bytes, "127.0.0.1" };
  PkmHttpResponse response = { 0 };
  char *text;

  if (query_x != NULL)
    g_hash_table_insert (query, "x", (gpointer) query_x);
  g_hash_table_insert (headers, "user-agent", "test-loop");
  pkm_context_handle_request (ctx, &req, &response);
  *status = response.status;
  text = response.body != NULL ? g_strndup (g_bytes_get_data (response.body, NULL), g_bytes_get_size (response.body))
                               : g_strdup ("");
  pkm_http_response_clear (&response);
  return text;
}

static void
counts (guint *flaky, guint *steady)
{
  guint status;
  g_autofree char *text = request ("GET", "/fixture/count", NULL, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (sscanf (text, "flaky=%u steady=%u", flaky, steady), ==, 2);
}

static gboolean
stop_when_enough (gpointer loop)
{
  guint flaky, steady;

  counts (&flaky, &steady);
  if (flaky >= 3 && steady >= 2)
    g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
give_up (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
test_timers (void)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint flaky, steady, flaky_after, steady_after;
  guint poll, limit;

  counts (&flaky, &steady);
  g_assert_cmpuint (flaky, ==, 0); /* nothing runs before a front end attaches */
  pkm_context_attach (ctx, NULL);
  poll = g_timeout_add (50, stop_when_enough, loop);
  limit = g_timeout_add_seconds (15, give_up, loop);
  g_main_loop_run (loop);
  g_source_remove (poll);
  g_source_remove (limit);
  /* Every run is logged, the failures as warnings. */
  g_assert_true (was_logged ("info timer fixture-flaky: run 1 done"));
  g_assert_true (was_logged ("warning timer fixture-flaky: run 2 failed: run 2 fails on purpose"));
  g_assert_true (was_logged ("info timer fixture-steady: run 1 done"));
  counts (&flaky, &steady);
  /* run_now ran flaky at once; its failures did not stop it or steady. */
  g_assert_cmpuint (flaky, >=, 3);
  g_assert_cmpuint (steady, >=, 2);

  pkm_context_detach (ctx);
  limit = g_timeout_add (1500, give_up, loop);
  g_main_loop_run (loop);
  counts (&flaky_after, &steady_after);
  g_assert_cmpuint (flaky_after, ==, flaky);
  g_assert_cmpuint (steady_after, ==, steady);
}

static void
test_routes (void)
{
  guint status;
  g_autofree char *echo = request ("POST", "/fixture/echo/deeper", "42", "hello", &status);
  g_autofree char *rest = NULL, *missing = NULL, *wrong = NULL;

  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (echo, ==, "POST /fixture/echo/deeper x=42 agent=test-loop body=hello");
  /* The longest prefix wins; /fixture/ takes what the others do not. */
  rest = request ("GET", "/fixture/other", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 418);
  g_assert_cmpstr (rest, ==, "the rest of /fixture/");
  missing = request ("GET", "/nothing/here", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  wrong = request ("DELETE", "/fixture/count", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 405);
}

static void
test_registration_errors (void)
{
  static const PkmTimer nameless = { sizeof (PkmTimer), NULL, 1, 0, FALSE, NULL };
  static const PkmRoute relative = { sizeof (PkmRoute), "www", "GET", "fixture/", NULL };
  g_autoptr (GError) error = NULL;

  g_assert_false (pkm_context_add_timer (ctx, &nameless, NULL, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (pkm_context_add_route (ctx, &relative, NULL, &error));
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *config = NULL;
  const char *fixtures = g_getenv ("FIXTURE_DIR");
  int rc;

  g_test_init (&argc, &argv, NULL);
  /* A failing timer logs a warning; here it is recorded, not fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  logged = g_ptr_array_new_with_free_func (g_free);
  g_log_set_handler ("pkiman", G_LOG_LEVEL_MASK, record_log, NULL);
  g_assert_nonnull (fixtures);
  state_dir = g_dir_make_tmp ("pkiman-loop-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (state_dir, "pkiman.conf", NULL);
  g_setenv ("PKIMAN_STATE_DIR", state_dir, TRUE);
  g_setenv ("PKIMAN_PLUGIN_PATH", fixtures, TRUE);
  g_assert_true (g_file_set_contents (config, "[plugins]\ncrypto=gnutls\nstore=sqlite\nfeatures=feature-loop\n", -1,
                                      NULL));
  ctx = pkm_context_new (config, &error);
  g_assert_no_error (error);
  g_test_add_func ("/loop/routes", test_routes);
  g_test_add_func ("/loop/registration-errors", test_registration_errors);
  g_test_add_func ("/loop/timers", test_timers);
  rc = g_test_run ();
  pkm_context_free (ctx);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", state_dir);
  g_assert_cmpint (system (rm), ==, 0);
  g_free (state_dir);
  return rc;
}
