/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "menus/pkm-cert-private.h"
#include <pkiman/pkm-files.h>

/* The CA chain of a locally issued certificate, issuer first, for PKCS#12. */
static GPtrArray *
issuer_chain (PkmContext *ctx, PkmEntry *entry, GError **error)
{
  g_autoptr (GPtrArray) chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gint64 ca_id = pkm_entry_get_int (entry, "ca-id", 0);

  /* Bounded: a chain longer than this is a loop in corrupt data. */
  for (guint depth = 0; ca_id != 0 && depth < 16; depth++)
    {
      g_autoptr (PkmEntry) ca = pkm_entry_load (ctx, ca_id, error);
      if (ca == NULL)
        return NULL;
      g_ptr_array_add (chain, pkm_entry_get_bytes (ca, "der"));
      ca_id = pkm_entry_get_int (ca, "ca-id", 0);
    }
  return g_steal_pointer (&chain);
}

static PkmSecret *
stays_on_token (PkmEntry *entry, const char *uri, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_PERMISSION_DENIED,
               "export-passphrase: the key of \"%s\" stays on its token (%s) and cannot be exported", entry->name, uri);
  return NULL;
}

/* The PKCS#8 of a key the keyring may let go; a token's key never leaves it. */
static PkmSecret *
exportable_key (PkmContext *ctx, PkmEntry *entry, GError **error)
{
  const char *key_id = pkm_entry_get_string (entry, "key-id");
  g_autofree char *recorded_uri = pkm_keys_get_uri (ctx, key_id);
  const char *uri = pkm_entry_get_string (entry, "key-uri");
  g_autoptr (PkmKey) key = NULL;
  g_autoptr (GError) local = NULL;
  PkmSecret *pkcs8;

  if (!pkm_entry_has_private_key (ctx, entry))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "export-passphrase: \"%s\" has no private key here",
                   entry->name);
      return NULL;
    }
  /* Said without asking the token, which need not be there to refuse. */
  if (uri != NULL || recorded_uri != NULL)
    return stays_on_token (entry, uri != NULL ? uri : recorded_uri, error);
  if (!pkm_keys_is_exportable (ctx, key_id))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_PERMISSION_DENIED,
                   "export-passphrase: the key of \"%s\" was imported with no-key-export=yes and cannot be exported",
                   entry->name);
      return NULL;
    }
  /* The master key's own errors (missing, open to others) say what to fix as they are. */
  key = pkm_entry_get_private_key (ctx, entry, error);
  if (key == NULL)
    return NULL;
  pkcs8 = pkm_key_export_pkcs8 (key, &local);
  if (pkcs8 == NULL && g_error_matches (local, PKM_ERROR, PKM_ERROR_PERMISSION_DENIED))
    return stays_on_token (entry, pkm_key_get_uri (key), error);
  if (pkcs8 == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return pkcs8;
}

static gboolean
export_pem (PkmCall *call, PkmEntry *entry, GBytes *der, const char *base, const char *passphrase, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GString) pem = pkm_pem_append (g_string_new (NULL), "CERTIFICATE", der);
  g_autofree char *crt = g_strconcat (base, ".crt", NULL);
  g_autofree char *key_file = g_strconcat (base, ".key", NULL);
  g_autoptr (PkmSecret) key = NULL;
  g_autoptr (GBytes) key_pem = NULL;

  /* Encrypting takes a PBKDF2 run: done once, even when the command runs again after a conflict. */
  key_pem = pkm_call_get_data (call, "export-key-pem");
  if (key_pem != NULL)
    g_bytes_ref (key_pem);
  else if (passphrase != NULL)
    {
      key = exportable_key (ctx, entry, error);
      if (key == NULL || (key_pem = pkm_crypto_export_key_pkcs8 (ctx, key, passphrase, error)) == NULL)
        return FALSE;
      pkm_call_set_data (call, "export-key-pem", g_bytes_ref (key_pem), (GDestroyNotify) g_bytes_unref);
    }
  if (!pkm_files_write ("file-name", crt, pem->str, pem->len, 0644, error))
    return FALSE;
  pkm_call_print (call, "exported %s", crt);
  if (key_pem != NULL)
    {
      if (!pkm_files_write ("file-name", key_file, g_bytes_get_data (key_pem, NULL), g_bytes_get_size (key_pem),
                            0600, error))
        return FALSE;
      pkm_call_print (call, "exported %s", key_file);
    }
  return PKM_AUDITED (call, "certificate,info", "\"%s\" exported to %s%s",
                    entry->name, crt, key_pem != NULL ? " with its encrypted key" : "");
}

static gboolean
export_pkcs12 (PkmCall *call, PkmEntry *entry, GBytes *der, const char *base, const char *passphrase,
               GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autofree char *p12 = g_strconcat (base, ".p12", NULL);
  g_autoptr (GPtrArray) certs = issuer_chain (ctx, entry, error);
  g_autoptr (PkmSecret) key = NULL;
  g_autoptr (GBytes) bundle = NULL;

  if (certs == NULL)
    return FALSE;
  g_ptr_array_insert (certs, 0, g_bytes_ref (der));
  if (passphrase != NULL && (key = exportable_key (ctx, entry, error)) == NULL)
    return FALSE;
  /* As for PEM: the bundle is encrypted once, whatever the re-runs. */
  bundle = pkm_call_get_data (call, "export-pkcs12");
  if (bundle != NULL)
    g_bytes_ref (bundle);
  else if ((bundle = pkm_crypto_export_pkcs12 (ctx, (GBytes *const *) certs->pdata, certs->len, key,
                                               passphrase != NULL ? passphrase : "", entry->name, error)) != NULL)
    pkm_call_set_data (call, "export-pkcs12", g_bytes_ref (bundle), (GDestroyNotify) g_bytes_unref);
  if (bundle == NULL
      || !pkm_files_write ("file-name", p12, g_bytes_get_data (bundle, NULL), g_bytes_get_size (bundle),
                           key != NULL ? 0600 : 0644, error))
    return FALSE;
  pkm_call_print (call, "exported %s", p12);
  return PKM_AUDITED (call, "certificate,info", "\"%s\" exported to %s%s",
                    entry->name, p12, key != NULL ? " with its encrypted key" : "");
}

gboolean
pkm_cert_export (PkmCall *call, GError **error)
{
  g_autoptr (PkmEntry) entry = pkm_cert_load_param (call, "numbers", error);
  g_autoptr (GBytes) der = NULL;
  g_autofree char *default_name = NULL;
  g_autofree char *base = NULL;
  const char *passphrase = pkm_call_get_string (call, "export-passphrase");
  const char *type = pkm_call_get_string (call, "type");

  if (entry == NULL || (der = pkm_cert_der (entry, error)) == NULL)
    return FALSE;
  if (passphrase != NULL && *passphrase == '\0')
    passphrase = NULL;
  default_name = g_strconcat ("cert_export_", entry->name, NULL);
  base = pkm_files_resolve (call, "file-name",
                            pkm_call_has (call, "file-name") ? pkm_call_get_string (call, "file-name") : default_name,
                            error);
  if (base == NULL)
    return FALSE;
  if (g_strcmp0 (type, "pkcs12") == 0)
    return export_pkcs12 (call, entry, der, base, passphrase, error);
  return export_pem (call, entry, der, base, passphrase, error);
}
