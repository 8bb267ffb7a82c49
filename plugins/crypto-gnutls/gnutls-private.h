/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/pkcs12.h>
#include <pkiman/pkiman.h>

G_BEGIN_DECLS

/* gnutls-util.c */
gboolean pkm_gnutls_fail (int rc, const char *what, PkmError code, GError **error);
gnutls_digest_algorithm_t pkm_gnutls_digest (PkmDigest digest);
PkmDigest pkm_gnutls_digest_from (gnutls_digest_algorithm_t digest);
char *pkm_gnutls_hex (const guint8 *data, gsize size, gboolean upper);
/* (transfer full): UTF-8 text of bytes a certificate carries; see gnutls-util.c. */
char *pkm_gnutls_text (const void *data, gsize size);
const char *pkm_gnutls_curve_name (gnutls_ecc_curve_t curve);
/* (transfer full): a GLib copy of a gnutls datum, which is then wiped and freed. */
GBytes *pkm_gnutls_take_datum (gnutls_datum_t *datum);
PkmSecret *pkm_gnutls_take_secret (gnutls_datum_t *datum);

/* A file chooses the iteration counts of its key derivations, up to 2^31:
 * minutes of CPU each. One file (a PKCS#12's MAC, bags and key, or one
 * encrypted key) may spend this many in all, about a quarter of a second;
 * certtool writes 3 x 600000, openssl 3 x 2048, Java 3 x 10000. */
#define PKM_GNUTLS_KDF_BUDGET 2000000
/* Takes @iterations from @budget, or fails saying what asked for too many.
 * The counts come from gnutls_pkcs12_mac_info, _bag_enc_info and
 * gnutls_pkcs8_info, always given an @oid to free: GnuTLS 3.7's
 * gnutls_pkcs12_mac_info leaks it on an unknown MAC when @oid is NULL. */
gboolean pkm_gnutls_kdf_spend (guint64 *budget, unsigned iterations, const char *what, GError **error);

/* gnutls-instance.c: what open returns, @self of every member. GnuTLS keeps
 * no per-caller state, so it holds nothing yet; a PKCS#11 module or a FIPS
 * switch from the config group would live here. */
typedef struct _PkmGnutls PkmGnutls;
gpointer pkm_gnutls_open (GKeyFile *config, GError **error);
void pkm_gnutls_close (gpointer self);

/* gnutls-keys.c */
gboolean pkm_gnutls_load_key (PkmSecret *key, gnutls_x509_privkey_t *out, GError **error);
gboolean pkm_gnutls_load_privkey (PkmSecret *key, gnutls_privkey_t *out, GError **error);
gboolean pkm_gnutls_random (gpointer self, void *buffer, gsize size, GError **error);
PkmSecret *pkm_gnutls_generate_key (gpointer self, const PkmKeySpec *spec, GError **error);
GBytes *pkm_gnutls_export_key_pkcs8 (gpointer self, PkmSecret *key, const char *passphrase, GError **error);
PkmSecret *pkm_gnutls_import_key (gpointer self, GBytes *data, const char *passphrase, GError **error);
PkmSecret *pkm_gnutls_export_plain (gnutls_x509_privkey_t key, GError **error);

/* gnutls-keyops.c: software keys as PkmKey handles */
PkmKey *pkm_gnutls_load_key_handle (gpointer self, PkmSecret *pkcs8, const char *uri, GError **error);
/* (transfer none) (nullable): the key's own gnutls key when the handle is one of ours. */
gnutls_privkey_t pkm_gnutls_key_privkey (PkmKey *key);
/* (transfer full): the DER SubjectPublicKeyInfo of a gnutls private key. */
GBytes *pkm_gnutls_privkey_spki (gnutls_privkey_t privkey, GError **error);
/* (transfer full): a gnutls public key from DER SubjectPublicKeyInfo. */
gboolean pkm_gnutls_import_spki (GBytes *spki, gnutls_pubkey_t *out, GError **error);

/* gnutls-signer.c: any provider's key as a gnutls_privkey_t that signs */
typedef struct _PkmGnutlsExt PkmGnutlsExt;
typedef struct {
  gnutls_privkey_t privkey; /* borrowed from our own key, or the wrapper below */
  PkmGnutlsExt *ext;        /* non-NULL: a foreign key, signing through pkm_key_sign_hash */
} PkmGnutlsSigner;
gboolean pkm_gnutls_signer_init (PkmGnutlsSigner *signer, PkmKey *key, GError **error);
/* The error the foreign key's provider gave when signing failed, or NULL. (transfer full) */
GError *pkm_gnutls_signer_take_error (PkmGnutlsSigner *signer);
void pkm_gnutls_signer_clear (PkmGnutlsSigner *signer);

/* gnutls-aead.c */
GBytes *pkm_gnutls_seal (gpointer self, PkmSecret *key, PkmSecret *plaintext, GBytes *aad, GError **error);
PkmSecret *pkm_gnutls_unseal (gpointer self, PkmSecret *key, GBytes *sealed, GBytes *aad, GError **error);

/* gnutls-names.c: subjects and SANs, shared by certificates and CSRs */
gboolean pkm_gnutls_set_subject (const PkmCertSpec *spec,
                                 int (*set) (void *obj, const char *oid, unsigned raw, const void *data,
                                             unsigned size),
                                 void *obj, GError **error);
gboolean pkm_gnutls_san_item (const char *item, gnutls_x509_subject_alt_name_t *type, guint8 *buffer, gsize *size,
                              GError **error);
char *pkm_gnutls_san_text (gnutls_x509_subject_alt_name_t type, const guint8 *data, gsize size);
extern const struct PkmGnutlsEku { guint32 bit; const char *oid; } pkm_gnutls_ekus[];
typedef int (*PkmGnutlsGetDn) (void *obj, const char *oid, unsigned index, unsigned raw, void *buffer, size_t *size);
typedef int (*PkmGnutlsGetOid) (void *obj, unsigned index, void *oid, size_t *size, unsigned *critical);
typedef int (*PkmGnutlsSetSan) (void *obj, gnutls_x509_subject_alt_name_t type, const void *data, unsigned size,
                                unsigned flags);
typedef int (*PkmGnutlsSetOid) (void *obj, const void *oid, unsigned critical);
void pkm_gnutls_read_subject (PkmGnutlsGetDn get, void *obj, PkmCertInfo *info);
/* Adds the spec's SANs and extended key usages through a certificate's or a request's setters. */
gboolean pkm_gnutls_set_sans_and_ekus (const PkmCertSpec *spec, PkmGnutlsSetSan set_san, PkmGnutlsSetOid set_eku,
                                       void *obj, GError **error);
guint32 pkm_gnutls_read_ekus (PkmGnutlsGetOid get, void *obj);
unsigned pkm_gnutls_key_usage_bits (guint32 usage);
guint32 pkm_gnutls_key_usage_from (unsigned bits);

/* gnutls-certs.c */
GBytes *pkm_gnutls_sign_certificate (gpointer self, const PkmCertSpec *spec, GBytes *subject_spki,
                                     GBytes *issuer_cert, PkmKey *issuer_key, GError **error);
PkmCertInfo *pkm_gnutls_parse_certificate (gpointer self, GBytes *der, GError **error);
gboolean pkm_gnutls_verify_signature (gpointer self, GBytes *cert, GBytes *issuer_cert, GError **error);

/* gnutls-pkcs12.c */
GBytes *pkm_gnutls_export_pkcs12 (gpointer self, GBytes *const *certs, guint n_certs, PkmSecret *key,
                                  const char *passphrase, const char *friendly_name, GError **error);
gboolean pkm_gnutls_import_pkcs12 (gpointer self, GBytes *data, const char *passphrase, GPtrArray **out_certs,
                                   PkmSecret **out_key, GError **error);

/* gnutls-csr.c */
GBytes *pkm_gnutls_create_csr (gpointer self, const PkmCertSpec *spec, PkmKey *key, const char *challenge_password,
                               GError **error);
PkmCertInfo *pkm_gnutls_parse_csr (gpointer self, GBytes *der, GError **error);

/* gnutls-sign-data.c */
GBytes *pkm_gnutls_sign_data (gpointer self, PkmKey *key, PkmDigest digest, GBytes *data, GError **error);
gboolean pkm_gnutls_verify_data (gpointer self, GBytes *spki, PkmDigest digest, GBytes *data, GBytes *signature,
                                 GError **error);

/* gnutls-jwk.c */
char *pkm_gnutls_public_jwk (gpointer self, GBytes *spki, GError **error);
char *pkm_gnutls_jwk_thumbprint (gpointer self, GBytes *spki, GError **error);

/* gnutls-derive.c */
PkmSecret *pkm_gnutls_derive_key (gpointer self, const char *passphrase, GBytes *salt, guint iterations, gsize size,
                                  GError **error);

G_END_DECLS
