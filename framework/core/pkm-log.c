/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include "core/pkm-context-private.h"
#include "core/pkm-providers.h"
#include "model/pkm-model.h"

/* pkiman's log (/log print) for plugins: unlike pkm_call_audit, whose
 * records share the fate of their command, a log line stays whatever the
 * command's outcome, so that a failure can say why. Lines written while a
 * transaction is open wait for it to end, then go in one of their own. */

typedef struct {
  char *topics;
  char *message;
} PkmLogLine;

static void
log_line_free (gpointer p)
{
  PkmLogLine *line = p;

  g_free (line->topics);
  g_free (line->message);
  g_free (line);
}

void
pkm_log_init (PkmContext *ctx)
{
  ctx->log_lines = g_ptr_array_new_with_free_func (log_line_free);
}

void
pkm_log_clear (PkmContext *ctx)
{
  g_clear_pointer (&ctx->log_lines, g_ptr_array_unref);
}

gboolean
pkm_log_flush (PkmContext *ctx, GError **error)
{
  g_autoptr (GPtrArray) lines = NULL;

  if (ctx->log_lines == NULL || ctx->log_lines->len == 0 || pkm_context_in_transaction (ctx))
    return TRUE;
  lines = g_steal_pointer (&ctx->log_lines);
  ctx->log_lines = g_ptr_array_new_with_free_func (log_line_free);
  if (!pkm_context_begin (ctx, TRUE, error))
    return FALSE;
  for (guint i = 0; i < lines->len; i++)
    {
      PkmLogLine *line = g_ptr_array_index (lines, i);
      if (!pkm_audit (ctx, "plugin", line->topics, error, "%s", line->message))
        {
          pkm_context_rollback (ctx);
          return FALSE;
        }
    }
  return pkm_context_commit (ctx, error);
}

void
pkm_context_log (PkmContext *ctx, const char *topics, const char *format, ...)
{
  PkmLogLine *line = g_new0 (PkmLogLine, 1);
  g_autoptr (GError) error = NULL;
  va_list args;

  va_start (args, format);
  line->topics = g_strdup (topics != NULL ? topics : "info");
  line->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_log ("pkiman", G_LOG_LEVEL_INFO, "%s: %s", line->topics, line->message);
  g_ptr_array_add (ctx->log_lines, line);
  if (!pkm_log_flush (ctx, &error))
    g_log ("pkiman", G_LOG_LEVEL_WARNING, "log: %s", error->message);
}
