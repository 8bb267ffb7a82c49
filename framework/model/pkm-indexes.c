/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "model/pkm-model.h"

/* The fields the core looks certificates up by, and print filters on most. */
static const struct {
  const char *collection;
  const char *field;
  const char *type;
} core_indexes[] = {
  { PKM_COLLECTION_CERTIFICATE, "fingerprint", "s" },
  { PKM_COLLECTION_CERTIFICATE, "skid", "s" },
  { PKM_COLLECTION_CERTIFICATE, "serial-number", "s" },
  { PKM_COLLECTION_CERTIFICATE, "invalid-after", "x" },
  { PKM_COLLECTION_CERTIFICATE, "issuer-fingerprint", "s" },
  { PKM_COLLECTION_CERTIFICATE, "ca-id", "x" },
  { PKM_COLLECTION_REVOCATION, "ca-id", "x" },
};

gboolean
pkm_model_declare_indexes (PkmContext *ctx, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (core_indexes); i++)
    if (!pkm_store_declare_index (ctx, core_indexes[i].collection, core_indexes[i].field, core_indexes[i].type,
                                  error))
      return FALSE;
  return TRUE;
}
