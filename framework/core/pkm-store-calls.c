/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The core's calls into the active store: each public pkm_store_* runs in
 * the context's open transaction (a command's, or pkm_context_transact's). */
#include "core/pkm-context-private.h"
#include "core/pkm-providers.h"

/* Every member of vtable version 2: a store without one is refused at open.
 * Members appended later are checked per call. */
static const struct {
  gsize offset;
  const char *name;
} required_members[] = {
#define MEMBER(m) { G_STRUCT_OFFSET (PkmStoreVTable, m), #m }
  MEMBER (open),   MEMBER (close),  MEMBER (begin), MEMBER (commit), MEMBER (rollback),
  MEMBER (insert), MEMBER (update), MEMBER (remove), MEMBER (get),   MEMBER (find),
  MEMBER (query),  MEMBER (count),  MEMBER (list_collections), MEMBER (declare_index),
  MEMBER (next_sequence), MEMBER (current_cursor), MEMBER (changes_since),
#undef MEMBER
};

PkmStore *
pkm_store_open (PkmContext *ctx, GKeyFile *config, GError **error)
{
  const PkmStoreVTable *vt = ctx->store_vtable;

  for (guint i = 0; i < G_N_ELEMENTS (required_members); i++)
    {
      gsize offset = required_members[i].offset;
      if (vt->struct_size < offset + sizeof (void *) || G_STRUCT_MEMBER (gpointer, vt, offset) == NULL)
        {
          g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_MISSING_METHOD,
                       "%s: a store plugin must provide %s", ctx->store_plugin->name, required_members[i].name);
          return NULL;
        }
    }
  return vt->open (ctx->state_dir, config, error);
}

/* The context's transaction, or an error: a plugin that calls the store
 * outside a command gets a message, not a crash. */
static PkmStoreTxn *
open_txn (PkmContext *ctx, GError **error)
{
  if (ctx->txn == NULL)
    g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED,
                 "store: called outside a transaction (use a command or pkm_context_transact)");
  return ctx->txn;
}

/* For store-changed: whether the open transaction changed anything. */
static gboolean
wrote (PkmContext *ctx, gboolean ok)
{
  if (ok)
    ctx->txn_wrote = TRUE;
  return ok;
}

#define STORE_OR(ret, member)                                                                                    \
  PkmStoreTxn *txn = open_txn (ctx, error);                                                                    \
  if (txn == NULL                                                                                              \
      || !pkm_provider_require (ctx->store_plugin->name, PKM_HAS_MEMBER (ctx->store_vtable, member), #member,  \
                                error))                                                                        \
    return ret;

gint64
pkm_store_insert (PkmContext *ctx, const char *collection, const char *name, GVariant *record, GError **error)
{
  STORE_OR (0, insert);
  gint64 id = ctx->store_vtable->insert (txn, collection, name, record, error);
  wrote (ctx, id > 0);
  return id;
}

gint64
pkm_store_update_revision (PkmContext *ctx, const char *collection, gint64 id, const char *name, GVariant *record,
                           gint64 expected_revision, GError **error)
{
  STORE_OR (0, update);
  gint64 revision = ctx->store_vtable->update (txn, collection, id, name, record, expected_revision, error);
  wrote (ctx, revision > 0);
  return revision;
}

gboolean
pkm_store_update (PkmContext *ctx, const char *collection, gint64 id, const char *name, GVariant *record,
                  GError **error)
{
  return pkm_store_update_revision (ctx, collection, id, name, record, 0, error) > 0;
}

gboolean
pkm_store_remove (PkmContext *ctx, const char *collection, gint64 id, GError **error)
{
  STORE_OR (FALSE, remove);
  return wrote (ctx, ctx->store_vtable->remove (txn, collection, id, 0, error));
}

GVariant *
pkm_store_get_revision (PkmContext *ctx, const char *collection, gint64 id, char **out_name, gint64 *out_revision,
                        GError **error)
{
  STORE_OR (NULL, get);
  return ctx->store_vtable->get (txn, collection, id, out_name, out_revision, error);
}

GVariant *
pkm_store_get (PkmContext *ctx, const char *collection, gint64 id, char **out_name, GError **error)
{
  return pkm_store_get_revision (ctx, collection, id, out_name, NULL, error);
}

gint64
pkm_store_find (PkmContext *ctx, const char *collection, const char *name, GError **error)
{
  STORE_OR (-1, find);
  return ctx->store_vtable->find (txn, collection, name, error);
}

gboolean
pkm_store_query (PkmContext *ctx, const char *collection, const PkmStoreQuery *query, PkmStoreRowFunc func,
                 gpointer user_data, GError **error)
{
  PkmStoreQuery all = { .struct_size = sizeof (PkmStoreQuery) };

  STORE_OR (FALSE, query);
  return ctx->store_vtable->query (txn, collection, query != NULL ? query : &all, func, user_data, error);
}

typedef struct {
  PkmStoreForeachFunc func;
  gpointer user_data;
} PkmForeachAdapter;

static gboolean
foreach_row (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  PkmForeachAdapter *adapter = user_data;

  (void) revision;
  return adapter->func (id, name, record, adapter->user_data);
}

gboolean
pkm_store_foreach (PkmContext *ctx, const char *collection, PkmStoreForeachFunc func, gpointer user_data,
                   GError **error)
{
  PkmForeachAdapter adapter = { func, user_data };

  return pkm_store_query (ctx, collection, NULL, foreach_row, &adapter, error);
}

gboolean
pkm_store_count (PkmContext *ctx, const char *collection, const PkmStoreQuery *query, guint64 *out_count,
                 GError **error)
{
  PkmStoreQuery all = { .struct_size = sizeof (PkmStoreQuery) };

  STORE_OR (FALSE, count);
  return ctx->store_vtable->count (txn, collection, query != NULL ? query : &all, out_count, error);
}

char **
pkm_store_list_collections (PkmContext *ctx, GError **error)
{
  STORE_OR (NULL, list_collections);
  return ctx->store_vtable->list_collections (txn, error);
}

gboolean
pkm_store_declare_index (PkmContext *ctx, const char *collection, const char *field, const char *type_string,
                         GError **error)
{
  STORE_OR (FALSE, declare_index);
  return ctx->store_vtable->declare_index (txn, collection, field, type_string, error);
}

gint64
pkm_store_next_sequence (PkmContext *ctx, const char *name, GError **error)
{
  STORE_OR (0, next_sequence);
  gint64 value = ctx->store_vtable->next_sequence (txn, name, error);
  wrote (ctx, value > 0);
  return value;
}

gint64
pkm_store_current_cursor (PkmContext *ctx, GError **error)
{
  STORE_OR (-1, current_cursor);
  return ctx->store_vtable->current_cursor (txn, error);
}

gboolean
pkm_store_changes_since (PkmContext *ctx, gint64 cursor, PkmStoreChangeFunc func, gpointer user_data,
                         GError **error)
{
  STORE_OR (FALSE, changes_since);
  return ctx->store_vtable->changes_since (txn, cursor, func, user_data, error);
}
