/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>
#include <pkiman/pkm-menu.h>

PKM_BEGIN_DECLS

/* For front ends and embedders: a context from a config, and the menus to
 * parse, complete and explain commands against. Commands run through
 * pkm_invoke (pkm-invoke.h). The shell and pkimand use only this API. Since: 2 */

/* Reads the config (@config_file, or the default places when NULL), loads the
 * plugins it names, runs their init and opens the store. (transfer full) */
PkmContext *pkm_context_new (const char *config_file, GError **error);
void pkm_context_free (PkmContext *ctx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmContext, pkm_context_free)

/* (transfer none) */
const char *pkm_context_get_state_dir (PkmContext *ctx);
/* (transfer none) (nullable): the [files] dir= of the config, or NULL (then
 * the front end's current directory). */
const char *pkm_context_get_files_dir (PkmContext *ctx);

/* (transfer none) (nullable): the menu at @path ("/certificate", "/system plugin"). */
const PkmMenu *pkm_context_find_menu (PkmContext *ctx, const char *path);
/* (transfer container) (element-type PkmMenu): every menu, sorted by path. */
GPtrArray *pkm_context_get_menus (PkmContext *ctx);

PKM_END_DECLS
