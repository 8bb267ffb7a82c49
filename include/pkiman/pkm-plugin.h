/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>
#include <pkiman/pkm-menu.h>

PKM_BEGIN_DECLS

#define PKM_EXPORT __attribute__ ((visibility ("default")))

/* Values are append-only: tests pin them. */
typedef enum {
  PKM_PLUGIN_KIND_CRYPTO = 1,  /* exactly one active; vtable is a PkmCryptoVTable */
  PKM_PLUGIN_KIND_STORE = 2,   /* exactly one active; vtable is a PkmStoreVTable */
  PKM_PLUGIN_KIND_TOKEN = 3,   /* smart-card providers, any number */
  PKM_PLUGIN_KIND_FEATURE = 4, /* menus, commands, routes, timers */
} PkmPluginKind;

/* The one thing a module exports (through pkm_plugin_query). Append-only:
 * the core reads only the members that @struct_size covers. */
typedef struct {
  guint32 abi_version;  /* PKM_PLUGIN_ABI_VERSION, must match exactly */
  guint32 struct_size;  /* sizeof (PkmPluginDescriptor) the plugin was built with */
  guint32 api_minor;    /* PKM_API_MINOR the plugin was built with */
  PkmPluginKind kind;
  const char *name;     /* = folder name = module basename, e.g. "crypto-gnutls" */
  const char *version;
  const char *description;
  const void *vtable;   /* crypto and store kinds: their vtable; others NULL */
  const char *const *config_keys; /* keys of the plugin's own config group; NULL-terminated */
  /* Registers what the plugin offers (menus, events, timers, routes). The
   * store is not open yet. */
  gboolean (*init) (PkmContext *ctx, GError **error); /* nullable */
  /* Runs only for plugins whose init succeeded, in reverse load order. */
  void (*shutdown) (PkmContext *ctx);                 /* nullable */
  /* Once every plugin's init has run and the store is open. Since: 1 */
  gboolean (*start) (PkmContext *ctx, GError **error); /* nullable */
} PkmPluginDescriptor;

typedef const PkmPluginDescriptor *(*PkmPluginQueryFunc) (void);

#define PKM_PLUGIN_DEFINE(kind_, name_, version_, description_, vtable_, config_keys_, init_, shutdown_) \
  PKM_PLUGIN_DEFINE_FULL (kind_, name_, version_, description_, vtable_, config_keys_, init_, NULL, shutdown_)

/* With a start hook as well. Since: 1 */
#define PKM_PLUGIN_DEFINE_FULL(kind_, name_, version_, description_, vtable_, config_keys_, init_, start_,     \
                               shutdown_)                                                                  \
  static const PkmPluginDescriptor pkm_plugin_descriptor_ = {                                       \
    .abi_version = PKM_PLUGIN_ABI_VERSION,                                                        \
    .struct_size = sizeof (PkmPluginDescriptor),                                                  \
    .api_minor = PKM_API_MINOR,                                                                   \
    .kind = (kind_),                                                                              \
    .name = (name_),                                                                              \
    .version = (version_),                                                                        \
    .description = (description_),                                                               \
    .vtable = (vtable_),                                                                          \
    .config_keys = (config_keys_),                                                                \
    .init = (init_),                                                                              \
    .shutdown = (shutdown_),                                                                      \
    .start = (start_),                                                                            \
  };                                                                                              \
  PKM_EXPORT const PkmPluginDescriptor *pkm_plugin_query (void);                             \
  PKM_EXPORT const PkmPluginDescriptor *pkm_plugin_query (void)                              \
  {                                                                                               \
    return &pkm_plugin_descriptor_;                                                               \
  }

/* -- What init may do with the context -- */
/* Adds a menu (and its commands) to the command language. The core keeps
 * its own copy of the tables, at its sizes; the strings and functions they
 * point to must stay valid. */
gboolean pkm_context_register_menu (PkmContext *ctx, const PkmMenu *menu, GError **error);
/* Adds @extension's commands, columns, fields and flags to the menu at @path,
 * which must be registered already (the core's own menus always are). A
 * command, field or flag the menu has already is PKM_PLUGIN_ERROR_DUPLICATE.
 * @extension and its tables must stay valid. Since: 2 */
gboolean pkm_context_extend_menu (PkmContext *ctx, const char *path, const PkmMenuExtension *extension,
                                  GError **error);
/* (transfer none) (nullable): during init and start, the plugin's own config
 * group as a key file, or NULL.
 * Only the keys the descriptor's config_keys lists are there: an unknown key in
 * the group stops pkiman with an error naming the plugin and the key. */
GKeyFile *pkm_context_get_config (PkmContext *ctx);

/* A line for pkiman's log (/log print), with RouterOS topics ("certificate,
 * warning"). Unlike pkm_call_audit it stays whatever the running command's
 * outcome (it is written once the command's transaction has ended), so a
 * failure can leave a note; never a secret. Since: 2 */
void pkm_context_log (PkmContext *ctx, const char *topics, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* Data of the plugin called @plugin_name (its descriptor's name), kept for the
 * context's life; @destroy (nullable) frees it after the plugin's shutdown, or
 * when it is set again. Since: 1 */
void pkm_context_set_plugin_data (PkmContext *ctx, const char *plugin_name, gpointer data, GDestroyNotify destroy);
/* (transfer none) (nullable) Since: 1 */
gpointer pkm_context_get_plugin_data (PkmContext *ctx, const char *plugin_name);

PKM_END_DECLS
