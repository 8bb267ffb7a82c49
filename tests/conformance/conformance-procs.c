/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What other processes do to the store: two writers at once, a conflicting
 * update, the change feed of another process's commits, and a writer
 * killed with SIGKILL. Each other process opens the store itself. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib-unix.h>
#include "conformance.h"

/* As pkm-invoke.c: a command that keeps losing the race gives up. */
#define MAX_ATTEMPTS 32

typedef gboolean (*ChildFunc) (Cf *cf, gpointer data, int fd);

typedef struct {
  pid_t pid;
  int fd; /* the child's lines: data, and "!message" when it failed */
} Child;

/* Runs @func in a child process that reports on a pipe and leaves through
 * _exit. FALSE (recorded) when it cannot start. */
static gboolean
spawn (Cf *cf, ChildFunc func, gpointer data, Child *out)
{
  int fds[2];

  if (!g_unix_open_pipe (fds, FD_CLOEXEC, NULL))
    return cf_fail (cf, "pipe: %s", g_strerror (errno));
  fflush (stdout);
  fflush (stderr);
  if ((out->pid = fork ()) < 0)
    return cf_fail (cf, "fork: %s", g_strerror (errno));
  if (out->pid == 0)
    {
      /* This process reports to its parent's check, not to the runner. */
      cf->report_fd = -1;
      close (fds[0]);
      if (!func (cf, data, fds[1]) && cf->broken == NULL)
        cf_fail (cf, "a child process stopped without saying why");
      if (cf->broken != NULL)
        dprintf (fds[1], "!%s\n", cf->broken->str);
      _exit (cf->broken != NULL ? 1 : 0);
    }
  close (fds[1]);
  out->fd = fds[0];
  return TRUE;
}

/* Reads what is there (waiting up to @timeout_ms for something) into @into;
 * FALSE at the end of the child's output. */
static gboolean
read_some (int fd, GString *into, int timeout_ms)
{
  struct pollfd p = { .fd = fd, .events = POLLIN };
  char buffer[4096];
  ssize_t n;

  if (poll (&p, 1, timeout_ms) <= 0)
    return TRUE;
  n = read (fd, buffer, sizeof buffer);
  if (n < 0 && errno == EINTR)
    return TRUE;
  if (n <= 0)
    return FALSE;
  g_string_append_len (into, buffer, n);
  return TRUE;
}

/* Waits for the child, with all it wrote in @out (nullable). FALSE
 * (recorded) when it failed, saying what it said. @killed: we killed it. */
static gboolean
finish (Cf *cf, Child *child, GString *out, gboolean killed, const char *what)
{
  g_autoptr (GString) text = g_string_new (out != NULL ? out->str : "");
  const char *bang;
  int status = 0;

  while (read_some (child->fd, text, -1))
    ;
  close (child->fd);
  while (waitpid (child->pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (out != NULL)
    g_string_assign (out, text->str);
  if ((bang = text->str[0] == '!' ? text->str : strstr (text->str, "\n!")) != NULL)
    {
      g_autofree char *message = g_strdup (bang + (bang[0] == '!' ? 1 : 2));
      g_strchomp (message);
      return cf_fail (cf, "%s: %s", what, message);
    }
  if (killed)
    return TRUE;
  if (WIFSIGNALED (status))
    return cf_fail (cf, "%s crashed: %s", what, g_strsignal (WTERMSIG (status)));
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return cf_fail (cf, "%s exited with status %d", what, WEXITSTATUS (status));
  return TRUE;
}

/* Inserts in a transaction of its own, as pkiman runs a command: a
 * transaction that lost a conflict is rolled back and run again with the
 * lock taken at begin. The new id, or 0 (recorded). */
static gint64
insert_retrying (Cf *cf, PkmStore *store, const char *collection, const char *name, GVariant *record)
{
  g_autoptr (GVariant) owned = g_variant_ref_sink (record);
  PkmStoreTxnFlags flags = PKM_STORE_TXN_WRITE;

  for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++)
    {
      g_autoptr (GError) error = NULL;
      PkmStoreTxn *txn = cf_begin (cf, store, flags, &error);
      gint64 id = 0;

      /* A failed insert leaves its transaction open; a failed commit has ended it. */
      if (txn != NULL && (id = cf_insert (cf, txn, collection, name, g_variant_ref (owned), &error)) == 0)
        cf_rollback (cf, txn);
      if (id > 0 && cf_commit (cf, txn, &error))
        return id;
      if (!g_error_matches (error, PKM_ERROR, PKM_ERROR_CONFLICT))
        {
          cf_fail (cf, "insert of \"%s\" failed: %s", name, error->message);
          return 0;
        }
      flags |= PKM_STORE_TXN_LOCK_NOW;
    }
  cf_fail (cf, "insert of \"%s\" lost %d conflicts in a row, each run again with LOCK_NOW", name,
           MAX_ATTEMPTS);
  return 0;
}

#define WRITES 200

typedef struct {
  int writer;
  int go[2]; /* the start pipe: both writers start when its write end closes */
} Writer;

static gboolean
write_many (Cf *cf, gpointer data, int fd)
{
  Writer *w = data;
  char byte;
  PkmStore *store;

  /* Only the parent may hold the write end, or the start never comes. */
  close (w->go[1]);
  while (read (w->go[0], &byte, 1) < 0 && errno == EINTR)
    ;
  if ((store = cf_open (cf, cf->dir, NULL)) == NULL)
    return FALSE;
  for (int i = 0; i < WRITES; i++)
    {
      g_autofree char *name = g_strdup_printf ("w%d-%03d", w->writer, i);
      if (insert_retrying (
              cf, store, "race", name,
              cf_record ("writer", g_variant_new_int32 (w->writer), "n", g_variant_new_int32 (i), NULL))
          == 0)
        return FALSE;
    }
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_check_two_writers (Cf *cf)
{
  g_autoptr (GPtrArray) rows = NULL;
  Child children[2];
  Writer writers[2];
  int go[2];
  gboolean ok = TRUE;
  PkmStore *store;
  PkmStoreTxn *txn;
  int last[2] = { -1, -1 };

  /* The store exists before either writer opens it. */
  if ((store = cf_open (cf, cf->dir, NULL)) == NULL)
    return FALSE;
  cf_close (cf, store);
  if (!g_unix_open_pipe (go, FD_CLOEXEC, NULL))
    return cf_fail (cf, "pipe: %s", g_strerror (errno));
  for (int w = 0; w < 2; w++)
    {
      writers[w] = (Writer) { .writer = w, .go = { go[0], go[1] } };
      if (!spawn (cf, write_many, &writers[w], &children[w]))
        return FALSE;
    }
  close (go[1]);
  close (go[0]);
  for (int w = 0; w < 2; w++)
    ok = finish (cf, &children[w], NULL, FALSE, w == 0 ? "writer 0" : "writer 1") && ok;
  if (!ok || (store = cf_open (cf, cf->dir, NULL)) == NULL
      || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || (rows = cf_rows (cf, txn, "race", NULL, NULL)) == NULL)
    return FALSE;
  if (!cf_rows_in_id_order (cf, rows, "query of the records two writers inserted"))
    return FALSE;
  if (rows->len != 2 * WRITES)
    return cf_fail (cf, "two writers inserted %d records each; %u are stored", WRITES, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const CfRow *row = g_ptr_array_index (rows, i);
      gint32 w = -1, n = -1;
      gint64 found;

      g_variant_lookup (row->record, "writer", "i", &w);
      g_variant_lookup (row->record, "n", "i", &n);
      if (w < 0 || w > 1 || n < 0)
        return cf_fail (cf, "record %" G_GINT64_FORMAT " of the writers is not one they wrote", row->id);
      /* Each writer's records, in id order, are in the order it inserted them. */
      if (n <= last[w])
        return cf_fail (cf, "writer %d's record %d has id %" G_GINT64_FORMAT ", below its record %d's", w, n,
                        row->id, last[w]);
      last[w] = n;
      g_autofree char *name = g_strdup_printf ("w%d-%03d", w, n);
      if ((found = cf_find (cf, txn, "race", name, NULL)) != row->id)
        return cf_fail (cf, "find (\"%s\") gives %" G_GINT64_FORMAT ", the record is %" G_GINT64_FORMAT, name,
                        found, row->id);
    }
  cf_rollback (cf, txn);
  cf_close (cf, store);
  return TRUE;
}

/* The other writer: updates the record to "B" naming the revision it read,
 * running again on a conflict as pkiman does; "done" once committed. */
static gboolean
update_as_b (Cf *cf, gpointer data, int fd)
{
  gint64 id = *(gint64 *) data;
  PkmStoreTxnFlags flags = PKM_STORE_TXN_WRITE;
  PkmStore *store = cf_open (cf, cf->dir, NULL);

  if (store == NULL)
    return FALSE;
  for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GVariant) got = NULL;
      gint64 revision = 0;
      PkmStoreTxn *txn = cf_begin (cf, store, flags, &error);

      if (txn != NULL
          && ((got = cf_get (cf, txn, "contested", id, NULL, &revision, &error)) == NULL
              || cf_update (cf, txn, "contested", id, "r", cf_record ("by", g_variant_new_string ("B"), NULL),
                            revision, &error)
                     == 0))
        cf_rollback (cf, txn);
      else if (txn != NULL && cf_commit (cf, txn, &error))
        {
          dprintf (fd, "done\n");
          cf_close (cf, store);
          return TRUE;
        }
      if (!g_error_matches (error, PKM_ERROR, PKM_ERROR_CONFLICT))
        return cf_fail (cf, "the other writer's update failed: %s", error->message);
      flags |= PKM_STORE_TXN_LOCK_NOW;
    }
  return cf_fail (cf, "the other writer lost %d conflicts in a row", MAX_ATTEMPTS);
}

/* The record is at @revision, written by @by, or the check says a write was lost. */
static gboolean
ends_at (Cf *cf, PkmStore *store, gint64 id, gint64 revision, const char *by, const char *story)
{
  g_autoptr (GVariant) got = NULL;
  const char *who = NULL;
  gint64 seen = 0;
  PkmStoreTxn *txn;

  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || (got = cf_get (cf, txn, "contested", id, NULL, &seen, NULL)) == NULL)
    return FALSE;
  cf_rollback (cf, txn);
  g_variant_lookup (got, "by", "&s", &who);
  if (seen != revision || g_strcmp0 (who, by) != 0)
    return cf_fail (cf,
                    "%s: the record is at revision %" G_GINT64_FORMAT
                    " by %s, expected revision %" G_GINT64_FORMAT " by %s (a lost update)",
                    story, seen, who != NULL ? who : "nobody", revision, by);
  return TRUE;
}

gboolean
cf_check_conflicting_update (Cf *cf)
{
  g_autoptr (GString) said = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) got = NULL;
  gint64 deadline, id, revision = 0, updated;
  gboolean b_first, a_committed = FALSE;
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  Child b;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (id = cf_insert (cf, txn, "contested", "r", cf_record ("by", g_variant_new_string ("setup"), NULL),
                          NULL))
             == 0
      || !cf_commit (cf, txn, NULL))
    return FALSE;
  /* A reads the record at revision 1, then B writes it. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (got = cf_get (cf, txn, "contested", id, NULL, &revision, NULL)) == NULL
      || !spawn (cf, update_as_b, &id, &b))
    return FALSE;
  /* B commits while A is open, or (a store serializing writers at begin)
   * waits for A to end: a few seconds tell which. */
  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (strchr (said->str, '\n') == NULL && g_get_monotonic_time () < deadline
         && read_some (b.fd, said, (int) ((deadline - g_get_monotonic_time ()) / 1000) + 1))
    ;
  if (said->len > 0 && !g_str_has_prefix (said->str, "done"))
    return finish (cf, &b, said, FALSE, "the other writer");
  b_first = g_str_has_prefix (said->str, "done");
  updated = cf_update (cf, txn, "contested", id, "r", cf_record ("by", g_variant_new_string ("A"), NULL),
                       revision, &error);
  if (b_first && updated != 0)
    return cf_fail (cf,
                    "the other handle committed revision %" G_GINT64_FORMAT
                    ", then an update naming revision %" G_GINT64_FORMAT " succeeded (a lost update)",
                    revision + 1, revision);
  /* A conflict is right when B got there first, and harmless when B only
   * now did: the end state shows which. */
  if (updated == 0)
    {
      if (!cf_expect_error (cf, &error, PKM_ERROR_CONFLICT,
                            "an update naming the revision read before another handle's commit"))
        return FALSE;
      cf_rollback (cf, txn);
    }
  else if (!(a_committed = cf_commit (cf, txn, &error))
           && !cf_expect_error (cf, &error, PKM_ERROR_CONFLICT,
                                "the commit of an update another handle raced"))
    return FALSE;
  /* B's update is last either way: on top of A's when A committed first. */
  if (!finish (cf, &b, said, FALSE, "the other writer")
      || !ends_at (cf, store, id, revision + 1 + a_committed, "B",
                   a_committed ? "the other handle waited for this one" : "the other handle won"))
    return FALSE;
  cf_close (cf, store);
  return TRUE;
}

/* Commits, in another process, changes the parent has not seen; its lines
 * name what the feed must say: "collection id change txn". */
static gboolean
change_elsewhere (Cf *cf, gpointer data, int fd)
{
  const gint64 *base = data;
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;
  gint64 p, q, z;

  if (store == NULL)
    return FALSE;
  /* 1 (commit): p, q inserted, base[0] updated. 2 (rolled back): z inserted,
   * base[1] removed. 3 (commit): q removed, p updated. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (p = cf_insert (cf, txn, "feed", "p", cf_record ("n", g_variant_new_int32 (1), NULL), NULL)) == 0
      || (q = cf_insert (cf, txn, "feed", "q", cf_record ("n", g_variant_new_int32 (1), NULL), NULL)) == 0
      || cf_update (cf, txn, "feed", base[0], NULL, cf_record ("n", g_variant_new_int32 (2), NULL), 0, NULL)
             == 0
      || !cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (z = cf_insert (cf, txn, "feed", "z", cf_record ("n", g_variant_new_int32 (2), NULL), NULL)) == 0
      || !cf_remove (cf, txn, "feed", base[1], 0, NULL))
    return FALSE;
  cf_rollback (cf, txn);
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || !cf_remove (cf, txn, "feed", q, 0, NULL)
      || cf_update (cf, txn, "feed", p, "p", cf_record ("n", g_variant_new_int32 (3), NULL), 0, NULL) == 0
      || !cf_commit (cf, txn, NULL))
    return FALSE;
  (void) z;
  dprintf (fd, "%" G_GINT64_FORMAT " %d 1\n%" G_GINT64_FORMAT " %d 3\n%" G_GINT64_FORMAT " %d 3\n", base[0],
           PKM_STORE_CHANGE_UPDATED, q, PKM_STORE_CHANGE_REMOVED, p, PKM_STORE_CHANGE_UPDATED);
  cf_close (cf, store);
  return TRUE;
}

gboolean
cf_check_changes_across_processes (Cf *cf)
{
  g_autoptr (GString) said = g_string_new (NULL);
  g_auto (GStrv) lines = NULL;
  CfExpectedChange expected[3];
  gint64 base[2], cursor;
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStore *second;
  PkmStoreTxn *txn;
  guint n = 0;
  Child child;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || (base[0] = cf_insert (cf, txn, "feed", "x1", cf_record ("n", g_variant_new_int32 (0), NULL), NULL))
             == 0
      || (base[1] = cf_insert (cf, txn, "feed", "x2", cf_record ("n", g_variant_new_int32 (0), NULL), NULL))
             == 0
      || !cf_commit (cf, txn, NULL) || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || (cursor = cf_current_cursor (cf, txn, NULL)) < 0)
    return FALSE;
  cf_rollback (cf, txn);
  /* This handle stays open while another process commits. */
  if (!spawn (cf, change_elsewhere, base, &child) || !finish (cf, &child, said, FALSE, "the other process"))
    return FALSE;
  lines = g_strsplit (said->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0' && n < G_N_ELEMENTS (expected); i++, n++)
    {
      gint64 id = 0;
      int change = 0, which = 0;

      if (sscanf (lines[i], "%" G_GINT64_FORMAT " %d %d", &id, &change, &which) != 3)
        return cf_fail (cf, "the other process said \"%s\"", lines[i]);
      expected[n] = (CfExpectedChange) { "feed", id, (PkmStoreChange) change, which };
    }
  if (n != G_N_ELEMENTS (expected))
    return cf_fail (cf, "the other process reported %u changes, not 3", n);
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || !cf_feed_is (cf, txn, cursor, expected, n, "on a handle open while another process committed"))
    return FALSE;
  cf_rollback (cf, txn);
  if ((second = cf_open (cf, cf->dir, NULL)) == NULL
      || (txn = cf_begin (cf, second, PKM_STORE_TXN_READ, NULL)) == NULL
      || !cf_feed_is (cf, txn, cursor, expected, n, "on a second handle opened after"))
    return FALSE;
  cf_rollback (cf, txn);
  cf_close (cf, second);
  cf_close (cf, store);
  return TRUE;
}

/* The record the killed writer commits as its @i-th: its content follows
 * from @i, so any damage shows. */
static GVariant *
durable_record (gint64 i)
{
  guint8 payload[512];

  for (guint k = 0; k < sizeof payload; k++)
    payload[k] = (guint8) (i * 31 + k * 7);
  return cf_record ("i", g_variant_new_int64 (i), "payload",
                    g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, payload, sizeof payload, 1), "text",
                    g_variant_new_take_string (g_strdup_printf ("record %" G_GINT64_FORMAT, i)), NULL);
}

typedef struct {
  gint64 first; /* the number of the first record this writer commits */
} Durable;

/* Commits one record per transaction for ever, saying "id i" after each
 * commit returns. */
static gboolean
write_until_killed (Cf *cf, gpointer data, int fd)
{
  Durable *d = data;
  PkmStore *store = cf_open (cf, cf->dir, NULL);

  if (store == NULL)
    return FALSE;
  for (gint64 i = d->first;; i++)
    {
      g_autofree char *name = g_strdup_printf ("r-%" G_GINT64_FORMAT, i);
      PkmStoreTxn *txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL);
      gint64 id = txn != NULL ? cf_insert (cf, txn, "durable", name, durable_record (i), NULL) : 0;

      if (id == 0 || !cf_commit (cf, txn, NULL))
        return FALSE;
      dprintf (fd, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", id, i);
    }
}

/* Every id the writer reported is there, intact, and every record is whole. */
static gboolean
survived (Cf *cf, GHashTable *reported, gint64 *highest_i)
{
  g_autoptr (GPtrArray) rows = NULL;
  GHashTableIter iter;
  gpointer key, value;
  PkmStore *store = cf_open (cf, cf->dir, NULL);
  PkmStoreTxn *txn;

  if (store == NULL || (txn = cf_begin (cf, store, PKM_STORE_TXN_READ, NULL)) == NULL
      || (rows = cf_rows (cf, txn, "durable", NULL, NULL)) == NULL)
    return FALSE;
  if (!cf_rows_in_id_order (cf, rows, "query after the kill"))
    return FALSE;
  g_hash_table_iter_init (&iter, reported);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const CfRow *row = cf_rows_find (rows, *(gint64 *) key);
      if (row == NULL)
        return cf_fail (
            cf, "record %" G_GINT64_FORMAT " was committed (commit returned) before the kill, and is gone",
            *(gint64 *) key);
    }
  for (guint r = 0; r < rows->len; r++)
    {
      const CfRow *row = g_ptr_array_index (rows, r);
      g_autoptr (GVariant) expected = NULL;
      gint64 i = -1;
      gint64 *said = g_hash_table_lookup (reported, &row->id);
      g_autofree char *name = NULL;

      g_variant_lookup (row->record, "i", "x", &i);
      expected = g_variant_ref_sink (durable_record (i));
      name = g_strdup_printf ("r-%" G_GINT64_FORMAT, i);
      if ((said != NULL && *said != i) || !cf_records_equal (expected, row->record)
          || g_strcmp0 (row->name, name) != 0)
        return cf_fail (cf, "record %" G_GINT64_FORMAT " is damaged after the kill", row->id);
      *highest_i = MAX (*highest_i, i);
    }
  cf_rollback (cf, txn);
  /* The store takes writes again. */
  if ((txn = cf_begin (cf, store, PKM_STORE_TXN_WRITE, NULL)) == NULL
      || cf_insert (cf, txn, "after-kill", NULL, cf_record ("ok", g_variant_new_boolean (TRUE), NULL), NULL)
             == 0
      || !cf_commit (cf, txn, NULL))
    return FALSE;
  cf_close (cf, store);
  return TRUE;
}

/* Reads the writer's "id i" lines in @text into @reported. */
static void
note_reported (GString *text, GHashTable *reported)
{
  g_auto (GStrv) lines = g_strsplit (text->str, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      gint64 id, n;
      if (sscanf (lines[i], "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, &id, &n) == 2)
        g_hash_table_insert (reported, g_memdup2 (&id, sizeof id), g_memdup2 (&n, sizeof n));
    }
}

gboolean
cf_check_kill_durability (Cf *cf)
{
  g_autoptr (GHashTable) reported = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  Durable d = { .first = 1 };

  /* Three kills, each at another moment, the later ones on top of the earlier. */
  for (int round = 0; round < 3; round++)
    {
      g_autoptr (GString) said = g_string_new (NULL);
      gint64 deadline, highest = 0;
      gboolean open = TRUE;
      Child child;

      if (!spawn (cf, write_until_killed, &d, &child))
        return FALSE;
      /* The moment: a random time after the first commit. */
      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while (open && strchr (said->str, '\n') == NULL && g_get_monotonic_time () < deadline)
        open = read_some (child.fd, said, 100);
      deadline = g_get_monotonic_time () + g_rand_int_range (cf->rand, 20, 400) * 1000;
      while (open && g_get_monotonic_time () < deadline)
        open = read_some (child.fd, said, 10);
      kill (child.pid, SIGKILL);
      if (!finish (cf, &child, said, TRUE, "the writer"))
        return FALSE;
      if (strchr (said->str, '\n') == NULL)
        return cf_fail (cf, "the writer committed nothing within 10 s");
      note_reported (said, reported);
      if (!survived (cf, reported, &highest))
        return FALSE;
      d.first = highest + 1;
    }
  return TRUE;
}
