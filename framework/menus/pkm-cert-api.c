/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "menus/pkm-cert-private.h"

/* Reading the model, for plugins: the items /certificate print shows, found
 * by what protocols name certificates by. A lookup lists the store once (the
 * chain status of an item needs its neighbours); the store issue's indexes
 * will make the single-item paths cheaper. */

static GPtrArray *
list_all (PkmCall *call, GError **error)
{
  return pkm_certificates_list (call, NULL, error);
}

GPtrArray *
pkm_certificates_list (PkmCall *call, const char *where, GError **error)
{
  return pkm_menu_list (call, pkm_context_find_menu (pkm_call_get_context (call), PKM_CERTIFICATE_MENU), where, error);
}

static gboolean
property_is (GVariant *item, const char *property, const char *value, gboolean any_case)
{
  const char *text = NULL;

  if (!g_variant_lookup (item, property, "&s", &text))
    return FALSE;
  return any_case ? g_ascii_strcasecmp (text, value) == 0 : strcmp (text, value) == 0;
}

static GVariant *
not_found (const char *what, const char *value, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "no certificate with %s %s", what, value);
  return NULL;
}

GVariant *
pkm_certificates_lookup (PkmCall *call, PkmCertLookup by, const char *value, GError **error)
{
  static const char *const properties[] = { NULL, ".id", "name", "serial-number", "fingerprint", "skid" };
  g_autoptr (GPtrArray) items = NULL;
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
  if ((items = list_all (call, error)) == NULL)
    return NULL;
  for (guint i = 0; i < items->len; i++)
    {
      GVariant *item = g_ptr_array_index (items, i);
      gint64 item_id = 0;

      if (by == PKM_CERT_BY_ID ? g_variant_lookup (item, ".id", "x", &item_id) && item_id == id
                               : property_is (item, properties[by], value, by != PKM_CERT_BY_NAME))
        return g_variant_ref (item);
    }
  return not_found (properties[by][0] == '.' ? "id" : properties[by], value, error);
}

GVariant *
pkm_certificates_lookup_issuer_serial (PkmCall *call, const char *issuer, const char *serial, GError **error)
{
  g_autoptr (GPtrArray) items = list_all (call, error);

  if (items == NULL)
    return NULL;
  for (guint i = 0; i < items->len; i++)
    {
      GVariant *item = g_ptr_array_index (items, i);
      if (property_is (item, "issuer", issuer, FALSE) && property_is (item, "serial-number", serial, TRUE))
        return g_variant_ref (item);
    }
  return not_found ("issuer and serial", serial, error);
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
