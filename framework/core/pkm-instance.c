/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "core/pkm-context-private.h"
#include "core/pkm-providers.h"

/* The crypto plugin and each token plugin are instances: open gives the
 * @self their members take, close ends it. The loader opens one right after
 * its plugin's init and closes it right before its shutdown. */

/* With the plugin's own config group; right after init, so that every plugin
 * has set itself up before the first call. */
static gpointer
call_open (PkmLoadedPlugin *loaded, gboolean *has_open, GError **error)
{
  const PkmPluginDescriptor *d = loaded->descriptor;
  const PkmTokenVTable *token = pkm_token_vtable (loaded);
  const PkmCryptoVTable *crypto = d->kind == PKM_PLUGIN_KIND_CRYPTO ? d->vtable : NULL;

  *has_open = TRUE;
  if (crypto != NULL)
    return crypto->open (loaded->config, error);
  if (PKM_HAS_MEMBER (token, open))
    return token->open (loaded->config, error);
  /* A token plugin without open has no state: its members get NULL. */
  *has_open = FALSE;
  return NULL;
}

gboolean
pkm_instance_open (PkmContext *ctx, PkmLoadedPlugin *loaded, GError **error)
{
  const PkmPluginDescriptor *d = loaded->descriptor;
  g_autoptr (GError) open_error = NULL;
  gboolean has_open;

  if (d->kind != PKM_PLUGIN_KIND_CRYPTO && d->kind != PKM_PLUGIN_KIND_TOKEN)
    return TRUE;
  loaded->instance = call_open (loaded, &has_open, &open_error);
  if (has_open && loaded->instance == NULL)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_INIT_FAILED, "%s (%s): open failed: %s", d->name,
                   loaded->file, open_error != NULL ? open_error->message : "no reason given");
      return FALSE;
    }
  loaded->opened = TRUE;
  if (d->kind == PKM_PLUGIN_KIND_CRYPTO)
    ctx->crypto_instance = loaded->instance;
  return TRUE;
}

void
pkm_instance_close (PkmContext *ctx, PkmLoadedPlugin *loaded)
{
  const PkmPluginDescriptor *d = loaded->descriptor;
  const PkmTokenVTable *token = pkm_token_vtable (loaded);

  if (!loaded->opened)
    return;
  if (d->kind == PKM_PLUGIN_KIND_CRYPTO && PKM_HAS_MEMBER ((const PkmCryptoVTable *) d->vtable, close))
    ((const PkmCryptoVTable *) d->vtable)->close (loaded->instance);
  else if (PKM_HAS_MEMBER (token, close))
    token->close (loaded->instance);
  if (d->kind == PKM_PLUGIN_KIND_CRYPTO)
    ctx->crypto_instance = NULL;
  loaded->instance = NULL;
  loaded->opened = FALSE;
}
