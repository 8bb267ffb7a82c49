/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The core's own API for the front ends (CLI, shell, daemon): not installed. */

#include <pkiman/pkiman.h>

G_BEGIN_DECLS

/* Reads the config (@config_file, or the default places when NULL), loads the
 * plugins it names, runs their init and opens the store. (transfer full) */
PkmContext *pkm_context_new (const char *config_file, GError **error);
void pkm_context_free (PkmContext *ctx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmContext, pkm_context_free)

const char *pkm_context_get_state_dir (PkmContext *ctx);
/* The [files] dir= of the config, or NULL (then the front end's current directory). */
const char *pkm_context_get_files_dir (PkmContext *ctx);

/* One transaction at a time per context. */
gboolean pkm_context_begin (PkmContext *ctx, gboolean write, GError **error);
gboolean pkm_context_commit (PkmContext *ctx, GError **error);
void pkm_context_rollback (PkmContext *ctx);
gboolean pkm_context_in_transaction (PkmContext *ctx);

/* (transfer none) (nullable): the menu at @path ("/certificate", "/system plugin", "" for the root). */
const PkmMenu *pkm_context_find_menu (PkmContext *ctx, const char *path);
/* (transfer container) (element-type PkmMenu): every menu, sorted by path. */
GPtrArray *pkm_context_get_menus (PkmContext *ctx);

G_END_DECLS
