/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <pkiman/pkiman.h>
#include "crl-list.h"

#define CRL_PLUGIN_NAME "crl"
/* The menu's entries: CRLs downloaded from a URL (added, or dynamic from a
 * trusted CA's CRL distribution point). Named by URL. */
#define CRL_COLLECTION "crl"
/* The local CAs' own CRLs, named by the CA's fingerprint. */
#define CRL_ISSUED_COLLECTION "crl-issued"
/* The DER of a CRL of either, "<collection>/<id>" (crl-blob.c). */
#define CRL_BLOB_COLLECTION "crl-der"
/* /certificate settings: one record, "settings". */
#define CRL_SETTINGS_COLLECTION "crl-settings"

/* 16 MiB, as a plain number: the settings table also writes it as text (G_STRINGIFY). */
#define CRL_DEFAULT_MAX_SIZE 16777216
#define CRL_LIFETIME (24 * 3600)     /* a local CA's CRL: nextUpdate, and reissue, every 24 h (RouterOS) */
#define CRL_DOWNLOAD_INTERVAL 3600   /* each CRL of the menu: every hour ([crl] download-interval), and at its nextUpdate */

/* An item's string ("" when it has none) and boolean (FALSE). */
static inline const char *
crl_item_string (GVariant *item, const char *key)
{
  const char *value = "";

  g_variant_lookup (item, key, "&s", &value);
  return value;
}

static inline gboolean
crl_item_bool (GVariant *item, const char *key)
{
  gboolean value = FALSE;

  g_variant_lookup (item, key, "b", &value);
  return value;
}

/* -- crl-settings.c: /certificate settings -- */
typedef struct {
  gboolean download;  /* crl-download */
  gboolean use;       /* crl-use */
  gboolean store_ram; /* crl-store=ram: forgotten when pkimand starts */
  guint64 max_size;   /* crl-max-size */
} CrlSettings;
gboolean crl_settings_read (PkmContext *ctx, CrlSettings *out, GError **error);
extern const PkmMenu crl_settings_menu;

/* -- crl-blob.c: a CRL's DER, in a record of its own -- */
/* (transfer full): the record for @der (transfer full), serialized. */
GVariant *crl_blob_record (GBytes *der);
/* (transfer full) (nullable): the DER in @record, without a copy. */
GBytes *crl_blob_record_der (GVariant *record);
/* Stores @record (from crl_blob_record) as the DER of record @id of @collection. */
gboolean crl_blob_put (PkmContext *ctx, const char *collection, gint64 id, GVariant *record, GError **error);
/* (transfer full) (nullable): NULL with no error when there is none. */
GBytes *crl_blob_get (PkmContext *ctx, const char *collection, gint64 id, GError **error);
gboolean crl_blob_remove (PkmContext *ctx, const char *collection, gint64 id, GError **error);

/* -- crl-issue.c: a local CA's CRL -- */
/* Issues the CRL of the local CA @ca_id now and stores it; in a write transaction. */
gboolean crl_issue (PkmCall *call, gint64 ca_id, GError **error);
/* (transfer full) (nullable): the stored CRL of the CA with @fingerprint, and its next-update. */
GBytes *crl_issued_get (PkmContext *ctx, const char *fingerprint, gint64 *out_next_update, GError **error);
/* Issues the CRL of every local CA whose CRL is missing or older than @max_age. */
gboolean crl_issue_due (PkmCall *call, gint64 max_age, GError **error);

/* -- crl-publish.c: GET /crl/<CA serial>.crl on www -- */
void crl_publish_handle (PkmContext *ctx, const PkmHttpRequest *request, PkmHttpResponse *response,
                         gpointer user_data);

/* -- crl-menu.c: /certificate crl -- */
extern const PkmMenu crl_menu;
/* Adds an entry for every trusted CA certificate's http CRL distribution
 * point that has none, and drops dynamic entries whose certificate is gone. */
gboolean crl_sync_dynamic (PkmCall *call, GError **error);

/* -- crl-download.c -- */
typedef struct {
  guint timeout;       /* seconds, [crl] fetch-timeout */
  guint interval;      /* seconds, [crl] download-interval */
  PkmTimer download_timer; /* checks for what is due, at most every minute */
  gboolean running;    /* a timer's download is under way */
  gboolean started;    /* the timer ran once in this process */
  GHashTable *parsed;  /* "collection/id" -> CrlHeld: CRLs parsed, kept while their revision is */
} CrlPlugin;
/* Downloads the entries @ids (all when NULL) now, each verified and kept
 * or its error kept; a summary per entry through @call's messages. */
gboolean crl_download (PkmCall *call, GArray *ids, GError **error);
/* pkimand's timer: the entries due, on a worker thread. */
gboolean crl_download_timer (PkmContext *ctx, gpointer user_data, GError **error);

/* -- crl-check.c: the revocation checker -- */
extern const PkmRevocationChecker crl_checker;
GHashTable *crl_parsed_cache_new (void);
