/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>

PKM_BEGIN_DECLS

/* HTTP GET as a client, for plugins that download (CRLs, SCEP and ACME
 * clients): plugins never touch the HTTP library, and every download is
 * bounded in size, time and redirects, because what answers is hostile.
 * Blocking and thread-safe: it needs no context, so a plugin runs it on a
 * worker thread (g_task_run_in_thread) and keeps its main loop free.
 * Since: 6 */

/* Members are appended only: set @struct_size (PKM_FETCH_OPTIONS_INIT). */
typedef struct {
  guint32 struct_size;       /* sizeof (PkmFetchOptions) of the caller */
  guint64 max_size;          /* a longer body is refused; 0: 16 MiB */
  guint timeout;             /* seconds for the whole download; 0: 30 */
  guint max_redirects;       /* 0: 5; a longer chain (a loop) is refused */
  const char *if_none_match; /* (nullable) an ETag from before: 304 leaves the body NULL */
  const char *accept;        /* (nullable) the Accept header */
} PkmFetchOptions;
#define PKM_FETCH_OPTIONS_INIT { .struct_size = sizeof (PkmFetchOptions) }

typedef struct {
  guint status;    /* 200 (or another 2xx) or 304 */
  GBytes *body;    /* (nullable): NULL for 304 */
  char *etag;      /* (nullable) the answer's ETag */
  char *final_url; /* where the body came from, after redirects */
} PkmFetchResult;

/* Downloads @url (http:// or https://; any other scheme is
 * PKM_ERROR_NOT_SUPPORTED "unsupported scheme"). An answer that is not 2xx
 * or 304, a body past max_size, one cut short, no answer within the
 * timeout and too many redirects are each PKM_ERROR_UNREACHABLE (or
 * PKM_ERROR_REJECTED for the size) with a one-line message naming @url.
 * On success @out is filled; free it with pkm_fetch_result_clear. */
gboolean pkm_fetch (const char *url, const PkmFetchOptions *options, PkmFetchResult *out, GError **error);
void pkm_fetch_result_clear (PkmFetchResult *result);

PKM_END_DECLS
