/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <glib/gstdio.h>
#include "pkm-test-support.h"

/* Scratch trees are a few levels deep; the bound keeps a loop of links out. */
#define MAX_DEPTH 32

static void
remove_below (const char *path, guint depth)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (depth < MAX_DEPTH && g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_below (child, depth + 1);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
pkm_test_remove_tree (const char *path)
{
  if (path != NULL)
    remove_below (path, 0);
}

static void
catch_message (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
  PkmTestMessages *m = user_data;

  g_mutex_lock (&m->lock);
  m->count++;
  g_free (m->last);
  m->last = g_strdup (message);
  g_cond_signal (&m->said);
  g_mutex_unlock (&m->lock);
}

void
pkm_test_messages_start (PkmTestMessages *m, const char *domain)
{
  *m = (PkmTestMessages) { 0 };
  g_mutex_init (&m->lock);
  g_cond_init (&m->said);
  m->domain = g_strdup (domain);
  m->handler = g_log_set_handler (domain, G_LOG_LEVEL_MESSAGE, catch_message, m);
}

void
pkm_test_messages_wait (PkmTestMessages *m)
{
  g_mutex_lock (&m->lock);
  while (m->count == 0)
    g_cond_wait (&m->said, &m->lock);
  g_mutex_unlock (&m->lock);
}

void
pkm_test_messages_stop (PkmTestMessages *m)
{
  g_log_remove_handler (m->domain, m->handler);
  g_free (m->last);
  g_free (m->domain);
  g_mutex_clear (&m->lock);
  g_cond_clear (&m->said);
}
