/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "menus/pkm-cert-private.h"

/* What sign, create-certificate-request and sign-certificate-request share:
 * the CA checks, key generation and the certificate spec from a template. */

/* RSA keys from 4096 bits take seconds: say so before the wait. */
#define SLOW_RSA_BITS 4096

/* A CA here is a signed certificate with key-cert-sign whose key we hold. */
gboolean
pkm_cert_check_ca (PkmContext *ctx, PkmEntry *ca, GError **error)
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
  if (!pkm_entry_has_private_key (ctx, ca))
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
char *
pkm_cert_crl_url (const char *host, const char *ca_serial)
{
  if (host == NULL || *host == '\0')
    return NULL;
  if (strstr (host, "://") != NULL)
    return g_strdup (host);
  return g_strdup_printf ("http://%s/crl/%s.crl", host, ca_serial);
}

char *
pkm_serial_hex (GBytes *serial)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (serial, &size);
  GString *hex = g_string_new (NULL);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (hex, "%02X", data[i]);
  return g_string_free (hex, FALSE);
}

void
pkm_sign_request_clear (PkmSignRequest *req)
{
  g_strfreev (req->san);
  g_strfreev (req->usages);
  g_clear_pointer (&req->spec.serial, g_bytes_unref);
}

/* A certificate is never valid past its CA: a longer validity ends where the
 * CA's does, and the command says so; a CA that has expired issues nothing. */
static gboolean
clamp_to_ca (PkmCall *call, PkmCertSpec *spec, PkmEntry *ca, GError **error)
{
  gint64 ca_end = ca != NULL ? pkm_entry_get_int (ca, "invalid-after", G_MAXINT64) : G_MAXINT64;
  g_autofree char *when = NULL;

  if (spec->not_after <= ca_end)
    return TRUE;
  when = pkm_format_time (ca_end);
  if (ca_end <= spec->not_before)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "ca: \"%s\" expired at %s; it cannot issue",
                   ca->name, when);
      return FALSE;
    }
  spec->not_after = ca_end;
  pkm_call_print (call, "days-valid: clamped to the CA's invalid-after %s", when);
  return TRUE;
}

gboolean
pkm_sign_request_fill (PkmCall *call, PkmSignRequest *req, PkmEntry *tpl, PkmEntry *ca, GBytes *serial,
                       const char *crl, GError **error)
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
  return clamp_to_ca (call, spec, ca, error);
}

/* The key is kept in the call under its template and size: a re-run after a
 * write conflict reuses it, so it is generated (and announced) once. */
PkmSecret *
pkm_cert_generate_key (PkmCall *call, PkmEntry *tpl, GError **error)
{
  const char *key_size = pkm_entry_get_string (tpl, "key-size");
  PkmKeySpec key_spec = { 0 };
  g_autofree char *cache_key = NULL;
  PkmSecret *key;

  if (!pkm_key_spec_from_size (key_size, &key_spec))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "key-size: %s is not known", key_size);
      return NULL;
    }
  cache_key = g_strdup_printf ("pkm-cert-generate-key:%" G_GINT64_FORMAT ":%d:%u:%s", tpl->id, key_spec.type,
                               key_spec.bits, key_spec.curve != NULL ? key_spec.curve : "");
  key = pkm_call_get_data (call, cache_key);
  if (key != NULL)
    return pkm_secret_dup (key);
  if (key_spec.type == PKM_KEY_TYPE_RSA && key_spec.bits >= SLOW_RSA_BITS)
    pkm_call_progress (call, "progress: generating a %u-bit RSA key for \"%s\", this takes a while", key_spec.bits,
                       tpl->name);
  key = pkm_crypto_generate_key (pkm_call_get_context (call), &key_spec, error);
  if (key != NULL)
    pkm_call_set_data (call, cache_key, pkm_secret_dup (key), (GDestroyNotify) pkm_secret_free);
  return key;
}

PkmKey *
pkm_cert_template_key (PkmCall *call, PkmEntry *tpl, PkmSecret **out_new, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  const char *uri = pkm_entry_get_string (tpl, "key-uri");
  g_autoptr (PkmSecret) key = NULL;
  PkmKey *handle;

  *out_new = NULL;
  if (uri != NULL)
    {
      handle = pkm_context_find_key (ctx, uri, error);
      if (handle == NULL)
        g_prefix_error (error, "key-uri: ");
      return handle;
    }
  key = pkm_cert_generate_key (call, tpl, error);
  /* Not stored yet: its key id comes from the public key the handle gives. */
  handle = key != NULL ? pkm_crypto_load_key (ctx, key, NULL, error) : NULL;
  if (handle != NULL)
    *out_new = g_steal_pointer (&key);
  return handle;
}

void
pkm_issuer_clear (PkmIssuer *issuer)
{
  g_clear_pointer (&issuer->entry, pkm_entry_free);
  g_clear_pointer (&issuer->der, g_bytes_unref);
  g_clear_pointer (&issuer->key, pkm_key_unref);
}

gboolean
pkm_issuer_load_id (PkmCall *call, gint64 ca_id, PkmIssuer *issuer, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);

  if (ca_id == 0)
    return TRUE;
  issuer->entry = pkm_entry_load (ctx, ca_id, error);
  if (issuer->entry == NULL || !pkm_cert_check_ca (ctx, issuer->entry, error))
    return FALSE;
  issuer->der = pkm_cert_der (issuer->entry, error);
  if (issuer->der == NULL)
    return FALSE;
  issuer->key = pkm_entry_get_private_key (ctx, issuer->entry, error);
  /* A token's answer names the CA; the master key's own errors say what to fix as they are. */
  if (issuer->key == NULL && pkm_entry_get_string (issuer->entry, "key-uri") != NULL)
    g_prefix_error (error, "ca: \"%s\": ", issuer->entry->name);
  return issuer->key != NULL;
}

gboolean
pkm_issuer_load (PkmCall *call, PkmIssuer *issuer, GError **error)
{
  return pkm_issuer_load_id (call, pkm_call_get_item (call, "ca"), issuer, error);
}

