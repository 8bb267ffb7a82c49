/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The store's change feed, followed: a short read transaction every
 * interval asks what changed since the last cursor, so that what the CLI
 * (or another pkimand on a shared store) did is seen within the interval.
 * The store says what changed; this only asks often. */
#include "pkm-daemon.h"

struct _PkmFeed {
  PkmContext *ctx;
  gint64 cursor;
  GSource *source;
  PkmFeedFunc changed;
  gpointer user_data;
  GHashTable *seen; /* collections changed in this look */
};

static gboolean
note_change (gint64 cursor, const char *collection, gint64 id, PkmStoreChange change, gpointer user_data)
{
  PkmFeed *feed = user_data;

  g_hash_table_add (feed->seen, g_strdup (collection));
  feed->cursor = MAX (feed->cursor, cursor);
  return TRUE;
}

static gboolean
read_changes (PkmCall *call, gpointer user_data, GError **error)
{
  PkmFeed *feed = user_data;

  g_hash_table_remove_all (feed->seen);
  return pkm_store_changes_since (pkm_call_get_context (call), feed->cursor, note_change, feed, error);
}

static gboolean
read_cursor (PkmCall *call, gpointer user_data, GError **error)
{
  PkmFeed *feed = user_data;

  feed->cursor = pkm_store_current_cursor (pkm_call_get_context (call), error);
  return feed->cursor >= 0;
}

static gboolean
look (gpointer user_data)
{
  PkmFeed *feed = user_data;
  g_autoptr (GError) error = NULL;
  GHashTableIter iter;
  gpointer collection;

  if (!pkm_context_transact (feed->ctx, FALSE, "pkimand", read_changes, feed, &error))
    {
      g_warning ("change feed: %s", error->message);
      return G_SOURCE_CONTINUE;
    }
  g_hash_table_iter_init (&iter, feed->seen);
  while (g_hash_table_iter_next (&iter, &collection, NULL))
    feed->changed (collection, feed->user_data);
  return G_SOURCE_CONTINUE;
}

PkmFeed *
pkm_feed_new (PkmContext *ctx, guint interval_ms, PkmFeedFunc changed, gpointer user_data, GError **error)
{
  PkmFeed *feed = g_new0 (PkmFeed, 1);

  feed->ctx = ctx;
  feed->changed = changed;
  feed->user_data = user_data;
  feed->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!pkm_context_transact (ctx, FALSE, "pkimand", read_cursor, feed, error))
    {
      pkm_feed_free (feed);
      return NULL;
    }
  feed->source = g_timeout_source_new (interval_ms);
  g_source_set_callback (feed->source, look, feed, NULL);
  g_source_attach (feed->source, g_main_context_get_thread_default ());
  return feed;
}

void
pkm_feed_free (PkmFeed *feed)
{
  if (feed == NULL)
    return;
  if (feed->source != NULL)
    {
      g_source_destroy (feed->source);
      g_source_unref (feed->source);
    }
  g_hash_table_unref (feed->seen);
  g_free (feed);
}
