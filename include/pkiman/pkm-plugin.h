/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>
#include <pkiman/pkm-menu.h>

G_BEGIN_DECLS

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
  gboolean (*init) (PkmContext *ctx, GError **error); /* nullable */
  void (*shutdown) (PkmContext *ctx);                 /* nullable */
} PkmPluginDescriptor;

typedef const PkmPluginDescriptor *(*PkmPluginQueryFunc) (void);

#define PKM_PLUGIN_DEFINE(kind_, name_, version_, description_, vtable_, config_keys_, init_, shutdown_) \
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
  };                                                                                              \
  PKM_EXPORT const PkmPluginDescriptor *pkm_plugin_query (void);                             \
  PKM_EXPORT const PkmPluginDescriptor *pkm_plugin_query (void)                              \
  {                                                                                               \
    return &pkm_plugin_descriptor_;                                                               \
  }

/* -- What init may do with the context -- */
/* Adds a menu (and its commands) to the command language. @menu must stay valid. */
gboolean pkm_context_register_menu (PkmContext *ctx, const PkmMenu *menu, GError **error);
/* (transfer none) (nullable): the plugin's own config group as a key file, or NULL. */
GKeyFile *pkm_context_get_config (PkmContext *ctx);

G_END_DECLS
