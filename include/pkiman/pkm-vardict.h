/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>

PKM_BEGIN_DECLS

/* Items and records are a{sv} dictionaries. GVariant's own calls read and
 * build them one GVariant per entry (three or four allocations each), which
 * is most of the cost of a list of 10,000 items. These read a dictionary in
 * its serialized form in place, and build one straight into bytes: a view
 * costs one allocation however many entries it has, a built dictionary one
 * buffer. The result is an ordinary GVariant in normal form; nothing else
 * needs to know how it was made. Since: 4 */

/* One entry of a viewed dictionary: pointers into the dictionary's data,
 * valid while the view lives. */
typedef struct {
  const char *key;       /* NUL-terminated */
  gsize key_size;        /* its bytes, the NUL included */
  /* The value's type: a complete GVariantType string, not NUL-terminated
   * (read type[0], or pass it as a GVariantType). */
  const char *type;
  gconstpointer value;   /* the value's serialized bytes (GVariant specification) */
  gsize value_size;
  gsize start, end;      /* the whole entry's bytes within the dictionary */
} PkmVardictEntry;

typedef struct _PkmVardictView PkmVardictView;

/* (transfer full): @dict (an a{sv}, any form) viewed; it holds a reference
 * (and sinks a floating one, as a GVariant container does).
 * Bytes that are not in normal form (a corrupt record) are read from
 * g_variant_get_normal_form's copy, so a view is always safe to read.
 * Since: 4 */
PkmVardictView *pkm_vardict_view_new (GVariant *dict);
void pkm_vardict_view_free (PkmVardictView *view);
/* (transfer none): the viewed dictionary. Since: 4 */
GVariant *pkm_vardict_view_get_dict (const PkmVardictView *view);
guint pkm_vardict_view_size (const PkmVardictView *view);
/* Entry @i (< size), in the dictionary's order. Since: 4 */
const PkmVardictEntry *pkm_vardict_view_entry (const PkmVardictView *view, guint i);
/* The first entry named @key; NULL when there is none. A view remembers
 * where the last find stopped (finds in the dictionary's order are quick),
 * so it is not for use from two threads at once. Since: 4 */
const PkmVardictEntry *pkm_vardict_view_find (const PkmVardictView *view, const char *key);

/* Typed reads of an entry's value, without allocating: NULL / FALSE when
 * the value is absent or of another type. Since: 4 */
const char *pkm_vardict_entry_get_string (const PkmVardictEntry *entry);
gboolean pkm_vardict_entry_get_boolean (const PkmVardictEntry *entry);
/* An x, i, u or b value, widened. Since: 4 */
gboolean pkm_vardict_entry_get_int64 (const PkmVardictEntry *entry, gint64 *out_value);
/* (transfer full): the value as a GVariant of its own, for the types the
 * typed reads do not cover. Since: 4 */
GVariant *pkm_vardict_entry_get_value (const PkmVardictView *view, const PkmVardictEntry *entry);

/* (transfer full): the value as text, as pkm_value_to_text writes it ("" for
 * a NULL @entry); whether it is set, as pkm_value_is_set says. Since: 4 */
char *pkm_vardict_entry_to_text (const PkmVardictView *view, const PkmVardictEntry *entry);
gboolean pkm_vardict_entry_is_set (const PkmVardictView *view, const PkmVardictEntry *entry);

/* The same by key: @key's value in @view. Since: 4 */
const char *pkm_vardict_view_get_string (const PkmVardictView *view, const char *key);
gboolean pkm_vardict_view_get_boolean (const PkmVardictView *view, const char *key);
gint64 pkm_vardict_view_get_int64 (const PkmVardictView *view, const char *key);

/* @key's integer value (as pkm_vardict_entry_get_int64 reads it) in @dict,
 * without a view: the entries before it are read no further than their
 * keys. For one key of each of many dictionaries. Since: 4 */
gboolean pkm_vardict_lookup_int64 (GVariant *dict, const char *key, gint64 *out_value);

/* The entries of many dictionaries of one layout (a list's records or items)
 * read into slots, one per key of a fixed list: each entry's key is matched
 * against the key at the same place in the dictionary before, and looked up
 * only when it differs. Since: 4 */
typedef struct _PkmVardictLayout PkmVardictLayout;

/* @keys: NULL-terminated, in the order of the slots; copied. Since: 4 */
PkmVardictLayout *pkm_vardict_layout_new (const char *const *keys);
void pkm_vardict_layout_free (PkmVardictLayout *layout);
/* (array length=pkm_vardict_layout_size) (transfer none): @view's entry for
 * each key (NULL when it has none; the first when a key repeats), valid
 * until the next read. Since: 4 */
const PkmVardictEntry *const *pkm_vardict_layout_read (PkmVardictLayout *layout, const PkmVardictView *view);
guint pkm_vardict_layout_size (const PkmVardictLayout *layout);

typedef struct _PkmVardictBuilder PkmVardictBuilder;

/* A dictionary built into one buffer, entry by entry, in the order added.
 * Keys are not checked for repeats (as GVariantBuilder does not). Since: 4 */
PkmVardictBuilder *pkm_vardict_builder_new (void);
void pkm_vardict_builder_free (PkmVardictBuilder *builder);
void pkm_vardict_builder_add_string (PkmVardictBuilder *builder, const char *key, const char *value);
void pkm_vardict_builder_add_boolean (PkmVardictBuilder *builder, const char *key, gboolean value);
void pkm_vardict_builder_add_int64 (PkmVardictBuilder *builder, const char *key, gint64 value);
/* @value: sunk if floating. Since: 4 */
void pkm_vardict_builder_add_value (PkmVardictBuilder *builder, const char *key, GVariant *value);
/* @entry of @view, copied as it is (its bytes, not a new value). Since: 4 */
void pkm_vardict_builder_add_entry (PkmVardictBuilder *builder, const PkmVardictView *view,
                                    const PkmVardictEntry *entry);
guint pkm_vardict_builder_size (const PkmVardictBuilder *builder);
/* (transfer full): the dictionary, not floating; the builder is empty again
 * and may build the next one. Since: 4 */
GVariant *pkm_vardict_builder_end (PkmVardictBuilder *builder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmVardictView, pkm_vardict_view_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmVardictBuilder, pkm_vardict_builder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmVardictLayout, pkm_vardict_layout_free)

PKM_END_DECLS
