/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "model/pkm-model.h"
#include "core/pkm-providers.h"

/* Chains are built from stored links: each certificate records which stored
 * certificate signed it ("issuer-fingerprint") and whether that signature
 * verified ("signature"). Links are checked once, when either end enters the
 * store, so print walks chains without any crypto. */

void
pkm_chain_set_link (PkmEntry *entry, const char *issuer_fingerprint, gboolean signature_ok)
{
  pkm_entry_set_string (entry, "issuer-fingerprint", issuer_fingerprint);
  pkm_entry_set_string (entry, "signature", signature_ok ? "ok" : "bad");
}

typedef struct {
  const char *issuer; /* the DN the child names */
  const char *akid;
  GBytes *found_der;
  char *found_fingerprint;
} PkmIssuerSearch;

static gboolean
match_issuer (gint64 id, const char *name, GVariant *record, gpointer user_data)
{
  PkmIssuerSearch *search = user_data;
  const char *subject = NULL, *skid = NULL, *fingerprint = NULL;
  g_autoptr (GVariant) der = NULL;

  if (!g_variant_lookup (record, "subject", "&s", &subject) || g_strcmp0 (subject, search->issuer) != 0)
    return TRUE;
  g_variant_lookup (record, "skid", "&s", &skid);
  if (search->akid != NULL && skid != NULL && g_strcmp0 (search->akid, skid) != 0)
    return TRUE;
  der = g_variant_lookup_value (record, "der", G_VARIANT_TYPE_BYTESTRING);
  if (der == NULL || !g_variant_lookup (record, "fingerprint", "&s", &fingerprint))
    return TRUE;
  search->found_der = g_variant_get_data_as_bytes (der);
  search->found_fingerprint = g_strdup (fingerprint);
  return FALSE;
}

gboolean
pkm_chain_link_to_store (PkmContext *ctx, PkmEntry *entry, const PkmCertInfo *info, GBytes *der, GError **error)
{
  PkmIssuerSearch search = { info->issuer, info->akid, NULL, NULL };
  gboolean ok;
  g_autoptr (GError) local = NULL;

  if (g_strcmp0 (info->subject, info->issuer) == 0 && (info->akid == NULL || g_strcmp0 (info->akid, info->skid) == 0))
    {
      /* Self-issued: its own public key must verify it. */
      ok = pkm_crypto_verify_signature (ctx, der, der, &local);
      pkm_chain_set_link (entry, info->fingerprint, ok);
      return TRUE;
    }
  if (!pkm_store_foreach (ctx, PKM_COLLECTION_CERTIFICATE, match_issuer, &search, error))
    return FALSE;
  if (search.found_der == NULL)
    return TRUE;
  ok = pkm_crypto_verify_signature (ctx, der, search.found_der, &local);
  pkm_chain_set_link (entry, search.found_fingerprint, ok);
  g_bytes_unref (search.found_der);
  g_free (search.found_fingerprint);
  return TRUE;
}

typedef struct {
  const char *subject;
  const char *skid;
  GArray *ids;
} PkmOrphanSearch;

static gboolean
match_orphan (gint64 id, const char *name, GVariant *record, gpointer user_data)
{
  PkmOrphanSearch *search = user_data;
  const char *issuer = NULL, *akid = NULL, *link = NULL;

  if (g_variant_lookup (record, "issuer-fingerprint", "&s", &link))
    return TRUE;
  if (!g_variant_lookup (record, "issuer", "&s", &issuer) || g_strcmp0 (issuer, search->subject) != 0)
    return TRUE;
  if (g_variant_lookup (record, "akid", "&s", &akid) && search->skid != NULL && g_strcmp0 (akid, search->skid) != 0)
    return TRUE;
  g_array_append_val (search->ids, id);
  return TRUE;
}

gboolean
pkm_chain_adopt_children (PkmContext *ctx, PkmEntry *issuer, GError **error)
{
  PkmOrphanSearch search = { pkm_entry_get_string (issuer, "subject"), pkm_entry_get_string (issuer, "skid"),
                             g_array_new (FALSE, FALSE, sizeof (gint64)) };
  g_autoptr (GBytes) issuer_der = pkm_entry_get_bytes (issuer, "der");
  gboolean ok = issuer_der != NULL && pkm_store_foreach (ctx, PKM_COLLECTION_CERTIFICATE, match_orphan, &search, error);

  for (guint i = 0; ok && i < search.ids->len; i++)
    {
      g_autoptr (PkmEntry) child = pkm_entry_load (ctx, g_array_index (search.ids, gint64, i), error);
      g_autoptr (GBytes) der = child != NULL ? pkm_entry_get_bytes (child, "der") : NULL;

      ok = der != NULL;
      if (ok && child->id != issuer->id)
        {
          pkm_chain_set_link (child, pkm_entry_get_string (issuer, "fingerprint"),
                              pkm_crypto_verify_signature (ctx, der, issuer_der, NULL));
          ok = pkm_entry_save (ctx, child, error);
        }
    }
  g_array_unref (search.ids);
  return ok;
}

/* -- status, from the links alone -- */

#define MAX_CHAIN_DEPTH 16

/* A stored certificate and, once some walk has passed it, the status of the
 * chain from it up: 10,000 certificates under one CA walk the CA's chain
 * once, not 10,000 times. */
typedef struct {
  const PkmVardictView *record; /* borrowed */
  const char *status;           /* (nullable) until known */
  guint steps;                  /* the walk from here took this many issuers */
} PkmChainNode;

struct _PkmChainIndex {
  GHashTable *by_fingerprint; /* fingerprint (borrowed) -> PkmChainNode (owned) */
  gint64 now;
  const PkmRevocationScope *revocation; /* (nullable) */
};

PkmChainIndex *
pkm_chain_index_new (gint64 now, const PkmRevocationScope *revocation)
{
  PkmChainIndex *index = g_new0 (PkmChainIndex, 1);

  index->by_fingerprint = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  index->now = now;
  index->revocation = revocation;
  return index;
}

void
pkm_chain_index_add (PkmChainIndex *index, const PkmVardictView *record)
{
  const char *fingerprint = pkm_vardict_view_get_string (record, "fingerprint");
  PkmChainNode *node;

  if (fingerprint == NULL)
    return;
  node = g_new0 (PkmChainNode, 1);
  node->record = record;
  g_hash_table_insert (index->by_fingerprint, (gpointer) fingerprint, node);
}

void
pkm_chain_index_free (PkmChainIndex *index)
{
  g_hash_table_unref (index->by_fingerprint);
  g_free (index);
}

/* @record's own part of the status: a state, or NULL to go on to the issuer
 * named in *@link. */
static const char *
step (PkmChainIndex *index, const PkmVardictView *record, const char **link)
{
  gint64 not_before = pkm_vardict_view_get_int64 (record, "invalid-before");
  gint64 not_after = pkm_vardict_view_get_int64 (record, "invalid-after");
  gboolean trusted = pkm_vardict_view_get_boolean (record, "trusted");
  const char *signature = pkm_vardict_view_get_string (record, "signature");
  const char *fingerprint = pkm_vardict_view_get_string (record, "fingerprint");

  *link = pkm_vardict_view_get_string (record, "issuer-fingerprint");
  /* Revocation is final and outranks everything: below a revoked CA, all is revoked. */
  if (pkm_vardict_view_get_int64 (record, "revoked") != 0)
    return "revoked";
  if (not_after != 0 && not_after < index->now)
    return "expired";
  if (not_before > index->now)
    return "not-yet-valid";
  if (*link == NULL)
    return trusted ? "valid" : "missing-issuer";
  if (g_strcmp0 (signature, "ok") != 0)
    return "bad-signature";
  /* Every link but a self-signed one is checked against its issuer's CRL,
   * a trusted one too: RouterOS checks the whole chain. */
  if (index->revocation != NULL && g_strcmp0 (*link, fingerprint) != 0)
    {
      gint64 when;
      PkmCrlStatus crl = pkm_revocation_check (index->revocation, *link,
                                               pkm_vardict_view_get_string (record, "serial-number"), &when);
      if (crl == PKM_CRL_STATUS_REVOKED)
        return "revoked";
      if (index->revocation->enforce && (crl == PKM_CRL_STATUS_NONE || crl == PKM_CRL_STATUS_STALE))
        return "crl-unavailable";
    }
  if (trusted)
    return "valid";
  if (g_strcmp0 (*link, fingerprint) == 0)
    return "untrusted-root";
  return NULL;
}

/* Walks up to a trusted certificate: the first thing wrong on the way names
 * the state. A trusted certificate anywhere in the chain is an anchor. The
 * issuers passed learn the answer too (it is theirs as well), unless the
 * walk ran out of depth. */
const char *
pkm_chain_status (PkmChainIndex *index, const PkmVardictView *record)
{
  PkmChainNode *passed[MAX_CHAIN_DEPTH];
  const PkmVardictView *current = record;
  const char *status = NULL, *link;
  guint depth = 0, n_passed = 0;

  for (; depth < MAX_CHAIN_DEPTH; depth++)
    {
      PkmChainNode *issuer;

      if ((status = step (index, current, &link)) != NULL)
        break;
      if ((issuer = g_hash_table_lookup (index->by_fingerprint, link)) == NULL)
        {
          status = "missing-issuer";
          break;
        }
      /* What the issuer's own walk found, if it would fit in what is left. */
      if (issuer->status != NULL && depth + 1 + issuer->steps < MAX_CHAIN_DEPTH)
        {
          status = issuer->status;
          depth += 1 + issuer->steps;
          break;
        }
      passed[n_passed++] = issuer;
      current = issuer->record;
    }
  if (status == NULL)
    return "missing-issuer";
  for (guint i = 0; i < n_passed; i++)
    {
      passed[i]->status = status;
      passed[i]->steps = depth - (i + 1);
    }
  return status;
}
