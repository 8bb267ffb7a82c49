/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The replayer for builds without libFuzzer: each argument is a file, or a
 * directory whose files are read, and each file is one input. It is how the
 * seed corpora and every past finding run as regression tests. */
#include <stdio.h>
#include <string.h>
#include "fuzz.h"

static guint runs;

static gboolean
run_file (const char *path)
{
  g_autofree char *data = NULL;
  g_autoptr (GError) error = NULL;
  gsize size = 0;

  if (!g_file_get_contents (path, &data, &size, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return FALSE;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) data, size);
  runs++;
  return TRUE;
}

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
run_path (const char *path)
{
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return run_file (path);
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return FALSE;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  /* A stable order, so a failure is found again by the same run. */
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    if (!run_path (g_ptr_array_index (names, i)))
      return FALSE;
  return TRUE;
}

int
main (int argc, char **argv)
{
  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    if (!run_path (argv[i]))
      return 1;
  if (runs == 0)
    {
      fprintf (stderr, "no input files\n");
      return 1;
    }
  printf ("%u inputs ran\n", runs);
  return 0;
}
