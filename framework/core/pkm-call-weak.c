/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* TEMPORARY: weak stand-ins until framework/shell/pkm-call.c lands; the real,
 * strong definitions replace these at link time. Removed once the shell is in. */
#include <pkiman/pkiman.h>

#define WEAK __attribute__ ((weak))
WEAK PkmContext *pkm_call_get_context (PkmCall *call) { return NULL; }
WEAK const PkmMenu *pkm_call_get_menu (PkmCall *call) { return NULL; }
WEAK gboolean pkm_call_has (PkmCall *call, const char *name) { return FALSE; }
WEAK const char *pkm_call_get_string (PkmCall *call, const char *name) { return NULL; }
WEAK gboolean pkm_call_get_bool (PkmCall *call, const char *name, gboolean fallback) { return fallback; }
WEAK guint64 pkm_call_get_uint (PkmCall *call, const char *name, guint64 fallback) { return fallback; }
WEAK gint64 pkm_call_get_duration (PkmCall *call, const char *name, gint64 fallback) { return fallback; }
WEAK const char *const *pkm_call_get_list (PkmCall *call, const char *name) { return NULL; }
WEAK gint64 pkm_call_get_item (PkmCall *call, const char *name) { return 0; }
WEAK const char *pkm_call_get_files_dir (PkmCall *call) { return NULL; }
WEAK const char *pkm_call_get_actor (PkmCall *call) { return NULL; }
WEAK void pkm_call_print (PkmCall *call, const char *format, ...) {}
WEAK void pkm_call_progress (PkmCall *call, const char *format, ...) {}
WEAK void pkm_call_set_result (PkmCall *call, GVariant *result) {}

#include "shell/pkm-shell.h"
WEAK PkmShell *pkm_shell_new (PkmContext *ctx, const char *actor_kind, const char *files_dir, PkmOutputFormat format,
                              FILE *out, FILE *err) { return NULL; }
WEAK void pkm_shell_free (PkmShell *shell) {}
WEAK gboolean pkm_shell_run_argv (PkmShell *shell, int argc, char **argv, GError **error)
{ g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "the shell is not built yet"); return FALSE; }
WEAK gboolean pkm_shell_run_script (PkmShell *shell, const char *text, const char *source_name, GError **error)
{ g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "the shell is not built yet"); return FALSE; }
WEAK int pkm_shell_interactive (PkmShell *shell) { return 1; }
