/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "menus/pkm-cert-private.h"
#include <pkiman/pkm-files.h>

/* create-certificate-request: a PKCS#10 request and its encrypted key as files,
 * as RouterOS writes them; the key also stays here, sealed, so importing the
 * signed certificate later attaches it (K). */

#define CSR_FILE "certificate-request.pem"
#define CSR_KEY_FILE "certificate-request_key.pem"
/* A CSR is a few KiB; anything far larger is not one. */
#define CSR_MAX_FILE_SIZE (1024 * 1024)

/* key-passphrase encrypts the key file; a token's key has none, so there it is refused. */
static gboolean
check_key_passphrase (PkmEntry *tpl, const char *passphrase, GError **error)
{
  const char *uri = pkm_entry_get_string (tpl, "key-uri");
  gboolean given = passphrase != NULL && *passphrase != '\0';

  /* The length rule is the parameter's (pkm-menu-certificate.c); "" means none. */
  if (uri == NULL && !given)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "key-passphrase: required: it encrypts %s",
                   CSR_KEY_FILE);
      return FALSE;
    }
  if (uri != NULL && given)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                   "key-passphrase: the key of \"%s\" stays on its token (%s): no key file is written", tpl->name, uri);
      return FALSE;
    }
  return TRUE;
}

/* The new key is kept sealed; a token's key is recorded by its URI: either
 * way the signed certificate, imported later, finds its key (K). */
static gboolean
keep_key (PkmContext *ctx, PkmEntry *tpl, PkmSecret *new_key, const char *key_id, GError **error)
{
  if (new_key != NULL)
    return pkm_keys_put (ctx, new_key, key_id, error);
  return pkm_keys_put_uri (ctx, key_id, pkm_entry_get_string (tpl, "key-uri"), error);
}

/* The request, and the encrypted key unless it stays on its token (@key_pem NULL). */
static gboolean
write_request (const char *csr_path, GBytes *csr, const char *key_path, GBytes *key_pem, GError **error)
{
  g_autoptr (GString) pem = pkm_pem_append (g_string_new (NULL), "CERTIFICATE REQUEST", csr);

  return pkm_files_write ("template", csr_path, pem->str, pem->len, 0644, error)
         && (key_pem == NULL
             || pkm_files_write ("template", key_path, g_bytes_get_data (key_pem, NULL), g_bytes_get_size (key_pem),
                                 0600, error));
}

gboolean
pkm_cert_create_request (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (PkmEntry) tpl = pkm_cert_load_param (call, "template", error);
  const char *passphrase = pkm_call_get_string (call, "key-passphrase");
  g_auto (PkmSignRequest) req = { 0 };
  g_autoptr (PkmSecret) new_key = NULL;
  g_autoptr (PkmKey) key = NULL;
  g_autoptr (GBytes) spki = NULL, csr = NULL, key_pem = NULL, serial = NULL;
  g_autofree char *csr_path = NULL, *key_path = NULL, *key_id = NULL;

  if (tpl == NULL)
    return FALSE;
  if (!pkm_entry_is_template (tpl))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "template: \"%s\" is a certificate, not a template",
                   tpl->name);
      return FALSE;
    }
  if (!check_key_passphrase (tpl, passphrase, error)
      || (csr_path = pkm_files_resolve (call, "template", CSR_FILE, error)) == NULL
      || (key_path = pkm_files_resolve (call, "template", CSR_KEY_FILE, error)) == NULL)
    return FALSE;
  key = pkm_cert_template_key (call, tpl, &new_key, error);
  if (key == NULL || (spki = pkm_key_get_public_key (key, error)) == NULL
      || (serial = pkm_random_serial (ctx, error)) == NULL)
    return FALSE;
  if (!pkm_sign_request_fill (call, &req, tpl, NULL, serial, NULL, error))
    return FALSE;
  csr = pkm_crypto_create_csr (ctx, &req.spec, key, pkm_call_get_string (call, "challenge-passphrase"), error);
  if (csr == NULL
      || (new_key != NULL && (key_pem = pkm_crypto_export_key_pkcs8 (ctx, new_key, passphrase, error)) == NULL))
    return FALSE;
  key_id = pkm_key_id (spki);
  if (!keep_key (ctx, tpl, new_key, key_id, error) || !write_request (csr_path, csr, key_path, key_pem, error))
    return FALSE;
  pkm_context_emit (ctx, PKM_EVENT_CERTIFICATE_REMOVED, tpl->id);
  if (!pkm_store_remove (ctx, PKM_COLLECTION_CERTIFICATE, tpl->id, error))
    return FALSE;
  if (key_pem != NULL)
    pkm_call_print (call, "wrote %s and %s", CSR_FILE, CSR_KEY_FILE);
  else
    pkm_call_print (call, "wrote %s; the key stays on its token", CSR_FILE);
  return PKM_AUDITED (call, "certificate,info", "certificate request for \"%s\" written to %s", tpl->name, CSR_FILE);
}

/* The request's DER from DER or PEM bytes; @label names the source in errors. */
static GBytes *
csr_der (GBytes *bytes, const char *label, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GPtrArray) blocks = NULL;
  const char *data;
  gsize size = 0;

  data = g_bytes_get_data (bytes, &size);
  if (g_strstr_len (data, size, "-----BEGIN ") == NULL)
    return g_bytes_ref (bytes);
  blocks = pkm_pem_blocks (data, size, &local);
  if (blocks == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: %s", label, local->message);
      return NULL;
    }
  for (guint i = 0; i < blocks->len; i++)
    {
      PkmPemBlock *block = g_ptr_array_index (blocks, i);
      if (g_str_has_suffix (block->label, "CERTIFICATE REQUEST") && block->der != NULL)
        return g_bytes_ref (block->der);
    }
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: holds no CERTIFICATE REQUEST", label);
  return NULL;
}

/* The next free issued_<n>, as RouterOS names what its CA issues for others. */
static char *
issued_name (PkmContext *ctx)
{
  for (guint n = 1;; n++)
    {
      g_autofree char *name = g_strdup_printf ("issued_%u", n);
      if (pkm_store_find (ctx, PKM_COLLECTION_CERTIFICATE, name, NULL) == 0)
        return g_steal_pointer (&name);
    }
}

/* The template a CSR amounts to: its subject, SAN and requested usages. A CA
 * never signs a CA by accident: key-cert-sign and crl-sign are dropped unless
 * the operator says allow-ca=yes and the request asks to be a CA. */
static PkmEntry *
template_from_csr (const PkmCertInfo *info, const char *name, const PkmIssueOptions *options)
{
  PkmEntry *tpl = pkm_entry_new (name);
  g_autofree char *san = g_strjoinv (",", info->san);
  g_auto (GStrv) usages = NULL;
  guint32 ku = info->has_key_usage ? info->key_usage : (PKM_KU_DIGITAL_SIGNATURE | PKM_KU_KEY_ENCIPHERMENT);

  if (options->allow_ca && info->is_ca)
    ku |= PKM_KU_KEY_CERT_SIGN | PKM_KU_CRL_SIGN;
  else
    ku &= ~(guint32) (PKM_KU_KEY_CERT_SIGN | PKM_KU_CRL_SIGN);
  usages = pkm_key_usage_names_from_bits (ku, info->ext_key_usage);
  pkm_entry_set_string (tpl, "common-name", info->common_name);
  pkm_entry_set_string (tpl, "country", info->country);
  pkm_entry_set_string (tpl, "state", info->state);
  pkm_entry_set_string (tpl, "locality", info->locality);
  pkm_entry_set_string (tpl, "organization", info->organization);
  pkm_entry_set_string (tpl, "unit", info->unit);
  pkm_entry_set_string (tpl, "subject-alt-name", san);
  g_variant_dict_insert (tpl->dict, "key-usage", "^as", usages);
  g_variant_dict_insert (tpl->dict, "days-valid", "t", (guint64) (options->days_valid != 0 ? options->days_valid : 365));
  pkm_entry_set_string (tpl, "digest-algorithm", pkm_digest_name (options->digest != PKM_DIGEST_NONE
                                                                     ? options->digest : PKM_DIGEST_SHA256));
  return tpl;
}

/* Issues for @bytes (a CSR, DER or PEM) with the CA @ca_id; @label names
 * the request in errors about its content ("file-name: req.csr"), @from in
 * the log ("request req.csr"). */
static gint64
issue_csr (PkmCall *call, GBytes *bytes, gint64 ca_id, const PkmIssueOptions *caller_options, const char *label,
           const char *from, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  PkmIssueOptions options = PKM_ISSUE_OPTIONS_INIT;
  g_auto (PkmIssuer) issuer = { 0 };
  g_auto (PkmSignRequest) req = { 0 };
  g_autoptr (GBytes) csr = NULL, serial = NULL, der = NULL;
  g_autoptr (PkmCertInfo) request = NULL, info = NULL;
  g_autoptr (PkmEntry) entry = NULL;
  g_autofree char *name = NULL, *crl = NULL;
  g_autoptr (GError) local = NULL;

  /* The caller's options, as far as its struct goes. */
  if (caller_options != NULL)
    memcpy (&options, caller_options, MIN (caller_options->struct_size, sizeof options));
  if (ca_id <= 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "ca: required");
      return 0;
    }
  if (!pkm_issuer_load_id (call, ca_id, &issuer, error) || (csr = csr_der (bytes, label, error)) == NULL)
    return 0;
  request = pkm_crypto_parse_csr (ctx, csr, &local);
  if (request == NULL)
    {
      g_set_error (error, PKM_ERROR, local->code, "%s: %s", label, local->message);
      return 0;
    }
  name = options.name != NULL ? g_strdup (options.name) : issued_name (ctx);
  if (!pkm_cert_check_name_free (call, "name", name, 0, error) || (serial = pkm_random_serial (ctx, error)) == NULL)
    return 0;
  entry = template_from_csr (request, name, &options);
  if (!pkm_cert_check_bounds (entry, error))
    {
      g_prefix_error (error, "%s: ", label);
      return 0;
    }
  crl = pkm_cert_crl_url (pkm_entry_get_string (issuer.entry, "ca-crl-host"),
                          pkm_entry_get_string (issuer.entry, "serial-number"));
  if (!pkm_sign_request_fill (call, &req, entry, issuer.entry, serial, crl, error))
    return 0;
  der = pkm_crypto_sign_certificate (ctx, &req.spec, request->spki, issuer.der, issuer.key, error);
  info = der != NULL ? pkm_crypto_parse_certificate (ctx, der, error) : NULL;
  if (info == NULL)
    return 0;
  pkm_entry_set_certificate (entry, der, info);
  g_variant_dict_insert (entry->dict, "trusted", "b", FALSE);
  g_variant_dict_insert (entry->dict, "ca-id", "x", issuer.entry->id);
  pkm_entry_set_string (entry, "ca-fingerprint", pkm_entry_get_string (issuer.entry, "fingerprint"));
  pkm_chain_set_link (entry, pkm_entry_get_string (issuer.entry, "fingerprint"), TRUE);
  if (pkm_entry_insert (ctx, entry, error) <= 0)
    return 0;
  pkm_context_emit (ctx, PKM_EVENT_CERTIFICATE_SIGNED, entry->id);
  pkm_call_print (call, "issued \"%s\" for %s", name, info->subject);
  pkm_call_audit (call, "certificate,info", "\"%s\" issued by CA \"%s\" from %s, serial %s", name,
                  issuer.entry->name, from, info->serial);
  return entry->id;
}

gint64
pkm_certificates_issue_csr (PkmCall *call, GBytes *csr, gint64 ca_id, const PkmIssueOptions *options,
                            GError **error)
{
  return issue_csr (call, csr, ca_id, options, "csr", "a request", error);
}

/* sign-certificate-request FILE ca=CA [days-valid=] [digest-algorithm=] [name=] [allow-ca=] */
gboolean
pkm_cert_sign_request (PkmCall *call, GError **error)
{
  const char *file = pkm_call_get_string (call, "file-name");
  g_autofree char *path = pkm_files_resolve (call, "file-name", file, error);
  g_autoptr (GBytes) bytes = path != NULL ? pkm_files_read (path, "file-name", file, CSR_MAX_FILE_SIZE, error) : NULL;
  g_autofree char *label = g_strdup_printf ("file-name: %s", file), *from = g_strdup_printf ("request %s", file);
  PkmIssueOptions options = PKM_ISSUE_OPTIONS_INIT;

  if (bytes == NULL)
    return FALSE;
  options.days_valid = (guint32) pkm_call_get_uint (call, "days-valid", 365);
  options.digest = pkm_digest_from_name (pkm_call_has (call, "digest-algorithm")
                                           ? pkm_call_get_string (call, "digest-algorithm") : "sha256");
  options.name = pkm_call_get_string (call, "name");
  options.allow_ca = pkm_call_get_bool (call, "allow-ca", FALSE);
  return issue_csr (call, bytes, pkm_call_get_item (call, "ca"), &options, label, from, error) > 0;
}
