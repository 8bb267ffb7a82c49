/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "core/pkm-context-private.h"
#include "core/pkm-providers.h"
#include "model/pkm-model.h"

/* Keys through the context: a key URI names either the sealed keyring
 * ("pkiman:key/<key id>") or a key on one of the loaded token providers
 * ("pkcs11:..."), asked in load order. */

#define PKCS11_SCHEME "pkcs11:"

const PkmTokenVTable *
pkm_token_vtable (PkmLoadedPlugin *plugin)
{
  return plugin->descriptor->kind == PKM_PLUGIN_KIND_TOKEN ? plugin->descriptor->vtable : NULL;
}

/* The token providers that are open, in load order; @i walks them. */
static PkmLoadedPlugin *
next_token (PkmContext *ctx, guint *i)
{
  for (; ctx->plugins != NULL && *i < ctx->plugins->len; (*i)++)
    {
      PkmLoadedPlugin *p = g_ptr_array_index (ctx->plugins, *i);
      if (pkm_token_vtable (p) != NULL && p->opened)
        {
          (*i)++;
          return p;
        }
    }
  return NULL;
}

static PkmKey *
find_on_tokens (PkmContext *ctx, const char *uri, GError **error)
{
  PkmLoadedPlugin *p;

  for (guint i = 0; (p = next_token (ctx, &i)) != NULL;)
    {
      const PkmTokenVTable *vt = pkm_token_vtable (p);
      g_autoptr (GError) local = NULL;
      PkmKey *key;

      if (!PKM_HAS_MEMBER (vt, find_key))
        continue;
      key = vt->find_key (p->instance, uri, &local);
      if (key != NULL)
        return key;
      /* Not this provider's key: ask the next one. Any other answer is the answer. */
      if (!g_error_matches (local, PKM_ERROR, PKM_ERROR_NOT_FOUND))
        {
          g_set_error (error, local != NULL ? local->domain : PKM_ERROR,
                       local != NULL ? local->code : PKM_ERROR_FAILED, "%s: %s", p->descriptor->name,
                       local != NULL ? local->message : "find_key failed, no reason given");
          return NULL;
        }
    }
  g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: no loaded token provider holds this key", uri);
  return NULL;
}

PkmKey *
pkm_context_find_key (PkmContext *ctx, const char *uri, GError **error)
{
  g_return_val_if_fail (uri != NULL, NULL);
  if (g_str_has_prefix (uri, PKM_KEYRING_URI_PREFIX))
    return pkm_keys_get_key (ctx, uri + strlen (PKM_KEYRING_URI_PREFIX), error);
  if (g_str_has_prefix (uri, PKCS11_SCHEME))
    return find_on_tokens (ctx, uri, error);
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
               "%s: not a key URI (" PKM_KEYRING_URI_PREFIX "<key id> or " PKCS11_SCHEME "...)", uri);
  return NULL;
}

/* One token as its provider describes it, with "provider" added. */
static GVariant *
with_provider (GVariant *token, const char *provider)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, token);
  g_variant_dict_insert (&dict, "provider", "s", provider);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

GPtrArray *
pkm_context_list_tokens (PkmContext *ctx, GError **error)
{
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  PkmLoadedPlugin *p;

  for (guint i = 0; (p = next_token (ctx, &i)) != NULL;)
    {
      const PkmTokenVTable *vt = pkm_token_vtable (p);
      g_autoptr (GPtrArray) tokens = NULL;
      g_autoptr (GError) local = NULL;

      if (!PKM_HAS_MEMBER (vt, list_tokens))
        continue;
      tokens = vt->list_tokens (p->instance, &local);
      if (tokens == NULL)
        {
          g_set_error (error, PKM_ERROR, local != NULL ? local->code : PKM_ERROR_FAILED, "%s: %s", p->descriptor->name,
                       local != NULL ? local->message : "list_tokens failed, no reason given");
          return NULL;
        }
      for (guint t = 0; t < tokens->len; t++)
        if (g_variant_is_of_type (g_ptr_array_index (tokens, t), G_VARIANT_TYPE_VARDICT))
          g_ptr_array_add (all, with_provider (g_ptr_array_index (tokens, t), p->descriptor->name));
    }
  return g_steal_pointer (&all);
}

/* The value of @attr in a PKCS#11 URI's path (RFC 7512), percent-decoded. */
static char *
uri_attribute (const char *uri, const char *attr)
{
  g_autofree char *path = NULL;
  g_auto (GStrv) parts = NULL;
  gsize n = strlen (attr);

  if (!g_str_has_prefix (uri, PKCS11_SCHEME))
    return NULL;
  path = g_strndup (uri + strlen (PKCS11_SCHEME), strcspn (uri + strlen (PKCS11_SCHEME), "?"));
  parts = g_strsplit (path, ";", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (strncmp (parts[i], attr, n) == 0 && parts[i][n] == '=')
      return g_uri_unescape_string (parts[i] + n + 1, NULL);
  return NULL;
}

/* Whether @provider lists the token @label names. */
static gboolean
provider_has_token (PkmLoadedPlugin *p, const char *label)
{
  const PkmTokenVTable *vt = pkm_token_vtable (p);
  g_autoptr (GPtrArray) tokens = PKM_HAS_MEMBER (vt, list_tokens) ? vt->list_tokens (p->instance, NULL) : NULL;

  for (guint t = 0; tokens != NULL && t < tokens->len; t++)
    {
      const char *token_uri = NULL, *token_label = NULL;
      g_autofree char *listed = NULL;

      g_variant_lookup (g_ptr_array_index (tokens, t), "uri", "&s", &token_uri);
      g_variant_lookup (g_ptr_array_index (tokens, t), "label", "&s", &token_label);
      listed = token_uri != NULL ? uri_attribute (token_uri, "token") : NULL;
      if (g_strcmp0 (listed, label) == 0 || g_strcmp0 (token_label, label) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
pkm_context_login_token (PkmContext *ctx, const char *token_uri, PkmSecret *pin, GError **error)
{
  g_autofree char *label = uri_attribute (token_uri, "token");
  PkmLoadedPlugin *p;

  if (label == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: not a token URI (" PKCS11_SCHEME "token=...)",
                   token_uri);
      return FALSE;
    }
  for (guint i = 0; (p = next_token (ctx, &i)) != NULL;)
    {
      const PkmTokenVTable *vt = pkm_token_vtable (p);

      if (!provider_has_token (p, label))
        continue;
      if (!PKM_HAS_MEMBER (vt, login))
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "%s: login is not supported", p->descriptor->name);
          return FALSE;
        }
      return vt->login (p->instance, token_uri, pin, error);
    }
  g_set_error (error, PKM_ERROR, PKM_ERROR_TOKEN_ABSENT, "%s: no loaded token provider has this token", token_uri);
  return FALSE;
}
