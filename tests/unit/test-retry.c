/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Dispatch re-runs a command that lost a write conflict: from a clean call,
 * items resolved again, the call's data kept, up to a bound. A scripted store
 * and command stand in for two racing writers. */
#include <string.h>
#include "core/pkm-context-private.h"
#include "core/pkm-invoke-private.h"
#include "shell/pkm-shell-private.h"

typedef struct {
  guint begins, commits, rollbacks;
  guint runs;           /* how often the command ran */
  guint conflicts;      /* runs that lose before one wins (G_MAXUINT: every run) */
  guint lookups;        /* item resolutions */
  guint computed;       /* slow results made (should be 1 however many runs) */
  guint destroyed;      /* slow results freed */
  gboolean other_error; /* fail with an error that is not a conflict */
  GString *ids;         /* the item id each run saw */
  GString *begin_flags; /* per begin: "w" (write), "W" (write, LOCK_NOW) or "r" */
} Script;

static Script script;

static int fake_txn;

static PkmStoreTxn *
fake_begin (PkmStore *store, PkmStoreTxnFlags flags, GError **error)
{
  script.begins++;
  g_string_append (script.begin_flags, !(flags & PKM_STORE_TXN_WRITE) ? "r "
                                       : (flags & PKM_STORE_TXN_LOCK_NOW) ? "W " : "w ");
  return (PkmStoreTxn *) &fake_txn;
}

static gboolean
fake_commit (PkmStoreTxn *txn, GError **error)
{
  script.commits++;
  return TRUE;
}

static void
fake_rollback (PkmStoreTxn *txn)
{
  script.rollbacks++;
}

static const PkmStoreVTable fake_store = {
  .version = PKM_STORE_VTABLE_VERSION,
  .struct_size = sizeof (PkmStoreVTable),
  .begin = fake_begin,
  .commit = fake_commit,
  .rollback = fake_rollback,
};

/* The item "target" moves between runs, as if the other writer renumbered it. */
static gint64
lookup (PkmCall *call, const char *name, GError **error)
{
  script.lookups++;
  return strcmp (name, "target") == 0 ? 100 + script.lookups : 0;
}

static GPtrArray *
list (PkmCall *call, GError **error)
{
  return g_ptr_array_new ();
}

static void
slow_free (gpointer data)
{
  script.destroyed++;
  g_free (data);
}

static gboolean
run (PkmCall *call, GError **error)
{
  char *slow = pkm_call_get_data (call, "slow");

  script.runs++;
  if (slow == NULL)
    {
      script.computed++;
      slow = g_strdup ("made once");
      pkm_call_set_data (call, "slow", slow, slow_free);
    }
  g_string_append_printf (script.ids, "%" G_GINT64_FORMAT " ", pkm_call_get_item (call, "item"));
  pkm_call_print (call, "run %u: %s", script.runs, slow);
  {
    g_autofree char *key = g_strdup_printf ("run-%u", script.runs);
    GVariantDict result;

    g_variant_dict_init (&result, NULL);
    g_variant_dict_insert (&result, key, "t", (guint64) script.runs);
    pkm_call_set_result (call, g_variant_dict_end (&result));
  }
  if (script.other_error)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "refused");
      return FALSE;
    }
  if (script.runs <= script.conflicts)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_CONFLICT, "lost run %u", script.runs);
      return FALSE;
    }
  return TRUE;
}

static const PkmParam params[] = {
  { "item", PKM_PARAM_ITEM, PKM_PARAM_POSITIONAL, .item_menu = "/t" },
  { NULL },
};
static const PkmCommand commands[] = {
  { "write", run, params, PKM_COMMAND_WRITE, "a command that may lose" },
  { NULL },
};
static const PkmMenu menu = { PKM_MENU_SIZES, .path = "/t", .commands = commands, .list = list, .lookup = lookup };

/* Runs "/t write target" and returns what it printed on stdout. */
static char *
dispatch (guint conflicts, gboolean other_error, gboolean *ok, GError **error)
{
  PkmContext ctx = { 0 };
  g_autoptr (PkmShell) shell = NULL;
  g_auto (PkmTokens) tokens = { 0 };
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream (&text, &size);

  memset (&script, 0, sizeof script);
  script.conflicts = conflicts;
  script.other_error = other_error;
  script.ids = g_string_new (NULL);
  script.begin_flags = g_string_new (NULL);
  pkm_menu_registry_init (&ctx);
  ctx.store_vtable = &fake_store;
  pkm_events_init (&ctx);
  g_assert_true (pkm_context_register_menu (&ctx, &menu, NULL));
  shell = pkm_shell_new (&ctx, "test", NULL, PKM_OUTPUT_TEXT, out, stderr);
  g_assert_true (pkm_lex_line ("/t write target", &tokens, NULL));
  *ok = pkm_dispatch (shell, &tokens, error);
  fclose (out);
  pkm_events_clear (&ctx);
  pkm_menu_registry_clear (&ctx);
  return text;
}

static void
test_rerun_after_conflicts (void)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = FALSE;
  g_autofree char *out = dispatch (2, FALSE, &ok, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (script.runs, ==, 3);
  g_assert_cmpuint (script.begins, ==, 3);
  g_assert_cmpuint (script.rollbacks, ==, 2);
  g_assert_cmpuint (script.commits, ==, 1);
  /* The slow result was made once, kept across the runs, freed with the call. */
  g_assert_cmpuint (script.computed, ==, 1);
  g_assert_cmpuint (script.destroyed, ==, 1);
  /* Items were resolved again for every run... */
  g_assert_cmpuint (script.lookups, ==, 3);
  g_assert_cmpstr (script.ids->str, ==, "101 102 103 ");
  /* ...and only the winning run's lines and result reach the user. */
  g_assert_cmpstr (out, ==, "run 3: made once\n  run-3: 3\n");
  /* The first run takes the write lock late; a run after a conflict takes it at begin. */
  g_assert_cmpstr (script.begin_flags->str, ==, "w W W ");
  g_string_free (script.ids, TRUE);
  g_string_free (script.begin_flags, TRUE);
}

static void
test_gives_up (void)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;
  g_autofree char *out = dispatch (G_MAXUINT, FALSE, &ok, &error);

  g_assert_false (ok);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==,
                   "/t write: another writer kept winning the store; gave up after 32 attempts");
  g_assert_cmpuint (script.runs, ==, 32);
  g_assert_cmpuint (script.rollbacks, ==, 32);
  g_assert_cmpuint (script.commits, ==, 0);
  g_assert_cmpuint (script.computed, ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_string_free (script.ids, TRUE);
  g_string_free (script.begin_flags, TRUE);
}

static void
test_other_errors_not_rerun (void)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;
  g_autofree char *out = dispatch (0, TRUE, &ok, &error);

  g_assert_false (ok);
  g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (script.runs, ==, 1);
  g_assert_cmpuint (script.rollbacks, ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_string_free (script.ids, TRUE);
  g_string_free (script.begin_flags, TRUE);
}

static void
test_reset (void)
{
  g_autoptr (PkmCall) call = pkm_call_new (NULL, &menu, &commands[0], NULL);

  /* pkm_call_reset keeps the arguments and the data, drops what a run said. */
  g_variant_dict_insert (call->args, "item", "x", (gint64) 7);
  pkm_call_set_data (call, "k", g_strdup ("v"), g_free);
  pkm_call_print (call, "said");
  pkm_call_set_result (call, g_variant_new_parsed ("{'a': <1>}"));
  pkm_call_reset (call);
  g_assert_null (pkm_result_get_messages (call->result)[0]);
  g_assert_cmpuint (g_variant_n_children (pkm_result_get_values (call->result)), ==, 0);
  g_assert_cmpint (pkm_call_get_item (call, "item"), ==, 7);
  g_assert_cmpstr (pkm_call_get_data (call, "k"), ==, "v");
  pkm_call_set_data (call, "k", NULL, NULL);
  g_assert_null (pkm_call_get_data (call, "k"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/retry/rerun-after-conflicts", test_rerun_after_conflicts);
  g_test_add_func ("/retry/gives-up", test_gives_up);
  g_test_add_func ("/retry/other-errors-not-rerun", test_other_errors_not_rerun);
  g_test_add_func ("/retry/reset", test_reset);
  return g_test_run ();
}
