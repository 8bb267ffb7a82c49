/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every call the suite makes into the store goes through one of these, so the
 * error contract is checked on every call, not only in the check about it. */
#include <stdarg.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "conformance.h"

#define RULE_SUCCESS "a call that succeeds leaves its error untouched"
#define RULE_FAILURE "a call that fails returns its failure value and sets its error"
#define RULE_FORM "an error is in the domain PKM_ERROR, with a one-line message"
#define RULE_CODES "a store's errors are NOT_FOUND, EXISTS, CONFLICT, INVALID_ARGUMENT, STORE_FAILED or IO"

static gboolean
vbroken (Cf *cf, const char *rule, const char *format, va_list args)
{
  g_autofree char *seen = NULL;

  if (cf->broken != NULL)
    return FALSE;
  seen = g_strdup_vprintf (format, args);
  cf->broken = g_string_new (rule);
  g_string_append_printf (cf->broken, ": %s", seen);
  /* Sent now: if the store crashes the check later, the runner still
   * knows what broke first. */
  if (cf->report_fd >= 0 && write (cf->report_fd, cf->broken->str, MIN (cf->broken->len, CF_MESSAGE_MAX - 1)) < 0)
    cf->report_fd = -1;
  return FALSE;
}

gboolean
cf_broken (Cf *cf, const char *rule, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  vbroken (cf, rule, format, args);
  va_end (args);
  return FALSE;
}

gboolean
cf_fail (Cf *cf, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  vbroken (cf, cf->rule, format, args);
  va_end (args);
  return FALSE;
}

const char *
cf_error_code_name (int code)
{
  static const char *const names[] = {
    "FAILED",   "NOT_SUPPORTED",  "NOT_FOUND",         "EXISTS",       "INVALID_ARGUMENT", "PENDING",
    "REJECTED", "UNREACHABLE",    "PIN_REQUIRED",      "TOKEN_ABSENT", "CRYPTO_FAILED",    "STORE_FAILED",
    "IO",       "BAD_PASSPHRASE", "PERMISSION_DENIED", "CONFLICT",
  };

  return code >= 0 && code < (int) G_N_ELEMENTS (names) ? names[code] : "an unknown code";
}

gboolean
cf_expect_error (Cf *cf, GError **error, int code, const char *call)
{
  gboolean matched;

  if (*error == NULL)
    return cf_fail (cf, "%s succeeded; it must fail with PKM_ERROR_%s", call, cf_error_code_name (code));
  matched = g_error_matches (*error, PKM_ERROR, code);
  if (!matched)
    cf_fail (cf, "%s failed with %s (%s); it must be PKM_ERROR_%s", call,
             (*error)->domain == PKM_ERROR ? cf_error_code_name ((*error)->code)
                                           : g_quark_to_string ((*error)->domain),
             (*error)->message, cf_error_code_name (code));
  g_clear_error (error);
  return matched;
}

gboolean
cf_expect_failure (Cf *cf, GError **error, const char *call)
{
  if (*error == NULL)
    return cf_fail (cf, "%s succeeded; it must fail", call);
  g_clear_error (error);
  return TRUE;
}

char *
cf_describe (GVariant *value)
{
  g_autofree char *text = value != NULL ? g_variant_print (value, TRUE) : g_strdup ("NULL");

  if (strlen (text) > 60)
    return g_strdup_printf ("%.57s...", text);
  return g_steal_pointer (&text);
}

static const int allowed_codes[] = {
  PKM_ERROR_NOT_FOUND,        PKM_ERROR_EXISTS,       PKM_ERROR_CONFLICT,
  PKM_ERROR_INVALID_ARGUMENT, PKM_ERROR_STORE_FAILED, PKM_ERROR_IO,
};

static gboolean
code_allowed (int code)
{
  for (guint i = 0; i < G_N_ELEMENTS (allowed_codes); i++)
    if (allowed_codes[i] == code)
      return TRUE;
  return FALSE;
}

/* What a call did, against the error contract. @local is the error the store
 * set (taken); the call is described only when something is wrong. */
static void G_GNUC_PRINTF (6, 7) settle (Cf *cf, gboolean failed, const char *failure_value, GError *local,
                                         GError **error, const char *format, ...)
{
  g_autofree char *call = NULL;
  va_list args;

  if (!failed && local == NULL)
    return;
  va_start (args, format);
  call = g_strdup_vprintf (format, args);
  va_end (args);
  if (!failed)
    {
      cf_broken (cf, RULE_SUCCESS, "%s succeeded and set an error (%s)", call, local->message);
      g_error_free (local);
      return;
    }
  if (local == NULL)
    {
      cf_broken (cf, RULE_FAILURE, "%s returned %s and set no error", call, failure_value);
      local = g_error_new (PKM_ERROR, PKM_ERROR_FAILED, "%s: no error set", call);
    }
  else if (local->domain != PKM_ERROR || local->message == NULL || local->message[0] == '\0'
           || strchr (local->message, '\n') != NULL)
    cf_broken (cf, RULE_FORM, "%s set %s %d: \"%s\"", call, g_quark_to_string (local->domain), local->code,
               local->message != NULL ? local->message : "");
  else if (!code_allowed (local->code))
    cf_broken (cf, RULE_CODES, "%s set PKM_ERROR_%s (%s)", call, cf_error_code_name (local->code),
               local->message);
  if (error != NULL)
    g_propagate_error (error, local);
  else
    {
      cf_fail (cf, "%s failed: %s", call, local->message);
      g_error_free (local);
    }
}

#define NAME_ARG(name)                                                                                       \
  (name) != NULL ? "\"" : "", (name) != NULL ? (name) : "NULL", (name) != NULL ? "\"" : ""

PkmStore *
cf_open (Cf *cf, const char *dir, GError **error)
{
  GError *local = NULL;
  PkmStore *store = cf->vt->open (dir, NULL, &local);

  settle (cf, store == NULL, "NULL", local, error, "open (%s)", dir);
  return store;
}

void
cf_close (Cf *cf, PkmStore *store)
{
  if (store != NULL)
    cf->vt->close (store);
}

PkmStoreTxn *
cf_begin (Cf *cf, PkmStore *store, PkmStoreTxnFlags flags, GError **error)
{
  GError *local = NULL;
  PkmStoreTxn *txn = cf->vt->begin (store, flags, &local);

  settle (cf, txn == NULL, "NULL", local, error, "begin (%s%s)",
          flags & PKM_STORE_TXN_WRITE ? "WRITE" : "READ",
          flags & PKM_STORE_TXN_LOCK_NOW ? " | LOCK_NOW" : "");
  return txn;
}

gboolean
cf_commit (Cf *cf, PkmStoreTxn *txn, GError **error)
{
  GError *local = NULL;
  gboolean ok = cf->vt->commit (txn, &local);

  settle (cf, !ok, "FALSE", local, error, "commit");
  return ok;
}

void
cf_rollback (Cf *cf, PkmStoreTxn *txn)
{
  cf->vt->rollback (txn);
}

gint64
cf_insert (Cf *cf, PkmStoreTxn *txn, const char *collection, const char *name, GVariant *record,
           GError **error)
{
  GError *local = NULL;
  gint64 id;

  /* The store may sink the record or only read it: either way it stays ours until here. */
  g_variant_ref_sink (record);
  id = cf->vt->insert (txn, collection, name, record, &local);
  g_variant_unref (record);
  settle (cf, id == 0, "0", local, error, "insert (\"%s\", %s%s%s)", collection, NAME_ARG (name));
  if (id < 0)
    cf_broken (cf, "ids are positive", "insert (\"%s\", %s%s%s) returned %" G_GINT64_FORMAT, collection,
               NAME_ARG (name), id);
  return id;
}

gint64
cf_update (Cf *cf, PkmStoreTxn *txn, const char *collection, gint64 id, const char *name, GVariant *record,
           gint64 expected_revision, GError **error)
{
  GError *local = NULL;
  gint64 revision;

  g_variant_ref_sink (record);
  revision = cf->vt->update (txn, collection, id, name, record, expected_revision, &local);
  g_variant_unref (record);
  settle (cf, revision == 0, "0", local, error,
          "update (\"%s\", %" G_GINT64_FORMAT ", %s%s%s, expected revision %" G_GINT64_FORMAT ")", collection,
          id, NAME_ARG (name), expected_revision);
  return revision;
}

gboolean
cf_remove (Cf *cf, PkmStoreTxn *txn, const char *collection, gint64 id, gint64 expected_revision,
           GError **error)
{
  GError *local = NULL;
  gboolean ok = cf->vt->remove (txn, collection, id, expected_revision, &local);

  settle (cf, !ok, "FALSE", local, error,
          "remove (\"%s\", %" G_GINT64_FORMAT ", expected revision %" G_GINT64_FORMAT ")", collection, id,
          expected_revision);
  return ok;
}

GVariant *
cf_get (Cf *cf, PkmStoreTxn *txn, const char *collection, gint64 id, char **out_name, gint64 *out_revision,
        GError **error)
{
  GError *local = NULL;
  GVariant *record = cf->vt->get (txn, collection, id, out_name, out_revision, &local);

  settle (cf, record == NULL, "NULL", local, error, "get (\"%s\", %" G_GINT64_FORMAT ")", collection, id);
  if (record != NULL && !g_variant_is_of_type (record, G_VARIANT_TYPE_VARDICT))
    cf_broken (cf, "a record is an a{sv}", "get (\"%s\", %" G_GINT64_FORMAT ") gave a %s", collection, id,
               g_variant_get_type_string (record));
  return record;
}

gint64
cf_find (Cf *cf, PkmStoreTxn *txn, const char *collection, const char *name, GError **error)
{
  GError *local = NULL;
  gint64 id = cf->vt->find (txn, collection, name, &local);

  settle (cf, id < 0, "-1", local, error, "find (\"%s\", \"%s\")", collection, name);
  return id;
}

gboolean
cf_query (Cf *cf, PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query, PkmStoreRowFunc func,
          gpointer user_data, GError **error)
{
  GError *local = NULL;
  gboolean ok = cf->vt->query (txn, collection, query, func, user_data, &local);

  settle (cf, !ok, "FALSE", local, error, "query (\"%s\", field %s)", collection,
          query->field != NULL ? query->field : "NULL");
  return ok;
}

gboolean
cf_count (Cf *cf, PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query, guint64 *out_count,
          GError **error)
{
  GError *local = NULL;
  gboolean ok = cf->vt->count (txn, collection, query, out_count, &local);

  settle (cf, !ok, "FALSE", local, error, "count (\"%s\", field %s)", collection,
          query->field != NULL ? query->field : "NULL");
  return ok;
}

char **
cf_list_collections (Cf *cf, PkmStoreTxn *txn, GError **error)
{
  GError *local = NULL;
  char **names = cf->vt->list_collections (txn, &local);

  settle (cf, names == NULL, "NULL", local, error, "list_collections");
  return names;
}

gboolean
cf_declare_index (Cf *cf, PkmStoreTxn *txn, const char *collection, const char *field,
                  const char *type_string, GError **error)
{
  GError *local = NULL;
  gboolean ok = cf->vt->declare_index (txn, collection, field, type_string, &local);

  settle (cf, !ok, "FALSE", local, error, "declare_index (\"%s\", \"%s\", \"%s\")", collection, field,
          type_string);
  return ok;
}

gint64
cf_next_sequence (Cf *cf, PkmStoreTxn *txn, const char *name, GError **error)
{
  GError *local = NULL;
  gint64 value = cf->vt->next_sequence (txn, name, &local);

  settle (cf, value == 0, "0", local, error, "next_sequence (\"%s\")", name);
  return value;
}

gint64
cf_current_cursor (Cf *cf, PkmStoreTxn *txn, GError **error)
{
  GError *local = NULL;
  gint64 cursor = cf->vt->current_cursor (txn, &local);

  settle (cf, cursor < 0, "-1", local, error, "current_cursor");
  return cursor;
}

gboolean
cf_changes_since (Cf *cf, PkmStoreTxn *txn, gint64 cursor, PkmStoreChangeFunc func, gpointer user_data,
                  GError **error)
{
  GError *local = NULL;
  gboolean ok = cf->vt->changes_since (txn, cursor, func, user_data, &local);

  settle (cf, !ok, "FALSE", local, error, "changes_since (%" G_GINT64_FORMAT ")", cursor);
  return ok;
}
