/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "menus/pkm-menus.h"
#include "model/pkm-model.h"

/* /certificate: the RouterOS menu, as tables. A property is one line here. */

static const char *const export_types[] = { "pem", "pkcs12", NULL };

/* One rule for every passphrase that protects a key pkiman writes. */
#define NEW_PASSPHRASE_MIN 8
#define PASSPHRASE_MAX 1024

const char *const pkm_template_string_fields[] = {
  "common-name", "country", "state", "locality", "organization", "unit", "subject-alt-name", NULL,
};

#define TEMPLATE_PARAMS                                                                                          \
  { "name", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "name of the certificate" },                                \
  { "common-name", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "CN of the subject" },                               \
  { "country", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "C of the subject" },                                    \
  { "state", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "ST of the subject" },                                     \
  { "locality", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "L of the subject" },                                   \
  { "organization", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "O of the subject" },                               \
  { "unit", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "OU of the subject" },                                      \
  { "subject-alt-name", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "DNS:name,IP:address,email:address" },          \
  { "days-valid", PKM_PARAM_UINT, 0, NULL, 0, G_MAXUINT32, NULL, "validity in days (default 365)" },           \
  { "key-size", PKM_PARAM_ENUM, 0, pkm_key_size_names, 0, 0, NULL, "RSA bits or EC curve (default 2048)" },    \
  { "digest-algorithm", PKM_PARAM_ENUM, 0, pkm_digest_names, 0, 0, NULL, "signature hash (default sha256)" },  \
  { "key-usage", PKM_PARAM_ENUM_LIST, 0, pkm_key_usage_names, 0, 0, NULL, "key usages and extended ones" },     \
  { "trusted", PKM_PARAM_BOOL, 0, NULL, 0, 0, NULL, "include in the trust store" },                            \
  { "trust-store", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "services that may use it for verification" },        \
  { "key-uri", PKM_PARAM_STRING, 0, NULL, 0, 0, NULL, "a token's key (pkcs11:...) to sign with, not a new one" },

static const PkmParam add_params[] = {
  TEMPLATE_PARAMS
  { "copy-from", PKM_PARAM_ITEM, 0, NULL, 0, 0, "/certificate", "copy the general settings of this item" },
  { NULL },
};

static const PkmParam set_params[] = {
  { "numbers", PKM_PARAM_ITEM, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, "/certificate", "item" },
  TEMPLATE_PARAMS
  { NULL },
};

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
  { "issued-revoke", pkm_cert_issued_revoke, item_params, PKM_COMMAND_WRITE, "revoke a locally issued certificate" },
  { "create-certificate-request", pkm_cert_create_request, create_request_params, PKM_COMMAND_WRITE,
    "write a CSR and its encrypted key from a template" },
  { "sign-certificate-request", pkm_cert_sign_request, sign_request_params, PKM_COMMAND_WRITE,
    "issue a certificate from a CSR file" },
  { "import", pkm_cert_import, import_params, PKM_COMMAND_WRITE, "import certificates and keys from a file" },
  { "export-certificate", pkm_cert_export, export_params, PKM_COMMAND_WRITE, "write the certificate (and key) to files" },
  { NULL },
};

/* RouterOS v7 order; D (dynamic) has no meaning here. */
static const PkmFlag flags[] = {
  { 'K', "private-key", "PRIVATE-KEY" },
  { 'L', "crl", "CRL" },
  { 'C', "smart-card-key", "SMART-CARD-KEY" },
  { 'A', "authority", "AUTHORITY" },
  { 'I', "issued", "ISSUED" },
  { 'R', "revoked", "REVOKED" },
  { 'E', "expired", "EXPIRED" },
  { 'T', "trusted", "TRUSTED" },
  { 0 },
};

static const char *const columns[] = { "name", "common-name", "fingerprint", NULL };

static const char *const fields[] = {
  "name", "key-type", "common-name", "country", "state", "locality", "organization", "unit", "subject-alt-name",
  "key-size", "days-valid", "trusted", "trust-store", "key-usage", "digest-algorithm", "ca", "serial-number",
  "fingerprint", "akid", "skid", "invalid-before", "invalid-after", "expires-after", "revoked", "issuer",
  "subject", "ca-fingerprint", "ca-crl-host", "signature-algorithm", "chain-status", "authority", "private-key", "expired",
  "issued", "crl", "smart-card-key", "template", "key-uri", NULL,
};

const PkmMenu pkm_menu_certificate = {
  PKM_MENU_SIZES,
  .path = "/certificate",
  .help = "certificates, templates and the local CA",
  .commands = commands,
  .list = pkm_cert_list,
  .lookup = pkm_cert_lookup,
  .flags = flags,
  .columns = columns,
  .fields = fields,
};
