/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The core calls the active crypto and store plugins only through these
 * wrappers: a member the plugin lacks (NULL, or past its struct_size) becomes
 * PKM_ERROR_NOT_SUPPORTED instead of a crash (SPA's spa_api_method_r). */

#include "core/pkm-context.h"

G_BEGIN_DECLS

/* -- crypto -- */
gboolean pkm_crypto_random (PkmContext *ctx, void *buffer, gsize size, GError **error);
PkmSecret *pkm_crypto_generate_key (PkmContext *ctx, const PkmKeySpec *spec, GError **error);
GBytes *pkm_crypto_public_key (PkmContext *ctx, PkmSecret *key, GError **error);
GBytes *pkm_crypto_sign_certificate (PkmContext *ctx, const PkmCertSpec *spec, GBytes *subject_spki,
                                     GBytes *issuer_cert, PkmSecret *issuer_key, GError **error);
PkmCertInfo *pkm_crypto_parse_certificate (PkmContext *ctx, GBytes *der, GError **error);
GBytes *pkm_crypto_seal (PkmContext *ctx, PkmSecret *key, PkmSecret *plaintext, GBytes *aad, GError **error);
PkmSecret *pkm_crypto_open (PkmContext *ctx, PkmSecret *key, GBytes *sealed, GBytes *aad, GError **error);
GBytes *pkm_crypto_export_key_pkcs8 (PkmContext *ctx, PkmSecret *key, const char *passphrase, GError **error);
PkmSecret *pkm_crypto_import_key (PkmContext *ctx, GBytes *data, const char *passphrase, GError **error);
GBytes *pkm_crypto_export_pkcs12 (PkmContext *ctx, GBytes *const *certs, guint n_certs, PkmSecret *key,
                                  const char *passphrase, const char *friendly_name, GError **error);
gboolean pkm_crypto_import_pkcs12 (PkmContext *ctx, GBytes *data, const char *passphrase, GPtrArray **out_certs,
                                   PkmSecret **out_key, GError **error);
GBytes *pkm_crypto_create_csr (PkmContext *ctx, const PkmCertSpec *spec, PkmSecret *key,
                               const char *challenge_password, GError **error);
PkmCertInfo *pkm_crypto_parse_csr (PkmContext *ctx, GBytes *der, GError **error);
gboolean pkm_crypto_verify_signature (PkmContext *ctx, GBytes *cert, GBytes *issuer_cert, GError **error);

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

/* (transfer container) (element-type PkmLoadedPlugin) */
GPtrArray *pkm_context_get_plugins (PkmContext *ctx);

G_END_DECLS
