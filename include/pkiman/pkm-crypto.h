/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>
#include <pkiman/pkm-secret.h>

PKM_BEGIN_DECLS

/* Enum values are append-only: tests pin them. */
typedef enum {
  PKM_KEY_TYPE_NONE = 0,
  PKM_KEY_TYPE_RSA = 1,
  PKM_KEY_TYPE_EC = 2,
} PkmKeyType;

typedef enum {
  PKM_DIGEST_NONE = 0,
  PKM_DIGEST_MD5 = 1,
  PKM_DIGEST_SHA1 = 2,
  PKM_DIGEST_SHA256 = 3,
  PKM_DIGEST_SHA384 = 4,
  PKM_DIGEST_SHA512 = 5,
} PkmDigest;

/* X.509 keyUsage bits, in RFC 5280 order. */
typedef enum {
  PKM_KU_DIGITAL_SIGNATURE = 1 << 0,
  PKM_KU_CONTENT_COMMITMENT = 1 << 1,
  PKM_KU_KEY_ENCIPHERMENT = 1 << 2,
  PKM_KU_DATA_ENCIPHERMENT = 1 << 3,
  PKM_KU_KEY_AGREEMENT = 1 << 4,
  PKM_KU_KEY_CERT_SIGN = 1 << 5,
  PKM_KU_CRL_SIGN = 1 << 6,
  PKM_KU_ENCIPHER_ONLY = 1 << 7,
  PKM_KU_DECIPHER_ONLY = 1 << 8,
} PkmKeyUsage;

/* extendedKeyUsage purposes, by RouterOS name. */
typedef enum {
  PKM_EKU_TLS_SERVER = 1 << 0,    /* 1.3.6.1.5.5.7.3.1 */
  PKM_EKU_TLS_CLIENT = 1 << 1,    /* 1.3.6.1.5.5.7.3.2 */
  PKM_EKU_CODE_SIGN = 1 << 2,     /* 1.3.6.1.5.5.7.3.3 */
  PKM_EKU_EMAIL_PROTECT = 1 << 3, /* 1.3.6.1.5.5.7.3.4 */
  PKM_EKU_TIMESTAMP = 1 << 4,     /* 1.3.6.1.5.5.7.3.8 */
  PKM_EKU_OCSP_SIGN = 1 << 5,     /* 1.3.6.1.5.5.7.3.9 */
  PKM_EKU_DVCS = 1 << 6,          /* 1.3.6.1.5.5.7.3.10 */
} PkmExtKeyUsage;

typedef struct {
  PkmKeyType type;
  guint bits;        /* RSA modulus size */
  const char *curve; /* EC: "prime256v1", "secp384r1" or "secp521r1" */
} PkmKeySpec;

/* What a certificate (or a CSR) is asked to contain. Members are appended only. */
typedef struct {
  guint32 struct_size; /* sizeof (PkmCertSpec) of the caller */
  const char *country, *state, *locality, *organization, *unit, *common_name; /* nullable, "" = absent */
  const char *const *san;       /* nullable, NULL-terminated: "DNS:name", "IP:addr", "email:addr" */
  guint32 key_usage;            /* PkmKeyUsage; 0 = no keyUsage extension */
  guint32 ext_key_usage;        /* PkmExtKeyUsage; 0 = no extendedKeyUsage extension */
  gboolean is_ca;               /* basicConstraints cA (always written, critical) */
  GBytes *serial;               /* big-endian, positive */
  gint64 not_before, not_after; /* Unix seconds; past 9999-12-31 means 99991231235959Z */
  PkmDigest digest;
  const char *crl_distribution_point; /* nullable URL */
} PkmCertSpec;

/* What a certificate or CSR contains, as the core stores and prints it.
 * All strings and arrays are GLib-allocated; free with pkm_cert_info_free (). */
typedef struct {
  char *subject; /* RFC 4514 string, e.g. "CN=Local CA,O=Example" */
  char *issuer;  /* NULL for a CSR */
  char *country, *state, *locality, *organization, *unit, *common_name; /* NULL when absent */
  char **san;    /* NULL-terminated "DNS:...", "IP:...", "email:..."; never NULL */
  char *serial;  /* upper-case hex, no separators; NULL for a CSR */
  gint64 not_before, not_after;
  char *fingerprint; /* SHA-256 of the DER, lower-case hex */
  char *skid, *akid; /* lower-case hex, NULL when absent */
  GBytes *spki;      /* DER SubjectPublicKeyInfo */
  PkmKeyType key_type;
  guint key_bits;    /* RSA modulus / EC field size */
  char *key_curve;   /* EC curve RouterOS name, else NULL */
  gboolean has_key_usage;
  guint32 key_usage;     /* PkmKeyUsage */
  guint32 ext_key_usage; /* PkmExtKeyUsage (known purposes only) */
  gboolean is_ca;        /* basicConstraints cA */
  char **crl_distribution_points; /* URLs; never NULL */
  PkmDigest digest;      /* of the signature; NONE for e.g. RSA-PSS without a known hash */
  char *signature_algorithm; /* e.g. "RSA-SHA256", "ECDSA-SHA384", "RSA-PSS-SHA256" */
  char *challenge_password;  /* CSR only, else NULL */
} PkmCertInfo;

void pkm_cert_info_free (PkmCertInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmCertInfo, pkm_cert_info_free)

/* A private key handle (pkm-key.h). Since: 2 */
typedef struct _PkmKey PkmKey;

/* 2: an instance pointer (open/close, and @self first in every member);
 * private keys as PkmKey handles where they sign; the AEAD pair is seal and
 * unseal (version 1's AEAD "open" is now the instance's). */
#define PKM_CRYPTO_VTABLE_VERSION 2

/* The crypto provider. Exactly one is active. Every member but open may be
 * NULL in a given plugin; the core's wrappers turn a NULL member (or one past
 * the plugin's struct_size) into PKM_ERROR_NOT_SUPPORTED. @self is what open
 * returned. Keys that sign cross as PkmKey handles, so that a token's key signs
 * through the same members as a software one; private key bytes (unencrypted
 * PKCS#8 DER in a PkmSecret) cross only to be generated, imported, sealed or
 * exported. Certificates cross as DER in GBytes. */
typedef struct {
  guint32 version;     /* PKM_CRYPTO_VTABLE_VERSION the plugin was built for */
  guint32 struct_size; /* sizeof (PkmCryptoVTable) the plugin was built for */

  /* (transfer full): the provider's instance, from its config group
   * (@config nullable); NULL only with @error set, when it fails. */
  gpointer (*open) (GKeyFile *config, GError **error);
  void (*close) (gpointer self);

  gboolean (*random) (gpointer self, void *buffer, gsize size, GError **error);
  /* (transfer full): a new private key as PKCS#8 DER, for the keyring to seal. */
  PkmSecret *(*generate_key) (gpointer self, const PkmKeySpec *spec, GError **error);
  /* (transfer full): a software key handle on PKCS#8 DER (the handle keeps a
   * copy; it exports only through pkm_key_export_pkcs8). @uri is nullable:
   * NULL for a key stored nowhere yet (just generated or imported). */
  PkmKey *(*load_key) (gpointer self, PkmSecret *pkcs8, const char *uri, GError **error);
  /* (transfer full): a signed X.509 v3 certificate, DER. The subject's public
   * key is @subject_spki. @issuer_cert NULL means self-signed: the issuer is
   * the subject and @issuer_key must be the subject's own key. Adds SKID
   * (always) and AKID (from the issuer's SKID, or for self-signed its own).
   * @issuer_key may be any provider's key: it signs through pkm_key_sign_hash. */
  GBytes *(*sign_certificate) (gpointer self, const PkmCertSpec *spec, GBytes *subject_spki, GBytes *issuer_cert,
                               PkmKey *issuer_key, GError **error);
  /* (transfer full) */
  PkmCertInfo *(*parse_certificate) (gpointer self, GBytes *der, GError **error);
  /* AES-256-GCM with a 32-byte key: returns nonce(12) || ciphertext || tag(16). */
  GBytes *(*seal) (gpointer self, PkmSecret *key, PkmSecret *plaintext, GBytes *aad, GError **error);
  /* The inverse of seal; PKM_ERROR_CRYPTO_FAILED when the tag does not verify. */
  PkmSecret *(*unseal) (gpointer self, PkmSecret *key, GBytes *sealed, GBytes *aad, GError **error);
  /* PEM "ENCRYPTED PRIVATE KEY" (PKCS#8, PBES2 with AES-256-CBC) when
   * @passphrase is non-NULL, else PEM "PRIVATE KEY". */
  GBytes *(*export_key_pkcs8) (gpointer self, PkmSecret *key, const char *passphrase, GError **error);
  /* Any one private key: PEM (PKCS#8 plain or encrypted, PKCS#1 RSA, SEC1 EC) or
   * DER, as PKCS#8 DER. PKM_ERROR_BAD_PASSPHRASE when a passphrase is needed or wrong. */
  PkmSecret *(*import_key) (gpointer self, GBytes *data, const char *passphrase, GError **error);
  /* PKCS#12 with PBES2/AES-256 and a SHA-256 MAC; @certs[0] is the key's certificate. */
  GBytes *(*export_pkcs12) (gpointer self, GBytes *const *certs, guint n_certs, PkmSecret *key,
                            const char *passphrase, const char *friendly_name, GError **error);
  /* Reads AES, 3DES and RC2 PKCS#12 files. @out_certs: (element-type GBytes) DER certificates. */
  gboolean (*import_pkcs12) (gpointer self, GBytes *data, const char *passphrase, GPtrArray **out_certs,
                             PkmSecret **out_key, GError **error);
  /* (transfer full): a PKCS#10 request, DER, signed with @key (any provider's). */
  GBytes *(*create_csr) (gpointer self, const PkmCertSpec *spec, PkmKey *key, const char *challenge_password,
                         GError **error);
  /* (transfer full): a CSR's content after its signature was checked; PKM_ERROR_CRYPTO_FAILED when it is bad. */
  PkmCertInfo *(*parse_csr) (gpointer self, GBytes *der, GError **error);
  /* Whether @cert's signature verifies with @issuer_cert's public key. */
  gboolean (*verify_signature) (gpointer self, GBytes *cert, GBytes *issuer_cert, GError **error);

  /* (transfer full): @key's signature over @data with @digest, encoded as
   * X.509 carries it (RSA PKCS#1 v1.5; ECDSA DER): for CRL TBS and JWS. Since: 2 */
  GBytes *(*sign_data) (gpointer self, PkmKey *key, PkmDigest digest, GBytes *data, GError **error);
  /* Whether @signature (as sign_data makes it) over @data verifies with the
   * key of @spki; FALSE without an error for a signature that does not. Since: 2 */
  gboolean (*verify_data) (gpointer self, GBytes *spki, PkmDigest digest, GBytes *data, GBytes *signature,
                           GError **error);
  /* (transfer full): the public key as a JWK (RFC 7517), its required members
   * only, in the lexicographic order of RFC 7638, no whitespace. Since: 2 */
  char *(*public_jwk) (gpointer self, GBytes *spki, GError **error);
  /* (transfer full): the RFC 7638 thumbprint: base64url (no padding) of the
   * SHA-256 of public_jwk. Since: 2 */
  char *(*jwk_thumbprint) (gpointer self, GBytes *spki, GError **error);
  /* (transfer full): @size bytes derived from @passphrase and @salt with
   * PBKDF2-HMAC-SHA256 and @iterations rounds (RFC 8018), for keys a person
   * carries as a passphrase (/system master-key export). Since: 3 */
  PkmSecret *(*derive_key) (gpointer self, const char *passphrase, GBytes *salt, guint iterations, gsize size,
                            GError **error);
} PkmCryptoVTable;

PKM_END_DECLS
