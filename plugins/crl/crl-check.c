/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "crl-private.h"

/* The revocation checker: for each certificate print lists, what its
 * issuer's CRL says. begin reads which CRLs there are (no DER); a CRL is
 * read and indexed the first time a certificate of its issuer is checked,
 * and kept parsed in the process while its record's revision stays (a
 * pkimand parses a CRL once per download, not once per request). */

typedef struct {
  char *collection;
  gint64 id;
  gint64 revision;
  gint64 this_update, next_update;
  gboolean loaded; /* tried: list is valid when parsed */
  gboolean parsed;
  CrlList list;
  gboolean seen;   /* by the latest begin */
} CrlHeld;

static void
held_free (gpointer data)
{
  CrlHeld *held = data;

  crl_list_clear (&held->list);
  g_free (held->collection);
  g_free (held);
}

typedef struct {
  PkmContext *ctx;
  CrlPlugin *plugin;
  GHashTable *by_issuer; /* issuer fingerprint (owned) -> CrlHeld (borrowed from plugin->parsed) */
  gint64 now;
  const char *collection; /* while reading */
  /* The issuer asked for last, and its CRL: a listing asks for the same
   * issuer row after row, and hashing a fingerprint costs more than the
   * check itself. */
  char *last_issuer;
  CrlHeld *last_held;
} CrlCheckState;

static gboolean
note_crl (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  CrlCheckState *state = user_data;
  g_autofree char *key = g_strdup_printf ("%s/%" G_GINT64_FORMAT, state->collection, id);
  const char *issuer = NULL;
  CrlHeld *held, *other;

  if (strcmp (state->collection, CRL_ISSUED_COLLECTION) == 0)
    issuer = name;
  else if (!g_variant_lookup (record, "issuer-fingerprint", "&s", &issuer))
    return TRUE; /* never downloaded */
  held = g_hash_table_lookup (state->plugin->parsed, key);
  if (held != NULL && held->revision != revision)
    {
      g_hash_table_remove (state->plugin->parsed, key);
      held = NULL;
    }
  if (held == NULL)
    {
      held = g_new0 (CrlHeld, 1);
      held->collection = g_strdup (state->collection);
      held->id = id;
      held->revision = revision;
      g_variant_lookup (record, "this-update", "x", &held->this_update);
      g_variant_lookup (record, "next-update", "x", &held->next_update);
      g_hash_table_insert (state->plugin->parsed, g_steal_pointer (&key), held);
    }
  held->seen = TRUE;
  /* Two CRLs of one issuer (issued here and downloaded): the newer speaks. */
  other = g_hash_table_lookup (state->by_issuer, issuer);
  if (other == NULL || other->this_update < held->this_update)
    g_hash_table_insert (state->by_issuer, g_strdup (issuer), held);
  return TRUE;
}

static gboolean
unseen (gpointer key, gpointer value, gpointer user_data)
{
  CrlHeld *held = value;

  if (!held->seen)
    return TRUE;
  held->seen = FALSE;
  return FALSE;
}

static gpointer
check_begin (PkmCall *call, gpointer user_data, gboolean *out_enforce, GError **error)
{
  static const char *const issued_fields[] = { "this-update", "next-update", NULL };
  static const char *const downloaded_fields[] = { "issuer-fingerprint", "this-update", "next-update", NULL };
  PkmContext *ctx = pkm_call_get_context (call);
  CrlPlugin *plugin = user_data;
  CrlSettings settings;
  PkmStoreQuery issued = { .struct_size = sizeof issued, .projection = issued_fields };
  PkmStoreQuery downloaded = { .struct_size = sizeof downloaded, .projection = downloaded_fields };
  CrlCheckState *state;

  if (!crl_settings_read (ctx, &settings, error))
    return NULL;
  state = g_new0 (CrlCheckState, 1);
  state->ctx = ctx;
  state->plugin = plugin;
  state->by_issuer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  state->now = g_get_real_time () / G_USEC_PER_SEC;
  state->collection = CRL_ISSUED_COLLECTION;
  if (pkm_store_query (ctx, CRL_ISSUED_COLLECTION, &issued, note_crl, state, error))
    {
      state->collection = CRL_COLLECTION;
      if (pkm_store_query (ctx, CRL_COLLECTION, &downloaded, note_crl, state, error))
        {
          /* What is gone from the store goes from memory. */
          g_hash_table_foreach_remove (plugin->parsed, unseen, NULL);
          *out_enforce = settings.use;
          if (settings.use || g_hash_table_size (state->by_issuer) > 0)
            return state;
        }
    }
  g_hash_table_unref (state->by_issuer);
  g_free (state);
  return NULL;
}

static void
load (CrlCheckState *state, CrlHeld *held)
{
  g_autoptr (GBytes) bytes = crl_blob_get (state->ctx, held->collection, held->id, NULL);

  held->loaded = TRUE;
  /* Checked when it was kept: a CRL that no longer parses counts as none. */
  if (bytes != NULL && crl_list_parse (bytes, &held->list, NULL))
    {
      crl_list_index (&held->list);
      held->parsed = TRUE;
    }
}

/* A serial's magnitude from print's hex into @out (room for 32 bytes:
 * RFC 5280 allows 20); 0 for what is not hex or too long. */
static gsize
serial_bytes (const char *hex, guint8 out[32])
{
  gsize n = strlen (hex), len = (n + 1) / 2;

  if (n == 0 || len > 32)
    return 0;
  for (gsize i = 0; i < n; i++)
    {
      int v = g_ascii_xdigit_value (hex[n - 1 - i]);

      if (v < 0)
        return 0;
      if (i % 2 == 0)
        out[len - 1 - i / 2] = (guint8) v;
      else
        out[len - 1 - i / 2] |= (guint8) (v << 4);
    }
  return len;
}

static PkmCrlStatus
check (gpointer data, const char *issuer_fingerprint, const char *serial, gint64 *out_revoked)
{
  CrlCheckState *state = data;
  CrlHeld *held;
  guint8 magnitude[32];
  guint reason;
  gsize len;

  if (state->last_issuer != NULL && strcmp (state->last_issuer, issuer_fingerprint) == 0)
    held = state->last_held;
  else
    {
      held = g_hash_table_lookup (state->by_issuer, issuer_fingerprint);
      g_free (state->last_issuer);
      state->last_issuer = g_strdup (issuer_fingerprint);
      state->last_held = held;
    }
  if (held == NULL)
    return PKM_CRL_STATUS_NONE;
  if (!held->loaded)
    load (state, held);
  if (!held->parsed || (len = serial_bytes (serial, magnitude)) == 0)
    return PKM_CRL_STATUS_NONE;
  if (crl_list_find (&held->list, magnitude, len, out_revoked, &reason))
    return PKM_CRL_STATUS_REVOKED;
  if (held->next_update != 0 && held->next_update < state->now)
    return PKM_CRL_STATUS_STALE;
  return PKM_CRL_STATUS_GOOD;
}

static void
check_end (gpointer data)
{
  CrlCheckState *state = data;

  g_hash_table_unref (state->by_issuer);
  g_free (state->last_issuer);
  g_free (state);
}

const PkmRevocationChecker crl_checker = {
  .struct_size = sizeof (PkmRevocationChecker),
  .begin = check_begin,
  .check = check,
  .end = check_end,
};

GHashTable *
crl_parsed_cache_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, held_free);
}
