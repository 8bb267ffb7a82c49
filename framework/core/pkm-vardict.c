/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* a{sv} read and built in serialized form (pkm-vardict.h). The layout is
 * the GVariant specification's ("Arrays", "Structures", "Variants"):
 *   array of {sv}: each entry starts 8-aligned (zero padding before it);
 *     after the last, one end offset per entry;
 *   {sv}: the key and its NUL, zero padding to 8, the variant, then one
 *     offset: where the key ends;
 *   v: the value's bytes, a NUL, the value's type string.
 * An offset is as wide as the smallest of 1, 2, 4, 8 bytes that can address
 * its container, little-endian. Every offset read is bounded by the
 * container it is read from; what does not parse is read again from
 * GLib's normal form of it. */
#include <string.h>
#include <pkiman/pkm-vardict.h>

struct _PkmVardictView {
  GVariant *dict;
  guint n;
  PkmVardictEntry entries[];
};

struct _PkmVardictBuilder {
  GByteArray *body;
  GArray *ends; /* gsize: each entry's end offset */
};

/* The width of the offsets in a container of @size bytes (offsets included). */
static gsize
offset_width (gsize size)
{
  return size > G_MAXUINT32 ? 8 : size > G_MAXUINT16 ? 4 : size > G_MAXUINT8 ? 2 : 1;
}

/* The width that @n offsets need after @body bytes. */
static gsize
width_for (gsize body, gsize n)
{
  return body + n <= G_MAXUINT8 ? 1 : body + 2 * n <= G_MAXUINT16 ? 2 : body + 4 * n <= G_MAXUINT32 ? 4 : 8;
}

static gsize
read_offset (const guint8 *p, gsize width)
{
  gsize value = 0;

  for (gsize i = 0; i < width; i++)
    value |= (gsize) p[i] << (8 * i);
  return value;
}

static gsize
align8 (gsize offset)
{
  return (offset + 7) & ~(gsize) 7;
}

/* @len bytes: UTF-8 and one NUL, the last. ASCII (every key pkiman
 * writes) is checked in the same pass. */
static gboolean
valid_key (const guint8 *key, gsize len)
{
  gboolean ascii = TRUE;

  for (gsize i = 0; i + 1 < len; i++)
    {
      if (key[i] == '\0')
        return FALSE;
      ascii &= key[i] < 0x80;
    }
  return key[len - 1] == '\0' && (ascii || g_utf8_validate_len ((const char *) key, len - 1, NULL));
}

/* Entry bytes [@start, @end) of @data as a {sv}; FALSE when they are not one. */
static gboolean
parse_entry (const guint8 *data, gsize start, gsize end, PkmVardictEntry *entry)
{
  const guint8 *base = data + start, *nul, *type_end;
  const char *scanned;
  gsize size = end - start, width, key_end, variant_start, variant_end;

  if (size < 3)
    return FALSE;
  width = offset_width (size);
  if (size <= width)
    return FALSE;
  key_end = read_offset (base + size - width, width);
  variant_end = size - width;
  /* A key GLib would not read as it is (no single NUL at its end, not
   * UTF-8) sends the whole dictionary to the normal-form copy. */
  if (key_end == 0 || key_end > variant_end || !valid_key (base, key_end))
    return FALSE;
  variant_start = align8 (key_end);
  if (variant_start >= variant_end)
    return FALSE;
  /* The last NUL: the type string after it has none. */
  for (nul = base + variant_end - 1; nul > base + variant_start && *nul != '\0'; nul--)
    ;
  if (*nul != '\0')
    nul = NULL;
  type_end = base + variant_end;
  if (nul == NULL || nul + 1 >= type_end
      || !g_variant_type_string_scan ((const char *) nul + 1, (const char *) type_end, &scanned)
      || scanned != (const char *) type_end || !g_variant_type_is_definite ((const GVariantType *) (nul + 1)))
    return FALSE;
  entry->key = (const char *) base;
  entry->type = (const char *) nul + 1;
  entry->value = base + variant_start;
  entry->value_size = nul - (base + variant_start);
  entry->start = start;
  entry->end = end;
  return TRUE;
}

/* The entries of @dict's bytes, or NULL when they do not parse. */
static PkmVardictView *
parse (GVariant *dict)
{
  const guint8 *data = g_variant_get_data (dict);
  gsize size = g_variant_get_size (dict), width, elements_end, n, start = 0;
  PkmVardictView *view;

  if (size == 0)
    {
      view = g_malloc0 (sizeof *view);
      view->dict = g_variant_ref_sink (dict);
      return view;
    }
  if (data == NULL)
    return NULL;
  width = offset_width (size);
  elements_end = read_offset (data + size - width, width);
  if (elements_end > size - width || (size - elements_end) % width != 0)
    return NULL;
  n = (size - elements_end) / width;
  if (n > G_MAXUINT / 2)
    return NULL;
  view = g_malloc (sizeof *view + n * sizeof (PkmVardictEntry));
  view->n = (guint) n;
  for (gsize i = 0; i < n; i++)
    {
      gsize end = read_offset (data + elements_end + i * width, width);
      if (start > end || end > elements_end || !parse_entry (data, start, end, &view->entries[i]))
        {
          g_free (view);
          return NULL;
        }
      start = align8 (end);
    }
  view->dict = g_variant_ref_sink (dict);
  return view;
}

PkmVardictView *
pkm_vardict_view_new (GVariant *dict)
{
  PkmVardictView *view;

  g_return_val_if_fail (dict != NULL && g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT), NULL);
  if ((view = parse (dict)) != NULL)
    return view;
  /* Not normal form (only a corrupt record is not): GLib's copy is. */
  {
    g_autoptr (GVariant) normal = g_variant_get_normal_form (dict);
    if (g_variant_is_floating (dict))
      g_variant_unref (g_variant_ref_sink (dict));
    view = parse (normal);
  }
  g_return_val_if_fail (view != NULL, NULL);
  return view;
}

void
pkm_vardict_view_free (PkmVardictView *view)
{
  if (view == NULL)
    return;
  g_variant_unref (view->dict);
  g_free (view);
}

GVariant *
pkm_vardict_view_get_dict (const PkmVardictView *view)
{
  return view->dict;
}

guint
pkm_vardict_view_size (const PkmVardictView *view)
{
  return view != NULL ? view->n : 0;
}

const PkmVardictEntry *
pkm_vardict_view_entry (const PkmVardictView *view, guint i)
{
  g_return_val_if_fail (view != NULL && i < view->n, NULL);
  return &view->entries[i];
}

const PkmVardictEntry *
pkm_vardict_view_find (const PkmVardictView *view, const char *key)
{
  if (view == NULL || key == NULL)
    return NULL;
  for (guint i = 0; i < view->n; i++)
    if (view->entries[i].key[0] == key[0] && strcmp (view->entries[i].key, key) == 0)
      return &view->entries[i];
  return NULL;
}

/* A one-letter type: the type strings of a complete type are scanned, so
 * the first letter of a basic type is the whole of it. */
static gboolean
is_type (const PkmVardictEntry *entry, char letter)
{
  return entry != NULL && entry->type[0] == letter;
}

const char *
pkm_vardict_entry_get_string (const PkmVardictEntry *entry)
{
  const char *text;

  if (!is_type (entry, 's'))
    return NULL;
  text = entry->value;
  /* As GLib reads a string: one NUL, at the end, and UTF-8 before it; a
   * value that is not one reads as "". */
  if (entry->value_size == 0 || memchr (text, '\0', entry->value_size) != text + entry->value_size - 1
      || !g_utf8_validate_len (text, entry->value_size - 1, NULL))
    return "";
  return text;
}

gboolean
pkm_vardict_entry_get_boolean (const PkmVardictEntry *entry)
{
  /* GLib reads any byte but 0 as TRUE. */
  return is_type (entry, 'b') && entry->value_size == 1 && *(const guint8 *) entry->value != 0;
}

gboolean
pkm_vardict_entry_get_int64 (const PkmVardictEntry *entry, gint64 *out_value)
{
  gint64 x;
  gint32 i;
  guint32 u;

  if (is_type (entry, 'x') && entry->value_size == sizeof x)
    memcpy (&x, entry->value, sizeof x);
  else if (is_type (entry, 'i') && entry->value_size == sizeof i)
    memcpy (&i, entry->value, sizeof i), x = i;
  else if (is_type (entry, 'u') && entry->value_size == sizeof u)
    memcpy (&u, entry->value, sizeof u), x = u;
  else if (is_type (entry, 'b') && entry->value_size == 1)
    x = pkm_vardict_entry_get_boolean (entry);
  else
    return FALSE;
  if (out_value != NULL)
    *out_value = x;
  return TRUE;
}

GVariant *
pkm_vardict_entry_get_value (const PkmVardictView *view, const PkmVardictEntry *entry)
{
  g_return_val_if_fail (view != NULL && entry != NULL, NULL);
  /* Not trusted: GLib checks what it reads of a value that is not in
   * normal form, as it does for any data it is handed. */
  return g_variant_ref_sink (g_variant_new_from_data ((const GVariantType *) entry->type, entry->value,
                                                      entry->value_size, FALSE, (GDestroyNotify) g_variant_unref,
                                                      g_variant_ref (view->dict)));
}

const char *
pkm_vardict_view_get_string (const PkmVardictView *view, const char *key)
{
  return pkm_vardict_entry_get_string (pkm_vardict_view_find (view, key));
}

gboolean
pkm_vardict_view_get_boolean (const PkmVardictView *view, const char *key)
{
  return pkm_vardict_entry_get_boolean (pkm_vardict_view_find (view, key));
}

gint64
pkm_vardict_view_get_int64 (const PkmVardictView *view, const char *key)
{
  gint64 value = 0;

  return pkm_vardict_entry_get_int64 (pkm_vardict_view_find (view, key), &value) ? value : 0;
}

/* -- building -- */

PkmVardictBuilder *
pkm_vardict_builder_new (void)
{
  PkmVardictBuilder *builder = g_new0 (PkmVardictBuilder, 1);

  builder->body = g_byte_array_new ();
  builder->ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  return builder;
}

void
pkm_vardict_builder_free (PkmVardictBuilder *builder)
{
  if (builder == NULL)
    return;
  g_byte_array_unref (builder->body);
  g_array_unref (builder->ends);
  g_free (builder);
}

static void
pad_to_8 (GByteArray *body)
{
  static const guint8 zeros[8] = { 0 };

  g_byte_array_append (body, zeros, align8 (body->len) - body->len);
}

static void
append_offset (GByteArray *body, gsize value, gsize width)
{
  guint8 bytes[8];

  for (gsize i = 0; i < width; i++)
    bytes[i] = (guint8) (value >> (8 * i));
  g_byte_array_append (body, bytes, width);
}

/* One {sv} entry: @size bytes of value (copied from @value, or written by
 * g_variant_store when @stored is given) of type @type. */
static void
add_entry (PkmVardictBuilder *builder, const char *key, const char *type, gsize type_len, gconstpointer value,
           gsize size, GVariant *stored)
{
  GByteArray *body = builder->body;
  gsize key_len = strlen (key) + 1, start, entry_size;

  pad_to_8 (body);
  start = body->len;
  g_byte_array_append (body, (const guint8 *) key, key_len);
  pad_to_8 (body);
  if (stored != NULL)
    {
      gsize at = body->len;
      g_byte_array_set_size (body, at + size);
      g_variant_store (stored, body->data + at);
    }
  else
    g_byte_array_append (body, value, size);
  g_byte_array_append (body, (const guint8 *) "", 1);
  g_byte_array_append (body, (const guint8 *) type, type_len);
  entry_size = body->len - start;
  append_offset (body, key_len, width_for (entry_size, 1));
  g_array_append_val (builder->ends, body->len);
}

void
pkm_vardict_builder_add_string (PkmVardictBuilder *builder, const char *key, const char *value)
{
  g_return_if_fail (builder != NULL && key != NULL && value != NULL);
  add_entry (builder, key, "s", 1, value, strlen (value) + 1, NULL);
}

void
pkm_vardict_builder_add_boolean (PkmVardictBuilder *builder, const char *key, gboolean value)
{
  guint8 byte = value ? 1 : 0;

  g_return_if_fail (builder != NULL && key != NULL);
  add_entry (builder, key, "b", 1, &byte, 1, NULL);
}

void
pkm_vardict_builder_add_int64 (PkmVardictBuilder *builder, const char *key, gint64 value)
{
  g_return_if_fail (builder != NULL && key != NULL);
  add_entry (builder, key, "x", 1, &value, sizeof value, NULL);
}

void
pkm_vardict_builder_add_value (PkmVardictBuilder *builder, const char *key, GVariant *value)
{
  g_autoptr (GVariant) owned = NULL;
  g_autoptr (GVariant) normal = NULL;
  const char *type;

  g_return_if_fail (builder != NULL && key != NULL && value != NULL);
  owned = g_variant_ref_sink (value);
  normal = g_variant_get_normal_form (owned);
  type = g_variant_get_type_string (normal);
  add_entry (builder, key, type, strlen (type), NULL, g_variant_get_size (normal), normal);
}

void
pkm_vardict_builder_add_entry (PkmVardictBuilder *builder, const PkmVardictView *view, const PkmVardictEntry *entry)
{
  const guint8 *data;

  g_return_if_fail (builder != NULL && view != NULL && entry != NULL);
  /* Its offsets are relative to its start, and it starts 8-aligned in both
   * dictionaries: its bytes are the same entry here. */
  data = g_variant_get_data (view->dict);
  pad_to_8 (builder->body);
  g_byte_array_append (builder->body, data + entry->start, entry->end - entry->start);
  g_array_append_val (builder->ends, builder->body->len);
}

guint
pkm_vardict_builder_size (const PkmVardictBuilder *builder)
{
  return builder->ends->len;
}

GVariant *
pkm_vardict_builder_end (PkmVardictBuilder *builder)
{
  GByteArray *body = builder->body;
  gsize n = builder->ends->len, width = width_for (body->len, n);
  GBytes *bytes;

  for (gsize i = 0; i < n; i++)
    append_offset (body, g_array_index (builder->ends, gsize, i), width);
  bytes = g_bytes_new (body->data, body->len);
  g_byte_array_set_size (body, 0);
  g_array_set_size (builder->ends, 0);
  {
    GVariant *dict = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, FALSE));
    g_bytes_unref (bytes);
    return dict;
  }
}
