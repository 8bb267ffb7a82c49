/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>
#include <pkiman/pkm-crypto.h>
#include <pkiman/pkm-store.h>
#include <pkiman/pkm-menu.h>

PKM_BEGIN_DECLS

/* The active providers, for plugins and the core's own menus alike: every
 * crypto operation goes to the active crypto plugin (its instance as @self),
 * every record to the active store. A member the plugin lacks (NULL, or past
 * its struct_size) is PKM_ERROR_NOT_SUPPORTED, never a crash. The store
 * functions run inside the transaction of a command or of
 * pkm_context_transact; a plugin keeps its own records in a collection named
 * after itself. Since: 2 */

/* -- crypto: each is the PkmCryptoVTable member of the same name (pkm-crypto.h) -- */
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
/* Since: 3 */
PkmSecret *pkm_crypto_derive_key (PkmContext *ctx, const char *passphrase, GBytes *salt, guint iterations, gsize size,
                                  GError **error);

/* -- store: each is the PkmStoreVTable member of the same name (pkm-store.h) -- */
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

/* The record and its revision (@out_revision: nullable). Since: 3 */
GVariant *pkm_store_get_revision (PkmContext *ctx, const char *collection, gint64 id, char **out_name,
                                  gint64 *out_revision, GError **error);
/* update with @expected_revision (0: any): the new revision, or 0 and an
 * error (PKM_ERROR_CONFLICT when the record moved on; pkm_invoke then runs
 * the command again). Since: 3 */
gint64 pkm_store_update_revision (PkmContext *ctx, const char *collection, gint64 id, const char *name,
                                  GVariant *record, gint64 expected_revision, GError **error);
/* The records @query selects, in id order (pkm-store.h). Since: 3 */
gboolean pkm_store_query (PkmContext *ctx, const char *collection, const PkmStoreQuery *query, PkmStoreRowFunc func,
                          gpointer user_data, GError **error);
gboolean pkm_store_count (PkmContext *ctx, const char *collection, const PkmStoreQuery *query, guint64 *out_count,
                          GError **error);
/* Declares an indexed field (pkm-store.h); in a write transaction, at a
 * plugin's start hook for its own collections. Since: 3 */
gboolean pkm_store_declare_index (PkmContext *ctx, const char *collection, const char *field,
                                  const char *type_string, GError **error);
/* Gap-free numbers per @name, in a write transaction. Since: 3 */
gint64 pkm_store_next_sequence (PkmContext *ctx, const char *name, GError **error);
/* The change feed: the cursor now, and every record changed after @cursor.
 * Since: 3 */
gint64 pkm_store_current_cursor (PkmContext *ctx, GError **error);
gboolean pkm_store_changes_since (PkmContext *ctx, gint64 cursor, PkmStoreChangeFunc func, gpointer user_data,
                                  GError **error);

/* -- the master key, carried to another node that shares the database -- */
/* (transfer full): the text of a file (a "PKIMAN MASTER KEY" block) that
 * holds the master key sealed under a key derived from @passphrase. A node
 * without a master key makes one first, as a key's first seal would (unless
 * the store holds keys sealed with a missing one). Inside a transaction.
 * Since: 3 */
GBytes *pkm_context_export_master_key (PkmContext *ctx, const char *passphrase, GError **error);
/* Puts the master key of @exported (what export returned) in place. TRUE and
 * nothing written when this node has that key already; PKM_ERROR_EXISTS when
 * it has another; PKM_ERROR_BAD_PASSPHRASE when @passphrase does not open it;
 * PKM_ERROR_INVALID_ARGUMENT, naming no file, when @exported is not such a
 * file; and refused when the store holds sealed keys it does not open.
 * Inside a transaction. Since: 3 */
gboolean pkm_context_import_master_key (PkmContext *ctx, GBytes *exported, const char *passphrase, GError **error);

/* -- plugins -- */
/* (transfer full) (element-type GVariant): one a{sv} per loaded plugin, in
 * load order: "name", "kind" ("crypto", "store", "token", "feature"),
 * "version", "description", "file" (all s). */
GPtrArray *pkm_context_list_plugins (PkmContext *ctx);

PKM_END_DECLS
