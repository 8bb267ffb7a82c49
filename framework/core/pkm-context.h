/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The core's transactions, for the core alone: front ends use pkm_invoke. Not installed. */

#include <pkiman/pkiman.h>

G_BEGIN_DECLS

/* One transaction at a time per context. */
gboolean pkm_context_begin (PkmContext *ctx, gboolean write, GError **error);
gboolean pkm_context_commit (PkmContext *ctx, GError **error);
void pkm_context_rollback (PkmContext *ctx);
gboolean pkm_context_in_transaction (PkmContext *ctx);
void pkm_context_note_conflict (PkmContext *ctx);

G_END_DECLS
