/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include "model/pkm-model.h"
#include "core/pkm-providers.h"

/* Every change is recorded in the same transaction as the change itself, so
 * the log never claims what did not happen. Callers never pass secrets. */
gboolean
pkm_audit (PkmContext *ctx, const char *actor, const char *topics, GError **error, const char *format, ...)
{
  g_autofree char *message = NULL;
  GVariantDict dict;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "time", "x", pkm_now ());
  g_variant_dict_insert (&dict, "topics", "s", topics);
  g_variant_dict_insert (&dict, "message", "s", message);
  g_variant_dict_insert (&dict, "actor", "s", actor != NULL ? actor : "");
  return pkm_store_insert (ctx, PKM_COLLECTION_LOG, NULL, g_variant_dict_end (&dict), error) > 0;
}
