/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bytes on disk, and the checks on reading them back: a file read from
 * the store is outside input (a torn write, a disk error, a hand edit), so
 * every length is checked before it is used and anything that does not add
 * up is a one-line error, never a crash.
 *
 * A record file:
 *   0  "PKMFREC" 0x01     magic and format version
 *   8  u64 id             all integers little-endian
 *  16  u64 revision
 *  24  u32 name length    0xffffffff: no name
 *  28  u32 record length
 *  32  u32 crc32          of bytes 0-31, the name and the record
 *  36  u32 0
 *  40  the name, then the record (GVariant a{sv}, normal form)
 *
 * A frame (a catalog batch, the body of a journal):
 *   u32 payload length, u32 crc32 of the payload, the payload: a GVariant
 *   a(yaymaymayxxxa{sv}ay), one PkmFilesOp per element (kind, a, b, c, n1,
 *   n2, n3, values, data). Strings are bytestrings: names need not be UTF-8. */
#include <string.h>
#include "files-store.h"

#define RECORD_MAGIC "PKMFREC\x01"
#define RECORD_HEADER 40
#define NO_NAME G_MAXUINT32
#define OPS_TYPE "a(yaymaymayxxxa{sv}ay)"

static guint32 crc_table[256];

static void
crc_init (void)
{
  /* CRC-32 as zlib and PNG compute it: reflected, polynomial 0xEDB88320. */
  for (guint32 n = 0; n < 256; n++)
    {
      guint32 c = n;
      for (int k = 0; k < 8; k++)
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      crc_table[n] = c;
    }
}

guint32
pkm_files_crc32 (guint32 crc, const void *data, gsize size)
{
  static gsize initialised = 0;
  const guint8 *p = data;

  if (g_once_init_enter (&initialised))
    {
      crc_init ();
      g_once_init_leave (&initialised, 1);
    }
  crc = ~crc;
  for (gsize i = 0; i < size; i++)
    crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

static void
put_u32 (guint8 *p, guint32 v)
{
  v = GUINT32_TO_LE (v);
  memcpy (p, &v, 4);
}

static void
put_u64 (guint8 *p, guint64 v)
{
  v = GUINT64_TO_LE (v);
  memcpy (p, &v, 8);
}

static guint32
get_u32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

static guint64
get_u64 (const guint8 *p)
{
  guint64 v;

  memcpy (&v, p, 8);
  return GUINT64_FROM_LE (v);
}

GBytes *
pkm_files_record_encode (gint64 id, const char *name, gint64 revision, GVariant *record)
{
  gsize name_len = name != NULL ? strlen (name) : 0;
  gsize record_len = g_variant_get_size (record);
  gsize total = RECORD_HEADER + name_len + record_len;
  guint8 *buf = g_malloc (total);
  guint32 crc;

  memcpy (buf, RECORD_MAGIC, 8);
  put_u64 (buf + 8, (guint64) id);
  put_u64 (buf + 16, (guint64) revision);
  put_u32 (buf + 24, name != NULL ? (guint32) name_len : NO_NAME);
  put_u32 (buf + 28, (guint32) record_len);
  put_u32 (buf + 36, 0);
  memcpy (buf + RECORD_HEADER, name != NULL ? name : "", name_len);
  g_variant_store (record, buf + RECORD_HEADER + name_len);
  crc = pkm_files_crc32 (0, buf, 32);
  crc = pkm_files_crc32 (crc, buf + RECORD_HEADER, name_len + record_len);
  put_u32 (buf + 32, crc);
  return g_bytes_new_take (buf, total);
}

GVariant *
pkm_files_record_decode (GBytes *bytes, const char *path, gint64 id, const char *name, gint64 revision,
                         GError **error)
{
  gsize size = 0;
  const guint8 *p = g_bytes_get_data (bytes, &size);
  guint32 name_len, record_len;
  guint64 body;
  g_autoptr (GBytes) slice = NULL;
  g_autoptr (GVariant) record = NULL;

  if (size < RECORD_HEADER || memcmp (p, RECORD_MAGIC, 8) != 0)
    {
      pkm_files_corrupt (path, size < RECORD_HEADER ? "truncated record file" : "not a record file", error);
      return NULL;
    }
  name_len = get_u32 (p + 24);
  record_len = get_u32 (p + 28);
  body = (name_len == NO_NAME ? 0 : (guint64) name_len) + record_len;
  if ((name_len != NO_NAME && name_len > PKM_FILES_NAME_MAX) || record_len > PKM_FILES_RECORD_MAX
      || RECORD_HEADER + body != size || get_u32 (p + 36) != 0)
    {
      pkm_files_corrupt (path, "record file truncated or lengths out of bounds", error);
      return NULL;
    }
  if (pkm_files_crc32 (pkm_files_crc32 (0, p, 32), p + RECORD_HEADER, (gsize) body) != get_u32 (p + 32))
    {
      pkm_files_corrupt (path, "record file checksum mismatch", error);
      return NULL;
    }
  /* What the catalog says must be what the file says. */
  if ((gint64) get_u64 (p + 8) != id || (gint64) get_u64 (p + 16) != revision
      || (name == NULL) != (name_len == NO_NAME)
      || (name != NULL && (strlen (name) != name_len || memcmp (name, p + RECORD_HEADER, name_len) != 0)))
    {
      pkm_files_corrupt (path, "record file does not match the catalog", error);
      return NULL;
    }
  slice = g_bytes_new_from_bytes (bytes, RECORD_HEADER + (name_len == NO_NAME ? 0 : name_len), record_len);
  record = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, slice, FALSE));
  if (!g_variant_is_normal_form (record))
    {
      pkm_files_corrupt (path, "record is not a GVariant in normal form", error);
      return NULL;
    }
  return g_steal_pointer (&record);
}

PkmFilesOp *
pkm_files_op_new (PkmFilesOpKind kind, const char *a)
{
  PkmFilesOp *op = g_new0 (PkmFilesOp, 1);

  op->kind = kind;
  op->a = g_strdup (a);
  return op;
}

void
pkm_files_op_free (gpointer data)
{
  PkmFilesOp *op = data;

  g_free (op->a);
  g_free (op->b);
  g_free (op->c);
  g_clear_pointer (&op->values, g_variant_unref);
  g_clear_pointer (&op->data, g_variant_unref);
  g_free (op);
}

static GVariant *
maybe_string (const char *s)
{
  return g_variant_new_maybe (G_VARIANT_TYPE_BYTESTRING, s != NULL ? g_variant_new_bytestring (s) : NULL);
}

GBytes *
pkm_files_ops_encode (GPtrArray *ops, gboolean with_data)
{
  GVariantBuilder builder;
  g_autoptr (GVariant) payload = NULL;
  gsize size;
  guint8 *buf;

  g_variant_builder_init (&builder, G_VARIANT_TYPE (OPS_TYPE));
  for (guint i = 0; i < ops->len; i++)
    {
      const PkmFilesOp *op = g_ptr_array_index (ops, i);
      GVariant *data = with_data && op->kind == PKM_FILES_OP_PUT && op->data != NULL
                           ? g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, g_variant_get_data (op->data),
                                                        g_variant_get_size (op->data), 1)
                           : g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, NULL, 0, 1);
      GVariant *values = op->values != NULL ? op->values : g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0);

      g_variant_builder_add (&builder, "(y@ay@may@mayxxx@a{sv}@ay)", (guchar) op->kind,
                             g_variant_new_bytestring (op->a), maybe_string (op->b), maybe_string (op->c), op->n1,
                             op->n2, op->n3, values, data);
    }
  payload = g_variant_ref_sink (g_variant_builder_end (&builder));
  size = g_variant_get_size (payload);
  buf = g_malloc (PKM_FILES_FRAME_HEADER + size);
  g_variant_store (payload, buf + PKM_FILES_FRAME_HEADER);
  put_u32 (buf, (guint32) size);
  put_u32 (buf + 4, pkm_files_crc32 (0, buf + PKM_FILES_FRAME_HEADER, size));
  return g_bytes_new_take (buf, PKM_FILES_FRAME_HEADER + size);
}

gboolean
pkm_files_frame_parse (const guint8 *header, gsize max, guint32 *out_length, guint32 *out_crc)
{
  *out_length = get_u32 (header);
  *out_crc = get_u32 (header + 4);
  return *out_length <= max;
}

/* (transfer full): the string in bytestring @v, or NULL when it is not one
 * (no terminating NUL, a NUL inside, too long). */
static char *
take_string (GVariant *v)
{
  gsize size = 0;
  const char *s = g_variant_get_fixed_array (v, &size, 1);

  if (size == 0 || size > PKM_FILES_NAME_MAX || s[size - 1] != '\0' || memchr (s, '\0', size - 1) != NULL)
    return NULL;
  return g_strdup (s);
}

/* (transfer full): the string in maybe-bytestring @v, NULL for Nothing;
 * *bad when it holds something that is not a string. */
static char *
take_maybe (GVariant *v, gboolean *bad)
{
  g_autoptr (GVariant) inner = g_variant_get_maybe (v);
  char *s;

  if (inner == NULL)
    return NULL;
  s = take_string (inner);
  if (s == NULL)
    *bad = TRUE;
  return s;
}

static gboolean
op_valid (const PkmFilesOp *op, gboolean with_data)
{
  switch (op->kind)
    {
    case PKM_FILES_OP_INDEX:
      return op->b != NULL && pkm_store_index_type_valid (op->c);
    case PKM_FILES_OP_PUT:
      if (with_data && op->data == NULL)
        return FALSE;
      G_GNUC_FALLTHROUGH;
    case PKM_FILES_OP_META:
      return op->n1 > 0 && op->n2 > 0 && op->n3 > 0;
    case PKM_FILES_OP_REMOVE:
      return op->n1 > 0 && op->n3 > 0;
    case PKM_FILES_OP_LAST_ID:
    case PKM_FILES_OP_SEQUENCE:
      return op->n1 >= 0;
    default:
      return FALSE;
    }
}

gboolean
pkm_files_ops_decode (GBytes *payload, gboolean with_data, const char *path, GPtrArray *out, GError **error)
{
  g_autoptr (GVariant) all = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (OPS_TYPE), payload, FALSE));
  gsize n;

  /* Checked once as a whole, the batch is trusted from then on (GLib marks
   * it so): reading its strings again and again (every index comparison)
   * does not validate them again. The writer only ever writes normal form. */
  if (!g_variant_is_normal_form (all))
    return pkm_files_corrupt (path, "a batch that is not a GVariant in normal form", error);
  n = g_variant_n_children (all);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) item = g_variant_get_child_value (all, i);
      g_autoptr (GVariant) a = g_variant_get_child_value (item, 1);
      g_autoptr (GVariant) b = g_variant_get_child_value (item, 2);
      g_autoptr (GVariant) c = g_variant_get_child_value (item, 3);
      g_autoptr (GVariant) data = g_variant_get_child_value (item, 8);
      PkmFilesOp *op = g_new0 (PkmFilesOp, 1);
      gboolean bad = FALSE;
      guchar kind = 0;

      g_variant_get_child (item, 0, "y", &kind);
      op->kind = (PkmFilesOpKind) kind;
      op->a = take_string (a);
      op->b = take_maybe (b, &bad);
      op->c = take_maybe (c, &bad);
      g_variant_get_child (item, 4, "x", &op->n1);
      g_variant_get_child (item, 5, "x", &op->n2);
      g_variant_get_child (item, 6, "x", &op->n3);
      op->values = g_variant_get_child_value (item, 7);
      if (g_variant_n_children (op->values) == 0)
        g_clear_pointer (&op->values, g_variant_unref);
      if (with_data && op->kind == PKM_FILES_OP_PUT)
        {
          g_autoptr (GBytes) bytes = g_variant_get_data_as_bytes (data);
          if (g_bytes_get_size (bytes) <= PKM_FILES_RECORD_MAX)
            op->data = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, FALSE));
          if (op->data != NULL && !g_variant_is_normal_form (op->data))
            g_clear_pointer (&op->data, g_variant_unref);
        }
      if (op->a == NULL || bad || !op_valid (op, with_data))
        {
          g_autofree char *reason = g_strdup_printf ("entry %" G_GSIZE_FORMAT " of a batch is invalid", i);
          pkm_files_op_free (op);
          return pkm_files_corrupt (path, reason, error);
        }
      g_ptr_array_add (out, op);
    }
  return TRUE;
}
