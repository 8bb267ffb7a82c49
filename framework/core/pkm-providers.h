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
#define PKM_MASTER_KEY_SIZE 32
/* The master key carried to another node sharing the database: the text of
 * a file (pkm-master-file.c) holding it sealed under @passphrase. Export
 * makes the master key first when there is none and nothing is sealed yet. */
GBytes *pkm_keyring_export_master (PkmContext *ctx, const char *passphrase, GError **error);
/* Puts the master key @exported holds in place: nothing is written when the
 * same key is there already; refused (PKM_ERROR_EXISTS) when another one is,
 * and when the store holds sealed keys it does not open. Errors about the
 * content of @exported are PKM_ERROR_INVALID_ARGUMENT and name no file; a
 * wrong passphrase is PKM_ERROR_BAD_PASSPHRASE. */
gboolean pkm_keyring_import_master (PkmContext *ctx, GBytes *exported, const char *passphrase, GError **error);

/* -- the exported master key's file (pkm-master-file.c) -- */
#define PKM_MASTER_FILE_MAX_SIZE (64 * 1024)
#define PKM_MASTER_FILE_SALT_SIZE 16
/* PBKDF2 rounds: what export writes, and what import accepts (a file names
 * its own count: it must cost the attacker, and must not hang the importer). */
#define PKM_MASTER_FILE_ITERATIONS 600000
#define PKM_MASTER_FILE_MIN_ITERATIONS 1000
#define PKM_MASTER_FILE_MAX_ITERATIONS 10000000

typedef struct {
  guint32 iterations;
  GBytes *salt;   /* PKM_MASTER_FILE_SALT_SIZE bytes */
  GBytes *header; /* magic to salt: the AAD of @sealed */
  GBytes *sealed; /* the master key, as seal returns it */
} PkmMasterFile;

/* (transfer full): the header of a file for @iterations and @salt. */
GBytes *pkm_master_file_header (guint32 iterations, GBytes *salt);
/* (transfer full): the file's text: @header and @sealed, armored. */
GBytes *pkm_master_file_format (GBytes *header, GBytes *sealed);
/* Fills @file from @text (at most PKM_MASTER_FILE_MAX_SIZE bytes, any bytes);
 * PKM_ERROR_INVALID_ARGUMENT for anything that is not such a file. */
gboolean pkm_master_file_parse (GBytes *text, PkmMasterFile *file, GError **error);
void pkm_master_file_clear (PkmMasterFile *file);

G_END_DECLS
