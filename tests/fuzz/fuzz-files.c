/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store-files' decoders, on the bytes of a record file or of a catalog or
 * journal batch as they are read back from disk (a corrupt or hostile
 * directory is outside input): each either refuses with an error or decodes,
 * and what a record file decodes to encodes back to the same bytes. */
#include <string.h>
#include "fuzz.h"
#include "../../plugins/store-files/files-store.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

static void
record_round_trip (GBytes *bytes)
{
  g_autoptr (GError) error = NULL;
  /* The decoder checks id, name and revision against the catalog's: the
   * first input byte picks what the catalog says. */
  gint64 id = g_bytes_get_size (bytes) > 0 ? ((const guint8 *) g_bytes_get_data (bytes, NULL))[0] % 4 : 1;
  g_autoptr (GVariant) record = pkm_files_record_decode (bytes, "fuzz", id, NULL, 1, &error);

  g_assert_true ((record == NULL) == (error != NULL));
  if (record != NULL)
    {
      g_autoptr (GBytes) again = pkm_files_record_encode (id, NULL, 1, record);
      g_assert_true (g_bytes_equal (again, bytes));
    }
}

static void
batch_decodes (GBytes *bytes, gboolean with_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) ops = g_ptr_array_new_with_free_func (pkm_files_op_free);
  gboolean ok = pkm_files_ops_decode (bytes, with_data, "fuzz", ops, &error);

  g_assert_true (ok == (error == NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);

  record_round_trip (bytes);
  batch_decodes (bytes, FALSE);
  batch_decodes (bytes, TRUE);
  if (size >= PKM_FILES_FRAME_HEADER)
    {
      guint32 length = 0, crc = 0;
      (void) pkm_files_frame_parse (data, 1 << 20, &length, &crc);
    }
  return 0;
}
