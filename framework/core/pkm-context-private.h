/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "core/pkm-context.h"

G_BEGIN_DECLS

typedef struct _PkmMenuEntry PkmMenuEntry;

typedef struct {
  const PkmPluginDescriptor *descriptor;
  char *file;
  GKeyFile *config; /* the plugin's own config group, or NULL */
  gboolean initialised; /* init ran and succeeded: shutdown will run */
  gboolean opened;      /* crypto and token kinds: open succeeded, close will run */
  gpointer instance;    /* what their vtable's open returned */
  gpointer data;        /* pkm_context_set_plugin_data */
  GDestroyNotify destroy_data;
} PkmLoadedPlugin;

struct _PkmContext {
  GKeyFile *config;
  char *config_file; /* NULL when the built-in defaults are used */
  char *state_dir;
  char *files_dir;
  GPtrArray *plugins; /* (element-type PkmLoadedPlugin) in load order */
  PkmLoadedPlugin *initialising; /* the plugin whose init is running */
  const PkmPluginDescriptor *crypto_plugin;
  const PkmPluginDescriptor *store_plugin;
  const PkmCryptoVTable *crypto;
  gpointer crypto_instance; /* the crypto plugin's open: @self of every crypto call */
  const PkmStoreVTable *store_vtable;
  PkmStore *store;
  GHashTable *menus; /* path -> PkmMenuEntry (pkm-menu-registry.c) */
  PkmStoreTxn *txn;          /* the open transaction, or NULL */
  gboolean write_transaction;
  gboolean txn_wrote;        /* a record changed in the open transaction: store-changed after its commit */
  gboolean lock_next_write;  /* the last write transaction lost a conflict: take the lock at begin */
  PkmSecret *master_key; /* loaded on first use */
  GPtrArray *handlers;   /* event handlers (pkm-events.c) */
  GPtrArray *pending;    /* events waiting for the commit */
  guint last_handler_id;
  GPtrArray *timers;          /* registered timers (pkm-loop.c) */
  GPtrArray *routes;          /* registered HTTP routes */
  GMainContext *main_context; /* where the timers run once attached */
  GPtrArray *log_lines;       /* pkm_context_log lines waiting for the transaction to end */
  PkmRevocationChecker revocation_checker; /* struct_size 0 until a plugin sets one */
  gpointer revocation_checker_data;
};

/* pkm-config.c */
GKeyFile *pkm_config_load (const char *file, char **out_used_file, GError **error);
char *pkm_config_state_dir (GKeyFile *config);

/* pkm-loader.c: loads the plugins the config names into ctx->plugins. */
gboolean pkm_loader_load_all (PkmContext *ctx, GError **error);
/* "crypto", "store", "token", "feature" ("unknown" for anything else). */
const char *pkm_plugin_kind_name (PkmPluginKind kind);
/* Runs every initialised plugin's start hook, in load order. */
gboolean pkm_loader_start_all (PkmContext *ctx, GError **error);
/* In reverse order: closes each opened instance, then shuts its plugin down
 * if its init succeeded. */
void pkm_loader_shutdown_all (PkmContext *ctx);
/* The directories searched for modules, in order. (transfer full) */
char **pkm_loader_search_path (GKeyFile *config);

/* pkm-instance.c: a crypto or token plugin's instance (other kinds have none). */
gboolean pkm_instance_open (PkmContext *ctx, PkmLoadedPlugin *plugin, GError **error);
void pkm_instance_close (PkmContext *ctx, PkmLoadedPlugin *plugin);

/* pkm-tokens.c: the token vtable of a loaded plugin, or NULL for other kinds. */
const PkmTokenVTable *pkm_token_vtable (PkmLoadedPlugin *plugin);

/* pkm-private-path.c: what must be this user's alone. */
typedef enum {
  PKM_PRIVATE_STATE_DIR,  /* no group write, nothing for others */
  PKM_PRIVATE_MASTER_KEY, /* nothing for group or others */
  PKM_PRIVATE_KEY_DIR,    /* the master key's directory: no group or other write; root may own it */
} PkmPrivateKind;
/* An error naming @path and its mode or owner unless it is of @kind's type,
 * owned by this user and closed to others as @kind requires. */
gboolean pkm_private_path_check (PkmPrivateKind kind, const char *path, GError **error);

/* pkm-events.c */
void pkm_events_init (PkmContext *ctx);
void pkm_events_clear (PkmContext *ctx);
/* After a commit: delivers what was queued, then store-changed when @wrote. */
void pkm_events_flush (PkmContext *ctx, gboolean wrote);
/* After a rollback: nothing queued happened. */
void pkm_events_drop (PkmContext *ctx);

/* pkm-log.c: records for the log, held until they can be written: a
 * command's audit notes (with its commit), pkm_context_log's lines (after). */
typedef struct {
  char *actor;
  char *topics;
  char *message;
} PkmLogRecord;
/* (transfer full); takes @message. */
PkmLogRecord *pkm_log_record_new (const char *actor, const char *topics, char *message);
void pkm_log_record_free (gpointer record);
/* Writes each of @records into the open transaction. */
gboolean pkm_log_records_write (PkmContext *ctx, GPtrArray *records, GError **error);

void pkm_log_init (PkmContext *ctx);
void pkm_log_clear (PkmContext *ctx);
/* Writes the waiting log lines, once no transaction is open. */
gboolean pkm_log_flush (PkmContext *ctx, GError **error);

/* pkm-password.c: (transfer full) the yescrypt hash of @password, with a
 * new salt; pkm_password_verify (pkm-frontend.h) checks against it. */
char *pkm_password_hash (const char *password, GError **error);

/* pkm-menu-registry.c */
void pkm_menu_registry_init (PkmContext *ctx);
void pkm_menu_registry_clear (PkmContext *ctx);

/* pkm-loop.c */
void pkm_loop_init (PkmContext *ctx);
void pkm_loop_clear (PkmContext *ctx);

/* The plugin built into libpkiman (framework/menus/pkm-menus-plugin.c): the
 * RouterOS menus, written against the public API; the loader loads it first. */
#define PKM_MENUS_PLUGIN_NAME "menus-routeros"
const PkmPluginDescriptor *pkm_menus_plugin_query (void);

G_END_DECLS
