/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "menus/pkm-cert-private.h"
#include "core/pkm-providers.h"

/* RSA keys from 4096 bits take seconds: say so before the wait. */
#define SLOW_RSA_BITS 4096

GBytes *
pkm_cert_der (PkmEntry *entry, GError **error)
{
  GBytes *der = pkm_entry_get_bytes (entry, "der");

  if (der == NULL)
    g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "\"%s\" is a template, not a certificate", entry->name);
  return der;
}

/* A CA here is a signed certificate with key-cert-sign whose key we hold. */
static gboolean
check_ca (PkmContext *ctx, PkmEntry *ca, GError **error)
{
  if (pkm_entry_is_template (ca))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "ca: \"%s\" is a template; sign it first", ca->name);
      return FALSE;
    }
  if (!pkm_entry_get_bool (ca, "authority"))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                   "ca: \"%s\" is not a CA (it has no key-cert-sign key usage)", ca->name);
      return FALSE;
    }
  if (!pkm_keys_has (ctx, pkm_entry_get_string (ca, "key-id")))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "ca: \"%s\" has no private key here", ca->name);
      return FALSE;
    }
  if (pkm_entry_get_int (ca, "revoked", 0) != 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "ca: \"%s\" is revoked", ca->name);
      return FALSE;
    }
  return TRUE;
}

/* A bare host becomes http://host/crl/<CA serial>.crl, the path the CRL
 * publisher serves; a full URL is taken as it is. */
static char *
crl_url (const char *host, const char *ca_serial)
{
  if (host == NULL || *host == '\0')
    return NULL;
  if (strstr (host, "://") != NULL)
    return g_strdup (host);
  return g_strdup_printf ("http://%s/crl/%s.crl", host, ca_serial);
}

static char *
serial_hex (GBytes *serial)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (serial, &size);
  GString *hex = g_string_new (NULL);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (hex, "%02X", data[i]);
  return g_string_free (hex, FALSE);
}

typedef struct {
  PkmCertSpec spec;
  char **san;
  char **usages;
} PkmSignRequest;

static void
sign_request_clear (PkmSignRequest *req)
{
  g_strfreev (req->san);
  g_strfreev (req->usages);
  g_clear_pointer (&req->spec.serial, g_bytes_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PkmSignRequest, sign_request_clear)

static void
fill_spec (PkmSignRequest *req, PkmEntry *tpl, GBytes *serial, const char *crl)
{
  PkmCertSpec *spec = &req->spec;
  gint64 now = pkm_now ();
  guint64 days = pkm_entry_get_uint (tpl, "days-valid", 365);

  spec->struct_size = sizeof (PkmCertSpec);
  spec->country = pkm_entry_get_string (tpl, "country");
  spec->state = pkm_entry_get_string (tpl, "state");
  spec->locality = pkm_entry_get_string (tpl, "locality");
  spec->organization = pkm_entry_get_string (tpl, "organization");
  spec->unit = pkm_entry_get_string (tpl, "unit");
  spec->common_name = pkm_entry_get_string (tpl, "common-name");
  req->san = pkm_cert_san_items (pkm_entry_get_string (tpl, "subject-alt-name"));
  spec->san = (const char *const *) req->san;
  req->usages = pkm_entry_get_strv (tpl, "key-usage");
  pkm_key_usage_bits ((const char *const *) req->usages, &spec->key_usage, &spec->ext_key_usage);
  spec->is_ca = (spec->key_usage & PKM_KU_KEY_CERT_SIGN) != 0;
  spec->serial = g_bytes_ref (serial);
  spec->not_before = now;
  /* Beyond year 9999 the crypto plugin writes 99991231235959Z. */
  spec->not_after = days > (guint64) (G_MAXINT64 - now) / 86400 ? G_MAXINT64 : now + (gint64) days * 86400;
  spec->digest = pkm_digest_from_name (pkm_entry_get_string (tpl, "digest-algorithm"));
  spec->crl_distribution_point = crl;
}

static PkmSecret *
generate_key (PkmCall *call, PkmEntry *tpl, GError **error)
{
  const char *key_size = pkm_entry_get_string (tpl, "key-size");
  PkmKeySpec key_spec = { 0 };

  if (!pkm_key_spec_from_size (key_size, &key_spec))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "key-size: %s is not known", key_size);
      return NULL;
    }
  if (key_spec.type == PKM_KEY_TYPE_RSA && key_spec.bits >= SLOW_RSA_BITS)
    pkm_call_progress (call, "progress: generating a %u-bit RSA key for \"%s\", this takes a while", key_spec.bits,
                       tpl->name);
  return pkm_crypto_generate_key (pkm_call_get_context (call), &key_spec, error);
}

/* Everything the issuing side contributes: its certificate, key and CRL host. */
typedef struct {
  PkmEntry *entry; /* NULL: self-signed */
  GBytes *der;
  PkmSecret *key;
} PkmIssuer;

static void
issuer_clear (PkmIssuer *issuer)
{
  g_clear_pointer (&issuer->entry, pkm_entry_free);
  g_clear_pointer (&issuer->der, g_bytes_unref);
  g_clear_pointer (&issuer->key, pkm_secret_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PkmIssuer, issuer_clear)

static gboolean
load_issuer (PkmCall *call, PkmIssuer *issuer, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);

  if (!pkm_call_has (call, "ca"))
    return TRUE;
  issuer->entry = pkm_cert_load_param (call, "ca", error);
  if (issuer->entry == NULL || !check_ca (ctx, issuer->entry, error))
    return FALSE;
  issuer->der = pkm_cert_der (issuer->entry, error);
  if (issuer->der == NULL)
    return FALSE;
  issuer->key = pkm_keys_get (ctx, pkm_entry_get_string (issuer->entry, "key-id"), error);
  return issuer->key != NULL;
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
  g_variant_dict_insert (entry->dict, "crl", "b", g_strv_length (info->crl_distribution_points) > 0);
  if (crl_host != NULL)
    pkm_entry_set_string (entry, "ca-crl-host", crl_host);
  if (issuer->entry != NULL)
    {
      g_variant_dict_insert (entry->dict, "ca-id", "x", issuer->entry->id);
      pkm_entry_set_string (entry, "ca-fingerprint", pkm_entry_get_string (issuer->entry, "fingerprint"));
    }
  return pkm_entry_save (ctx, entry, error);
}

gboolean
pkm_cert_sign (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (PkmEntry) tpl = load_template (call, error);
  g_auto (PkmIssuer) issuer = { 0 };
  g_auto (PkmSignRequest) req = { 0 };
  g_autoptr (PkmSecret) key = NULL;
  g_autoptr (GBytes) spki = NULL, serial = NULL, der = NULL;
  g_autofree char *key_id = NULL, *crl = NULL, *issuer_serial = NULL;
  const char *crl_host;
  const char *name;

  if (tpl == NULL || !load_issuer (call, &issuer, error))
    return FALSE;
  name = pkm_call_has (call, "name") ? pkm_call_get_string (call, "name") : tpl->name;
  if (!pkm_cert_check_name_free (call, "name", name, tpl->id, error))
    return FALSE;
  crl_host = pkm_call_get_string (call, "ca-crl-host");
  if (crl_host == NULL && issuer.entry != NULL)
    crl_host = pkm_entry_get_string (issuer.entry, "ca-crl-host");

  key = generate_key (call, tpl, error);
  if (key == NULL || (spki = pkm_crypto_public_key (ctx, key, error)) == NULL
      || (serial = pkm_random_serial (ctx, error)) == NULL)
    return FALSE;
  issuer_serial = issuer.entry != NULL ? g_strdup (pkm_entry_get_string (issuer.entry, "serial-number"))
                                       : serial_hex (serial);
  crl = crl_url (crl_host, issuer_serial);
  fill_spec (&req, tpl, serial, crl);
  der = pkm_crypto_sign_certificate (ctx, &req.spec, spki, issuer.der, issuer.entry != NULL ? issuer.key : key,
                                     error);
  key_id = pkm_key_id (spki);
  if (der == NULL || !pkm_keys_put (ctx, key, key_id, error))
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
