/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <pkiman/pkiman.h>

G_BEGIN_DECLS

/* (transfer full): @name (the value of @param) as a path in the files directory. */
char *pkm_files_resolve (PkmCall *call, const char *param, const char *name, GError **error);
/* Writes @path atomically with @mode. */
gboolean pkm_files_write (const char *param, const char *path, const void *data, gsize size, int mode,
                          GError **error);

G_END_DECLS
