/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "menus/pkm-cert-private.h"

/* Reading the model, for plugins: the items /certificate print shows, found
 * by what protocols name certificates by, each through an index of the
 * store (a lookup reads the record and its issuers, not the store). */

GPtrArray *
pkm_certificates_list (PkmCall *call, const char *where, GError **error)
{
  return pkm_menu_list (call, pkm_context_find_menu (pkm_call_get_context (call), PKM_CERTIFICATE_MENU), where, error);
}

static GVariant *
not_found (const char *what, const char *value, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "no certificate with %s %s", what, value);
  return NULL;
}

/* Serials are stored as print shows them (upper case), hashes in lower case. */
static char *
stored_form (PkmCertLookup by, const char *value)
{
  return by == PKM_CERT_BY_SERIAL ? g_ascii_strup (value, -1) : g_ascii_strdown (value, -1);
}

GVariant *
pkm_certificates_lookup (PkmCall *call, PkmCertLookup by, const char *value, GError **error)
{
  static const char *const fields[] = { NULL, ".id", "name", "serial-number", "fingerprint", "skid" };
  PkmContext *ctx = pkm_call_get_context (call);
  g_autofree char *key = NULL;
  gint64 id = 0;

  if (by < PKM_CERT_BY_ID || by > PKM_CERT_BY_SKID || value == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "lookup: unknown kind %d or no value", (int) by);
      return NULL;
    }
  if (by == PKM_CERT_BY_ID && !pkm_item_id_parse (value, &id))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "lookup: %s is not an id (*1A)", value);
      return NULL;
    }
  if (by == PKM_CERT_BY_NAME)
    id = pkm_store_find (ctx, PKM_COLLECTION_CERTIFICATE, value, error);
  else if (by != PKM_CERT_BY_ID)
    id = pkm_cert_find_by (ctx, fields[by], key = stored_form (by, value), error);
  if (id < 0)
    return NULL;
  if (id == 0)
    return not_found (fields[by], value, error);
  if (by == PKM_CERT_BY_ID)
    {
      g_autoptr (GError) local = NULL;
      GVariant *item = pkm_cert_item (call, id, &local);
      if (item == NULL && g_error_matches (local, PKM_ERROR, PKM_ERROR_NOT_FOUND))
        return not_found ("id", value, error);
      if (item == NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      return item;
    }
  return pkm_cert_item (call, id, error);
}

typedef struct {
  const char *issuer;
  gint64 id; /* the first hit with that issuer, or 0 */
} PkmIssuerSearch;

static gboolean
find_issuer (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  PkmIssuerSearch *search = user_data;
  const char *issuer = NULL;

  if (g_variant_lookup (record, "issuer", "&s", &issuer) && strcmp (issuer, search->issuer) == 0)
    {
      search->id = id;
      return FALSE;
    }
  return TRUE;
}

/* The serial index, then the issuer of its (one, in practice) hits. */
GVariant *
pkm_certificates_lookup_issuer_serial (PkmCall *call, const char *issuer, const char *serial, GError **error)
{
  static const char *const issuer_only[] = { "issuer", NULL };
  PkmContext *ctx = pkm_call_get_context (call);
  g_autofree char *upper = g_ascii_strup (serial, -1);
  g_autoptr (GVariant) key = g_variant_ref_sink (g_variant_new_string (upper));
  PkmStoreQuery query = { .struct_size = sizeof query, .field = "serial-number", .lower = key, .upper = key,
                          .projection = issuer_only };
  PkmIssuerSearch search = { issuer, 0 };

  if (!pkm_store_query (ctx, PKM_COLLECTION_CERTIFICATE, &query, find_issuer, &search, error))
    return NULL;
  if (search.id == 0)
    return not_found ("issuer and serial", serial, error);
  return pkm_cert_item (call, search.id, error);
}

GBytes *
pkm_certificates_get_der (PkmCall *call, gint64 id, GError **error)
{
  g_autoptr (PkmEntry) entry = pkm_entry_load (pkm_call_get_context (call), id, error);

  if (entry == NULL)
    return NULL;
  if (pkm_entry_is_template (entry))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "\"%s\" is a template: it has no certificate yet",
                   entry->name);
      return NULL;
    }
  return pkm_cert_der (entry, error);
}

PkmKey *
pkm_certificates_get_key (PkmCall *call, gint64 id, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (PkmEntry) entry = pkm_entry_load (ctx, id, error);

  return entry != NULL ? pkm_entry_get_private_key (ctx, entry, error) : NULL;
}
