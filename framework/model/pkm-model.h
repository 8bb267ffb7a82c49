/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The certificate store model: entries (templates and certificates), private
 * keys, the audit log, and the RouterOS vocabularies that map onto X.509. */

#include <pkiman/pkiman.h>

G_BEGIN_DECLS

#define PKM_COLLECTION_CERTIFICATE "certificate"
#define PKM_COLLECTION_KEY "key"
#define PKM_COLLECTION_LOG "log"
/* Revocations, one record each (CA, serial, time, reason), indexed by CA:
 * a CRL is one indexed scan that decodes no certificate. */
#define PKM_COLLECTION_REVOCATION "revocation"

/* -- revocations (pkm-revocations.c) -- */
gboolean pkm_revocations_add (PkmContext *ctx, gint64 ca_id, const char *ca_fingerprint, gint64 certificate_id,
                              const char *serial, gint64 when, const char *reason, GError **error);
/* A removed CA's revocations go with it: no CRL can be signed for them. */
gboolean pkm_revocations_remove_for_ca (PkmContext *ctx, gint64 ca_id, GError **error);

/* RFC 5280 CRLReason names indexed by value ("" for the unused 7 and 8). */
#define PKM_REVOCATION_REASON_COUNT 11
extern const char *const pkm_revocation_reason_names[PKM_REVOCATION_REASON_COUNT + 1];

/* A listing's view of the revocation checker (PkmRevocationChecker): begun
 * once, asked for every certificate; everything is NONE without one. */
typedef struct {
  const PkmRevocationChecker *checker; /* NULL: nothing to check */
  gpointer state;
  gboolean enforce; /* crl-use: a missing or stale CRL breaks the chain */
} PkmRevocationScope;
gboolean pkm_revocation_begin (PkmCall *call, PkmRevocationScope *scope, GError **error);
PkmCrlStatus pkm_revocation_check (const PkmRevocationScope *scope, const char *issuer_fingerprint,
                                   const char *serial, gint64 *out_revoked);
void pkm_revocation_end (PkmRevocationScope *scope);

/* -- indexes (pkm-indexes.c) -- */
/* Declares the indexed fields of the core's collections; in a write transaction. */
gboolean pkm_model_declare_indexes (PkmContext *ctx, GError **error);

/* -- vocabularies (pkm-vocab.c) -- */
extern const char *const pkm_key_size_names[];     /* 1024 ... secp521r1 */
extern const char *const pkm_digest_names[];       /* md5 ... sha512 */
extern const char *const pkm_key_usage_names[];    /* digital-signature ... dvcs */
extern const char *const pkm_default_key_usage[];  /* RouterOS v7's default */
gboolean pkm_key_spec_from_size (const char *key_size, PkmKeySpec *spec);
char *pkm_key_size_from_info (const PkmCertInfo *info);
PkmDigest pkm_digest_from_name (const char *name);
/* The RouterOS name of @digest ("sha256" for NONE). */
const char *pkm_digest_name (PkmDigest digest);
/* The keyUsage and extendedKeyUsage bits of a RouterOS key-usage list. */
void pkm_key_usage_bits (const char *const *names, guint32 *key_usage, guint32 *ext_key_usage);
/* (transfer full): the RouterOS names of the bits, KU first. */
char **pkm_key_usage_names_from_bits (guint32 key_usage, guint32 ext_key_usage);
gboolean pkm_strv_contains (const char *const *strv, const char *value);

/* -- time (pkm-time.c) -- */
char *pkm_format_time (gint64 unix_time);      /* "2026-11-22 14:40:29", local time */
char *pkm_format_duration (gint64 seconds);    /* "1w2d3h4m5s" */
gint64 pkm_now (void);

/* -- entries (pkm-entry.c): a record being read or changed -- */
typedef struct {
  gint64 id;
  char *name;
  GVariantDict *dict;
} PkmEntry;

PkmEntry *pkm_entry_new (const char *name);
PkmEntry *pkm_entry_load (PkmContext *ctx, gint64 id, GError **error);
gint64 pkm_entry_insert (PkmContext *ctx, PkmEntry *entry, GError **error);
gboolean pkm_entry_save (PkmContext *ctx, PkmEntry *entry, GError **error);
void pkm_entry_free (PkmEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmEntry, pkm_entry_free)

gboolean pkm_entry_is_template (PkmEntry *entry);
/* (transfer none) (nullable) */
const char *pkm_entry_get_string (PkmEntry *entry, const char *key);
gboolean pkm_entry_get_bool (PkmEntry *entry, const char *key);
gint64 pkm_entry_get_int (PkmEntry *entry, const char *key, gint64 fallback);
guint64 pkm_entry_get_uint (PkmEntry *entry, const char *key, guint64 fallback);
/* (transfer full) (nullable) */
char **pkm_entry_get_strv (PkmEntry *entry, const char *key);
GBytes *pkm_entry_get_bytes (PkmEntry *entry, const char *key);
void pkm_entry_set_string (PkmEntry *entry, const char *key, const char *value);
/* Records a signed or imported certificate: its DER and what it says (pkm-entry-cert.c). */
void pkm_entry_set_certificate (PkmEntry *entry, GBytes *der, const PkmCertInfo *info);
/* Whether a certificate's private key is here: on a token (key-uri) or sealed (pkm-entry-key.c). */
gboolean pkm_entry_has_private_key (PkmContext *ctx, PkmEntry *entry);
/* (transfer full): a handle on a certificate's private key, wherever it lives. */
PkmKey *pkm_entry_get_private_key (PkmContext *ctx, PkmEntry *entry, GError **error);

/* -- private keys (pkm-keys.c), sealed under the master key -- */
/* Lower-case hex SHA-256 of a DER SubjectPublicKeyInfo: what ties a key to its certificates. */
char *pkm_key_id (GBytes *spki);
gboolean pkm_keys_put (PkmContext *ctx, PkmSecret *key, const char *key_id, GError **error);
/* As pkm_keys_put; @no_export marks the key unexportable for good (an existing key keeps the mark). */
gboolean pkm_keys_put_full (PkmContext *ctx, PkmSecret *key, const char *key_id, gboolean no_export,
                            GError **error);
/* Whether the key was imported with no-key-export=yes. */
gboolean pkm_keys_is_exportable (PkmContext *ctx, const char *key_id);
/* Records that the key @key_id lives at @uri (a token), unless a record is there. */
gboolean pkm_keys_put_uri (PkmContext *ctx, const char *key_id, const char *uri, GError **error);
/* (transfer full): a handle on the key: unsealed into the crypto plugin, or
 * found on its token; NULL with PKM_ERROR_NOT_FOUND when it is not held here. */
PkmKey *pkm_keys_get_key (PkmContext *ctx, const char *key_id, GError **error);
/* (transfer full) (nullable): where a key recorded by URI lives (a request's token key). */
char *pkm_keys_get_uri (PkmContext *ctx, const char *key_id);
/* An error unless @key's public key is the one @key_id names: a token's slot
 * may hold another key than the one a certificate was made for. */
gboolean pkm_keys_check_id (PkmKey *key, const char *key_id, GError **error);
gboolean pkm_keys_has (PkmContext *ctx, const char *key_id);
gboolean pkm_keys_remove (PkmContext *ctx, const char *key_id, GError **error);
/* (transfer full) (element-type utf8): the ids of every key held. */
GHashTable *pkm_keys_all_ids (PkmContext *ctx, GError **error);

/* -- audit log (pkm-audit.c) -- */
gboolean pkm_audit (PkmContext *ctx, const char *actor, const char *topics, GError **error, const char *format, ...)
  G_GNUC_PRINTF (5, 6);

/* -- PEM (pkm-pem.c) -- */
GString *pkm_pem_append (GString *out, const char *label, GBytes *der);

/* A bound on blocks per file: a CA bundle has a few hundred. */
#define PKM_PEM_MAX_BLOCKS 10000

typedef struct {
  char *label;      /* "CERTIFICATE", "ENCRYPTED PRIVATE KEY", ... */
  GBytes *armored;  /* the whole block, BEGIN to END line */
  GBytes *der;      /* the decoded body; NULL when it has headers (legacy encryption) or is empty */
} PkmPemBlock;

/* (element-type PkmPemBlock) (transfer full): every block in @text; an error
 * for a block without its END line. */
GPtrArray *pkm_pem_blocks (const char *text, gsize len, GError **error);

/* -- chains (pkm-chain.c) -- */
void pkm_chain_set_link (PkmEntry *entry, const char *issuer_fingerprint, gboolean signature_ok);
/* Links a certificate entering the store to its issuer there (or to itself), checking the signature. */
gboolean pkm_chain_link_to_store (PkmContext *ctx, PkmEntry *entry, const PkmCertInfo *info, GBytes *der,
                                  GError **error);
/* Links the stored certificates @issuer signed that had no issuer yet. */
gboolean pkm_chain_adopt_children (PkmContext *ctx, PkmEntry *issuer, GError **error);

typedef struct _PkmChainIndex PkmChainIndex;
/* @revocation (nullable, borrowed): what the CRLs say of each link. */
PkmChainIndex *pkm_chain_index_new (gint64 now, const PkmRevocationScope *revocation);
/* @record is borrowed and must outlive the index. */
void pkm_chain_index_add (PkmChainIndex *index, const PkmVardictView *record);
void pkm_chain_index_free (PkmChainIndex *index);
/* valid, revoked, expired, not-yet-valid, untrusted-root, missing-issuer or bad-signature */
const char *pkm_chain_status (PkmChainIndex *index, const PkmVardictView *record);

/* -- serials -- */
/* (transfer full): a positive random serial of 128 bits (127 of them random). */
GBytes *pkm_random_serial (PkmContext *ctx, GError **error);

G_END_DECLS
