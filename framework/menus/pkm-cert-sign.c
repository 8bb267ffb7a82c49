/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "menus/pkm-cert-private.h"

GBytes *
pkm_cert_der (PkmEntry *entry, GError **error)
{
  GBytes *der = pkm_entry_get_bytes (entry, "der");

  if (der == NULL)
    g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "\"%s\" is a template, not a certificate", entry->name);
  return der;
}

static PkmEntry *
load_template (PkmCall *call, gint64 template_id, const char *param, GError **error)
{
  PkmEntry *tpl = pkm_entry_load (pkm_call_get_context (call), template_id, error);

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

/* Signs the template: its own key (generated, or on a token), a serial, the
 * CA's signature (or its own), and the record becomes the certificate. */
static gint64
sign_template (PkmCall *call, gint64 template_id, const char *param, gint64 ca_id, const char *new_name,
               const char *crl_host, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (PkmEntry) tpl = load_template (call, template_id, param, error);
  g_auto (PkmIssuer) issuer = { 0 };
  g_auto (PkmSignRequest) req = { 0 };
  g_autoptr (PkmSecret) new_key = NULL;
  g_autoptr (PkmKey) key = NULL;
  g_autoptr (GBytes) spki = NULL, serial = NULL, der = NULL;
  g_autofree char *key_id = NULL, *crl = NULL, *issuer_serial = NULL, *name = NULL;

  if (tpl == NULL || !pkm_issuer_load_id (call, ca_id, &issuer, error))
    return 0;
  name = g_strdup (new_name != NULL ? new_name : tpl->name);
  if (!pkm_cert_check_name_free (call, "name", name, tpl->id, error))
    return 0;
  if (crl_host == NULL && issuer.entry != NULL)
    crl_host = pkm_entry_get_string (issuer.entry, "ca-crl-host");

  key = pkm_cert_template_key (call, tpl, &new_key, error);
  if (key == NULL || (spki = pkm_key_get_public_key (key, error)) == NULL
      || (serial = pkm_random_serial (ctx, error)) == NULL)
    return 0;
  issuer_serial = issuer.entry != NULL ? g_strdup (pkm_entry_get_string (issuer.entry, "serial-number"))
                                       : pkm_serial_hex (serial);
  crl = pkm_cert_crl_url (crl_host, issuer_serial);
  if (!pkm_sign_request_fill (call, &req, tpl, issuer.entry, serial, crl, error))
    return 0;
  der = pkm_crypto_sign_certificate (ctx, &req.spec, spki, issuer.der, issuer.entry != NULL ? issuer.key : key,
                                     error);
  key_id = pkm_key_id (spki);
  /* A token's key stays there: the record's key-uri names it, nothing is sealed. */
  if (der == NULL || (new_key != NULL && !pkm_keys_put (ctx, new_key, key_id, error)))
    return 0;

  g_free (tpl->name);
  tpl->name = g_strdup (name);
  if (!record_signed (call, tpl, &issuer, der, crl_host, error))
    return 0;
  if (issuer.entry != NULL)
    pkm_call_audit (call, "certificate,info", "\"%s\" signed by CA \"%s\", serial %s", name, issuer.entry->name,
                    pkm_entry_get_string (tpl, "serial-number"));
  else
    pkm_call_audit (call, "certificate,info", "\"%s\" self-signed, serial %s", name,
                    pkm_entry_get_string (tpl, "serial-number"));
  return tpl->id;
}

gint64
pkm_certificates_sign (PkmCall *call, gint64 template_id, gint64 ca_id, const char *name, GError **error)
{
  return sign_template (call, template_id, "template", ca_id, name, NULL, error);
}

/* sign NAME [ca=CA] [name=NEW] [ca-crl-host=HOST]: the model's sign, as RouterOS types it. */
gboolean
pkm_cert_sign (PkmCall *call, GError **error)
{
  const char *param = pkm_call_has (call, "numbers") ? "numbers" : "template";
  gint64 template_id = pkm_call_get_item (call, param);

  if (template_id <= 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: required", param);
      return FALSE;
    }
  return sign_template (call, template_id, param, pkm_call_get_item (call, "ca"), pkm_call_get_string (call, "name"),
                        pkm_call_get_string (call, "ca-crl-host"), error)
         > 0;
}
