/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The core calls the active crypto and store plugins, and the token plugins,
 * only through these wrappers: a member the plugin lacks (NULL, or past its
 * struct_size) becomes PKM_ERROR_NOT_SUPPORTED instead of a crash (SPA's
 * spa_api_method_r). The crypto wrappers pass the plugin's instance as @self. */

#include <stddef.h>
#include "core/pkm-context.h"

G_BEGIN_DECLS

/* Whether a vtable (or ops) the plugin built with struct_size holds @member and sets it. */
#define PKM_HAS_MEMBER(vt, member)                                                                             \
  ((vt) != NULL && (vt)->struct_size >= offsetof (__typeof__ (*(vt)), member) + sizeof (void *)                \
   && (vt)->member != NULL)

/* -- crypto -- */
gboolean pkm_crypto_random (PkmContext *ctx, void *buffer, gsize size, GError **error);
PkmSecret *pkm_crypto_generate_key (PkmContext *ctx, const PkmKeySpec *spec, GError **error);
/* (transfer full): a software key handle on @pkcs8, named @uri. */
PkmKey *pkm_crypto_load_key (PkmContext *ctx, PkmSecret *pkcs8, const char *uri, GError **error);
GBytes *pkm_crypto_sign_certificate (PkmContext *ctx, const PkmCertSpec *spec, GBytes *subject_spki,
                                     GBytes *issuer_cert, PkmKey *issuer_key, GError **error);
PkmCertInfo *pkm_crypto_parse_certificate (PkmContext *ctx, GBytes *der, GError **error);
GBytes *pkm_crypto_seal (PkmContext *ctx, PkmSecret *key, PkmSecret *plaintext, GBytes *aad, GError **error);
PkmSecret *pkm_crypto_unseal (PkmContext *ctx, PkmSecret *key, GBytes *sealed, GBytes *aad, GError **error);
GBytes *pkm_crypto_export_key_pkcs8 (PkmContext *ctx, PkmSecret *key, const char *passphrase, GError **error);
PkmSecret *pkm_crypto_import_key (PkmContext *ctx, GBytes *data, const char *passphrase, GError **error);
GBytes *pkm_crypto_export_pkcs12 (PkmContext *ctx, GBytes *const *certs, guint n_certs, PkmSecret *key,
                                  const char *passphrase, const char *friendly_name, GError **error);
gboolean pkm_crypto_import_pkcs12 (PkmContext *ctx, GBytes *data, const char *passphrase, GPtrArray **out_certs,
                                   PkmSecret **out_key, GError **error);
GBytes *pkm_crypto_create_csr (PkmContext *ctx, const PkmCertSpec *spec, PkmKey *key,
                               const char *challenge_password, GError **error);
PkmCertInfo *pkm_crypto_parse_csr (PkmContext *ctx, GBytes *der, GError **error);
gboolean pkm_crypto_verify_signature (PkmContext *ctx, GBytes *cert, GBytes *issuer_cert, GError **error);
GBytes *pkm_crypto_sign_data (PkmContext *ctx, PkmKey *key, PkmDigest digest, GBytes *data, GError **error);
/* FALSE without an error for a signature that does not verify. */
gboolean pkm_crypto_verify_data (PkmContext *ctx, GBytes *spki, PkmDigest digest, GBytes *data, GBytes *signature,
                                 GError **error);
char *pkm_crypto_public_jwk (PkmContext *ctx, GBytes *spki, GError **error);
char *pkm_crypto_jwk_thumbprint (PkmContext *ctx, GBytes *spki, GError **error);

/* -- store (the context's open store) -- */
PkmStore *pkm_store_open (PkmContext *ctx, GKeyFile *config, GError **error);
gint64 pkm_store_insert (PkmContext *ctx, const char *collection, const char *name, GVariant *record,
                         GError **error);
gboolean pkm_store_update (PkmContext *ctx, const char *collection, gint64 id, const char *name, GVariant *record,
                           GError **error);
gboolean pkm_store_remove (PkmContext *ctx, const char *collection, gint64 id, GError **error);
GVariant *pkm_store_get (PkmContext *ctx, const char *collection, gint64 id, char **out_name, GError **error);
gint64 pkm_store_find (PkmContext *ctx, const char *collection, const char *name, GError **error);
gboolean pkm_store_foreach (PkmContext *ctx, const char *collection, PkmStoreForeachFunc func, gpointer user_data,
                            GError **error);
char **pkm_store_list_collections (PkmContext *ctx, GError **error);

/* -- keys at rest (pkm-keyring.c) -- */
/* The sealed form of a private key (AES-256-GCM under the master key, bound to @key_id). */
GBytes *pkm_keyring_seal (PkmContext *ctx, PkmSecret *key, const char *key_id, GError **error);
PkmSecret *pkm_keyring_open (PkmContext *ctx, GBytes *sealed, const char *key_id, GError **error);
/* (transfer full): a handle on the sealed key, "pkiman:key/<key id>"; its
 * bytes live only inside the handle. */
PkmKey *pkm_keyring_load_key (PkmContext *ctx, GBytes *sealed, const char *key_id, GError **error);
#define PKM_KEYRING_URI_PREFIX "pkiman:key/"

/* (transfer container) (element-type PkmLoadedPlugin) */
GPtrArray *pkm_context_get_plugins (PkmContext *ctx);

G_END_DECLS
