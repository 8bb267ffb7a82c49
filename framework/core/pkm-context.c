/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <glib/gstdio.h>
#include "core/pkm-context-private.h"
#include "core/pkm-providers.h"
#include "model/pkm-model.h"

/* In a write transaction that takes no lock unless an index is new. */
static gboolean
declare_indexes (PkmContext *ctx, GError **error)
{
  if (!pkm_context_begin (ctx, TRUE, error))
    return FALSE;
  if (!pkm_model_declare_indexes (ctx, error))
    {
      pkm_context_rollback (ctx);
      return FALSE;
    }
  return pkm_context_commit (ctx, error);
}

static gboolean
open_store (PkmContext *ctx, GError **error)
{
  GKeyFile *store_config = NULL;

  for (guint i = 0; i < ctx->plugins->len; i++)
    {
      PkmLoadedPlugin *p = g_ptr_array_index (ctx->plugins, i);
      if (p->descriptor == ctx->store_plugin)
        store_config = p->config;
    }
  if (g_mkdir_with_parents (ctx->state_dir, 0700) != 0)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_IO, "state directory %s: %s", ctx->state_dir, g_strerror (errno));
      return FALSE;
    }
  if (!pkm_private_path_check (PKM_PRIVATE_STATE_DIR, ctx->state_dir, error))
    return FALSE;
  ctx->store = pkm_store_open (ctx, store_config, error);
  return ctx->store != NULL && declare_indexes (ctx, error);
}

PkmContext *
pkm_context_new (const char *config_file, GError **error)
{
  g_autoptr (PkmContext) ctx = g_new0 (PkmContext, 1);

  pkm_menu_registry_init (ctx);
  pkm_log_init (ctx);
  pkm_events_init (ctx);
  pkm_loop_init (ctx);
  ctx->config = pkm_config_load (config_file, &ctx->config_file, error);
  if (ctx->config == NULL)
    return NULL;
  ctx->state_dir = pkm_config_state_dir (ctx->config);
  ctx->files_dir = g_key_file_get_string (ctx->config, "files", "dir", NULL);
  if (ctx->files_dir != NULL && *ctx->files_dir == '\0')
    g_clear_pointer (&ctx->files_dir, g_free);

  if (!pkm_loader_load_all (ctx, error) || !open_store (ctx, error)
      || !pkm_loader_start_all (ctx, error))
    return NULL;
  return g_steal_pointer (&ctx);
}

void
pkm_context_free (PkmContext *ctx)
{
  if (ctx == NULL)
    return;
  if (ctx->txn != NULL)
    pkm_context_rollback (ctx);
  pkm_context_detach (ctx);
  if (ctx->store != NULL)
    ctx->store_vtable->close (ctx->store);
  pkm_loader_shutdown_all (ctx);
  /* After the plugins' shutdown, which may still disconnect its handlers. */
  pkm_events_clear (ctx);
  pkm_loop_clear (ctx);
  g_clear_pointer (&ctx->plugins, g_ptr_array_unref);
  pkm_menu_registry_clear (ctx);
  pkm_log_clear (ctx);
  g_clear_pointer (&ctx->config, g_key_file_unref);
  g_clear_pointer (&ctx->master_key, pkm_secret_free);
  g_free (ctx->config_file);
  g_free (ctx->state_dir);
  g_free (ctx->files_dir);
  g_free (ctx);
}

const char *
pkm_context_get_state_dir (PkmContext *ctx)
{
  return ctx->state_dir;
}

const char *
pkm_context_get_files_dir (PkmContext *ctx)
{
  return ctx->files_dir;
}

gboolean
pkm_context_begin (PkmContext *ctx, gboolean write, GError **error)
{
  PkmStoreTxnFlags flags = write ? PKM_STORE_TXN_WRITE : PKM_STORE_TXN_READ;

  g_return_val_if_fail (ctx->txn == NULL, FALSE);
  if (write && ctx->lock_next_write)
    flags |= PKM_STORE_TXN_LOCK_NOW;
  ctx->txn = ctx->store_vtable->begin (ctx->store, flags, error);
  if (ctx->txn == NULL)
    return FALSE;
  if (write)
    ctx->lock_next_write = FALSE;
  ctx->write_transaction = write;
  ctx->txn_wrote = FALSE;
  return TRUE;
}

gboolean
pkm_context_commit (PkmContext *ctx, GError **error)
{
  PkmStoreTxn *txn = ctx->txn;

  g_return_val_if_fail (txn != NULL, FALSE);
  ctx->txn = NULL;
  /* The store's commit ends the transaction whatever the outcome. */
  if (!ctx->store_vtable->commit (txn, error))
    {
      pkm_events_drop (ctx);
      return FALSE;
    }
  pkm_events_flush (ctx, ctx->txn_wrote);
  return TRUE;
}

void
pkm_context_rollback (PkmContext *ctx)
{
  PkmStoreTxn *txn = ctx->txn;

  if (txn == NULL)
    return;
  ctx->txn = NULL;
  ctx->store_vtable->rollback (txn);
  pkm_events_drop (ctx);
}

/* A command that lost a write conflict runs again holding the lock from its
 * begin (pkm-invoke.c). */
void
pkm_context_note_conflict (PkmContext *ctx)
{
  ctx->lock_next_write = TRUE;
}

gboolean
pkm_context_in_transaction (PkmContext *ctx)
{
  return ctx->txn != NULL;
}

GKeyFile *
pkm_context_get_config (PkmContext *ctx)
{
  return ctx->initialising != NULL ? ctx->initialising->config : NULL;
}

static PkmLoadedPlugin *
find_plugin (PkmContext *ctx, const char *name)
{
  for (guint i = 0; ctx->plugins != NULL && i < ctx->plugins->len; i++)
    {
      PkmLoadedPlugin *p = g_ptr_array_index (ctx->plugins, i);
      if (g_strcmp0 (p->descriptor->name, name) == 0)
        return p;
    }
  return NULL;
}

void
pkm_context_set_plugin_data (PkmContext *ctx, const char *plugin_name, gpointer data, GDestroyNotify destroy)
{
  PkmLoadedPlugin *p = find_plugin (ctx, plugin_name);

  g_return_if_fail (p != NULL);
  if (p->destroy_data != NULL)
    p->destroy_data (p->data);
  p->data = data;
  p->destroy_data = destroy;
}

gpointer
pkm_context_get_plugin_data (PkmContext *ctx, const char *plugin_name)
{
  PkmLoadedPlugin *p = find_plugin (ctx, plugin_name);

  return p != NULL ? p->data : NULL;
}

GPtrArray *
pkm_context_list_plugins (PkmContext *ctx)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  for (guint i = 0; ctx->plugins != NULL && i < ctx->plugins->len; i++)
    {
      PkmLoadedPlugin *p = g_ptr_array_index (ctx->plugins, i);
      GVariantDict item;

      g_variant_dict_init (&item, NULL);
      g_variant_dict_insert (&item, "name", "s", p->descriptor->name);
      g_variant_dict_insert (&item, "kind", "s", pkm_plugin_kind_name (p->descriptor->kind));
      g_variant_dict_insert (&item, "version", "s", p->descriptor->version != NULL ? p->descriptor->version : "");
      g_variant_dict_insert (&item, "description", "s",
                             p->descriptor->description != NULL ? p->descriptor->description : "");
      g_variant_dict_insert (&item, "file", "s", p->file);
      g_ptr_array_add (items, g_variant_ref_sink (g_variant_dict_end (&item)));
    }
  return items;
}
