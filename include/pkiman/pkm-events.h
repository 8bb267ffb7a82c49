/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>
#include <pkiman/pkm-menu.h>

PKM_BEGIN_DECLS

/* Events: what the core tells plugins about changes, after the fact. A
 * handler queues an event while its command runs; the core delivers it once
 * the command's transaction has committed (never for a command that failed
 * or was rolled back), outside any transaction, so a handler may run
 * commands of its own (the CRL plugin reissues its CRL on
 * certificate-revoked). Since: 1 */

/* The core's events; @item_id is the certificate's .id. */
#define PKM_EVENT_CERTIFICATE_ADDED "certificate-added"     /* a template added, or a certificate imported */
#define PKM_EVENT_CERTIFICATE_SIGNED "certificate-signed"   /* issued here: sign, sign-certificate-request */
#define PKM_EVENT_CERTIFICATE_REVOKED "certificate-revoked" /* issued-revoke */
#define PKM_EVENT_CERTIFICATE_REMOVED "certificate-removed" /* once per certificate removed, a CA's cascade included */
/* Once per committed write command, whatever it changed; @item_id is 0. */
#define PKM_EVENT_STORE_CHANGED "store-changed"

typedef void (*PkmEventFunc) (PkmContext *ctx, const char *event, gint64 item_id, gpointer user_data);

/* Calls @func for every later @event; returns a handler id (> 0) for
 * pkm_context_disconnect. @destroy (nullable) frees @user_data when the
 * handler is disconnected or the context is freed. Since: 1 */
guint pkm_context_connect (PkmContext *ctx, const char *event, PkmEventFunc func, gpointer user_data,
                           GDestroyNotify destroy);
void pkm_context_disconnect (PkmContext *ctx, guint handler_id);
/* For command handlers (a plugin's own events too): queues @event for
 * delivery after the running command commits. Outside a transaction it is
 * delivered at once. Since: 1 */
void pkm_context_emit (PkmContext *ctx, const char *event, gint64 item_id);

PKM_END_DECLS
