/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pkm-config.h" /* generated: paths */
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <ltdl.h>
#include "core/pkm-context-private.h"
#include "core/pkm-providers.h"

/* The smallest descriptor the core can use: everything up to shutdown. */
#define PKM_DESCRIPTOR_MIN_SIZE (offsetof (PkmPluginDescriptor, shutdown) + sizeof (void *))

typedef struct {
  const char *slot; /* "crypto", "store" or NULL for feature/token plugins */
  PkmPluginKind kind;
} PkmSlot;

const char *
pkm_plugin_kind_name (PkmPluginKind kind)
{
  switch (kind)
    {
    case PKM_PLUGIN_KIND_CRYPTO: return "crypto";
    case PKM_PLUGIN_KIND_STORE: return "store";
    case PKM_PLUGIN_KIND_TOKEN: return "token";
    case PKM_PLUGIN_KIND_FEATURE: return "feature";
    default: return "unknown";
    }
}

/* An uninstalled build finds its own plugins: the binary lives under the build
 * root, so its modules are under <build root>/plugins. */
static gboolean
running_from_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  return exe != NULL && g_str_has_prefix (exe, PKM_BUILD_ROOT "/");
}

char **
pkm_loader_search_path (GKeyFile *config)
{
  g_autoptr (GStrvBuilder) dirs = g_strv_builder_new ();
  const char *env = g_getenv ("PKIMAN_PLUGIN_PATH");
  g_autofree char *configured = g_key_file_get_string (config, "plugins", "path", NULL);

  if (env != NULL && *env != '\0')
    {
      g_auto (GStrv) parts = g_strsplit (env, ":", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          g_strv_builder_add (dirs, parts[i]);
    }
  if (configured != NULL && *configured != '\0')
    {
      g_auto (GStrv) parts = g_strsplit (configured, ":", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          g_strv_builder_add (dirs, parts[i]);
    }
  g_strv_builder_add (dirs, running_from_build_tree () ? PKM_BUILD_PLUGIN_DIR : PKM_PLUGIN_DIR);
  return g_strv_builder_end (dirs);
}

/* A module is <dir>/<name>.so, or <dir>/<name>/<name>.so as in a build tree. */
static char *
find_module (char **dirs, const char *name)
{
  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *flat = g_strdup_printf ("%s/%s.so", dirs[i], name);
      g_autofree char *nested = g_strdup_printf ("%s/%s/%s.so", dirs[i], name, name);

      if (g_file_test (flat, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&flat);
      if (g_file_test (nested, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&nested);
    }
  return NULL;
}

/* The vtable version each kind speaks: a plugin built for another is refused,
 * because a new version changes members, not only appends them. */
static guint32
vtable_version (PkmPluginKind kind)
{
  switch (kind)
    {
    case PKM_PLUGIN_KIND_CRYPTO: return PKM_CRYPTO_VTABLE_VERSION;
    case PKM_PLUGIN_KIND_STORE: return PKM_STORE_VTABLE_VERSION;
    case PKM_PLUGIN_KIND_TOKEN: return PKM_TOKEN_VTABLE_VERSION;
    default: return 0;
    }
}

static gboolean
check_vtable (const PkmPluginDescriptor *d, const char *file, GError **error)
{
  /* Every vtable starts with version and struct_size. */
  const guint32 *head = d->vtable;
  guint32 expected = vtable_version (d->kind);

  if (expected == 0)
    return TRUE;
  if (head == NULL)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_MISSING_METHOD,
                   "%s (%s): a %s plugin without a vtable", d->name, file, pkm_plugin_kind_name (d->kind));
      return FALSE;
    }
  if (head[0] == 0 || head[1] < 2 * sizeof (guint32))
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_BAD_DESCRIPTOR,
                   "%s (%s): vtable version %u, size %u is not usable", d->name, file, head[0], head[1]);
      return FALSE;
    }
  if (head[0] != expected)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_ABI_MISMATCH,
                   "%s (%s): built for %s vtable version %u, this pkiman has version %u", d->name, file,
                   pkm_plugin_kind_name (d->kind), head[0], expected);
      return FALSE;
    }
  /* The crypto provider is an instance: every call takes what its open gave. */
  if (d->kind == PKM_PLUGIN_KIND_CRYPTO && !PKM_HAS_MEMBER ((const PkmCryptoVTable *) d->vtable, open))
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_MISSING_METHOD,
                   "%s (%s): a crypto plugin must provide open", d->name, file);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_descriptor (const PkmPluginDescriptor *d, const char *name, const char *file, GError **error)
{
  if (d == NULL)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_BAD_DESCRIPTOR,
                   "%s (%s): " PKM_PLUGIN_QUERY_SYMBOL " returned no descriptor", name, file);
      return FALSE;
    }
  if (d->abi_version != PKM_PLUGIN_ABI_VERSION)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_ABI_MISMATCH,
                   "%s (%s): built for plugin ABI %u, this pkiman has ABI %u", name, file, d->abi_version,
                   PKM_PLUGIN_ABI_VERSION);
      return FALSE;
    }
  if (d->struct_size < PKM_DESCRIPTOR_MIN_SIZE)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_BAD_DESCRIPTOR,
                   "%s (%s): descriptor of %u bytes is smaller than the %zu this pkiman needs", name, file,
                   d->struct_size, (size_t) PKM_DESCRIPTOR_MIN_SIZE);
      return FALSE;
    }
  if (d->api_minor > PKM_API_MINOR)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_API_TOO_NEW,
                   "%s (%s): built for API 1.%u, newer than this pkiman's 1.%u", name, file, d->api_minor,
                   PKM_API_MINOR);
      return FALSE;
    }
  if (d->name == NULL || strcmp (d->name, name) != 0)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_NAME_MISMATCH,
                   "%s (%s): the module calls itself \"%s\"; its name must match its file name", name, file,
                   d->name != NULL ? d->name : "");
      return FALSE;
    }
  return check_vtable (d, file, error);
}

/* The symbol a dlerror () message says is missing ("...: undefined symbol: X",
 * maybe followed by ", version V"), or NULL. */
static char *
undefined_symbol (const char *why)
{
  static const char marker[] = "undefined symbol: ";
  const char *start = why != NULL ? strstr (why, marker) : NULL;

  if (start == NULL)
    return NULL;
  start += strlen (marker);
  return g_strndup (start, strcspn (start, ", \n"));
}

/* Why a module did not load. A pkm_ symbol that libpkiman does not export is
 * a plugin reaching past include/pkiman, and the message says so. */
static void
set_load_error (const char *name, const char *file, const char *why, GError **error)
{
  g_autofree char *symbol = undefined_symbol (why);

  if (symbol != NULL && g_str_has_prefix (symbol, "pkm_"))
    g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_ABI_MISMATCH,
                 "%s (%s): uses %s, which libpkiman does not export "
                 "(a plugin may use only what include/pkiman declares)",
                 name, file, symbol);
  else
    g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_NOT_FOUND, "%s (%s): cannot be loaded: %s", name, file,
                 why != NULL ? why : "unknown error");
}

/* ltdl binds lazily: a call to a function libpkiman does not export would
 * kill pkiman at the call ("symbol lookup error"). Binding every symbol now
 * makes it a load error instead. The handle is kept: modules stay resident. */
static gboolean
bind_now (const char *name, const char *file, GError **error)
{
  if (dlopen (file, RTLD_NOW | RTLD_LOCAL) != NULL)
    return TRUE;
  set_load_error (name, file, dlerror (), error);
  return FALSE;
}

static const PkmPluginDescriptor *
open_module (const char *name, const char *file, GError **error)
{
  lt_dlhandle handle;
  PkmPluginQueryFunc query;

  if (!bind_now (name, file, error))
    return NULL;
  handle = lt_dlopen (file);
  if (handle == NULL)
    {
      set_load_error (name, file, lt_dlerror (), error);
      return NULL;
    }
  /* Modules stay resident: their menus, types and sources outlive any unload. */
  lt_dlmakeresident (handle);
  query = (PkmPluginQueryFunc) lt_dlsym (handle, PKM_PLUGIN_QUERY_SYMBOL);
  if (query == NULL)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_BAD_DESCRIPTOR,
                   "%s (%s): no " PKM_PLUGIN_QUERY_SYMBOL " symbol: not a pkiman plugin", name, file);
      return NULL;
    }
  return query ();
}

/* A plugin's own config: the keys of [<name>] (e.g. [store-sqlite]) and, for
 * the store, of the short [store] group too, gathered under the group the
 * plugin reads: [store] for the store (PkmStoreVTable.open), else [<name>]. */
static GKeyFile *
plugin_config (GKeyFile *config, const PkmPluginDescriptor *d)
{
  const char *own_group = d->kind == PKM_PLUGIN_KIND_STORE ? "store" : d->name;
  const char *sources[] = { d->name, d->kind == PKM_PLUGIN_KIND_STORE ? "store" : NULL, NULL };
  g_autoptr (GKeyFile) own = g_key_file_new ();
  gboolean any = FALSE;

  for (guint i = 0; sources[i] != NULL; i++)
    {
      g_auto (GStrv) keys = g_key_file_get_keys (config, sources[i], NULL, NULL);
      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          g_autofree char *value = g_key_file_get_value (config, sources[i], keys[k], NULL);
          g_key_file_set_value (own, own_group, keys[k], value);
          any = TRUE;
        }
    }
  return any ? g_steal_pointer (&own) : NULL;
}

/* Keys the core itself reads in a plugin's group: not the plugin's to declare. */
static const char *const core_keys[] = { "state-dir", NULL };

/* A key the plugin does not declare is a typo or a stale setting: refused
 * before the plugin sees its config. */
static gboolean
check_config_keys (PkmContext *ctx, PkmLoadedPlugin *loaded, GError **error)
{
  const PkmPluginDescriptor *d = loaded->descriptor;
  const char *group = d->kind == PKM_PLUGIN_KIND_STORE ? "store" : d->name;
  g_auto (GStrv) keys = loaded->config != NULL ? g_key_file_get_keys (loaded->config, group, NULL, NULL) : NULL;

  for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
    {
      if (g_strv_contains (core_keys, keys[k]) || (d->config_keys != NULL && g_strv_contains (d->config_keys, keys[k])))
        continue;
      g_autofree char *known = d->config_keys != NULL && d->config_keys[0] != NULL
                                 ? g_strjoinv (", ", (char **) d->config_keys)
                                 : g_strdup ("none");
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_INIT_FAILED,
                   "%s: [%s] %s: no such setting (the plugin knows: %s)", d->name, group, keys[k], known);
      return FALSE;
    }
  return TRUE;
}

static void
loaded_plugin_free (gpointer data)
{
  PkmLoadedPlugin *p = data;

  if (p->destroy_data != NULL)
    p->destroy_data (p->data);
  g_free (p->file);
  g_clear_pointer (&p->config, g_key_file_unref);
  g_free (p);
}

static gboolean
take_slot (PkmContext *ctx, const PkmPluginDescriptor *d, const char *file, GError **error)
{
  const PkmPluginDescriptor **slot = NULL;

  if (d->kind == PKM_PLUGIN_KIND_CRYPTO)
    slot = &ctx->crypto_plugin;
  else if (d->kind == PKM_PLUGIN_KIND_STORE)
    slot = &ctx->store_plugin;
  if (slot == NULL)
    return TRUE;
  if (*slot != NULL)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_DUPLICATE,
                   "%s (%s): a %s plugin is already active (%s); exactly one may be", d->name, file,
                   pkm_plugin_kind_name (d->kind), (*slot)->name);
      return FALSE;
    }
  *slot = d;
  if (d->kind == PKM_PLUGIN_KIND_CRYPTO)
    ctx->crypto = d->vtable;
  else
    ctx->store_vtable = d->vtable;
  return TRUE;
}

/* A module found and opened, or a plugin built in: the same checks, slot and lifecycle. */
static gboolean
add_plugin (PkmContext *ctx, const PkmPluginDescriptor *d, const char *name, char *file, PkmPluginKind expected,
            GError **error)
{
  g_autofree char *owned_file = file;
  PkmLoadedPlugin *loaded;
  g_autoptr (GError) init_error = NULL;

  if (!check_descriptor (d, name, file, error))
    return FALSE;
  if (expected != 0 && d->kind != expected)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_BAD_DESCRIPTOR, "%s (%s): is a %s plugin, not a %s plugin",
                   name, file, pkm_plugin_kind_name (d->kind), pkm_plugin_kind_name (expected));
      return FALSE;
    }
  if (!take_slot (ctx, d, file, error))
    return FALSE;

  loaded = g_new0 (PkmLoadedPlugin, 1);
  loaded->descriptor = d;
  loaded->file = g_steal_pointer (&owned_file);
  loaded->config = plugin_config (ctx->config, d);
  g_ptr_array_add (ctx->plugins, loaded);

  if (!check_config_keys (ctx, loaded, error))
    return FALSE;
  if (d->init != NULL)
    {
      ctx->initialising = loaded;
      if (!d->init (ctx, &init_error))
        {
          ctx->initialising = NULL;
          g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_INIT_FAILED, "%s (%s): init failed: %s", name,
                       loaded->file, init_error != NULL ? init_error->message : "no reason given");
          return FALSE;
        }
      ctx->initialising = NULL;
    }
  loaded->initialised = TRUE;
  return pkm_instance_open (ctx, loaded, error);
}

static gboolean
load_one (PkmContext *ctx, char **dirs, const char *name, PkmPluginKind expected, GError **error)
{
  g_autofree char *file = find_module (dirs, name);
  g_autofree char *where = NULL;
  g_autoptr (GError) local = NULL;
  const PkmPluginDescriptor *d;

  if (file == NULL)
    {
      where = g_strjoinv (":", dirs);
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_NOT_FOUND, "%s: module not found in %s", name, where);
      return FALSE;
    }
  /* NULL with an error when the module would not open; NULL alone when its
   * query gave no descriptor, which check_descriptor names. */
  d = open_module (name, file, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return add_plugin (ctx, d, name, g_steal_pointer (&file), expected, error);
}

/* The start hook is read only when the plugin's descriptor reaches it. */
static gboolean (*start_hook (const PkmPluginDescriptor *d)) (PkmContext *, GError **)
{
  return d->struct_size >= G_STRUCT_OFFSET (PkmPluginDescriptor, start) + sizeof (d->start) ? d->start : NULL;
}

gboolean
pkm_loader_start_all (PkmContext *ctx, GError **error)
{
  for (guint i = 0; i < ctx->plugins->len; i++)
    {
      PkmLoadedPlugin *p = g_ptr_array_index (ctx->plugins, i);
      gboolean (*start) (PkmContext *, GError **) = start_hook (p->descriptor);
      g_autoptr (GError) start_error = NULL;
      gboolean ok;

      if (!p->initialised || start == NULL)
        continue;
      ctx->initialising = p;
      ok = start (ctx, &start_error);
      ctx->initialising = NULL;
      if (!ok)
        {
          g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_INIT_FAILED, "%s (%s): start failed: %s",
                       p->descriptor->name, p->file, start_error != NULL ? start_error->message : "no reason given");
          return FALSE;
        }
    }
  return TRUE;
}

void
pkm_loader_shutdown_all (PkmContext *ctx)
{
  for (guint i = ctx->plugins != NULL ? ctx->plugins->len : 0; i > 0; i--)
    {
      PkmLoadedPlugin *p = g_ptr_array_index (ctx->plugins, i - 1);
      pkm_instance_close (ctx, p);
      if (p->initialised && p->descriptor->shutdown != NULL)
        p->descriptor->shutdown (ctx);
      p->initialised = FALSE;
    }
}

#define PKM_DEFAULT_FEATURE "crl"

/* "gnutls" and "crypto-gnutls" both name the module crypto-gnutls. */
static char *
module_name (const char *prefix, const char *value)
{
  if (g_str_has_prefix (value, prefix) && value[strlen (prefix)] == '-')
    return g_strdup (value);
  return g_strdup_printf ("%s-%s", prefix, value);
}

gboolean
pkm_loader_load_all (PkmContext *ctx, GError **error)
{
  g_auto (GStrv) dirs = pkm_loader_search_path (ctx->config);
  g_autofree char *crypto = g_key_file_get_string (ctx->config, "plugins", "crypto", NULL);
  g_autofree char *store = g_key_file_get_string (ctx->config, "plugins", "store", NULL);
  g_auto (GStrv) features = g_key_file_get_string_list (ctx->config, "plugins", "features", NULL, NULL);
  g_autofree char *crypto_module = module_name ("crypto", crypto != NULL ? crypto : "gnutls");
  g_autofree char *store_module = module_name ("store", store != NULL ? store : "sqlite");

  if (lt_dlinit () != 0)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_NOT_FOUND, "libltdl: %s", lt_dlerror ());
      return FALSE;
    }
  ctx->plugins = g_ptr_array_new_with_free_func (loaded_plugin_free);
  /* The core's own menus are a plugin too, built in; first, so that others can extend them. */
  if (!add_plugin (ctx, pkm_menus_plugin_query (), PKM_MENUS_PLUGIN_NAME, g_strdup ("(built in)"),
                   PKM_PLUGIN_KIND_FEATURE, error)
      || !load_one (ctx, dirs, crypto_module, PKM_PLUGIN_KIND_CRYPTO, error)
      || !load_one (ctx, dirs, store_module, PKM_PLUGIN_KIND_STORE, error))
    return FALSE;
  if (!g_key_file_has_key (ctx->config, "plugins", "features", NULL))
    {
      /* No features= at all: the CRL plugin, as RouterOS has /certificate
       * crl built in, when it was built; features= (even empty) chooses. */
      g_autofree char *file = find_module (dirs, PKM_DEFAULT_FEATURE);
      return file == NULL || load_one (ctx, dirs, PKM_DEFAULT_FEATURE, 0, error);
    }
  for (guint i = 0; features != NULL && features[i] != NULL; i++)
    {
      g_strstrip (features[i]);
      if (*features[i] != '\0' && !load_one (ctx, dirs, features[i], 0, error))
        return FALSE;
    }
  return TRUE;
}
