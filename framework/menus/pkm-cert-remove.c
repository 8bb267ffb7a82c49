/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "menus/pkm-cert-private.h"

typedef struct {
  gint64 id;
  gint64 ca_id;
  char *key_id;
} PkmLink;

static void
link_free (gpointer data)
{
  PkmLink *link = data;

  g_free (link->key_id);
  g_free (link);
}

static gboolean
collect_link (gint64 id, const char *name, GVariant *record, gpointer user_data)
{
  PkmLink *link = g_new0 (PkmLink, 1);

  link->id = id;
  g_variant_lookup (record, "ca-id", "x", &link->ca_id);
  g_variant_lookup (record, "key-id", "s", &link->key_id);
  g_ptr_array_add (user_data, link);
  return TRUE;
}

/* @id and, if it is a CA, everything it issued, down every level. */
static GHashTable *
issued_closure (GPtrArray *links, gint64 id)
{
  GHashTable *doomed = g_hash_table_new (g_int64_hash, g_int64_equal);
  gboolean grew = TRUE;

  for (guint i = 0; i < links->len; i++)
    if (((PkmLink *) g_ptr_array_index (links, i))->id == id)
      g_hash_table_add (doomed, &((PkmLink *) g_ptr_array_index (links, i))->id);
  while (grew)
    {
      grew = FALSE;
      for (guint i = 0; i < links->len; i++)
        {
          PkmLink *link = g_ptr_array_index (links, i);
          if (link->ca_id != 0 && link->ca_id != link->id && g_hash_table_contains (doomed, &link->ca_id)
              && !g_hash_table_contains (doomed, &link->id))
            {
              g_hash_table_add (doomed, &link->id);
              grew = TRUE;
            }
        }
    }
  return doomed;
}

/* A key goes when the last certificate that uses it goes. */
static gboolean
remove_orphan_keys (PkmContext *ctx, GPtrArray *links, GHashTable *doomed, GError **error)
{
  g_autoptr (GHashTable) kept = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < links->len; i++)
    {
      PkmLink *link = g_ptr_array_index (links, i);
      if (link->key_id != NULL && !g_hash_table_contains (doomed, &link->id))
        g_hash_table_add (kept, link->key_id);
    }
  for (guint i = 0; i < links->len; i++)
    {
      PkmLink *link = g_ptr_array_index (links, i);
      if (link->key_id != NULL && g_hash_table_contains (doomed, &link->id)
          && !g_hash_table_contains (kept, link->key_id))
        {
          if (!pkm_keys_remove (ctx, link->key_id, error))
            return FALSE;
          g_hash_table_add (kept, link->key_id); /* removed once */
        }
    }
  return TRUE;
}

/* RouterOS keeps what its CA issued, "for security reasons": such a
 * certificate can only be revoked, stays listed (flag R), and goes only with
 * its CA, so a revocation is never lost while the CA that made it exists. */
static gboolean
check_removable (PkmContext *ctx, PkmEntry *entry, GError **error)
{
  gint64 ca_id = pkm_entry_get_int (entry, "ca-id", 0);
  g_autoptr (PkmEntry) ca = NULL;

  if (ca_id == 0 || ca_id == entry->id)
    return TRUE;
  ca = pkm_entry_load (ctx, ca_id, NULL);
  g_set_error (error, PKM_ERROR, PKM_ERROR_PERMISSION_DENIED,
               "numbers: \"%s\" was issued by the local CA \"%s\": it can only be revoked (issued-revoke), and goes "
               "when its CA is removed",
               entry->name, ca != NULL ? ca->name : "?");
  return FALSE;
}

gboolean
pkm_cert_remove (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (PkmEntry) entry = pkm_cert_load_param (call, "numbers", error);
  g_autoptr (GPtrArray) links = g_ptr_array_new_with_free_func (link_free);
  g_autoptr (GHashTable) doomed = NULL;
  GHashTableIter iter;
  gpointer id;
  guint count;

  if (entry == NULL || !check_removable (ctx, entry, error))
    return FALSE;
  if (!pkm_store_foreach (ctx, PKM_COLLECTION_CERTIFICATE, collect_link, links, error))
    return FALSE;
  doomed = issued_closure (links, entry->id);
  if (!remove_orphan_keys (ctx, links, doomed, error))
    return FALSE;
  g_hash_table_iter_init (&iter, doomed);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    {
      if (!pkm_store_remove (ctx, PKM_COLLECTION_CERTIFICATE, *(gint64 *) id, error)
          || !pkm_revocations_remove_for_ca (ctx, *(gint64 *) id, error))
        return FALSE;
      pkm_context_emit (ctx, PKM_EVENT_CERTIFICATE_REMOVED, *(gint64 *) id);
    }
  count = g_hash_table_size (doomed);
  if (count > 1)
    return PKM_AUDITED (call, "certificate,info", "\"%s\" removed with the %u certificate%s it issued",
                        entry->name, count - 1, count - 1 == 1 ? "" : "s");
  return PKM_AUDITED (call, "certificate,info", "\"%s\" removed", entry->name);
}

/* The same without the unused values, for the parameter's choices. */
const char *const pkm_revocation_reason_choices[] = {
  "unspecified", "key-compromise", "ca-compromise", "affiliation-changed", "superseded",
  "cessation-of-operation", "certificate-hold", "privilege-withdrawn", "aa-compromise", NULL,
};

static gboolean
revoke_issued (PkmCall *call, gint64 id, PkmRevocationReason reason, const char *param, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (PkmEntry) entry = pkm_entry_load (ctx, id, error);
  gint64 revoked;

  if (entry == NULL)
    return FALSE;
  if ((guint) reason >= G_N_ELEMENTS (pkm_revocation_reason_names) - 1 || *pkm_revocation_reason_names[reason] == '\0')
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "reason: %d is not an RFC 5280 CRLReason", reason);
      return FALSE;
    }
  if (pkm_entry_get_int (entry, "ca-id", 0) == 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: \"%s\" was not issued by a local CA", param,
                   entry->name);
      return FALSE;
    }
  revoked = pkm_entry_get_int (entry, "revoked", 0);
  if (revoked != 0)
    {
      g_autofree char *when = pkm_format_time (revoked);
      g_set_error (error, PKM_ERROR, PKM_ERROR_EXISTS, "%s: \"%s\" is already revoked (since %s)", param, entry->name,
                   when);
      return FALSE;
    }
  revoked = pkm_now ();
  g_variant_dict_insert (entry->dict, "revoked", "x", revoked);
  pkm_entry_set_string (entry, "revocation-reason", pkm_revocation_reason_names[reason]);
  if (!pkm_entry_save (ctx, entry, error)
      || !pkm_revocations_add (ctx, pkm_entry_get_int (entry, "ca-id", 0), pkm_entry_get_string (entry, "ca-fingerprint"),
                               entry->id, pkm_entry_get_string (entry, "serial-number"), revoked,
                               pkm_revocation_reason_names[reason], error))
    return FALSE;
  pkm_context_emit (ctx, PKM_EVENT_CERTIFICATE_REVOKED, entry->id);
  pkm_call_audit (call, "certificate,warning", "\"%s\" revoked (%s), serial %s", entry->name,
                  pkm_revocation_reason_names[reason], pkm_entry_get_string (entry, "serial-number"));
  return TRUE;
}

gboolean
pkm_certificates_revoke (PkmCall *call, gint64 id, PkmRevocationReason reason, GError **error)
{
  return revoke_issued (call, id, reason, "id", error);
}

/* issued-revoke NAME [reason=...] */
gboolean
pkm_cert_issued_revoke (PkmCall *call, GError **error)
{
  const char *reason = pkm_call_get_string (call, "reason");
  PkmRevocationReason value = PKM_REVOCATION_UNSPECIFIED;

  for (guint i = 0; reason != NULL && pkm_revocation_reason_names[i] != NULL; i++)
    if (strcmp (pkm_revocation_reason_names[i], reason) == 0)
      value = i;
  return revoke_issued (call, pkm_call_get_item (call, "numbers"), value, "numbers", error);
}
