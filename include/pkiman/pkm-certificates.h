/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>
#include <pkiman/pkm-crypto.h>
#include <pkiman/pkm-menu.h>

PKM_BEGIN_DECLS

/* The /certificate model, for plugins (SCEP, ACME, CRL, monitoring): the
 * functions the /certificate commands themselves are made of. Each runs
 * inside the transaction of @call: a command handler's, or one that
 * pkm_context_transact opened. Certificates and templates are given as items:
 * the a{sv} that /certificate print shows (".id" x, "name" s,
 * "serial-number" s, "fingerprint" s, "invalid-after" s, "expired" b, ...),
 * with the properties other plugins add to the menu. Since: 2 */

#define PKM_CERTIFICATE_MENU "/certificate"

typedef enum {
  PKM_CERT_BY_ID = 1,          /* "*1A" */
  PKM_CERT_BY_NAME = 2,
  PKM_CERT_BY_SERIAL = 3,      /* hex as print shows it; case is ignored */
  PKM_CERT_BY_FINGERPRINT = 4, /* SHA-256 of the DER, hex; case is ignored */
  PKM_CERT_BY_SKID = 5,        /* subjectKeyIdentifier, hex; case is ignored */
} PkmCertLookup;

/* (transfer full): the item, or NULL with PKM_ERROR_NOT_FOUND. A serial or
 * SKID that several certificates share gives the first (lowest .id). */
GVariant *pkm_certificates_lookup (PkmCall *call, PkmCertLookup by, const char *value, GError **error);
/* (transfer full): the certificate @issuer (an RFC 4514 subject, as print's
 * "issuer" shows it) issued with serial @serial: what SCEP's GetCert and CMS
 * name. NULL with PKM_ERROR_NOT_FOUND. */
GVariant *pkm_certificates_lookup_issuer_serial (PkmCall *call, const char *issuer, const char *serial,
                                                 GError **error);
/* (transfer full) (element-type GVariant): every item, in print's order, that
 * @where (a print where condition, nullable for all) matches. */
GPtrArray *pkm_certificates_list (PkmCall *call, const char *where, GError **error);
/* (transfer full): the DER of the signed certificate @id; PKM_ERROR_INVALID_ARGUMENT for a template. */
GBytes *pkm_certificates_get_der (PkmCall *call, gint64 id, GError **error);
/* (transfer full): the private key of certificate @id, from the sealed
 * keyring or the token that holds it (what a TLS server presents it with);
 * PKM_ERROR_NOT_FOUND when there is none here. Since: 4 */
PkmKey *pkm_certificates_get_key (PkmCall *call, gint64 id, GError **error);

/* Signs template @template_id with the CA @ca_id (0: self-signed), as
 * `/certificate sign` does; @name (nullable) names the certificate. Returns
 * the certificate's id (the template's own), or 0 with @error. */
gint64 pkm_certificates_sign (PkmCall *call, gint64 template_id, gint64 ca_id, const char *name, GError **error);

/* How a CSR is issued. Members are appended only: set @struct_size. */
typedef struct {
  guint32 struct_size; /* sizeof (PkmIssueOptions) of the caller */
  guint32 days_valid;  /* 0: 365 */
  PkmDigest digest;    /* NONE: sha256 */
  const char *name;    /* (nullable) the new certificate's name; NULL: issued_<n> */
  gboolean allow_ca;   /* issue a CA when the request asks for one */
} PkmIssueOptions;
#define PKM_ISSUE_OPTIONS_INIT { .struct_size = sizeof (PkmIssueOptions) }

/* Issues a certificate for a PKCS#10 request (DER or PEM) with the CA
 * @ca_id, as `/certificate sign-certificate-request` does (the SCEP server
 * issues through this). Returns the new certificate's id, or 0 with @error. */
gint64 pkm_certificates_issue_csr (PkmCall *call, GBytes *csr, gint64 ca_id, const PkmIssueOptions *options,
                                   GError **error);

/* RFC 5280 CRLReason values. Append-only. */
typedef enum {
  PKM_REVOCATION_UNSPECIFIED = 0,
  PKM_REVOCATION_KEY_COMPROMISE = 1,
  PKM_REVOCATION_CA_COMPROMISE = 2,
  PKM_REVOCATION_AFFILIATION_CHANGED = 3,
  PKM_REVOCATION_SUPERSEDED = 4,
  PKM_REVOCATION_CESSATION_OF_OPERATION = 5,
  PKM_REVOCATION_CERTIFICATE_HOLD = 6,
  PKM_REVOCATION_PRIVILEGE_WITHDRAWN = 9,
  PKM_REVOCATION_AA_COMPROMISE = 10,
} PkmRevocationReason;

/* Revokes the certificate @id that a CA of this store issued, as
 * `/certificate issued-revoke` does, keeping @reason for the CRL; emits
 * certificate-revoked after the commit. */
gboolean pkm_certificates_revoke (PkmCall *call, gint64 id, PkmRevocationReason reason, GError **error);

/* One revocation of a local CA, as its CRL lists it. Since: 6 */
typedef struct {
  const char *serial;         /* upper-case hex, as print shows it */
  gint64 time;                /* Unix seconds */
  PkmRevocationReason reason;
} PkmRevocation;

/* FALSE stops the walk (not an error). */
typedef gboolean (*PkmRevocationFunc) (const PkmRevocation *revocation, gpointer user_data);

/* Calls @func for every revocation of the local CA @ca_id, in the order
 * they were made, from the revocation index: no certificate is read, so a
 * CRL of a million entries is one indexed scan. Since: 6 */
gboolean pkm_certificates_foreach_revocation (PkmCall *call, gint64 ca_id, PkmRevocationFunc func,
                                              gpointer user_data, GError **error);

/* What a revocation list says of a certificate. Append-only. Since: 6 */
typedef enum {
  PKM_CRL_STATUS_NONE = 0,    /* no CRL of its issuer here */
  PKM_CRL_STATUS_GOOD = 1,    /* a current CRL of its issuer does not list it */
  PKM_CRL_STATUS_REVOKED = 2, /* its issuer's CRL lists it */
  PKM_CRL_STATUS_STALE = 3,   /* its issuer's CRL is past its nextUpdate and does not list it */
} PkmCrlStatus;

/* Where the certificate model learns revocation (the CRL plugin): print's
 * "crl" (flag L: its issuer's CRL is here), "revoked" (flag R: revoked
 * here, or listed on a CRL) and "chain-status" ("revoked", and with
 * enforcement "crl-unavailable" for an issuer without a current CRL), for
 * every certificate of the chain. Members are appended only. Since: 6 */
typedef struct {
  guint32 struct_size; /* sizeof (PkmRevocationChecker) of the caller */
  /* Once per listing, inside its transaction, before any check: loads what
   * the checks read. NULL without an error when there is nothing to check;
   * *@out_enforce: whether a missing or stale CRL makes a chain
   * "crl-unavailable" (crl-use=yes). */
  gpointer (*begin) (PkmCall *call, gpointer user_data, gboolean *out_enforce, GError **error);
  /* The status of the certificate with @serial (upper-case hex) issued by
   * the stored certificate @issuer_fingerprint (as print's fingerprint);
   * *@out_revoked: when REVOKED, the revocation time. O(1) or O(log n): it
   * runs for every certificate listed. */
  PkmCrlStatus (*check) (gpointer state, const char *issuer_fingerprint, const char *serial, gint64 *out_revoked);
  void (*end) (gpointer state);
} PkmRevocationChecker;

/* From init: sets the one checker (a second is PKM_ERROR_EXISTS). @checker
 * and @user_data must stay valid while the context lives. Since: 6 */
gboolean pkm_context_set_revocation_checker (PkmContext *ctx, const PkmRevocationChecker *checker,
                                             gpointer user_data, GError **error);

/* How import reads what it is given. Members are appended only: set @struct_size. */
typedef struct {
  guint32 struct_size;     /* sizeof (PkmImportOptions) of the caller */
  const char *passphrase;  /* (nullable) opens encrypted keys and PKCS#12 */
  const char *name;        /* (nullable) the first certificate's name, the next name_1...; NULL: from @source */
  gboolean untrusted;      /* the certificates stay out of the trust store (default: in it) */
  const char *trust_store; /* (nullable) the services that may use them */
  gboolean no_key_export;  /* the keys can never be exported */
} PkmImportOptions;
#define PKM_IMPORT_OPTIONS_INIT { .struct_size = sizeof (PkmImportOptions) }

/* Imports the certificates and keys in @data (PEM with any number of them,
 * DER, PKCS#12), as `/certificate import` does: all checked before anything
 * is stored, duplicates skipped, keys matched to certificates in either
 * order. @source (nullable) names the data in errors and new names.
 * @out_certificates, @out_keys (nullable): how many were new. */
gboolean pkm_certificates_import (PkmCall *call, GBytes *data, const char *source, const PkmImportOptions *options,
                                  guint64 *out_certificates, guint64 *out_keys, GError **error);

/* Work outside a command (a timer, an HTTP route, an event handler): @func
 * runs with a call of its own (@actor for the audit log) inside a read or
 * write transaction, committed when it returns TRUE, rolled back otherwise,
 * and run again from the start when it lost a write conflict. */
typedef gboolean (*PkmTransactFunc) (PkmCall *call, gpointer user_data, GError **error);
gboolean pkm_context_transact (PkmContext *ctx, gboolean write, const char *actor, PkmTransactFunc func,
                               gpointer user_data, GError **error);

PKM_END_DECLS
