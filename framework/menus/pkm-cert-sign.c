/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "menus/pkm-cert-private.h"
#include "core/pkm-providers.h"

GBytes *
pkm_cert_der (PkmEntry *entry, GError **error)
{
  GBytes *der = pkm_entry_get_bytes (entry, "der");

  if (der == NULL)
    g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "\"%s\" is a template, not a certificate", entry->name);
  return der;
}

static PkmEntry *
load_template (PkmCall *call, GError **error)
{
  const char *param = pkm_call_has (call, "numbers") ? "numbers" : "template";
  PkmEntry *tpl = pkm_cert_load_param (call, param, error);

  if (tpl != NULL && !pkm_entry_is_template (tpl))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: \"%s\" is already signed; sign takes a template",
                   param, tpl->name);
      g_clear_pointer (&tpl, pkm_entry_free);
    }
  return tpl;
}

static gboolean
record_signed (PkmCall *call, PkmEntry *entry, PkmIssuer *issuer, GBytes *der, const char *crl_host, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (PkmCertInfo) info = pkm_crypto_parse_certificate (ctx, der, error);
  gboolean trusted = pkm_entry_get_bool (entry, "trusted");

  if (info == NULL)
    return FALSE;
  pkm_entry_set_certificate (entry, der, info);
  /* Self-signed certificates are their own anchor: trusted at once (RouterOS). */
  g_variant_dict_insert (entry->dict, "trusted", "b", issuer->entry == NULL ? TRUE : trusted);
  if (crl_host != NULL)
    pkm_entry_set_string (entry, "ca-crl-host", crl_host);
  /* Signed here by construction: the link is known and its signature good. */
  pkm_chain_set_link (entry, issuer->entry != NULL ? pkm_entry_get_string (issuer->entry, "fingerprint")
                                                   : info->fingerprint,
                      TRUE);
  if (issuer->entry != NULL)
    {
      g_variant_dict_insert (entry->dict, "ca-id", "x", issuer->entry->id);
      pkm_entry_set_string (entry, "ca-fingerprint", pkm_entry_get_string (issuer->entry, "fingerprint"));
    }
  if (!pkm_entry_save (ctx, entry, error))
    return FALSE;
  pkm_context_emit (ctx, PKM_EVENT_CERTIFICATE_SIGNED, entry->id);
  return TRUE;
}

gboolean
pkm_cert_sign (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (PkmEntry) tpl = load_template (call, error);
  g_auto (PkmIssuer) issuer = { 0 };
  g_auto (PkmSignRequest) req = { 0 };
  g_autoptr (PkmSecret) new_key = NULL;
  g_autoptr (PkmKey) key = NULL;
  g_autoptr (GBytes) spki = NULL, serial = NULL, der = NULL;
  g_autofree char *key_id = NULL, *crl = NULL, *issuer_serial = NULL, *name = NULL;
  const char *crl_host;

  if (tpl == NULL || !pkm_issuer_load (call, &issuer, error))
    return FALSE;
  name = g_strdup (pkm_call_has (call, "name") ? pkm_call_get_string (call, "name") : tpl->name);
  if (!pkm_cert_check_name_free (call, "name", name, tpl->id, error))
    return FALSE;
  crl_host = pkm_call_get_string (call, "ca-crl-host");
  if (crl_host == NULL && issuer.entry != NULL)
    crl_host = pkm_entry_get_string (issuer.entry, "ca-crl-host");

  key = pkm_cert_template_key (call, tpl, &new_key, error);
  if (key == NULL || (spki = pkm_key_get_public_key (key, error)) == NULL
      || (serial = pkm_random_serial (ctx, error)) == NULL)
    return FALSE;
  issuer_serial = issuer.entry != NULL ? g_strdup (pkm_entry_get_string (issuer.entry, "serial-number"))
                                       : pkm_serial_hex (serial);
  crl = pkm_cert_crl_url (crl_host, issuer_serial);
  if (!pkm_sign_request_fill (call, &req, tpl, issuer.entry, serial, crl, error))
    return FALSE;
  der = pkm_crypto_sign_certificate (ctx, &req.spec, spki, issuer.der, issuer.entry != NULL ? issuer.key : key,
                                     error);
  key_id = pkm_key_id (spki);
  /* A token's key stays there: the record's key-uri names it, nothing is sealed. */
  if (der == NULL || (new_key != NULL && !pkm_keys_put (ctx, new_key, key_id, error)))
    return FALSE;

  g_free (tpl->name);
  tpl->name = g_strdup (name);
  if (!record_signed (call, tpl, &issuer, der, crl_host, error))
    return FALSE;
  if (issuer.entry != NULL)
    return pkm_audit (ctx, pkm_call_get_actor (call), "certificate,info", error,
                      "\"%s\" signed by CA \"%s\", serial %s", name, issuer.entry->name,
                      pkm_entry_get_string (tpl, "serial-number"));
  return pkm_audit (ctx, pkm_call_get_actor (call), "certificate,info", error, "\"%s\" self-signed, serial %s", name,
                    pkm_entry_get_string (tpl, "serial-number"));
}
