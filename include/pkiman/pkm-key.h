/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>
#include <pkiman/pkm-secret.h>
#include <pkiman/pkm-crypto.h>

PKM_BEGIN_DECLS

/* A private key is a handle, owned by the provider that holds the key: the
 * sealed software keyring (through the crypto plugin) or a token plugin (a
 * smart card, an HSM). The core and the other plugins only ask a key for its
 * public half and for signatures and decryptions; they never see its bytes,
 * unless the provider lets it be exported (software keys only). PKCS#11 is
 * the model: a token signs a hash it is given. Since: 2
 * (The typedef of PkmKey is in pkm-crypto.h.) */

#define PKM_KEY_OPS_VERSION 1

/* What a provider does with one of its keys; @key_data is the provider's own
 * (the pointer given to pkm_key_new). Members are appended only. Since: 2 */
typedef struct {
  guint32 version;     /* PKM_KEY_OPS_VERSION */
  guint32 struct_size; /* sizeof (PkmKeyOps) the provider was built with */
  /* (transfer full): the DER SubjectPublicKeyInfo. */
  GBytes *(*public_key) (gpointer key_data, GError **error);
  /* (transfer full): a signature over @hash, the @digest of the data, as
   * X.509 and CMS carry it: RSA PKCS#1 v1.5 (the provider adds the
   * DigestInfo), ECDSA a DER Ecdsa-Sig-Value. */
  GBytes *(*sign_hash) (gpointer key_data, PkmDigest digest, GBytes *hash, GError **error);
  /* (transfer full): RSA PKCS#1 v1.5 decryption (SCEP's enveloped data);
   * nullable: NULL means the key cannot decrypt. */
  PkmSecret *(*decrypt) (gpointer key_data, GBytes *ciphertext, GError **error);
  /* (transfer full) (nullable): the unencrypted PKCS#8 DER, only for keys
   * the provider lets leave (software keys); NULL means never. */
  PkmSecret *(*export_pkcs8) (gpointer key_data, GError **error);
  void (*free) (gpointer key_data);
} PkmKeyOps;

/* (transfer full): a handle on a provider's key. @ops must outlive every
 * handle; @key_data is freed with ops->free when the last reference goes.
 * @uri names the key where it lives: "pkcs11:token=card;object=ca" for a
 * token, "pkiman:key/<key id>" for the keyring; (nullable) NULL for a key
 * stored nowhere yet, whose pkm_key_get_uri is then "". Since: 2 */
PkmKey *pkm_key_new (const PkmKeyOps *ops, gpointer key_data, PkmKeyType type, guint bits, const char *uri);
PkmKey *pkm_key_ref (PkmKey *key);
void pkm_key_unref (PkmKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmKey, pkm_key_unref)

PkmKeyType pkm_key_get_key_type (PkmKey *key);
/* RSA modulus / EC field size. */
guint pkm_key_get_bits (PkmKey *key);
/* (transfer none) */
const char *pkm_key_get_uri (PkmKey *key);
/* (transfer none): the provider's data, for the provider that made the key
 * (it compares @ops to know its own keys). */
gpointer pkm_key_get_data (PkmKey *key, const PkmKeyOps *ops);
/* (transfer full) */
GBytes *pkm_key_get_public_key (PkmKey *key, GError **error);
/* (transfer full): see PkmKeyOps.sign_hash. */
GBytes *pkm_key_sign_hash (PkmKey *key, PkmDigest digest, GBytes *hash, GError **error);
/* (transfer full): PKM_ERROR_NOT_SUPPORTED when the key cannot decrypt. */
PkmSecret *pkm_key_decrypt (PkmKey *key, GBytes *ciphertext, GError **error);
/* (transfer full): PKM_ERROR_PERMISSION_DENIED when the key may not leave its provider. */
PkmSecret *pkm_key_export_pkcs8 (PkmKey *key, GError **error);

#define PKM_TOKEN_VTABLE_VERSION 1

/* A token provider: any number may be loaded (kind PKM_PLUGIN_KIND_TOKEN).
 * Its keys are PkmKey handles whose ops sign and decrypt on the token.
 * Every member may be NULL (PKM_ERROR_NOT_SUPPORTED). Since: 2 */
typedef struct {
  guint32 version;     /* PKM_TOKEN_VTABLE_VERSION */
  guint32 struct_size; /* sizeof (PkmTokenVTable) the plugin was built with */
  /* (transfer full): the provider's instance, from its own config group (nullable). */
  gpointer (*open) (GKeyFile *config, GError **error);
  void (*close) (gpointer self);
  /* (transfer full) (element-type GVariant): one a{sv} per token: "uri" (s,
   * "pkcs11:token=<label>"), "label" (s), "manufacturer" (s), "model" (s),
   * "serial" (s), "login-required" (b), "logged-in" (b). */
  GPtrArray *(*list_tokens) (gpointer self, GError **error);
  /* PKM_ERROR_PIN_REQUIRED for a wrong PIN, PKM_ERROR_TOKEN_ABSENT when the token is gone. */
  gboolean (*login) (gpointer self, const char *token_uri, PkmSecret *pin, GError **error);
  /* (transfer full): a new key pair on the token, labelled @label. */
  PkmKey *(*generate_key) (gpointer self, const char *token_uri, const PkmKeySpec *spec, const char *label,
                           GError **error);
  /* (transfer full): the key a PKCS#11 URI names ("pkcs11:token=card;object=ca");
   * PKM_ERROR_NOT_FOUND when this provider holds no such key. */
  PkmKey *(*find_key) (gpointer self, const char *key_uri, GError **error);
} PkmTokenVTable;

/* -- Keys through the context. Since: 2 -- */
typedef struct _PkmContext PkmContext;

/* (transfer full): the key @uri names: "pkiman:key/<key id>" from the sealed
 * keyring (inside a transaction), "pkcs11:..." from the token provider that
 * holds it. PKM_ERROR_NOT_FOUND when no provider does. */
PkmKey *pkm_context_find_key (PkmContext *ctx, const char *uri, GError **error);
/* (transfer full) (element-type GVariant): the tokens of every loaded token
 * provider, each as list_tokens gives it plus "provider" (s, the plugin name). */
GPtrArray *pkm_context_list_tokens (PkmContext *ctx, GError **error);
/* Logs in to the token @token_uri names with @pin. */
gboolean pkm_context_login_token (PkmContext *ctx, const char *token_uri, PkmSecret *pin, GError **error);

PKM_END_DECLS
