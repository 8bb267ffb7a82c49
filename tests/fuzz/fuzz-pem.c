/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The PEM splitter, on exactly the bytes given (no terminating NUL, as a
 * file's contents are read): every block it returns must survive being
 * written out again by pkm_pem_append and read back unchanged. */
#include <string.h>
#include "fuzz.h"
#include "model/pkm-model.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

static void
round_trip (const PkmPemBlock *block)
{
  g_autoptr (GString) pem = pkm_pem_append (g_string_new (NULL), block->label, block->der);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) again = pkm_pem_blocks (pem->str, pem->len, &error);
  const PkmPemBlock *copy;

  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 1);
  copy = g_ptr_array_index (again, 0);
  g_assert_cmpstr (copy->label, ==, block->label);
  g_assert_nonnull (copy->der);
  g_assert_true (g_bytes_equal (copy->der, block->der));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* A copy of exactly @size bytes, so ASan sees any read past the end
   * (an empty file never reaches the splitter: its callers refuse it). */
  g_autofree char *text = size > 0 ? g_memdup2 (data, size) : NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) blocks = NULL;

  if (size == 0)
    return 0;
  blocks = pkm_pem_blocks (text, size, &error);

  if (blocks == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (blocks->len, <=, PKM_PEM_MAX_BLOCKS);
  for (guint i = 0; i < blocks->len; i++)
    {
      const PkmPemBlock *block = g_ptr_array_index (blocks, i);
      gsize armored_size;
      const char *armored = g_bytes_get_data (block->armored, &armored_size);

      g_assert_cmpuint (armored_size, <=, size);
      g_assert_true (armored_size >= 11 && memcmp (armored, "-----BEGIN ", 11) == 0);
      if (block->der != NULL)
        round_trip (block);
    }
  return 0;
}
