/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What several test programs need alike: scratch directories removed, and
 * the messages a store logs while it waits for a lock, caught. Tests only. */

#include <glib.h>

G_BEGIN_DECLS

/* Removes @path and everything below it (a scratch directory of a test). */
void pkm_test_remove_tree (const char *path);

/* The messages (G_LOG_LEVEL_MESSAGE) of one log domain, caught from any
 * thread: how a store says it waits for another's lock. */
typedef struct {
  GMutex lock;
  GCond said;
  guint count;
  char *last;
  char *domain;
  guint handler;
} PkmTestMessages;

void pkm_test_messages_start (PkmTestMessages *messages, const char *domain);
/* Blocks until at least one message came. */
void pkm_test_messages_wait (PkmTestMessages *messages);
void pkm_test_messages_stop (PkmTestMessages *messages);

/* pkm-test-vardict.c (for programs that link libpkiman): a view of @dict
 * reads every entry as GLib does; asserts. */
void pkm_test_assert_view_reads_as_glib (GVariant *dict);

G_END_DECLS
