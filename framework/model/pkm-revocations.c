/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "model/pkm-model.h"
#include <string.h>
#include "core/pkm-providers.h"
#include "core/pkm-context-private.h"

/* A revocation is a record of its own (CA, serial, time, reason), indexed
 * by the CA: a CRL of a million entries is one indexed scan of small
 * records, and never decodes a certificate. */

/* RFC 5280's CRLReason names, as issued-revoke reason= takes them; indexed by value. */
const char *const pkm_revocation_reason_names[PKM_REVOCATION_REASON_COUNT + 1] = {
  "unspecified", "key-compromise", "ca-compromise", "affiliation-changed", "superseded",
  "cessation-of-operation", "certificate-hold", "", "", "privilege-withdrawn", "aa-compromise", NULL,
};

gboolean
pkm_revocations_add (PkmContext *ctx, gint64 ca_id, const char *ca_fingerprint, gint64 certificate_id,
                     const char *serial, gint64 when, const char *reason, GError **error)
{
  GVariantDict record;

  g_variant_dict_init (&record, NULL);
  g_variant_dict_insert (&record, "ca-id", "x", ca_id);
  if (ca_fingerprint != NULL)
    g_variant_dict_insert (&record, "ca-fingerprint", "s", ca_fingerprint);
  g_variant_dict_insert (&record, "certificate", "x", certificate_id);
  g_variant_dict_insert (&record, "serial-number", "s", serial != NULL ? serial : "");
  g_variant_dict_insert (&record, "time", "x", when);
  g_variant_dict_insert (&record, "reason", "s", reason);
  return pkm_store_insert (ctx, PKM_COLLECTION_REVOCATION, NULL, g_variant_dict_end (&record), error) > 0;
}

static gboolean
collect_id (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  g_array_append_val ((GArray *) user_data, id);
  return TRUE;
}

gboolean
pkm_revocations_remove_for_ca (PkmContext *ctx, gint64 ca_id, GError **error)
{
  static const char *const nothing[] = { NULL };
  g_autoptr (GVariant) key = g_variant_ref_sink (g_variant_new_int64 (ca_id));
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  PkmStoreQuery query = { .struct_size = sizeof query, .field = "ca-id", .lower = key, .upper = key,
                          .projection = nothing };

  if (!pkm_store_query (ctx, PKM_COLLECTION_REVOCATION, &query, collect_id, ids, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    if (!pkm_store_remove (ctx, PKM_COLLECTION_REVOCATION, g_array_index (ids, gint64, i), error))
      return FALSE;
  return TRUE;
}

typedef struct {
  PkmRevocationFunc func;
  gpointer user_data;
} PkmRevocationWalk;

static PkmRevocationReason
reason_value (const char *name)
{
  for (guint i = 0; name != NULL && pkm_revocation_reason_names[i] != NULL; i++)
    if (*pkm_revocation_reason_names[i] != '\0' && strcmp (pkm_revocation_reason_names[i], name) == 0)
      return i;
  return PKM_REVOCATION_UNSPECIFIED;
}

/* Read in place (pkm-vardict.h): g_variant_lookup makes a GVariant per
 * field, three of them for each of a million revocations. */
static gboolean
walk_one (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  PkmRevocationWalk *walk = user_data;
  g_autoptr (PkmVardictView) view = pkm_vardict_view_new (record);
  const char *serial = pkm_vardict_view_get_string (view, "serial-number");
  PkmRevocation revocation = { serial != NULL ? serial : "", pkm_vardict_view_get_int64 (view, "time"),
                               reason_value (pkm_vardict_view_get_string (view, "reason")) };

  return walk->func (&revocation, walk->user_data);
}

gboolean
pkm_certificates_foreach_revocation (PkmCall *call, gint64 ca_id, PkmRevocationFunc func, gpointer user_data,
                                     GError **error)
{
  static const char *const fields[] = { "serial-number", "time", "reason", NULL };
  g_autoptr (GVariant) key = g_variant_ref_sink (g_variant_new_int64 (ca_id));
  PkmStoreQuery query = { .struct_size = sizeof query, .field = "ca-id", .lower = key, .upper = key,
                          .projection = fields };
  PkmRevocationWalk walk = { func, user_data };

  return pkm_store_query (pkm_call_get_context (call), PKM_COLLECTION_REVOCATION, &query, walk_one, &walk, error);
}

gboolean
pkm_context_set_revocation_checker (PkmContext *ctx, const PkmRevocationChecker *checker, gpointer user_data,
                                    GError **error)
{
  if (ctx->revocation_checker.struct_size != 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_EXISTS, "a revocation checker is set already");
      return FALSE;
    }
  if (checker == NULL || checker->struct_size < G_STRUCT_OFFSET (PkmRevocationChecker, end) + sizeof (gpointer)
      || checker->begin == NULL || checker->check == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "revocation checker: begin and check are needed");
      return FALSE;
    }
  memcpy (&ctx->revocation_checker, checker, MIN (checker->struct_size, sizeof ctx->revocation_checker));
  ctx->revocation_checker.struct_size = sizeof ctx->revocation_checker;
  ctx->revocation_checker_data = user_data;
  return TRUE;
}

/* -- the checker, for the listing -- */

gboolean
pkm_revocation_begin (PkmCall *call, PkmRevocationScope *scope, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GError) local = NULL;

  memset (scope, 0, sizeof *scope);
  if (ctx->revocation_checker.struct_size == 0)
    return TRUE;
  scope->state = ctx->revocation_checker.begin (call, ctx->revocation_checker_data, &scope->enforce, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (scope->state != NULL)
    scope->checker = &ctx->revocation_checker;
  return TRUE;
}

PkmCrlStatus
pkm_revocation_check (const PkmRevocationScope *scope, const char *issuer_fingerprint, const char *serial,
                      gint64 *out_revoked)
{
  *out_revoked = 0;
  if (scope == NULL || scope->checker == NULL || issuer_fingerprint == NULL || serial == NULL)
    return PKM_CRL_STATUS_NONE;
  return scope->checker->check (scope->state, issuer_fingerprint, serial, out_revoked);
}

void
pkm_revocation_end (PkmRevocationScope *scope)
{
  if (scope->checker != NULL && scope->checker->end != NULL)
    scope->checker->end (scope->state);
  memset (scope, 0, sizeof *scope);
}
