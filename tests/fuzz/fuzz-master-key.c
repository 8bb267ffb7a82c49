/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The parser of /system master-key import, on exactly the bytes given (a
 * file's contents, not NUL-terminated): what it accepts must hold the sizes
 * and bounds of the format, and survive being written out again by
 * pkm_master_file_format and read back unchanged. No key is derived: the
 * cost of PBKDF2 is by design, not by input. */
#include <string.h>
#include "fuzz.h"
#include "core/pkm-providers.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

static void
round_trip (const PkmMasterFile *file)
{
  g_autoptr (GBytes) text = pkm_master_file_format (file->header, file->sealed);
  g_autoptr (GBytes) header = pkm_master_file_header (file->iterations, file->salt);
  g_autoptr (GError) error = NULL;
  PkmMasterFile again;

  g_assert_true (g_bytes_equal (header, file->header));
  g_assert_true (pkm_master_file_parse (text, &again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (again.iterations, ==, file->iterations);
  g_assert_true (g_bytes_equal (again.salt, file->salt));
  g_assert_true (g_bytes_equal (again.header, file->header));
  g_assert_true (g_bytes_equal (again.sealed, file->sealed));
  pkm_master_file_clear (&again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* A copy of exactly @size bytes, so ASan sees any read past the end. */
  g_autoptr (GBytes) input = g_bytes_new (data, size);
  g_autoptr (GError) error = NULL;
  PkmMasterFile file;

  if (!pkm_master_file_parse (input, &file, &error))
    {
      g_assert_nonnull (error);
      g_assert_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT);
      g_assert_null (file.header);
      return 0;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (size, <=, PKM_MASTER_FILE_MAX_SIZE);
  g_assert_cmpuint (file.iterations, >=, PKM_MASTER_FILE_MIN_ITERATIONS);
  g_assert_cmpuint (file.iterations, <=, PKM_MASTER_FILE_MAX_ITERATIONS);
  g_assert_cmpuint (g_bytes_get_size (file.salt), ==, PKM_MASTER_FILE_SALT_SIZE);
  /* The sealed key as seal makes it: nonce, the key, tag. */
  g_assert_cmpuint (g_bytes_get_size (file.sealed), ==, 12 + PKM_MASTER_KEY_SIZE + 16);
  g_assert_cmpmem (g_bytes_get_data (file.header, NULL), 4, "PKMK", 4);
  round_trip (&file);
  pkm_master_file_clear (&file);
  return 0;
}
