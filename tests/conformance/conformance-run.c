/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs each check in a child process of its own, in a fresh directory, and
 * prints TAP. A check that crashes, aborts or hangs is a not ok naming it,
 * and the checks after it still run. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include "conformance.h"
#include "pkm-test-support.h"

/* Far more than any check takes on store-sqlite (the slowest, a few
 * seconds): a store that hangs is reported, not waited for. */
#define CHECK_TIMEOUT_S 60

/* In the child: runs the check; what broke (nothing when it passed) goes to
 * @fd. */
static G_GNUC_NORETURN void
child_run (const CfCheck *check, const PkmStoreVTable *vt, const char *dir, guint32 seed, int fd)
{
  Cf cf = { .vt = vt, .dir = dir, .rule = check->rule, .rand = g_rand_new_with_seed (seed), .report_fd = fd };
  gboolean ok;

  /* Its own process group: whatever it forks is ended with it. */
  setpgid (0, 0);
  alarm (CHECK_TIMEOUT_S);
  ok = check->func (&cf);
  if (!ok && cf.broken == NULL)
    cf_fail (&cf, "the check stopped without saying why");
  /* What broke has gone to @fd already (cf_broken). */
  _exit (cf.broken != NULL ? 1 : 0);
}

static char *
read_message (int fd)
{
  char buffer[CF_MESSAGE_MAX];
  gsize len = 0;
  ssize_t n;

  while (len < sizeof buffer - 1
         && ((n = read (fd, buffer + len, sizeof buffer - 1 - len)) > 0 || (n < 0 && errno == EINTR)))
    if (n > 0)
      len += (gsize) n;
  buffer[len] = '\0';
  /* One TAP line: a store's message with a newline in it stays on it, and
   * a '#' in it would start a TAP directive. */
  for (char *p = buffer; *p != '\0'; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
    else if (*p == '#')
      *p = '^';
  return g_strdup (buffer);
}

/* Why the child ended the way it did, when it did not pass; NULL when it did. */
static char *
outcome (int status, const char *message)
{
  if (WIFSIGNALED (status) && WTERMSIG (status) == SIGALRM)
    return g_strdup_printf ("the check gave no answer within %d s (a store call hangs)", CHECK_TIMEOUT_S);
  if (WIFSIGNALED (status))
    return g_strdup_printf ("the check crashed: %s%s%s", g_strsignal (WTERMSIG (status)),
                            *message != '\0' ? "; before it: " : "", message);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return g_strdup (*message != '\0' ? message : "the check exited with an error and no message");
  return NULL;
}

/* The result of one check: NULL when it passed, else what broke. */
static char *
run_one (const CfCheck *check, const PkmStoreVTable *vt, const char *dir, guint32 seed)
{
  g_autofree char *message = NULL;
  siginfo_t info;
  int fds[2];
  int status = 0;
  pid_t pid;

  /* Empty at the start, even in a --scratch directory of an earlier run. */
  pkm_test_remove_tree (dir);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return g_strdup_printf ("%s: %s", dir, g_strerror (errno));
  if (!g_unix_open_pipe (fds, FD_CLOEXEC, NULL))
    return g_strdup_printf ("pipe: %s", g_strerror (errno));
  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  if (pid < 0)
    return g_strdup_printf ("fork: %s", g_strerror (errno));
  if (pid == 0)
    {
      close (fds[0]);
      child_run (check, vt, dir, seed, fds[1]);
    }
  close (fds[1]);
  /* Children of the check that outlived it (a writer it forked) are ended
   * while the check, not yet reaped, still holds its group's id. */
  while (waitid (P_PID, pid, &info, WEXITED | WNOWAIT) < 0 && errno == EINTR)
    ;
  kill (-pid, SIGKILL);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  message = read_message (fds[0]);
  close (fds[0]);
  return outcome (status, message);
}

static gboolean
expected_to_fail (const char *const *expect_fail, const char *name)
{
  return expect_fail != NULL && g_strv_contains (expect_fail, name);
}

guint
cf_run (const PkmStoreVTable *vt, const char *scratch, const CfCheck *const *selected, guint n_selected,
        guint32 seed, const char *const *expect_fail)
{
  guint failed = 0;
  gboolean kept = FALSE;

  printf ("1..%u\n", n_selected);
  printf ("# seed %u (--seed %u runs the same values again)\n", seed, seed);
  for (guint i = 0; i < n_selected; i++)
    {
      const CfCheck *check = selected[i];
      g_autofree char *base = g_strdup_printf ("%02u-%s", i + 1, check->name);
      g_autofree char *dir = g_build_filename (scratch, base, NULL);
      /* Each check draws its own numbers: --only reproduces one check alone. */
      gint64 started = g_get_monotonic_time ();
      g_autofree char *why = run_one (check, vt, dir, seed ^ g_str_hash (check->name));
      double seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
      gboolean todo = expected_to_fail (expect_fail, check->name);

      if (why == NULL)
        {
          printf ("ok %u - %s%s\n", i + 1, check->name,
                  todo ? " # TODO passes although expected to fail" : "");
          pkm_test_remove_tree (dir);
          failed += todo;
        }
      else
        {
          printf ("not ok %u - %s: %s%s\n", i + 1, check->name, why, todo ? " # TODO a known breakage" : "");
          failed += !todo;
          kept = TRUE;
        }
      printf ("# %s: %.2f s\n", check->name, seconds);
      fflush (stdout);
    }
  if (kept)
    printf ("# the state directories of the checks that failed are kept under %s\n", scratch);
  return failed;
}
