/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>
#include <pkiman/pkm-menu.h>

PKM_BEGIN_DECLS

/* The files directory: where file names given to commands live (the CLI's
 * current directory, or [files] dir=). Every file a command reads or writes
 * goes through these, so no name leads outside it. Since: 2 */

/* (transfer full): @name (the value of @param) as a path inside the files
 * directory @dir (NULL: the current directory); an error when it would lead
 * outside it (absolute, "..", or a symlink that points out). */
char *pkm_files_resolve_in (const char *dir, const char *param, const char *name, GError **error);
/* The same for the call's files directory. */
char *pkm_files_resolve (PkmCall *call, const char *param, const char *name, GError **error);
/* (transfer full): the contents of the regular file at @path (@name as the user
 * gave it, for errors), at most @max_size bytes; an empty file is an error. */
GBytes *pkm_files_read (const char *path, const char *param, const char *name, gsize max_size, GError **error);
/* Writes @path atomically and durably with @mode, in an existing directory. */
gboolean pkm_files_write (const char *param, const char *path, const void *data, gsize size, int mode,
                          GError **error);

PKM_END_DECLS
