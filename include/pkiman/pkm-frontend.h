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

/* -- For front ends that take logins (pkimand's REST API): /user -- */
/* (transfer full): the stored password hash of the enabled user @name, and
 * in @out_group (nullable, transfer full) its group, "full" or "read"; NULL
 * and PKM_ERROR_NOT_FOUND when there is no such user or it is disabled.
 * Runs a read transaction of its own; fast (no hashing). Since: 5 */
char *pkm_context_lookup_user (PkmContext *ctx, const char *name, char **out_group, GError **error);
/* Whether @password is the one @hash (from pkm_context_lookup_user) was
 * made from. Slow by design (yescrypt, some 20 ms): call it off the main
 * loop. A NULL @hash does the same work and answers FALSE, so that a login
 * as a user who does not exist takes as long as a wrong password.
 * Thread-safe. Since: 5 */
gboolean pkm_password_verify (const char *hash, const char *password);

PKM_END_DECLS
