/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include "core/pkm-context-private.h"
#include "core/pkm-providers.h"
#include "model/pkm-model.h"

/* pkiman's log (/log print) for plugins: unlike pkm_call_audit, whose
 * records share the fate of their command, a log line stays whatever the
 * command's outcome, so that a failure can say why. Lines written while a
 * transaction is open wait for it to end, then go in one of their own. */

PkmLogRecord *
pkm_log_record_new (const char *actor, const char *topics, char *message)
{
  PkmLogRecord *record = g_new0 (PkmLogRecord, 1);

  record->actor = g_strdup (actor);
  record->topics = g_strdup (topics);
  record->message = message;
  return record;
}

void
pkm_log_record_free (gpointer p)
{
  PkmLogRecord *record = p;

  g_free (record->actor);
  g_free (record->topics);
  g_free (record->message);
  g_free (record);
}

gboolean
pkm_log_records_write (PkmContext *ctx, GPtrArray *records, GError **error)
{
  for (guint i = 0; i < records->len; i++)
    {
      PkmLogRecord *record = g_ptr_array_index (records, i);
      if (!pkm_audit (ctx, record->actor, record->topics, error, "%s", record->message))
        return FALSE;
    }
  return TRUE;
}

void
pkm_log_init (PkmContext *ctx)
{
  ctx->log_lines = g_ptr_array_new_with_free_func (pkm_log_record_free);
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
  ctx->log_lines = g_ptr_array_new_with_free_func (pkm_log_record_free);
  if (!pkm_context_begin (ctx, TRUE, error))
    return FALSE;
  if (!pkm_log_records_write (ctx, lines, error))
    {
      pkm_context_rollback (ctx);
      return FALSE;
    }
  return pkm_context_commit (ctx, error);
}

void
pkm_context_log (PkmContext *ctx, const char *topics, const char *format, ...)
{
  g_autoptr (GError) error = NULL;
  PkmLogRecord *line;
  va_list args;

  va_start (args, format);
  line = pkm_log_record_new ("plugin", topics != NULL ? topics : "info", g_strdup_vprintf (format, args));
  va_end (args);
  g_log ("pkiman", G_LOG_LEVEL_INFO, "%s: %s", line->topics, line->message);
  g_ptr_array_add (ctx->log_lines, line);
  if (!pkm_log_flush (ctx, &error))
    g_log ("pkiman", G_LOG_LEVEL_WARNING, "log: %s", error->message);
}
