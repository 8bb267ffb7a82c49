/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The core calls the active crypto and store plugins, and the token plugins,
 * only through these wrappers: a member the plugin lacks (NULL, or past its
 * struct_size) becomes PKM_ERROR_NOT_SUPPORTED instead of a crash (SPA's
 * spa_api_method_r). The crypto wrappers pass the plugin's instance as @self. */

#include <stddef.h>
#include "core/pkm-context.h"
#include <pkiman/pkm-services.h>

G_BEGIN_DECLS

/* Whether a vtable (or ops) the plugin built with struct_size holds @member and sets it. */
#define PKM_HAS_MEMBER(vt, member)                                                                             \
  ((vt) != NULL && (vt)->struct_size >= offsetof (__typeof__ (*(vt)), member) + sizeof (void *)                \
   && (vt)->member != NULL)

/* FALSE and PKM_ERROR_NOT_SUPPORTED ("<plugin>: <what> is not supported") unless @has. */
gboolean pkm_provider_require (const char *plugin, gboolean has, const char *what, GError **error);

/* -- store (the context's open store, pkm-store-calls.c) -- */
PkmStore *pkm_store_open (PkmContext *ctx, GKeyFile *config, GError **error);


/* -- keys at rest (pkm-keyring.c) -- */
/* The sealed form of a private key (AES-256-GCM under the master key, bound to @key_id). */
GBytes *pkm_keyring_seal (PkmContext *ctx, PkmSecret *key, const char *key_id, GError **error);
PkmSecret *pkm_keyring_open (PkmContext *ctx, GBytes *sealed, const char *key_id, GError **error);
/* (transfer full): a handle on the sealed key, "pkiman:key/<key id>"; its
 * bytes live only inside the handle. */
PkmKey *pkm_keyring_load_key (PkmContext *ctx, GBytes *sealed, const char *key_id, GError **error);
#define PKM_KEYRING_URI_PREFIX "pkiman:key/"

G_END_DECLS
