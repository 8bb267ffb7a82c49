/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "menus/pkm-menus.h"
#include <string.h>
#include "model/pkm-model.h"

/* /system token: the tokens the loaded token providers offer, and the login
 * that their keys may need before they sign. A login lasts as long as the
 * provider keeps it, at most this process: a script logs in, then signs. */

static GPtrArray *
token_list (PkmCall *call, GError **error)
{
  g_autoptr (GPtrArray) tokens = pkm_context_list_tokens (pkm_call_get_context (call), error);
  GPtrArray *items;

  if (tokens == NULL)
    return NULL;
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  for (guint i = 0; i < tokens->len; i++)
    {
      GVariantDict item;

      g_variant_dict_init (&item, g_ptr_array_index (tokens, i));
      g_variant_dict_insert (&item, ".id", "x", (gint64) i + 1);
      g_ptr_array_add (items, g_variant_ref_sink (g_variant_dict_end (&item)));
    }
  return items;
}

static gboolean
token_login (PkmCall *call, GError **error)
{
  const char *token = pkm_call_get_string (call, "token");
  const char *pin = pkm_call_get_string (call, "pin");
  g_autoptr (PkmSecret) secret = pkm_secret_new_from_data (pin != NULL ? pin : "", pin != NULL ? strlen (pin) : 0);

  if (!pkm_context_login_token (pkm_call_get_context (call), token, secret, error))
    {
      g_prefix_error (error, "token: ");
      return FALSE;
    }
  pkm_call_print (call, "logged in to %s", token);
  return TRUE;
}

static const PkmParam login_params[] = {
  { "token", PKM_PARAM_STRING, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, NULL,
    "the token's URI (pkcs11:token=<label>)" },
  { "pin", PKM_PARAM_STRING, PKM_PARAM_REQUIRED | PKM_PARAM_SECRET, NULL, 0, 1024, NULL, "the token's PIN" },
  { NULL },
};

static const PkmCommand token_commands[] = {
  { "login", token_login, login_params, 0, "log in to a token so that its keys sign" },
  { NULL },
};

static const PkmFlag token_flags[] = {
  { 'L', "logged-in", "LOGGED-IN" },
  { 'P', "login-required", "PIN-REQUIRED" },
  { 0 },
};

static const char *const token_columns[] = { "label", "provider", "model", "serial", NULL };
static const char *const token_fields[] = {
  "uri", "label", "provider", "manufacturer", "model", "serial", "login-required", "logged-in", NULL,
};

const PkmMenu pkm_menu_system_token = {
  PKM_MENU_SIZES,
  .path = "/system token",
  .help = "the tokens of the loaded token plugins (smart cards, HSMs)",
  .commands = token_commands,
  .list = token_list,
  .flags = token_flags,
  .columns = token_columns,
  .fields = token_fields,
};
