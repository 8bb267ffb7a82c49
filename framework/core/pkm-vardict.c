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
 * GLib's normal form of it.
 * The small readers are G_ALWAYS_INLINE: each runs once or more for every
 * entry of every dictionary read (print over 10,000 certificates reads
 * about a million), and their calls were a tenth of the reading. */
#include <string.h>
#include <pkiman/pkm-vardict.h>
#include <pkiman/pkm-store.h>
#include <pkiman/pkm-invoke.h>

struct _PkmVardictView {
  GVariant *dict;
  guint n;
  /* Where the last find stopped: readers mostly ask for the keys in the
   * order the dictionary has them (a table's columns, detail's fields), so
   * the next find starts after it and usually stops at once. */
  guint cursor;
  /* A repeated key turns the cursor off: a find must give the first. */
  gboolean repeats;
  /* A 256-bit filter of the keys (key_hash): a key that is not there is
   * usually turned away without a comparison. */
  guint64 filter[4];
  PkmVardictEntry entries[];
};

struct _PkmVardictBuilder {
  guint8 *data; /* the entries so far */
  gsize len, capacity;
  gsize *ends; /* each entry's end offset */
  gsize n_ends, ends_capacity;
};

/* The width of the offsets in a container of @size bytes (offsets included). */
G_ALWAYS_INLINE static inline gsize
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

G_ALWAYS_INLINE static inline gsize
read_offset (const guint8 *p, gsize width)
{
  guint16 u16;
  guint32 u32;
  guint64 u64;

  /* One load a width: every offset of every entry is read through here. */
  switch (width)
    {
    case 1:
      return p[0];
    case 2:
      memcpy (&u16, p, sizeof u16);
      return GUINT16_FROM_LE (u16);
    case 4:
      memcpy (&u32, p, sizeof u32);
      return GUINT32_FROM_LE (u32);
    default:
      memcpy (&u64, p, sizeof u64);
      return (gsize) GUINT64_FROM_LE (u64);
    }
}

G_ALWAYS_INLINE static inline gsize
align8 (gsize offset)
{
  return (offset + 7) & ~(gsize) 7;
}

/* The elements of a serialized array of variable-size elements (a{sv}
 * aligned to 8, as aligned to 1): read with framing_read, then
 * framing_element for i = 0, 1, ... in order. */
typedef struct {
  const guint8 *data;
  gsize width, elements_end, n;
  gsize alignment;
  gsize next; /* where element i starts */
} PkmFraming;

/* FALSE when the table of offsets at the end of the @size bytes does not hold. */
static gboolean
framing_read (PkmFraming *f, const guint8 *data, gsize size, gsize alignment)
{
  *f = (PkmFraming) { data, 0, 0, 0, alignment, 0 };
  if (size == 0)
    return TRUE;
  if (data == NULL)
    return FALSE;
  f->width = offset_width (size);
  f->elements_end = read_offset (data + size - f->width, f->width);
  if (f->elements_end > size - f->width || (size - f->elements_end) % f->width != 0)
    return FALSE;
  f->n = (size - f->elements_end) / f->width;
  return TRUE;
}

/* Element @i's bytes, [*start, *end); FALSE when its offsets do not hold. */
G_ALWAYS_INLINE static inline gboolean
framing_element (PkmFraming *f, gsize i, gsize *start, gsize *end)
{
  *start = f->next;
  *end = read_offset (f->data + f->elements_end + i * f->width, f->width);
  if (*start > *end || *end > f->elements_end)
    return FALSE;
  f->next = f->alignment == 8 ? align8 (*end) : *end;
  return TRUE;
}

/* Where the key of the {sv} entry of @size bytes at @base ends (its NUL
 * included): its last offset, bounded by the entry; 0 when it does not hold. */
G_ALWAYS_INLINE static inline gsize
entry_key_end (const guint8 *base, gsize size)
{
  gsize width, key_end;

  if (size < 3)
    return 0;
  width = offset_width (size);
  if (size <= width)
    return 0;
  key_end = read_offset (base + size - width, width);
  return key_end <= size - width ? key_end : 0;
}

/* Whether one of the eight bytes of @word is zero (exact, not a guess). */
G_ALWAYS_INLINE static inline gboolean
has_zero_byte (guint64 word)
{
  return ((word - G_GUINT64_CONSTANT (0x0101010101010101)) & ~word & G_GUINT64_CONSTANT (0x8080808080808080)) != 0;
}

/* @size bytes: one NUL, the last, and UTF-8 before it, as GLib reads a
 * string. One pass, eight bytes at a time: every key of every dictionary
 * read and every string value shown comes through here. */
static gboolean
valid_string (const guint8 *text, gsize size)
{
  guint64 high = 0, word;
  gsize i = 0;

  if (size == 0 || text[size - 1] != '\0')
    return FALSE;
  for (; i + 8 < size; i += 8)
    {
      memcpy (&word, text + i, 8);
      if (has_zero_byte (word))
        return FALSE;
      high |= word;
    }
  for (; i + 1 < size; i++)
    {
      if (text[i] == '\0')
        return FALSE;
      high |= text[i];
    }
  /* ASCII is UTF-8; anything else is GLib's to judge. */
  return (high & G_GUINT64_CONSTANT (0x8080808080808080)) == 0
         || g_utf8_validate_len ((const char *) text, size - 1, NULL);
}

/* The bytes of @word below byte @n (n <= 8) set, the rest clear. */
static guint64
low_bytes (gsize n)
{
  return n >= 8 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << (8 * n)) - 1;
}

/* valid_string for a key of ASCII shorter than 16 bytes in an entry of at
 * least 16 (most keys of most dictionaries): two loads and masks, no loop.
 * FALSE says only "not this way"; valid_string decides. */
G_ALWAYS_INLINE static inline gboolean
short_ascii_key (const guint8 *base, gsize key_end, gsize entry_size)
{
  gsize n = key_end - 1; /* the characters before the NUL */
  guint64 w0, w1, m0, m1;

  if (key_end > 16 || entry_size < 16 || base[n] != '\0')
    return FALSE;
  memcpy (&w0, base, 8);
  memcpy (&w1, base + 8, 8);
  w0 = GUINT64_FROM_LE (w0);
  w1 = GUINT64_FROM_LE (w1);
  m0 = low_bytes (n);
  m1 = n > 8 ? low_bytes (n - 8) : 0;
  /* No high bit and no zero byte among the characters. */
  return ((w0 & m0) | (w1 & m1)) & G_GUINT64_CONSTANT (0x8080808080808080) ? FALSE
         : !has_zero_byte (w0 | ~m0) && !has_zero_byte (w1 | ~m1);
}

/* The key of entry bytes [@start, @end) of @data: @entry's key, start and
 * end; FALSE when the bytes hold no {sv} key. */
G_ALWAYS_INLINE static inline gboolean
parse_key (const guint8 *data, gsize start, gsize end, PkmVardictEntry *entry)
{
  const guint8 *base = data + start;
  gsize key_end = entry_key_end (base, end - start);

  /* A key GLib would not read as it is (no single NUL at its end, not
   * UTF-8) sends the whole dictionary to the normal-form copy. */
  if (key_end == 0 || (!short_ascii_key (base, key_end, end - start) && !valid_string (base, key_end)))
    return FALSE;
  entry->key = (const char *) base;
  entry->key_size = key_end;
  entry->start = start;
  entry->end = end;
  return TRUE;
}

/* The size of a value of the one-letter type @letter; 0 when it varies. */
static gsize
fixed_size (char letter)
{
  switch (letter)
    {
    case 'b': case 'y': return 1;
    case 'n': case 'q': return 2;
    case 'i': case 'u': case 'h': return 4;
    case 'x': case 't': case 'd': return 8;
    default: return 0;
    }
}

/* Whether @letter alone is a whole definite type: a basic type or v. */
static gboolean
one_letter_type (char letter)
{
  switch (letter)
    {
    case 's': case 'o': case 'g': case 'v': return TRUE;
    default: return fixed_size (letter) != 0;
    }
}

/* The value of an entry whose key parse_key read: its type and bytes. */
G_ALWAYS_INLINE static inline gboolean
parse_value (const guint8 *data, PkmVardictEntry *entry)
{
  const guint8 *base = data + entry->start, *nul, *type_end;
  const char *scanned;
  gsize size = entry->end - entry->start;
  gsize variant_start = align8 (entry->key_size), variant_end = size - offset_width (size);

  if (variant_start >= variant_end)
    return FALSE;
  /* The last NUL: the type string after it has none. Most types are one
   * letter, so it is mostly the byte before the last. */
  if (variant_end - variant_start >= 2 && base[variant_end - 2] == '\0' && base[variant_end - 1] != '\0')
    nul = base + variant_end - 2;
  else
    for (nul = base + variant_end - 1; nul > base + variant_start && *nul != '\0'; nul--)
      ;
  type_end = base + variant_end;
  if (*nul != '\0' || nul + 1 >= type_end)
    return FALSE;
  /* One letter is the common case (s, b, x): a whole definite type when it
   * names a basic type or v; anything longer is scanned. */
  if (type_end - nul == 2 ? !one_letter_type ((char) nul[1])
                          : !g_variant_type_string_scan ((const char *) nul + 1, (const char *) type_end, &scanned)
                                || scanned != (const char *) type_end
                                || !g_variant_type_is_definite ((const GVariantType *) (nul + 1)))
    return FALSE;
  entry->type = (const char *) nul + 1;
  entry->value = base + variant_start;
  entry->value_size = nul - (base + variant_start);
  /* A fixed-size value of another size is not normal form: GLib reads it
   * as zeros, and so does the normal-form copy the caller falls back to. */
  return type_end - nul != 2 || fixed_size (nul[1]) == 0 || entry->value_size == fixed_size (nul[1]);
}

/* A key's place in a view's 256-bit filter: from its size and two of its bytes. */
G_ALWAYS_INLINE static inline guint
key_hash (const char *key, gsize key_size)
{
  return (guint) (key_size * 131 + (guint8) key[0] * 31 + (guint8) key[key_size > 1 ? key_size - 2 : 0]) & 255;
}

G_ALWAYS_INLINE static inline gboolean
filter_has (const guint64 filter[4], guint h)
{
  return (filter[h >> 6] & (G_GUINT64_CONSTANT (1) << (h & 63))) != 0;
}

/* Whether entry @i's key is one of the entries' before it: the filter
 * first, the keys themselves only when the filter has seen one like it.
 * Puts the key in the filter. */
G_ALWAYS_INLINE static inline gboolean
seen_before (PkmVardictView *view, gsize i)
{
  const PkmVardictEntry *entry = &view->entries[i];
  guint h = key_hash (entry->key, entry->key_size);

  if (!filter_has (view->filter, h))
    {
      view->filter[h >> 6] |= G_GUINT64_CONSTANT (1) << (h & 63);
      return FALSE;
    }
  for (gsize j = 0; j < i; j++)
    if (view->entries[j].key_size == entry->key_size && memcmp (view->entries[j].key, entry->key, entry->key_size) == 0)
      return TRUE;
  return FALSE;
}

/* The entries of @dict's bytes, or NULL when they do not parse. */
static PkmVardictView *
parse (GVariant *dict)
{
  const guint8 *data = g_variant_get_data (dict);
  PkmFraming f;
  PkmVardictView *view;

  if (!framing_read (&f, data, g_variant_get_size (dict), 8) || f.n > G_MAXUINT / 2)
    return NULL;
  /* The entries are all written below; only the header starts zeroed. */
  view = g_malloc (sizeof *view + f.n * sizeof (PkmVardictEntry));
  memset (view, 0, sizeof *view);
  view->n = (guint) f.n;
  for (gsize i = 0; i < f.n; i++)
    {
      gsize start, end;
      if (!framing_element (&f, i, &start, &end) || !parse_key (data, start, end, &view->entries[i])
          || !parse_value (data, &view->entries[i]))
        {
          g_free (view);
          return NULL;
        }
      if (seen_before (view, i))
        view->repeats = TRUE;
    }
  view->dict = g_variant_ref_sink (dict);
  return view;
}

PkmVardictView *
pkm_vardict_view_new (GVariant *dict)
{
  PkmVardictView *view;

  /* a{sv} is a definite type: being of it is having its type string. */
  g_return_val_if_fail (dict != NULL && strcmp (g_variant_get_type_string (dict), "a{sv}") == 0, NULL);
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
  PkmVardictView *cache = (PkmVardictView *) view;
  gsize size;

  if (view == NULL || key == NULL || view->n == 0)
    return NULL;
  size = strlen (key) + 1;
  if (!filter_has (view->filter, key_hash (key, size)))
    return NULL;
  for (guint k = 0, i = view->repeats ? 0 : view->cursor; k < view->n; k++, i = i + 1 == view->n ? 0 : i + 1)
    {
      const PkmVardictEntry *entry = &view->entries[i];
      if (entry->key_size == size && memcmp (entry->key, key, size) == 0)
        {
          cache->cursor = i + 1 == view->n ? 0 : i + 1;
          return entry;
        }
    }
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
  if (!is_type (entry, 's'))
    return NULL;
  /* A value that is not a string reads as "", as GLib reads it. */
  return valid_string (entry->value, entry->value_size) ? entry->value : "";
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

gboolean
pkm_vardict_lookup_int64 (GVariant *dict, const char *key, gint64 *out_value)
{
  const guint8 *data;
  gsize key_len;
  PkmFraming f;

  g_return_val_if_fail (dict != NULL && g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT) && key != NULL, FALSE);
  data = g_variant_get_data (dict);
  key_len = strlen (key) + 1;
  if (framing_read (&f, data, g_variant_get_size (dict), 8))
    {
      gsize i, start, end;
      PkmVardictEntry entry;

      for (i = 0; i < f.n && framing_element (&f, i, &start, &end) && parse_key (data, start, end, &entry); i++)
        if (end - start > key_len && memcmp (entry.key, key, key_len) == 0)
          return parse_value (data, &entry) && pkm_vardict_entry_get_int64 (&entry, out_value);
      if (i == f.n)
        return FALSE;
    }
  /* Bytes that do not parse: as GLib reads them. */
  {
    g_autoptr (PkmVardictView) view = pkm_vardict_view_new (dict);
    return pkm_vardict_entry_get_int64 (pkm_vardict_view_find (view, key), out_value);
  }
}

/* The strings of an "as" value joined by @separator, or NULL when its bytes
 * are not an array of strings in normal form. */
static char *
join_strings (const PkmVardictEntry *entry, char separator)
{
  const guint8 *data = entry->value;
  PkmFraming f;
  GString *out;

  if (!framing_read (&f, data, entry->value_size, 1))
    return NULL;
  out = g_string_sized_new (f.elements_end);
  for (gsize i = 0; i < f.n; i++)
    {
      gsize start, end;
      if (!framing_element (&f, i, &start, &end) || !valid_string (data + start, end - start))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      if (i > 0)
        g_string_append_c (out, separator);
      g_string_append_len (out, (const char *) data + start, end - start - 1);
    }
  return g_string_free (out, FALSE);
}

/* The common types read in place; the rest through pkm_value_to_text. */
char *
pkm_vardict_entry_to_text (const PkmVardictView *view, const PkmVardictEntry *entry)
{
  g_autoptr (GVariant) value = NULL;
  char *joined;
  gint64 number;

  if (entry == NULL)
    return g_strdup ("");
  if (entry->type[0] == 's')
    return g_strdup (pkm_vardict_entry_get_string (entry));
  if (entry->type[0] == 'b')
    return g_strdup (pkm_vardict_entry_get_boolean (entry) ? "yes" : "no");
  if (entry->type[0] == 'x' && pkm_vardict_entry_get_int64 (entry, &number))
    return g_strdup_printf ("%" G_GINT64_FORMAT, number);
  if (entry->type[0] == 'a' && entry->type[1] == 's' && (joined = join_strings (entry, ',')) != NULL)
    return joined;
  value = pkm_vardict_entry_get_value (view, entry);
  return pkm_value_to_text (value);
}

/* -- layouts -- */

struct _PkmVardictLayout {
  char **keys;                      /* the slots' keys */
  guint n_keys;
  GHashTable *slot_of;              /* key -> its first slot, plus 1 */
  guint *first_slot;                /* each slot's key's first slot (a key may be asked twice) */
  const PkmVardictEntry **slots;    /* the last read */
  GArray *last;                     /* PkmLayoutPlace: the last dictionary's keys, by place */
};

/* A key of the last dictionary read, at its place, and its slot. */
typedef struct {
  char *key;  /* owned */
  gsize size; /* with its NUL */
  guint slot; /* plus 1; 0 for none */
} PkmLayoutPlace;

static void
place_clear (gpointer data)
{
  g_free (((PkmLayoutPlace *) data)->key);
}

PkmVardictLayout *
pkm_vardict_layout_new (const char *const *keys)
{
  PkmVardictLayout *layout = g_new0 (PkmVardictLayout, 1);

  layout->keys = g_strdupv ((char **) keys);
  layout->n_keys = g_strv_length (layout->keys);
  layout->slot_of = g_hash_table_new (g_str_hash, g_str_equal);
  layout->first_slot = g_new (guint, layout->n_keys + 1);
  for (guint i = layout->n_keys; i > 0; i--)
    g_hash_table_insert (layout->slot_of, layout->keys[i - 1], GUINT_TO_POINTER (i));
  for (guint i = 0; i < layout->n_keys; i++)
    layout->first_slot[i] = GPOINTER_TO_UINT (g_hash_table_lookup (layout->slot_of, layout->keys[i])) - 1;
  layout->slots = g_new0 (const PkmVardictEntry *, layout->n_keys + 1);
  layout->last = g_array_new (FALSE, TRUE, sizeof (PkmLayoutPlace));
  g_array_set_clear_func (layout->last, place_clear);
  return layout;
}

void
pkm_vardict_layout_free (PkmVardictLayout *layout)
{
  if (layout == NULL)
    return;
  g_hash_table_unref (layout->slot_of);
  g_strfreev (layout->keys);
  g_free (layout->first_slot);
  g_free (layout->slots);
  g_array_unref (layout->last);
  g_free (layout);
}

guint
pkm_vardict_layout_size (const PkmVardictLayout *layout)
{
  return layout->n_keys;
}

/* The slot (plus 1; 0 for none) of @entry, the dictionary's entry @i: the
 * slot of the key at the same place last time when it is the same key
 * (compared by size, then bytes), else looked up and remembered. */
static guint
layout_slot (PkmVardictLayout *layout, guint i, const PkmVardictEntry *entry)
{
  PkmLayoutPlace *place;

  if (i < layout->last->len)
    {
      place = &g_array_index (layout->last, PkmLayoutPlace, i);
      if (place->size == entry->key_size && memcmp (place->key, entry->key, entry->key_size) == 0)
        return place->slot;
    }
  else
    g_array_set_size (layout->last, i + 1);
  place = &g_array_index (layout->last, PkmLayoutPlace, i);
  g_free (place->key);
  place->key = g_memdup2 (entry->key, entry->key_size);
  place->size = entry->key_size;
  place->slot = GPOINTER_TO_UINT (g_hash_table_lookup (layout->slot_of, entry->key));
  return place->slot;
}

const PkmVardictEntry *const *
pkm_vardict_layout_read (PkmVardictLayout *layout, const PkmVardictView *view)
{
  memset (layout->slots, 0, layout->n_keys * sizeof *layout->slots);
  for (guint i = 0; view != NULL && i < view->n; i++)
    {
      guint slot = layout_slot (layout, i, &view->entries[i]);
      if (slot > 0 && layout->slots[slot - 1] == NULL)
        layout->slots[slot - 1] = &view->entries[i];
    }
  for (guint i = 0; i < layout->n_keys; i++)
    layout->slots[i] = layout->slots[layout->first_slot[i]];
  return layout->slots;
}

/* -- building -- */

/* The body grows by doubling; it is reused from one dictionary to the next,
 * so a list of 10,000 items allocates it once. */
static guint8 *
reserve (PkmVardictBuilder *builder, gsize more)
{
  if (more > G_MAXSIZE - builder->len - 8)
    g_error ("pkm-vardict: a dictionary larger than memory");
  /* Allocated on first use even for no bytes: no offset is taken from NULL. */
  if (builder->data == NULL || builder->len + more > builder->capacity)
    {
      builder->capacity = MAX (builder->capacity * 2, MAX (builder->len + more, 256));
      builder->data = g_realloc (builder->data, builder->capacity);
    }
  return builder->data + builder->len;
}

static void
entry_ends (PkmVardictBuilder *builder)
{
  if (builder->n_ends == builder->ends_capacity)
    {
      builder->ends_capacity = MAX (builder->ends_capacity * 2, 16);
      builder->ends = g_renew (gsize, builder->ends, builder->ends_capacity);
    }
  builder->ends[builder->n_ends++] = builder->len;
}

PkmVardictBuilder *
pkm_vardict_builder_new (void)
{
  return g_new0 (PkmVardictBuilder, 1);
}

void
pkm_vardict_builder_free (PkmVardictBuilder *builder)
{
  if (builder == NULL)
    return;
  g_free (builder->data);
  g_free (builder->ends);
  g_free (builder);
}

/* One {sv} entry: @size bytes of value (copied from @value, or written by
 * g_variant_store when @stored is given) of type @type. Its size is known
 * before a byte is written, so it is reserved once and written in place
 * (a list's items add tens of entries each). */
static void
add_entry (PkmVardictBuilder *builder, const char *key, const char *type, gsize type_len, gconstpointer value,
           gsize size, GVariant *stored)
{
  gsize key_len = strlen (key) + 1, start = align8 (builder->len), value_at = align8 (key_len);
  gsize body = value_at + size + 1 + type_len, width = width_for (body, 1);
  guint8 *p;

  if (size > G_MAXSIZE / 2 || type_len > G_MAXSIZE / 4)
    g_error ("pkm-vardict: a dictionary larger than memory");
  memset (reserve (builder, start - builder->len + body + width), 0, start - builder->len);
  p = builder->data + start;
  memcpy (p, key, key_len);
  memset (p + key_len, 0, value_at - key_len);
  if (stored != NULL)
    g_variant_store (stored, p + value_at);
  else if (size > 0)
    memcpy (p + value_at, value, size);
  p[value_at + size] = '\0';
  memcpy (p + value_at + size + 1, type, type_len);
  for (gsize i = 0; i < width; i++)
    p[body + i] = (guint8) (key_len >> (8 * i));
  builder->len = start + body + width;
  entry_ends (builder);
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

/* @entry of the dictionary @data, as it is: its offsets are relative to its
 * start, and it starts 8-aligned in both dictionaries, so its bytes are the
 * same entry here. */
static void
append_raw (PkmVardictBuilder *builder, const guint8 *data, const PkmVardictEntry *entry)
{
  gsize start = align8 (builder->len), size = entry->end - entry->start;
  guint8 *p = reserve (builder, start - builder->len + size);

  memset (p, 0, start - builder->len);
  memcpy (builder->data + start, data + entry->start, size);
  builder->len = start + size;
  entry_ends (builder);
}

void
pkm_vardict_builder_add_entry (PkmVardictBuilder *builder, const PkmVardictView *view, const PkmVardictEntry *entry)
{
  g_return_if_fail (builder != NULL && view != NULL && entry != NULL);
  append_raw (builder, g_variant_get_data (view->dict), entry);
}

guint
pkm_vardict_builder_size (const PkmVardictBuilder *builder)
{
  return builder->n_ends;
}

GVariant *
pkm_vardict_builder_end (PkmVardictBuilder *builder)
{
  gsize width = width_for (builder->len, builder->n_ends);
  GBytes *bytes;
  GVariant *dict;
  guint8 *p = reserve (builder, builder->n_ends * width);

  for (gsize i = 0; i < builder->n_ends; i++)
    for (gsize b = 0; b < width; b++)
      *p++ = (guint8) (builder->ends[i] >> (8 * b));
  builder->len += builder->n_ends * width;
  bytes = g_bytes_new (builder->data, builder->len);
  builder->len = 0;
  builder->n_ends = 0;
  dict = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, FALSE));
  g_bytes_unref (bytes);
  return dict;
}

/* The keys a projection asks for, with a 64-bit filter of their lengths
 * and first bytes: most keys of a record are not asked for, and the filter
 * turns them away in one test. */
#define WANTED_ON_STACK 64

typedef struct {
  const char *const *keys;
  gsize *lengths; /* each with its NUL: on_stack, or allocated for more keys */
  gsize on_stack[WANTED_ON_STACK];
  guint64 filter;
} PkmWanted;

static guint64
filter_bit (gsize length, guint8 first)
{
  return G_GUINT64_CONSTANT (1) << ((length * 7 + first) & 63);
}

static void
wanted_init (PkmWanted *w, const char *const *keys)
{
  gsize n = g_strv_length ((char **) keys);

  w->keys = keys;
  w->lengths = n <= WANTED_ON_STACK ? w->on_stack : g_new (gsize, n);
  w->filter = 0;
  for (gsize i = 0; i < n; i++)
    {
      w->lengths[i] = strlen (keys[i]) + 1;
      w->filter |= filter_bit (w->lengths[i], (guint8) keys[i][0]);
    }
}

/* Whether the @length bytes at @key (NUL included) are one of the keys:
 * by length first, then bytes, so a key is never read past its length. */
static gboolean
wanted (const PkmWanted *w, const char *key, gsize length)
{
  if (!(w->filter & filter_bit (length, (guint8) key[0])))
    return FALSE;
  for (guint i = 0; w->keys[i] != NULL; i++)
    if (w->lengths[i] == length && memcmp (w->keys[i], key, length) == 0)
      return TRUE;
  return FALSE;
}

static GVariant *
project_by_view (GVariant *record, const char *const *keys)
{
  g_autoptr (PkmVardictView) view = pkm_vardict_view_new (record);
  g_autoptr (PkmVardictBuilder) out = pkm_vardict_builder_new ();

  for (guint i = 0; i < view->n; i++)
    for (const char *const *k = keys; *k != NULL; k++)
      if (strcmp (*k, view->entries[i].key) == 0)
        {
          pkm_vardict_builder_add_entry (out, view, &view->entries[i]);
          break;
        }
  return pkm_vardict_builder_end (out);
}

/* A store's projection (pkm-store.h): the entries asked for, copied by
 * their bytes. An entry is matched on its key's bytes, NUL included, so a
 * key that matches is a whole valid key, and one that does not is never
 * read further; a record whose offsets do not hold goes through a view,
 * which reads GLib's normal form of it. */
GVariant *
pkm_store_record_project (GVariant *record, const char *const *keys)
{
  g_return_val_if_fail (record != NULL && g_variant_is_of_type (record, G_VARIANT_TYPE_VARDICT), NULL);
  return pkm_store_record_project_data (g_variant_get_data (record), g_variant_get_size (record), keys);
}

/* Bytes whose offsets do not hold: GLib's reading of them. */
static GVariant *
project_copy_by_view (gconstpointer data, gsize size, const char *const *keys)
{
  g_autoptr (GBytes) copy = g_bytes_new (data, size);
  g_autoptr (GVariant) record = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, copy, FALSE));

  return project_by_view (record, keys);
}

GVariant *
pkm_store_record_project_data (gconstpointer bytes, gsize size, const char *const *keys)
{
  g_autoptr (PkmVardictBuilder) out = pkm_vardict_builder_new ();
  const guint8 *data = bytes;
  PkmWanted w;
  PkmFraming f;
  gboolean parsed = TRUE;

  if (size == 0 || data == NULL || keys == NULL || keys[0] == NULL)
    return pkm_vardict_builder_end (out);
  if (!framing_read (&f, data, size, 8))
    return project_copy_by_view (data, size, keys);
  wanted_init (&w, keys);
  for (gsize i = 0; parsed && i < f.n; i++)
    {
      PkmVardictEntry entry;
      gsize key_end = 0;

      parsed = framing_element (&f, i, &entry.start, &entry.end)
               && (key_end = entry_key_end (data + entry.start, entry.end - entry.start)) > 0;
      if (parsed && wanted (&w, (const char *) data + entry.start, key_end))
        append_raw (out, data, &entry);
    }
  if (w.lengths != w.on_stack)
    g_free (w.lengths);
  return parsed ? pkm_vardict_builder_end (out) : project_copy_by_view (data, size, keys);
}
