/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "menus/pkm-cert-private.h"

/* print builds its items from the stored summaries; nothing is parsed here.
 * The store returns only the fields the wanted properties read (a table of
 * 10,000 reads a dozen small fields of each record, never the DER), and a
 * derived property nobody reads is never derived. */

/* The derived properties, in the order items carry them, and what each
 * reads of the record. */
enum {
  D_INVALID_BEFORE,
  D_INVALID_AFTER,
  D_REVOKED,
  D_EXPIRES_AFTER,
  D_CA,
  D_PRIVATE_KEY,
  D_ISSUED,
  D_CRL,
  D_SMART_CARD_KEY,
  D_EXPIRED,
  D_CHAIN_STATUS,
  N_DERIVED
};

static const struct {
  const char *property;
  const char *fields[9]; /* NULL-terminated: chain-status's are a projection too */
} derived[N_DERIVED] = {
  [D_INVALID_BEFORE] = { "invalid-before", { "invalid-before" } },
  [D_INVALID_AFTER] = { "invalid-after", { "invalid-after" } },
  [D_REVOKED] = { "revoked", { "revoked", "serial-number", "issuer-fingerprint", "fingerprint" } },
  [D_EXPIRES_AFTER] = { "expires-after", { "invalid-after" } },
  [D_CA] = { "ca", { "ca-id" } },
  [D_PRIVATE_KEY] = { "private-key", { "key-id", "key-uri" } },
  [D_ISSUED] = { "issued", { "ca-id", "authority" } },
  [D_CRL] = { "crl", { "serial-number", "issuer-fingerprint", "fingerprint" } },
  [D_SMART_CARD_KEY] = { "smart-card-key", { "key-uri" } },
  [D_EXPIRED] = { "expired", { "invalid-after" } },
  [D_CHAIN_STATUS] = { "chain-status",
                       { "fingerprint", "issuer-fingerprint", "invalid-before", "invalid-after", "trusted", "signature",
                         "revoked", "serial-number" } },
};

typedef struct {
  gint64 id;
  char *name;
  PkmVardictView *values; /* the record, as the store returned it */
} PkmRow;

static void
row_free (gpointer data)
{
  PkmRow *row = data;

  g_free (row->name);
  pkm_vardict_view_free (row->values);
  g_free (row);
}

static gboolean
collect_row (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  PkmRow *row = g_new0 (PkmRow, 1);

  row->id = id;
  row->name = g_strdup (name);
  row->values = pkm_vardict_view_new (record);
  g_ptr_array_add (user_data, row);
  return TRUE;
}

/* (transfer container) (nullable): the record fields the wanted properties
 * read, NULL-terminated; NULL when every property is wanted (whole records). */
static GPtrArray *
wanted_fields (PkmCall *call)
{
  g_autoptr (GPtrArray) fields = g_ptr_array_new ();
  gboolean every = TRUE;

  g_ptr_array_add (fields, (gpointer) "template");
  for (const PkmCertProperty *p = pkm_cert_properties; p->name != NULL; p++)
    {
      if (!pkm_call_wants_property (call, p->name))
        {
          every = FALSE;
          continue;
        }
      if (p->flags & PROP_STORED)
        g_ptr_array_add (fields, (gpointer) p->name);
      for (guint i = 0; i < N_DERIVED; i++)
        if (g_str_equal (derived[i].property, p->name))
          for (guint j = 0; j < G_N_ELEMENTS (derived[i].fields) && derived[i].fields[j] != NULL; j++)
            g_ptr_array_add (fields, (gpointer) derived[i].fields[j]);
    }
  if (every)
    return NULL;
  g_ptr_array_add (fields, NULL);
  return g_steal_pointer (&fields);
}

/* What is the same for every row, worked out once: which properties are
 * wanted, the CA names, the key ids, the chains, the time. */
typedef struct {
  PkmVardictLayout *layout; /* a record's entries of the wanted stored properties, in table order */
  gboolean wants[N_DERIVED];
  GHashTable *names_by_id; /* (nullable) for "ca" */
  GHashTable *key_ids;     /* (nullable) for "private-key" */
  PkmChainIndex *chains;   /* (nullable) for "chain-status" */
  PkmRevocationScope revocation; /* what the CRLs say: "revoked", "crl", "chain-status" */
  PkmVardictBuilder *item;
  GPtrArray *items; /* what is built */
  gint64 now;
} PkmListContext;

static gboolean
list_context_init (PkmListContext *lc, PkmCall *call, gint64 now, GError **error)
{
  g_autoptr (GPtrArray) stored = g_ptr_array_new ();

  for (const PkmCertProperty *p = pkm_cert_properties; p->name != NULL; p++)
    if ((p->flags & PROP_STORED) && pkm_call_wants_property (call, p->name))
      g_ptr_array_add (stored, (gpointer) p->name);
  g_ptr_array_add (stored, NULL);
  lc->layout = pkm_vardict_layout_new ((const char *const *) stored->pdata);
  for (guint i = 0; i < N_DERIVED; i++)
    lc->wants[i] = pkm_call_wants_property (call, derived[i].property);
  lc->item = pkm_vardict_builder_new ();
  lc->items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  lc->now = now;
  if ((lc->wants[D_REVOKED] || lc->wants[D_CRL] || lc->wants[D_CHAIN_STATUS])
      && !pkm_revocation_begin (call, &lc->revocation, error))
    return FALSE;
  lc->chains = lc->wants[D_CHAIN_STATUS] ? pkm_chain_index_new (now, &lc->revocation) : NULL;
  return TRUE;
}

/* (transfer full) (nullable): the items built, when @ok. */
static GPtrArray *
list_context_clear (PkmListContext *lc, gboolean ok)
{
  pkm_vardict_layout_free (lc->layout);
  pkm_revocation_end (&lc->revocation);
  if (lc->chains != NULL)
    pkm_chain_index_free (lc->chains);
  pkm_vardict_builder_free (lc->item);
  if (ok)
    return lc->items;
  g_ptr_array_unref (lc->items);
  return NULL;
}

static void
add_time (PkmListContext *lc, guint which, const PkmVardictView *values)
{
  gint64 when = pkm_vardict_view_get_int64 (values, derived[which].property);

  if (when != 0 && lc->wants[which])
    {
      g_autofree char *text = pkm_format_time (when);
      pkm_vardict_builder_add_string (lc->item, derived[which].property, text);
    }
}

static void
add_flag (PkmListContext *lc, guint which, gboolean value)
{
  if (lc->wants[which])
    pkm_vardict_builder_add_boolean (lc->item, derived[which].property, value);
}

static void
add_derived (PkmListContext *lc, PkmRow *row)
{
  const PkmVardictView *values = row->values;
  const char *key_id = pkm_vardict_view_get_string (values, "key-id");
  gboolean on_token = pkm_vardict_view_get_string (values, "key-uri") != NULL;
  gint64 ca_id = pkm_vardict_view_get_int64 (values, "ca-id");
  gint64 not_after = pkm_vardict_view_get_int64 (values, "invalid-after");
  const char *issuer = pkm_vardict_view_get_string (values, "issuer-fingerprint");
  gint64 listed = 0;
  /* A self-signed certificate has no issuer's CRL to be on (RouterOS shows
   * its local CA without L). */
  PkmCrlStatus crl = g_strcmp0 (issuer, pkm_vardict_view_get_string (values, "fingerprint")) == 0
                         ? PKM_CRL_STATUS_NONE
                         : pkm_revocation_check (&lc->revocation, issuer,
                                                 pkm_vardict_view_get_string (values, "serial-number"), &listed);
  const char *ca_name;

  add_time (lc, D_INVALID_BEFORE, values);
  add_time (lc, D_INVALID_AFTER, values);
  if (pkm_vardict_view_get_int64 (values, "revoked") != 0)
    add_time (lc, D_REVOKED, values);
  else if (crl == PKM_CRL_STATUS_REVOKED && lc->wants[D_REVOKED])
    {
      /* Revoked elsewhere: its issuer's CRL lists it (an imported certificate). */
      g_autofree char *text = pkm_format_time (listed);
      pkm_vardict_builder_add_string (lc->item, "revoked", text);
    }
  if (not_after > lc->now && lc->wants[D_EXPIRES_AFTER])
    {
      g_autofree char *left = pkm_format_duration (not_after - lc->now);
      pkm_vardict_builder_add_string (lc->item, "expires-after", left);
    }
  if (ca_id != 0 && lc->names_by_id != NULL && (ca_name = g_hash_table_lookup (lc->names_by_id, &ca_id)) != NULL
      && lc->wants[D_CA])
    pkm_vardict_builder_add_string (lc->item, "ca", ca_name);
  add_flag (lc, D_PRIVATE_KEY,
            on_token || (key_id != NULL && lc->key_ids != NULL && g_hash_table_contains (lc->key_ids, key_id)));
  add_flag (lc, D_ISSUED, ca_id != 0 && !pkm_vardict_view_get_boolean (values, "authority"));
  /* Its issuer's CRL is here (the CRL plugin says so). */
  add_flag (lc, D_CRL, crl != PKM_CRL_STATUS_NONE);
  add_flag (lc, D_SMART_CARD_KEY, on_token);
  add_flag (lc, D_EXPIRED, not_after != 0 && not_after < lc->now);
  if (lc->chains != NULL)
    pkm_vardict_builder_add_string (lc->item, "chain-status", pkm_chain_status (lc->chains, values));
}

/* One item, straight into one buffer: the stored properties are the
 * record's own entries, copied as they are, in the table's order (one pass
 * over the record puts each in its slot). */
static GVariant *
build_item (PkmListContext *lc, PkmRow *row)
{
  const PkmVardictEntry *const *slots = pkm_vardict_layout_read (lc->layout, row->values);

  pkm_vardict_builder_add_int64 (lc->item, ".id", row->id);
  pkm_vardict_builder_add_string (lc->item, "name", row->name);
  for (guint i = 0; i < pkm_vardict_layout_size (lc->layout); i++)
    if (slots[i] != NULL)
      pkm_vardict_builder_add_entry (lc->item, row->values, slots[i]);
  if (!pkm_vardict_view_get_boolean (row->values, "template"))
    add_derived (lc, row);
  return pkm_vardict_builder_end (lc->item);
}

/* @rows (PkmRow) as the issuers a chain status walks, when one is wanted. */
static void
index_chains (PkmListContext *lc, GPtrArray *rows)
{
  for (guint i = 0; lc->chains != NULL && i < rows->len; i++)
    pkm_chain_index_add (lc->chains, ((PkmRow *) g_ptr_array_index (rows, i))->values);
}

static gboolean
collect_name (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  g_hash_table_insert (user_data, g_memdup2 (&id, sizeof id), g_strdup (name));
  return TRUE;
}

/* Each row becomes its item as it arrives: the records are never all held. */
static gboolean
stream_row (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  PkmListContext *lc = user_data;
  PkmRow row = { id, (char *) name, pkm_vardict_view_new (record) };

  g_ptr_array_add (lc->items, build_item (lc, &row));
  pkm_vardict_view_free (row.values);
  return TRUE;
}

GPtrArray *
pkm_cert_list (PkmCall *call, GError **error)
{
  static const char *const no_fields[] = { NULL };
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GPtrArray) fields = wanted_fields (call);
  g_autoptr (GHashTable) names_by_id = NULL;
  g_autoptr (GHashTable) key_ids = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  PkmStoreQuery all = { .struct_size = sizeof (PkmStoreQuery) };
  PkmListContext lc = { 0 };
  gboolean ok;

  all.projection = fields != NULL ? (const char *const *) fields->pdata : NULL;
  if (pkm_call_wants_property (call, "private-key") && (key_ids = pkm_keys_all_ids (ctx, error)) == NULL)
    return NULL;
  if (pkm_call_wants_property (call, "ca"))
    {
      /* The names first (no record is read for them), for each row's CA. */
      PkmStoreQuery names = { .struct_size = sizeof names, .projection = no_fields };
      names_by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      if (!pkm_store_query (ctx, PKM_COLLECTION_CERTIFICATE, &names, collect_name, names_by_id, error))
        return NULL;
    }
  if (!list_context_init (&lc, call, pkm_now (), error))
    return list_context_clear (&lc, FALSE);
  lc.names_by_id = names_by_id;
  lc.key_ids = key_ids;
  ok = TRUE;
  if (lc.chains != NULL)
    {
      /* A chain status reads the issuers of each: every certificate's chain
       * fields first (a few small ones, not whole records: 100,000 whole
       * records held at once were a gigabyte), then the rows streamed. */
      PkmStoreQuery links = { .struct_size = sizeof links, .projection = derived[D_CHAIN_STATUS].fields };

      rows = g_ptr_array_new_with_free_func (row_free);
      if ((ok = pkm_store_query (ctx, PKM_COLLECTION_CERTIFICATE, &links, collect_row, rows, error)))
        index_chains (&lc, rows);
    }
  ok = ok && pkm_store_query (ctx, PKM_COLLECTION_CERTIFICATE, &all, stream_row, &lc, error);
  return list_context_clear (&lc, ok);
}

static gboolean
load_row (PkmContext *ctx, gint64 id, GPtrArray *rows, GError **error)
{
  g_autofree char *name = NULL;
  g_autoptr (GVariant) record = pkm_store_get (ctx, PKM_COLLECTION_CERTIFICATE, id, &name, error);

  return record != NULL && collect_row (id, name, 0, record, rows);
}

static gboolean
first_id (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  *(gint64 *) user_data = id;
  return FALSE;
}

/* The first certificate whose indexed @field is @value; 0 when none. */
gint64
pkm_cert_find_by (PkmContext *ctx, const char *field, const char *value, GError **error)
{
  static const char *const nothing[] = { NULL };
  g_autoptr (GVariant) key = g_variant_ref_sink (g_variant_new_string (value));
  PkmStoreQuery query = { .struct_size = sizeof query, .field = field, .lower = key, .upper = key,
                          .projection = nothing, .limit = 1 };
  gint64 id = 0;

  return pkm_store_query (ctx, PKM_COLLECTION_CERTIFICATE, &query, first_id, &id, error) ? id : -1;
}

/* One item as print shows it, read from the indexes: the record, the issuers
 * above it (for its chain status) and its CA's name, not the whole store. */
GVariant *
pkm_cert_get (PkmCall *call, gint64 id, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (row_free);
  g_autoptr (GHashTable) names_by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr (GHashTable) key_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) items = NULL;
  PkmListContext lc = { 0 };
  PkmRow *row;
  const char *key_id, *link;
  gint64 ca_id;

  if (!load_row (ctx, id, rows, error))
    return NULL;
  row = g_ptr_array_index (rows, 0);
  key_id = pkm_vardict_view_get_string (row->values, "key-id");
  if (pkm_keys_has (ctx, key_id))
    g_hash_table_add (key_ids, (gpointer) key_id);
  if ((ca_id = pkm_vardict_view_get_int64 (row->values, "ca-id")) != 0)
    {
      g_autofree char *ca_name = NULL;
      g_autoptr (GVariant) ca = pkm_store_get (ctx, PKM_COLLECTION_CERTIFICATE, ca_id, &ca_name, NULL);
      if (ca != NULL)
        g_hash_table_insert (names_by_id, g_memdup2 (&ca_id, sizeof ca_id), g_steal_pointer (&ca_name));
    }
  /* The issuers, as far up as a chain status looks (pkm-chain.c). */
  link = pkm_vardict_view_get_string (row->values, "issuer-fingerprint");
  for (guint depth = 0; depth < 16 && link != NULL; depth++)
    {
      PkmRow *last = g_ptr_array_index (rows, rows->len - 1);
      gint64 issuer = g_strcmp0 (link, pkm_vardict_view_get_string (last->values, "fingerprint")) == 0
                          ? 0
                          : pkm_cert_find_by (ctx, "fingerprint", link, NULL);
      if (issuer <= 0 || !load_row (ctx, issuer, rows, NULL))
        break;
      link = pkm_vardict_view_get_string (((PkmRow *) g_ptr_array_index (rows, rows->len - 1))->values,
                                          "issuer-fingerprint");
    }
  if (!list_context_init (&lc, call, pkm_now (), error))
    {
      list_context_clear (&lc, FALSE);
      return NULL;
    }
  lc.names_by_id = names_by_id;
  lc.key_ids = key_ids;
  /* The item of the first row, read with the issuers loaded after it. */
  index_chains (&lc, rows);
  g_ptr_array_add (lc.items, build_item (&lc, g_ptr_array_index (rows, 0)));
  items = list_context_clear (&lc, TRUE);
  return g_variant_ref (g_ptr_array_index (items, 0));
}

GVariant *
pkm_cert_item (PkmCall *call, gint64 id, GError **error)
{
  g_autoptr (GVariant) item = pkm_cert_get (call, id, error);

  if (item == NULL)
    return NULL;
  return pkm_menu_decorate_item (call, pkm_context_find_menu (pkm_call_get_context (call), PKM_CERTIFICATE_MENU),
                                 item, error);
}

/* What the list calls expired (a signed certificate, invalid-after set and
 * past), counted on the invalid-after index: below 0, and from 1 to now - 1.
 * A template has no invalid-after, so none is in the index. */
gboolean
pkm_cert_count_expired (PkmCall *call, guint64 *out_count, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GVariant) before_epoch = g_variant_ref_sink (g_variant_new_int64 (-1));
  g_autoptr (GVariant) lowest = g_variant_ref_sink (g_variant_new_int64 (G_MININT64));
  g_autoptr (GVariant) one = g_variant_ref_sink (g_variant_new_int64 (1));
  g_autoptr (GVariant) before_now = g_variant_ref_sink (g_variant_new_int64 (pkm_now () - 1));
  PkmStoreQuery negative = { .struct_size = sizeof negative, .field = "invalid-after", .lower = lowest,
                             .upper = before_epoch };
  PkmStoreQuery positive = { .struct_size = sizeof positive, .field = "invalid-after", .lower = one,
                             .upper = before_now };
  guint64 n_negative = 0, n_positive = 0;

  if (!pkm_store_count (ctx, PKM_COLLECTION_CERTIFICATE, &negative, &n_negative, error)
      || !pkm_store_count (ctx, PKM_COLLECTION_CERTIFICATE, &positive, &n_positive, error))
    return FALSE;
  *out_count = n_negative + n_positive;
  return TRUE;
}

gint64
pkm_cert_lookup (PkmCall *call, const char *name, GError **error)
{
  return pkm_store_find (pkm_call_get_context (call), PKM_COLLECTION_CERTIFICATE, name, error);
}
