/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /user: who may use pkimand's REST API, in the groups RouterOS ships with
 * (full: everything; read: what changes nothing). One record a user in the
 * "user" collection; its password only as a yescrypt hash (pkm-password.c),
 * never an item property. There is no default user: the first one is added
 * with the CLI (`/user add name=admin group=full password=...`). */
#include <string.h>
#include "core/pkm-context-private.h"
#include "menus/pkm-menus.h"

#define PKM_COLLECTION_USER "user"
#define PASSWORD_MIN 8

static const char *const groups[] = { "full", "read", NULL };

/* (transfer full): the item of user @id. */
static GVariant *
user_item (gint64 id, const char *name, GVariant *record)
{
  const char *group = "read", *comment = "";
  gboolean disabled = FALSE;

  g_variant_lookup (record, "group", "&s", &group);
  g_variant_lookup (record, "comment", "&s", &comment);
  g_variant_lookup (record, "disabled", "b", &disabled);
  /* Built in the order of the fields, as print detail and REST show them. */
  return g_variant_ref_sink (g_variant_new_parsed ("{'.id': <%x>, 'name': <%s>, 'group': <%s>, "
                                                   "'comment': <%s>, 'disabled': <%b>}",
                                                   id, name != NULL ? name : "", group, comment, disabled));
}

static gboolean
collect_user (gint64 id, const char *name, GVariant *record, gpointer user_data)
{
  g_ptr_array_add (user_data, user_item (id, name, record));
  return TRUE;
}

static GVariant *
user_get (PkmCall *call, gint64 id, GError **error)
{
  g_autofree char *name = NULL;
  g_autoptr (GVariant) record = pkm_store_get (pkm_call_get_context (call), PKM_COLLECTION_USER, id, &name, error);

  return record != NULL ? user_item (id, name, record) : NULL;
}

static GPtrArray *
user_list (PkmCall *call, GError **error)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  if (!pkm_store_foreach (pkm_call_get_context (call), PKM_COLLECTION_USER, collect_user, items, error))
    return NULL;
  return g_steal_pointer (&items);
}

static gint64
user_lookup (PkmCall *call, const char *name, GError **error)
{
  return pkm_store_find (pkm_call_get_context (call), PKM_COLLECTION_USER, name, error);
}

/* A name that HTTP Basic can carry (no ':') and print can show. */
static gboolean
check_name (PkmContext *ctx, const char *name, gint64 self, GError **error)
{
  gint64 other;

  if (*name == '\0' || strchr (name, ':') != NULL || pkm_item_ref_is_number (name))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT,
                   "name: \"%s\" is not a user name (not empty, no ':', not a number)", name);
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      {
        g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "name: a user name has no control characters");
        return FALSE;
      }
  if ((other = pkm_store_find (ctx, PKM_COLLECTION_USER, name, error)) < 0)
    return FALSE;
  if (other != 0 && other != self)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_EXISTS, "name: a user called %s exists already", name);
      return FALSE;
    }
  return TRUE;
}

/* The hash of the password= given; NULL with @error for one too short. */
static char *
hash_password (const char *password, GError **error)
{
  if (g_utf8_strlen (password, -1) < PASSWORD_MIN)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "password: at least %d characters", PASSWORD_MIN);
      return NULL;
    }
  return pkm_password_hash (password, error);
}

/* @record with what this call gives over it: group, password, comment, disabled. */
static GVariant *
merge_user (PkmCall *call, GVariant *record, GError **error)
{
  g_auto (GVariantDict) merged = G_VARIANT_DICT_INIT (record);
  const char *password = pkm_call_get_string (call, "password");

  if (pkm_call_has (call, "group"))
    g_variant_dict_insert (&merged, "group", "s", pkm_call_get_string (call, "group"));
  if (pkm_call_has (call, "comment"))
    g_variant_dict_insert (&merged, "comment", "s", pkm_call_get_string (call, "comment"));
  if (pkm_call_has (call, "disabled"))
    g_variant_dict_insert (&merged, "disabled", "b", pkm_call_get_bool (call, "disabled", FALSE));
  if (password != NULL)
    {
      g_autofree char *hash = hash_password (password, error);
      if (hash == NULL)
        return NULL;
      g_variant_dict_insert (&merged, "password", "s", hash);
    }
  return g_variant_ref_sink (g_variant_dict_end (&merged));
}

static gboolean
user_add (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  const char *name = pkm_call_get_string (call, "name");
  g_autoptr (GVariant) record = NULL;
  gint64 id;

  if (!check_name (ctx, name, 0, error) || (record = merge_user (call, NULL, error)) == NULL
      || (id = pkm_store_insert (ctx, PKM_COLLECTION_USER, name, record, error)) <= 0)
    return FALSE;
  pkm_menus_answer_new_id (call, id);
  return PKM_AUDITED (call, "system,info", "user %s added (group %s)", name, pkm_call_get_string (call, "group"));
}

/* (transfer full): the record of the user numbers= names, its id and name. */
static GVariant *
load_user (PkmCall *call, gint64 *out_id, char **out_name, GError **error)
{
  *out_id = pkm_call_get_item (call, "numbers");
  return pkm_store_get (pkm_call_get_context (call), PKM_COLLECTION_USER, *out_id, out_name, error);
}

static gboolean
user_set (PkmCall *call, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  gint64 id;
  g_autofree char *name = NULL;
  g_autoptr (GVariant) stored = load_user (call, &id, &name, error);
  g_autoptr (GVariant) record = NULL;
  const char *new_name = pkm_call_get_string (call, "name");

  if (stored == NULL)
    return FALSE;
  if (new_name != NULL && !check_name (ctx, new_name, id, error))
    return FALSE;
  if ((record = merge_user (call, stored, error)) == NULL
      || !pkm_store_update (ctx, PKM_COLLECTION_USER, id, new_name != NULL ? new_name : name, record, error))
    return FALSE;
  return PKM_AUDITED (call, "system,info", "user %s changed%s", name,
                      pkm_call_has (call, "password") ? " (new password)" : "");
}

static gboolean
user_remove (PkmCall *call, GError **error)
{
  gint64 id;
  g_autofree char *name = NULL;
  g_autoptr (GVariant) stored = load_user (call, &id, &name, error);

  if (stored == NULL || !pkm_store_remove (pkm_call_get_context (call), PKM_COLLECTION_USER, id, error))
    return FALSE;
  return PKM_AUDITED (call, "system,info", "user %s removed", name);
}

#define NUMBERS_PARAM                                                                                   \
  { "numbers", PKM_PARAM_ITEM, PKM_PARAM_REQUIRED | PKM_PARAM_POSITIONAL, NULL, 0, 0, "/user", "the user" }
#define USER_PARAMS(required)                                                                              \
  { "group", PKM_PARAM_ENUM, (required), groups, 0, 0, NULL, "full: every command; read: what changes nothing" }, \
  { "password", PKM_PARAM_STRING, (required) | PKM_PARAM_SECRET, NULL, 0, 256, NULL, "the password (8 or more)" }, \
  { "comment", PKM_PARAM_STRING, 0, NULL, 0, 255, NULL, "a note" },                                       \
  { "disabled", PKM_PARAM_BOOL, 0, NULL, 0, 0, NULL, "yes: may not log in" }

static const PkmParam add_params[] = {
  { "name", PKM_PARAM_STRING, PKM_PARAM_REQUIRED, NULL, 1, 64, NULL, "the user name" },
  USER_PARAMS (PKM_PARAM_REQUIRED),
  { NULL },
};

static const PkmParam set_params[] = {
  NUMBERS_PARAM,
  { "name", PKM_PARAM_STRING, 0, NULL, 1, 64, NULL, "a new user name" },
  USER_PARAMS (0),
  { NULL },
};

static const PkmParam numbers_params[] = { NUMBERS_PARAM, { NULL } };

static const PkmCommand user_commands[] = {
  { "add", user_add, add_params, PKM_COMMAND_WRITE, "add a user" },
  { "set", user_set, set_params, PKM_COMMAND_WRITE, "change a user" },
  { "remove", user_remove, numbers_params, PKM_COMMAND_WRITE, "remove a user" },
  { NULL },
};

static const PkmFlag user_flags[] = {
  { 'X', "disabled", "DISABLED" },
  { 0 },
};

static const char *const user_columns[] = { "name", "group", "comment", NULL };
static const char *const user_fields[] = { "name", "group", "comment", "disabled", NULL };

const PkmMenu pkm_menu_user = {
  PKM_MENU_SIZES,
  .path = "/user",
  .help = "the users of the REST API",
  .commands = user_commands,
  .list = user_list,
  .lookup = user_lookup,
  .get = user_get,
  .flags = user_flags,
  .columns = user_columns,
  .fields = user_fields,
};

typedef struct {
  const char *name;
  char *hash;  /* out */
  char *group; /* out */
} PkmUserLookup;

static gboolean
read_user (PkmCall *call, gpointer user_data, GError **error)
{
  PkmUserLookup *lookup = user_data;
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GVariant) record = NULL;
  gboolean disabled = FALSE;
  gint64 id = pkm_store_find (ctx, PKM_COLLECTION_USER, lookup->name, error);

  if (id < 0 || (id > 0 && (record = pkm_store_get (ctx, PKM_COLLECTION_USER, id, NULL, error)) == NULL))
    return FALSE;
  if (record != NULL)
    g_variant_lookup (record, "disabled", "b", &disabled);
  if (record == NULL || disabled || !g_variant_lookup (record, "password", "s", &lookup->hash)
      || !g_variant_lookup (record, "group", "s", &lookup->group))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "no such user");
      return FALSE;
    }
  return TRUE;
}

char *
pkm_context_lookup_user (PkmContext *ctx, const char *name, char **out_group, GError **error)
{
  PkmUserLookup lookup = { name, NULL, NULL };

  if (!pkm_context_transact (ctx, FALSE, "pkimand", read_user, &lookup, error))
    {
      g_free (lookup.hash);
      g_free (lookup.group);
      return NULL;
    }
  if (out_group != NULL)
    *out_group = g_steal_pointer (&lookup.group);
  g_free (lookup.group);
  return lookup.hash;
}
