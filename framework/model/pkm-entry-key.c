/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "model/pkm-model.h"

/* A certificate's private key lives on a token when its record names it
 * (key-uri, set by sign from a template's key-uri), else sealed here under
 * its key-id. Either way the certificate has a key (K) for every purpose. */

gboolean
pkm_entry_has_private_key (PkmContext *ctx, PkmEntry *entry)
{
  return pkm_entry_get_string (entry, "key-uri") != NULL || pkm_keys_has (ctx, pkm_entry_get_string (entry, "key-id"));
}

PkmKey *
pkm_entry_get_private_key (PkmContext *ctx, PkmEntry *entry, GError **error)
{
  const char *uri = pkm_entry_get_string (entry, "key-uri");
  g_autoptr (PkmKey) key = NULL;

  if (uri == NULL)
    return pkm_keys_get_key (ctx, pkm_entry_get_string (entry, "key-id"), error);
  /* Signed "by construction" holds only if the token still has the key the certificate was made for. */
  key = pkm_context_find_key (ctx, uri, error);
  if (key == NULL || !pkm_keys_check_id (key, pkm_entry_get_string (entry, "key-id"), error))
    return NULL;
  return g_steal_pointer (&key);
}
