/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pkm-config.h" /* generated: paths */
#include <unistd.h>
#include "core/pkm-context-private.h"

/* The built-in defaults, so that pkiman runs with no config file at all. */
static const char default_config[] =
  "[plugins]\n"
  "crypto=gnutls\n"
  "store=sqlite\n";

/* $PKIMAN_STORE names the store plugin over the config's [plugins] store,
 * as $PKIMAN_STATE_DIR names the state directory: one switch runs the same
 * commands (a test suite) on another store. */
static GKeyFile *
with_store_from_environment (GKeyFile *config)
{
  const char *store = g_getenv ("PKIMAN_STORE");

  if (store != NULL && *store != '\0')
    g_key_file_set_string (config, "plugins", "store", store);
  return config;
}

GKeyFile *
pkm_config_load (const char *file, char **out_used_file, GError **error)
{
  g_autoptr (GKeyFile) config = g_key_file_new ();
  g_autofree char *system_file = g_build_filename (PKM_SYSCONF_DIR, "pkiman.conf", NULL);
  const char *path = file;

  if (path == NULL && g_getenv ("PKIMAN_CONFIG") != NULL)
    path = g_getenv ("PKIMAN_CONFIG");
  if (path == NULL && g_file_test (system_file, G_FILE_TEST_IS_REGULAR))
    path = system_file;

  if (path == NULL)
    {
      g_key_file_load_from_data (config, default_config, -1, G_KEY_FILE_NONE, NULL);
      *out_used_file = NULL;
      return with_store_from_environment (g_steal_pointer (&config));
    }

  if (!g_key_file_load_from_file (config, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "config %s: ", path);
      return NULL;
    }
  *out_used_file = g_strdup (path);
  return with_store_from_environment (g_steal_pointer (&config));
}

char *
pkm_config_state_dir (GKeyFile *config)
{
  const char *env = g_getenv ("PKIMAN_STATE_DIR");
  g_autofree char *configured = g_key_file_get_string (config, "store", "state-dir", NULL);

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (configured != NULL && *configured != '\0')
    return g_steal_pointer (&configured);
  if (geteuid () == 0)
    return g_strdup ("/var/lib/pkiman");
  return g_build_filename (g_get_user_data_dir (), "pkiman", NULL);
}
