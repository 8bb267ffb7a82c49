/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pkiman-conformance-store --plugin PATH: loads a store module as pkiman
 * does, refuses it with one line if pkiman would, and runs every check of
 * the store contract (pkm-store.h) against it, as TAP. */
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <ltdl.h>
#include <glib/gstdio.h>
#include "conformance.h"

#define PROGRAM "pkiman-conformance-store"

/* The smallest descriptor pkiman reads: everything up to shutdown. */
#define DESCRIPTOR_MIN_SIZE (offsetof (PkmPluginDescriptor, shutdown) + sizeof (void *))

/* Every member of store vtable version 2, as pkiman requires them at open. */
static const struct {
  gsize offset;
  const char *name;
} members[] = {
#define MEMBER(m)                                                                                            \
  {                                                                                                          \
    G_STRUCT_OFFSET (PkmStoreVTable, m), #m                                                                  \
  }
  MEMBER (open),
  MEMBER (close),
  MEMBER (begin),
  MEMBER (commit),
  MEMBER (rollback),
  MEMBER (insert),
  MEMBER (update),
  MEMBER (remove),
  MEMBER (get),
  MEMBER (find),
  MEMBER (query),
  MEMBER (count),
  MEMBER (list_collections),
  MEMBER (declare_index),
  MEMBER (next_sequence),
  MEMBER (current_cursor),
  MEMBER (changes_since),
#undef MEMBER
};

static const char *
kind_name (PkmPluginKind kind)
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

/* The vtable pkiman would accept for the store slot: version 2, with every
 * member there (pkm-store-calls.c refuses a store without one at open). */
static gboolean
check_vtable (const PkmStoreVTable *vt, const char *name, const char *file, GError **error)
{
  if (vt == NULL)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_MISSING_METHOD,
                   "%s (%s): a store plugin without a vtable", name, file);
      return FALSE;
    }
  if (vt->version != PKM_STORE_VTABLE_VERSION)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_ABI_MISMATCH,
                   "%s (%s): built for store vtable version %u, this pkiman has version %u", name, file,
                   vt->version, PKM_STORE_VTABLE_VERSION);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      if (vt->struct_size < members[i].offset + sizeof (void *))
        {
          g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_BAD_DESCRIPTOR,
                       "%s (%s): store vtable of %u bytes ends before %s (version %u has %zu)", name, file,
                       vt->struct_size, members[i].name, PKM_STORE_VTABLE_VERSION, sizeof (PkmStoreVTable));
          return FALSE;
        }
      if (G_STRUCT_MEMBER (gpointer, vt, members[i].offset) == NULL)
        {
          g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_MISSING_METHOD,
                       "%s (%s): a store plugin must provide %s", name, file, members[i].name);
          return FALSE;
        }
    }
  return TRUE;
}

/* pkiman's checks, in its order and with its words (pkm-loader.c), then the
 * kind: only a store can be checked. */
static gboolean
check_descriptor (const PkmPluginDescriptor *d, const char *name, const char *file, GError **error)
{
  if (d == NULL)
    g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_BAD_DESCRIPTOR,
                 "%s (%s): " PKM_PLUGIN_QUERY_SYMBOL " returned no descriptor", name, file);
  else if (d->abi_version != PKM_PLUGIN_ABI_VERSION)
    g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_ABI_MISMATCH,
                 "%s (%s): built for plugin ABI %u, this pkiman has ABI %u", name, file, d->abi_version,
                 PKM_PLUGIN_ABI_VERSION);
  else if (d->struct_size < DESCRIPTOR_MIN_SIZE)
    g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_BAD_DESCRIPTOR,
                 "%s (%s): descriptor of %u bytes is smaller than the %zu this pkiman needs", name, file,
                 d->struct_size, (size_t) DESCRIPTOR_MIN_SIZE);
  else if (d->api_minor > PKM_API_MINOR)
    g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_API_TOO_NEW,
                 "%s (%s): built for API 1.%u, newer than this pkiman's 1.%u", name, file, d->api_minor,
                 PKM_API_MINOR);
  else if (d->name == NULL || strcmp (d->name, name) != 0)
    g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_NAME_MISMATCH,
                 "%s (%s): the module calls itself \"%s\"; its name must match its file name", name, file,
                 d->name != NULL ? d->name : "");
  else if (d->kind != PKM_PLUGIN_KIND_STORE)
    g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_BAD_DESCRIPTOR,
                 "%s (%s): is a %s plugin, not a store plugin", name, file, kind_name (d->kind));
  else
    return check_vtable (d->vtable, name, file, error);
  return FALSE;
}

/* Why a module would not load; a pkm_ symbol libpkiman does not export is a
 * module reaching past include/pkiman, and pkiman says so. */
static void
set_load_error (const char *name, const char *file, const char *why, GError **error)
{
  const char *marker = why != NULL ? strstr (why, "undefined symbol: ") : NULL;
  g_autofree char *symbol = marker != NULL ? g_strndup (marker + 18, strcspn (marker + 18, ", \n")) : NULL;

  if (symbol != NULL && g_str_has_prefix (symbol, "pkm_"))
    g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_ABI_MISMATCH,
                 "%s (%s): uses %s, which libpkiman does not export "
                 "(a plugin may use only what include/pkiman declares)",
                 name, file, symbol);
  else
    g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_NOT_FOUND, "%s (%s): cannot be loaded: %s", name,
                 file, why != NULL ? why : "unknown error");
}

/* The module's name: its file name without the directory and the ".so". */
static char *
module_name (const char *file)
{
  g_autofree char *base = g_path_get_basename (file);

  if (g_str_has_suffix (base, ".so"))
    base[strlen (base) - 3] = '\0';
  return g_steal_pointer (&base);
}

static const PkmStoreVTable *
load_store (const char *file, GError **error)
{
  g_autofree char *name = module_name (file);
  const PkmPluginDescriptor *d;
  PkmPluginQueryFunc query;
  lt_dlhandle handle;

  if (lt_dlinit () != 0)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_NOT_FOUND, "libltdl: %s", lt_dlerror ());
      return NULL;
    }
  /* ltdl binds lazily: binding every symbol now makes a symbol libpkiman
   * does not export a load error, as in pkiman, not a crash in a check. */
  if (dlopen (file, RTLD_NOW | RTLD_LOCAL) == NULL)
    {
      set_load_error (name, file, dlerror (), error);
      return NULL;
    }
  if ((handle = lt_dlopenext (file)) == NULL)
    {
      set_load_error (name, file, lt_dlerror (), error);
      return NULL;
    }
  lt_dlmakeresident (handle);
  if ((query = (PkmPluginQueryFunc) lt_dlsym (handle, PKM_PLUGIN_QUERY_SYMBOL)) == NULL)
    {
      g_set_error (error, PKM_PLUGIN_ERROR, PKM_PLUGIN_ERROR_BAD_DESCRIPTOR,
                   "%s (%s): no " PKM_PLUGIN_QUERY_SYMBOL " symbol: not a pkiman plugin", name, file);
      return NULL;
    }
  d = query ();
  return check_descriptor (d, name, file, error) ? d->vtable : NULL;
}

static const CfCheck *
check_named (const char *name)
{
  for (guint i = 0; i < cf_n_checks; i++)
    if (strcmp (cf_checks[i].name, name) == 0)
      return &cf_checks[i];
  return NULL;
}

/* The first of @names that names no check, or NULL. */
static const char *
unknown_check (char **names)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (check_named (names[i]) == NULL)
      return names[i];
  return NULL;
}

/* The checks to run: all, or those --only names, in the table's order. */
static GPtrArray *
select_checks (char **only)
{
  GPtrArray *selected = g_ptr_array_new ();

  for (guint i = 0; i < cf_n_checks; i++)
    if (only == NULL || g_strv_contains ((const char *const *) only, cf_checks[i].name))
      g_ptr_array_add (selected, (gpointer) &cf_checks[i]);
  return selected;
}

int
main (int argc, char **argv)
{
  g_autofree char *plugin = NULL;
  g_autofree char *scratch = NULL;
  g_autofree char *made = NULL;
  g_auto (GStrv) only = NULL;
  g_auto (GStrv) expect_fail = NULL;
  gboolean list = FALSE;
  gint64 seed = -1;
  const GOptionEntry entries[] = {
    { "plugin", 0, 0, G_OPTION_ARG_FILENAME, &plugin, "the store module to check", "PATH" },
    { "scratch", 0, 0, G_OPTION_ARG_FILENAME, &scratch,
      "where the checks' state directories go (a new "
      "temporary directory if not given)",
      "DIR" },
    { "only", 0, 0, G_OPTION_ARG_STRING_ARRAY, &only, "run only this check (repeatable)", "NAME" },
    { "list", 0, 0, G_OPTION_ARG_NONE, &list, "list the checks and the rule each checks", NULL },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "the random seed (the run prints the one it used)", "N" },
    { "expect-fail", 0, 0, G_OPTION_ARG_STRING_ARRAY, &expect_fail,
      "a check the store is known to fail, "
      "reported as a TAP TODO (repeatable)",
      "NAME" },
    { NULL },
  };
  g_autoptr (GOptionContext) options
      = g_option_context_new ("- check a pkiman store module against the store contract");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) selected = NULL;
  const PkmStoreVTable *vt;
  const char *unknown;
  guint failed;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr (PROGRAM ": %s\n", error->message);
      return 2;
    }
  if ((unknown = unknown_check (only)) != NULL || (unknown = unknown_check (expect_fail)) != NULL)
    {
      g_printerr (PROGRAM ": %s: no such check (--list names them)\n", unknown);
      return 2;
    }
  selected = select_checks (only);
  if (list)
    {
      for (guint i = 0; i < selected->len; i++)
        {
          const CfCheck *check = g_ptr_array_index (selected, i);
          printf ("%-32s %s\n", check->name, check->rule);
        }
      return 0;
    }
  if (plugin == NULL)
    {
      g_printerr (PROGRAM ": --plugin PATH names the store module to check\n");
      return 2;
    }
  if ((vt = load_store (plugin, &error)) == NULL)
    {
      g_printerr (PROGRAM ": %s\n", error->message);
      return 1;
    }
  if (scratch == NULL)
    {
      if ((made = g_dir_make_tmp ("pkiman-conformance-XXXXXX", &error)) == NULL)
        {
          g_printerr (PROGRAM ": %s\n", error->message);
          return 1;
        }
      scratch = g_strdup (made);
    }
  failed = cf_run (vt, scratch, (const CfCheck *const *) selected->pdata, selected->len,
                   seed >= 0 ? (guint32) seed : g_random_int (), (const char *const *) expect_fail);
  /* A directory of our own that holds nothing (every check passed) goes. */
  if (made != NULL)
    g_rmdir (made);
  return failed > 0 ? 1 : 0;
}
