/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <string.h>
#include "menus/pkm-cert-private.h"
#include "core/pkm-providers.h"

PkmEntry *
pkm_cert_load_param (PkmCall *call, const char *param, GError **error)
{
  gint64 id = pkm_call_get_item (call, param);

  if (id <= 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: required", param);
      return NULL;
    }
  return pkm_entry_load (pkm_call_get_context (call), id, error);
}

/* Items are named by number (0), id (*1A) or name: a name must not be either of the others. */
gboolean
pkm_name_reads_as_number (const char *name)
{
  gint64 id;
  const char *p = name;

  if (pkm_item_id_parse (name, &id))
    return TRUE;
  while (g_ascii_isdigit (*p))
    p++;
  return p != name && *p == '\0';
}

gboolean
pkm_cert_check_name_free (PkmCall *call, const char *param, const char *name, gint64 self, GError **error)
{
  gint64 id;

  if (name == NULL || *name == '\0')
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: must not be empty", param);
      return FALSE;
    }
  if (pkm_name_reads_as_number (name))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: \"%s\" would read as an item number", param,
                   name);
      return FALSE;
    }
  id = pkm_store_find (pkm_call_get_context (call), PKM_COLLECTION_CERTIFICATE, name, error);
  if (id < 0)
    return FALSE;
  if (id > 0 && id != self)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_EXISTS, "%s: a certificate named \"%s\" already exists", param, name);
      return FALSE;
    }
  return TRUE;
}

char **
pkm_cert_san_items (const char *san)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GStrvBuilder) items = g_strv_builder_new ();

  if (san == NULL || *san == '\0')
    return NULL;
  parts = g_strsplit (san, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (items, parts[i]);
    }
  return g_strv_builder_end (items);
}

static gboolean
valid_ip (const char *text)
{
  guint8 buffer[16];

  return inet_pton (AF_INET, text, buffer) == 1 || inet_pton (AF_INET6, text, buffer) == 1;
}

/* DNS:, IP: and email: as RouterOS completes them; checked here so that a bad
 * template is refused at add time, not at sign time. */
static gboolean
check_san (const char *san, GError **error)
{
  g_auto (GStrv) items = pkm_cert_san_items (san);

  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      const char *item = items[i];
      const char *value = strchr (item, ':');
      gboolean ok = value != NULL && value[1] != '\0';

      if (ok && g_ascii_strncasecmp (item, "IP:", 3) == 0)
        ok = valid_ip (value + 1);
      else if (ok)
        ok = g_ascii_strncasecmp (item, "DNS:", 4) == 0 || g_ascii_strncasecmp (item, "email:", 6) == 0;
      if (!ok)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                       "subject-alt-name: \"%s\" is not DNS:name, IP:address or email:address", item);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
pkm_cert_apply_template_args (PkmCall *call, PkmEntry *entry, GError **error)
{
  static const char *const enum_fields[] = { "key-size", "digest-algorithm", "trust-store", NULL };

  for (guint i = 0; pkm_template_string_fields[i] != NULL; i++)
    if (pkm_call_has (call, pkm_template_string_fields[i]))
      pkm_entry_set_string (entry, pkm_template_string_fields[i],
                            pkm_call_get_string (call, pkm_template_string_fields[i]));
  for (guint i = 0; enum_fields[i] != NULL; i++)
    if (pkm_call_has (call, enum_fields[i]))
      pkm_entry_set_string (entry, enum_fields[i], pkm_call_get_string (call, enum_fields[i]));
  if (pkm_call_has (call, "days-valid"))
    g_variant_dict_insert (entry->dict, "days-valid", "t", pkm_call_get_uint (call, "days-valid", 365));
  if (pkm_call_has (call, "key-usage"))
    g_variant_dict_insert (entry->dict, "key-usage", "^as", pkm_call_get_list (call, "key-usage"));
  if (pkm_call_has (call, "trusted"))
    g_variant_dict_insert (entry->dict, "trusted", "b", pkm_call_get_bool (call, "trusted", FALSE));
  return check_san (pkm_entry_get_string (entry, "subject-alt-name"), error);
}

/* copy-from takes the general settings, never identity or key material. */
static void
copy_settings (PkmEntry *to, PkmEntry *from)
{
  static const char *const copied[] = {
    "common-name", "country", "state", "locality", "organization", "unit", "subject-alt-name", "days-valid",
    "key-size", "digest-algorithm", "key-usage", "trust-store", NULL,
  };

  for (guint i = 0; copied[i] != NULL; i++)
    {
      g_autoptr (GVariant) value = g_variant_dict_lookup_value (from->dict, copied[i], NULL);
      if (value != NULL)
        g_variant_dict_insert_value (to->dict, copied[i], value);
    }
}

gboolean
pkm_cert_add (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  const char *name = pkm_call_get_string (call, "name");
  g_autoptr (PkmEntry) entry = NULL;
  g_autofree char *text_id = NULL;
  gint64 id;

  if (name == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "name: required");
      return FALSE;
    }
  if (!pkm_cert_check_name_free (call, "name", name, 0, error))
    return FALSE;

  entry = pkm_entry_new (name);
  g_variant_dict_insert (entry->dict, "template", "b", TRUE);
  g_variant_dict_insert (entry->dict, "days-valid", "t", (guint64) 365);
  pkm_entry_set_string (entry, "key-size", "2048");
  pkm_entry_set_string (entry, "digest-algorithm", "sha256");
  g_variant_dict_insert (entry->dict, "key-usage", "^as", pkm_default_key_usage);
  if (pkm_call_has (call, "copy-from"))
    {
      g_autoptr (PkmEntry) source = pkm_cert_load_param (call, "copy-from", error);
      if (source == NULL)
        return FALSE;
      copy_settings (entry, source);
    }
  if (!pkm_cert_apply_template_args (call, entry, error) || (id = pkm_entry_insert (ctx, entry, error)) <= 0)
    return FALSE;
  /* add answers the new item's id, as RouterOS's [/certificate add ...] does. */
  text_id = pkm_item_id_format (id);
  pkm_call_set_result (call, g_variant_new_parsed ("{'.id': <%s>}", text_id));
  return pkm_audit (ctx, pkm_call_get_actor (call), "certificate,info", error, "template \"%s\" added", name);
}

static gboolean
check_certificate_settable (PkmCall *call, GError **error)
{
  static const char *const fixed[] = {
    "common-name", "country", "state", "locality", "organization", "unit", "subject-alt-name", "days-valid",
    "key-size", "digest-algorithm", "key-usage", NULL,
  };

  for (guint i = 0; fixed[i] != NULL; i++)
    if (pkm_call_has (call, fixed[i]))
      {
        g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                     "%s: a signed certificate keeps its content; only name, trusted and trust-store can be set",
                     fixed[i]);
        return FALSE;
      }
  return TRUE;
}

gboolean
pkm_cert_set (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (PkmEntry) entry = pkm_cert_load_param (call, "numbers", error);
  g_autofree char *old_name = NULL;
  const char *name = pkm_call_get_string (call, "name");

  if (entry == NULL)
    return FALSE;
  old_name = g_strdup (entry->name);
  if (!pkm_entry_is_template (entry) && !check_certificate_settable (call, error))
    return FALSE;
  if (name != NULL)
    {
      if (!pkm_cert_check_name_free (call, "name", name, entry->id, error))
        return FALSE;
      g_free (entry->name);
      entry->name = g_strdup (name);
    }
  if (!pkm_cert_apply_template_args (call, entry, error) || !pkm_entry_save (ctx, entry, error))
    return FALSE;
  if (name != NULL && g_strcmp0 (name, old_name) != 0)
    return pkm_audit (ctx, pkm_call_get_actor (call), "certificate,info", error, "\"%s\" renamed to \"%s\"",
                      old_name, name);
  return pkm_audit (ctx, pkm_call_get_actor (call), "certificate,info", error, "\"%s\" changed%s", entry->name,
                    pkm_call_has (call, "trusted")
                      ? (pkm_call_get_bool (call, "trusted", FALSE) ? ": trusted=yes" : ": trusted=no")
                      : "");
}
