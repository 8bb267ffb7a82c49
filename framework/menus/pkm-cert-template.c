/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <string.h>
#include "menus/pkm-cert-private.h"

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
pkm_cert_check_name_form (const char *param, const char *name, GError **error)
{
  if (!pkm_item_ref_is_number (name))
    return TRUE;
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: \"%s\" would read as an item number", param, name);
  return FALSE;
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
  if (!pkm_cert_check_name_form (param, name, error))
    return FALSE;
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

/* RFC 5280 Appendix A: ub-common-name and its kin, in characters; the
 * country is an ISO 3166 code of two letters. */
static const struct {
  const char *field;
  glong max;
  gboolean two_letters;
} subject_bounds[] = {
  { "common-name", 64, FALSE },
  { "organization", 64, FALSE },
  { "unit", 64, FALSE },
  { "locality", 128, FALSE },
  { "state", 128, FALSE },
  { "country", 2, TRUE },
};

static gboolean
check_subject_field (const char *field, const char *value, glong max, gboolean two_letters, GError **error)
{
  glong length = g_utf8_strlen (value, -1);

  if (two_letters && (length != 2 || !g_ascii_isalpha (value[0]) || !g_ascii_isalpha (value[1])))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: \"%s\" is not two letters (ISO 3166)",
                   field, value);
      return FALSE;
    }
  if (length > max)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                   "%s: %ld characters, more than %ld (RFC 5280)", field, length, max);
      return FALSE;
    }
  return TRUE;
}

static gboolean
valid_ip (const char *text)
{
  guint8 buffer[16];

  return inet_pton (AF_INET, text, buffer) == 1 || inet_pton (AF_INET6, text, buffer) == 1;
}

/* RFC 1123 labels of letters, digits and inner hyphens, 63 at most each,
 * 253 in all; only the leftmost label may be a wildcard. */
static gboolean
valid_host_name (const char *name)
{
  g_auto (GStrv) labels = NULL;

  if (g_str_has_prefix (name, "*."))
    name += 2;
  if (*name == '\0' || strlen (name) > 253)
    return FALSE;
  labels = g_strsplit (name, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize n = strlen (labels[i]);

      if (n == 0 || n > 63 || labels[i][0] == '-' || labels[i][n - 1] == '-')
        return FALSE;
      for (gsize k = 0; k < n; k++)
        if (!g_ascii_isalnum (labels[i][k]) && labels[i][k] != '-')
          return FALSE;
    }
  return TRUE;
}

/* local@domain, within ub-emailaddress-length. */
static gboolean
valid_email (const char *address)
{
  const char *at = strrchr (address, '@');

  return at != NULL && at != address && at[1] != '\0' && g_utf8_strlen (address, -1) <= 255;
}

static const struct {
  const char *prefix;
  gboolean (*valid) (const char *value);
  const char *expected;
} san_kinds[] = {
  { "DNS:", valid_host_name, "a host name (a leftmost *. allowed)" },
  { "IP:", valid_ip, "an IPv4 or IPv6 address" },
  { "email:", valid_email, "an address local@domain of at most 255 characters" },
};

/* DNS:, IP: and email: as RouterOS completes them; checked here so that a bad
 * template is refused at add time, not at sign time. */
static gboolean
check_san_item (const char *item, GError **error)
{
  for (guint k = 0; k < G_N_ELEMENTS (san_kinds); k++)
    {
      gsize n = strlen (san_kinds[k].prefix);

      if (g_ascii_strncasecmp (item, san_kinds[k].prefix, n) != 0)
        continue;
      if (san_kinds[k].valid (item + n))
        return TRUE;
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "subject-alt-name: \"%s\" is not %s", item,
                   san_kinds[k].expected);
      return FALSE;
    }
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
               "subject-alt-name: \"%s\" is not DNS:name, IP:address or email:address", item);
  return FALSE;
}

gboolean
pkm_cert_check_bounds (PkmEntry *tpl, GError **error)
{
  g_auto (GStrv) items = pkm_cert_san_items (pkm_entry_get_string (tpl, "subject-alt-name"));

  for (guint i = 0; i < G_N_ELEMENTS (subject_bounds); i++)
    {
      const char *value = pkm_entry_get_string (tpl, subject_bounds[i].field);

      if (value != NULL && *value != '\0'
          && !check_subject_field (subject_bounds[i].field, value, subject_bounds[i].max,
                                   subject_bounds[i].two_letters, error))
        return FALSE;
    }
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    if (!check_san_item (items[i], error))
      return FALSE;
  return TRUE;
}

/* A template signs with a token's key when key-uri names one; "" takes it
 * back to a new key. Whether a token holds it is for sign to find out: the
 * token need not be there when the template is written. */
static gboolean
apply_key_uri (PkmCall *call, PkmEntry *entry, GError **error)
{
  const char *uri = pkm_call_get_string (call, "key-uri");

  if (uri != NULL && *uri != '\0' && !g_str_has_prefix (uri, "pkcs11:"))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                   "key-uri: \"%s\" is not a PKCS#11 URI (pkcs11:token=...;object=...)", uri);
      return FALSE;
    }
  pkm_entry_set_string (entry, "key-uri", uri != NULL && *uri != '\0' ? uri : NULL);
  return TRUE;
}

/* Every template property given, onto the record by its type; the name is
 * add's and set's own, and key-uri is checked first. */
gboolean
pkm_cert_apply_template_args (PkmCall *call, PkmEntry *entry, GError **error)
{
  for (const PkmCertProperty *p = pkm_cert_properties; p->name != NULL; p++)
    {
      if (!(p->flags & PROP_TEMPLATE) || strcmp (p->name, "name") == 0 || !pkm_call_has (call, p->name))
        continue;
      switch (p->type)
        {
        case PKM_PARAM_UINT:
          g_variant_dict_insert (entry->dict, p->name, "t", pkm_call_get_uint (call, p->name, 0));
          break;
        case PKM_PARAM_BOOL:
          g_variant_dict_insert (entry->dict, p->name, "b", pkm_call_get_bool (call, p->name, FALSE));
          break;
        case PKM_PARAM_ENUM_LIST:
        case PKM_PARAM_STRING_LIST:
          g_variant_dict_insert (entry->dict, p->name, "^as", pkm_call_get_list (call, p->name));
          break;
        default:
          if (strcmp (p->name, "key-uri") == 0)
            {
              if (!apply_key_uri (call, entry, error))
                return FALSE;
            }
          else
            pkm_entry_set_string (entry, p->name, pkm_call_get_string (call, p->name));
        }
    }
  /* A signed certificate keeps the subject it came with; templates are what gets issued. */
  return !pkm_entry_is_template (entry) || pkm_cert_check_bounds (entry, error);
}

/* copy-from takes the general settings, never identity or key material. */
static void
copy_settings (PkmEntry *to, PkmEntry *from)
{
  for (const PkmCertProperty *p = pkm_cert_properties; p->name != NULL; p++)
    {
      g_autoptr (GVariant) value = (p->flags & PROP_COPIED) ? g_variant_dict_lookup_value (from->dict, p->name, NULL)
                                                             : NULL;
      if (value != NULL)
        g_variant_dict_insert_value (to->dict, p->name, value);
    }
}

gboolean
pkm_cert_add (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  const char *name = pkm_call_get_string (call, "name");
  g_autoptr (PkmEntry) entry = NULL;
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
  pkm_context_emit (ctx, PKM_EVENT_CERTIFICATE_ADDED, id);
  pkm_menus_answer_new_id (call, id);
  return PKM_AUDITED (call, "certificate,info", "template \"%s\" added", name);
}

static gboolean
check_certificate_settable (PkmCall *call, GError **error)
{
  for (const PkmCertProperty *p = pkm_cert_properties; p->name != NULL; p++)
    if ((p->flags & PROP_TEMPLATE) && !(p->flags & PROP_CERTIFICATE) && pkm_call_has (call, p->name))
      {
        g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                     "%s: a signed certificate keeps its content; only name, trusted and trust-store can be set",
                     p->name);
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
    return PKM_AUDITED (call, "certificate,info", "\"%s\" renamed to \"%s\"",
                      old_name, name);
  return PKM_AUDITED (call, "certificate,info", "\"%s\" changed%s", entry->name,
                    pkm_call_has (call, "trusted")
                      ? (pkm_call_get_bool (call, "trusted", FALSE) ? ": trusted=yes" : ": trusted=no")
                      : "");
}
