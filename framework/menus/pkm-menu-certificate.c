/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "menus/pkm-cert-private.h"
#include "model/pkm-model.h"

/* /certificate: the RouterOS menu, as tables. A property is one line here. */

static const char *const export_types[] = { "pem", "pkcs12", NULL };

/* One rule for every passphrase that protects a key pkiman writes. */
#define NEW_PASSPHRASE_MIN 8
#define PASSPHRASE_MAX 1024

/* add and set: the template properties of pkm-cert-properties.c, and their own. */
#define MAX_PARAMS 48
static PkmParam add_params[MAX_PARAMS];
static PkmParam set_params[MAX_PARAMS];

static const PkmParam sign_params[] = {
  { "numbers", PKM_PARAM_ITEM, PKM_PARAM_POSITIONAL, NULL, 0, 0, "/certificate", "the template to sign" },
  { "template", PKM_PARAM_ITEM, 0, NULL, 0, 0, "/certificate", "the template to sign (v6 form)" },
  { "ca", PKM_PARAM_ITEM, 0, NULL, 0, 0, "/certificate", "the CA that signs; none: self-signed" },
  { "ca-crl-host", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "host (or URL) of the CRL distribution point" },
  { "name", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "name of the signed certificate" },
  { NULL },
};

static const PkmParam item_params[] = {
  { "numbers", PKM_PARAM_ITEM, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, "/certificate", "item" },
  { NULL },
};

static const PkmParam revoke_params[] = {
  { "numbers", PKM_PARAM_ITEM, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, "/certificate", "item" },
  { "reason", PKM_PARAM_ENUM, 0, pkm_revocation_reason_choices, 0, 0, NULL,
    "RFC 5280 CRLReason for the CRL (default unspecified)" },
  { NULL },
};

static const PkmParam export_params[] = {
  { "numbers", PKM_PARAM_ITEM, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, "/certificate", "item" },
  { "type", PKM_PARAM_ENUM, 0, export_types, 0, 0, NULL, "pem (default) or pkcs12" },
  { "export-passphrase", PKM_PARAM_STRING, PKM_PARAM_SECRET, NULL, NEW_PASSPHRASE_MIN, PASSPHRASE_MAX, NULL,
    "encrypts the exported key (at least 8 characters; none: no key)" },
  { "file-name", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "file name without extension" },
  { NULL },
};

static const PkmParam import_params[] = {
  { "file-name", PKM_PARAM_STRING, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, NULL, "file to import" },
  { "passphrase", PKM_PARAM_STRING, PKM_PARAM_SECRET, NULL, 0, PASSPHRASE_MAX, NULL,
    "opens encrypted keys and PKCS#12" },
  { "name", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "name of the first certificate; the next get name_1, ..." },
  { "trusted", PKM_PARAM_BOOL, 0, NULL, 0, 0, NULL, "put the certificates in the trust store (default yes)" },
  { "no-key-export", PKM_PARAM_BOOL, 0, NULL, 0, 0, NULL, "the imported keys can never be exported" },
  { "trust-store", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "services that may use them for verification" },
  { NULL },
};

static const PkmParam create_request_params[] = {
  { "template", PKM_PARAM_ITEM, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, "/certificate", "template" },
  /* Required unless the template's key is on a token: the handler says which. */
  { "key-passphrase", PKM_PARAM_STRING, PKM_PARAM_SECRET, NULL, NEW_PASSPHRASE_MIN, PASSPHRASE_MAX, NULL,
    "encrypts certificate-request_key.pem (at least 8 characters; none with key-uri)" },
  { "challenge-passphrase", PKM_PARAM_STRING, PKM_PARAM_SECRET, NULL, 0, 255, NULL, "challengePassword attribute" },
  { NULL },
};

static const PkmParam sign_request_params[] = {
  { "ca", PKM_PARAM_ITEM, PKM_PARAM_REQUIRED, NULL, 0, 0, "/certificate", "the CA that signs" },
  { "file-name", PKM_PARAM_STRING, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, NULL, "the CSR (PEM or DER)" },
  { "days-valid", PKM_PARAM_UINT, 0, NULL, 0, G_MAXUINT32, NULL, "validity in days (default 365)" },
  { "digest-algorithm", PKM_PARAM_ENUM, 0, pkm_digest_names, 0, 0, NULL, "signature hash (default sha256)" },
  { "name", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "name of the issued certificate (default issued_<n>)" },
  { "allow-ca", PKM_PARAM_BOOL, 0, NULL, 0, 0, NULL, "issue a CA when the request asks for one (default no)" },
  { NULL },
};

static const PkmCommand commands[] = {
  { "add", pkm_cert_add, add_params, PKM_COMMAND_WRITE, "add a template" },
  { "set", pkm_cert_set, set_params, PKM_COMMAND_WRITE, "change a template, or a certificate's name and trust" },
  { "sign", pkm_cert_sign, sign_params, PKM_COMMAND_WRITE, "sign a template: self-signed or by ca=" },
  { "remove", pkm_cert_remove, item_params, PKM_COMMAND_WRITE, "remove a template or certificate" },
  { "issued-revoke", pkm_cert_issued_revoke, revoke_params, PKM_COMMAND_WRITE, "revoke a locally issued certificate" },
  { "create-certificate-request", pkm_cert_create_request, create_request_params, PKM_COMMAND_WRITE,
    "write a CSR and its encrypted key from a template" },
  { "sign-certificate-request", pkm_cert_sign_request, sign_request_params, PKM_COMMAND_WRITE,
    "issue a certificate from a CSR file" },
  { "import", pkm_cert_import, import_params, PKM_COMMAND_WRITE, "import certificates and keys from a file" },
  { "export-certificate", pkm_cert_export, export_params, PKM_COMMAND_WRITE, "write the certificate (and key) to files" },
  { NULL },
};

static PkmMenu menu = {
  PKM_MENU_SIZES,
  .path = "/certificate",
  .help = "certificates, templates and the local CA",
  .commands = commands,
  .list = pkm_cert_list,
  .lookup = pkm_cert_lookup,
  .get = pkm_cert_get,
  /* A signed certificate is not made again by add: only templates are exported. */
  .export_where = "template",
};

static void
build (void)
{
  static const PkmParam copy_from = { "copy-from", PKM_PARAM_ITEM, 0, NULL, 0, 0, "/certificate",
                                      "copy the general settings of this item" };
  static const PkmParam numbers = { "numbers", PKM_PARAM_ITEM, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0,
                                    "/certificate", "item" };
  guint n;

  n = pkm_cert_template_params (add_params, MAX_PARAMS - 2);
  add_params[n] = copy_from;
  set_params[0] = numbers;
  n = pkm_cert_template_params (set_params + 1, MAX_PARAMS - 2);
  /* set changes only what it is given: it has no defaults. */
  for (guint i = 1; i <= n; i++)
    set_params[i].default_value = NULL;
  menu.flags = pkm_cert_flags ();
  menu.columns = pkm_cert_columns ();
  menu.fields = pkm_cert_fields ();
}

const PkmMenu *
pkm_menu_certificate_get (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      build ();
      g_once_init_leave (&done, 1);
    }
  return &menu;
}
