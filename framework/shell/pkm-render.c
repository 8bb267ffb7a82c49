/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <json-glib/json-glib.h>
#include "pkm-shell-private.h"
#include <pkiman/pkm-files.h>

/* What print returned, as text: table, detail, count-only, as-value and
 * JSON, all from the result's items and its menu's flags, columns and fields. */

#define DETAIL_WIDTH 100

/* An item, viewed (pkm-vardict.h) while it is read and let go after: the
 * table reads a dozen properties of each of thousands of items, and keeps
 * only its cells (the item's own strings) and its flags. */
typedef struct {
  guint number;
  GVariant *item;         /* the result's */
  PkmVardictView *values; /* (nullable) while it is read */
  guint64 flags;          /* bit i: the menu's flag i is set */
  gboolean flags_known;
} PkmRow;

static void
row_clear (gpointer data)
{
  pkm_vardict_view_free (((PkmRow *) data)->values);
}

static PkmVardictView *
row_view (PkmRow *row)
{
  if (row->values == NULL)
    row->values = pkm_vardict_view_new (row->item);
  return row->values;
}

static void
row_release (PkmRow *row)
{
  g_clear_pointer (&row->values, pkm_vardict_view_free);
}

static const PkmVardictEntry *
row_value (PkmRow *row, const char *property)
{
  return pkm_vardict_view_find (row_view (row), property);
}

/* (transfer full): a property as the screen may show it, escaped. */
static char *
shown_text (PkmRow *row, const char *property)
{
  g_autofree char *text = pkm_vardict_entry_to_text (row_view (row), row_value (row, property));

  return pkm_text_escape (text, FALSE);
}

/* The same, borrowed from the item (which the result keeps) when it is
 * plain text already, and its width on screen. */
static const char *
shown_cell (PkmRow *row, const char *property, GPtrArray *owned, guint *width)
{
  const char *text = pkm_vardict_entry_get_string (row_value (row, property));
  gssize plain = text != NULL ? pkm_text_plain_length (text, FALSE) : -1;
  char *copy;

  if (plain >= 0)
    {
      *width = (guint) plain;
      return text;
    }
  copy = shown_text (row, property);
  g_ptr_array_add (owned, copy);
  *width = pkm_text_width (copy);
  return copy;
}

/* @number right-aligned in @width, and a blank: each row of a table and of
 * detail starts so (a printf a row was a tenth of a table's rendering). */
static void
append_number (GString *out, guint number, guint width)
{
  char digits[16];
  guint n = 0;

  do
    digits[n++] = (char) ('0' + number % 10);
  while ((number /= 10) > 0);
  for (guint pad = n; pad < width; pad++)
    g_string_append_c (out, ' ');
  while (n > 0)
    g_string_append_c (out, digits[--n]);
  g_string_append_c (out, ' ');
}

/* A print that is not paged nor written to file= goes out as it is made, in
 * pieces of this size: 100,000 rows of detail (110 MB) never sit whole in
 * memory. @to is NULL when the text must be whole first. */
#define SPILL_SIZE (64 * 1024)

static void
spill (GString *out, FILE *to)
{
  if (to != NULL && out->len >= SPILL_SIZE)
    {
      fwrite (out->str, 1, out->len, to);
      g_string_truncate (out, 0);
    }
}

/* The menu's flags (at most 64, pkm-menu.h) that @row has, read once. */
static guint64
row_flags (const PkmMenu *menu, PkmRow *row)
{
  guint i = 0;

  if (row->flags_known)
    return row->flags;
  for (const PkmFlag *f = menu->flags; f != NULL && f->letter != 0 && i < 64; f++, i++)
    if (pkm_vardict_entry_is_set (row_view (row), row_value (row, f->property)))
      row->flags |= G_GUINT64_CONSTANT (1) << i;
  row->flags_known = TRUE;
  return row->flags;
}

static gboolean
has_flag (guint64 flags, guint i)
{
  return i < 64 && (flags & (G_GUINT64_CONSTANT (1) << i)) != 0;
}

static void
append_flag_slots (GString *out, const PkmMenu *menu, PkmRow *row)
{
  guint64 flags = row_flags (menu, row);
  guint i = 0;

  for (const PkmFlag *f = menu->flags; f != NULL && f->letter != 0; f++, i++)
    g_string_append_c (out, has_flag (flags, i) ? f->letter : ' ');
}

static char *
set_flags (const PkmMenu *menu, PkmRow *row)
{
  GString *letters = g_string_new (NULL);
  guint64 flags = row_flags (menu, row);
  guint i = 0;

  for (const PkmFlag *f = menu->flags; f != NULL && f->letter != 0; f++, i++)
    if (has_flag (flags, i))
      g_string_append_c (letters, f->letter);
  return g_string_free (letters, FALSE);
}

/* v7: only the flags that some printed item has. */
static void
print_legend (GString *out, const PkmMenu *menu, GArray *rows)
{
  GString *legend = g_string_new (NULL);
  guint64 seen = 0;
  guint i = 0;

  for (guint r = 0; r < rows->len; r++)
    seen |= row_flags (menu, &g_array_index (rows, PkmRow, r));
  for (const PkmFlag *f = menu->flags; f != NULL && f->letter != 0; f++, i++)
    if (has_flag (seen, i))
      g_string_append_printf (legend, "%s%c - %s", legend->len > 0 ? "; " : "", f->letter, f->legend);
  if (legend->len > 0)
    g_string_append_printf (out, "Flags: %s\n", legend->str);
  g_string_free (legend, TRUE);
}

static guint
n_flags (const PkmMenu *menu)
{
  guint n = 0;

  for (const PkmFlag *f = menu->flags; f != NULL && f->letter != 0; f++)
    n++;
  return n;
}

/* show-ids: the item's id where the number was. */
static char *
row_id (PkmRow *row)
{
  gint64 id = 0;

  pkm_vardict_lookup_int64 (row->item, ".id", &id);
  return pkm_item_id_format (id);
}

/* An interactive terminal narrower than the table: the widest columns give
 * way, a column at a time, down to 4 (RouterOS cuts them with ".."). Never
 * in a script or a pipe: there every value is whole. */
static gboolean
fit_columns (guint *widths, guint ncols, guint used, guint room)
{
  gboolean cut = FALSE;

  for (guint c = 0; c < ncols; c++)
    used += widths[c] + (c + 1 < ncols ? 2 : 0);
  while (used > room)
    {
      guint widest = 0;

      for (guint c = 1; c < ncols; c++)
        if (widths[c] > widths[widest])
          widest = c;
      if (widths[widest] <= 4)
        break;
      widths[widest]--;
      used--;
      cut = TRUE;
    }
  return cut;
}

static void
print_table (PkmShell *shell, GString *out, FILE *to, const PkmMenu *menu, GArray *rows, const char *const *columns,
             gboolean show_ids)
{
  guint terminal_columns = 0, terminal_rows = 0;
  guint ncols = g_strv_length ((char **) columns), nflags = n_flags (menu);
  g_autofree guint *widths = g_new0 (guint, ncols);
  /* (nullable) with show-ids: each row's id; the numbers need no strings. */
  g_autoptr (GPtrArray) ids = show_ids ? g_ptr_array_new_full (rows->len, g_free) : NULL;
  g_autofree char *max_number = g_strdup_printf ("%u", rows->len > 0 ? g_array_index (rows, PkmRow, rows->len - 1).number : 0);
  guint number_width = MAX (strlen (max_number), 1);
  g_autoptr (GString) header = g_string_new (NULL);
  /* Each cell's text once, for its column's width and then its line: the
   * item's own string when it needs no escape, else a copy kept in @owned. */
  g_autoptr (GPtrArray) cells = g_ptr_array_sized_new (rows->len * ncols);
  g_autoptr (GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *cell_widths = g_new (guint, (gsize) rows->len * ncols + 1);

  for (guint c = 0; c < ncols; c++)
    widths[c] = pkm_text_width (columns[c]);
  if (ids != NULL)
    number_width = 1;
  for (guint i = 0; ids != NULL && i < rows->len; i++)
    {
      char *id = row_id (&g_array_index (rows, PkmRow, i));
      number_width = MAX (number_width, strlen (id));
      g_ptr_array_add (ids, id);
    }
  for (guint i = 0; i < rows->len; i++)
    for (guint c = 0; c < ncols; c++)
      {
        guint k = i * ncols + c;
        const char *text = shown_cell (&g_array_index (rows, PkmRow, i), columns[c], owned, &cell_widths[k]);
        g_ptr_array_add (cells, (gpointer) text);
        widths[c] = MAX (widths[c], cell_widths[k]);
        if (c + 1 == ncols)
          {
            row_flags (menu, &g_array_index (rows, PkmRow, i));
            row_release (&g_array_index (rows, PkmRow, i));
          }
      }
  if (pkm_pager_terminal_size (shell, &terminal_columns, &terminal_rows) && ncols > 0
      && fit_columns (widths, ncols, number_width + 1 + nflags + 1, terminal_columns))
    for (guint i = 0; i < rows->len; i++)
      for (guint c = 0; c < ncols; c++)
        {
          guint k = i * ncols + c;
          if (cell_widths[k] > widths[c])
            {
              char *cut = pkm_text_cut (g_ptr_array_index (cells, k), widths[c]);
              g_ptr_array_add (owned, cut);
              cells->pdata[k] = cut;
              cell_widths[k] = pkm_text_width (cut);
            }
        }
  print_legend (out, menu, rows);
  g_string_append (out, "Columns: ");
  for (guint c = 0; c < ncols; c++)
    {
      g_autofree char *upper = g_ascii_strup (columns[c], -1);
      g_string_append_printf (out, "%s%s", c > 0 ? ", " : "", upper);
    }
  g_string_append_c (out, '\n');
  g_string_append_printf (header, "%-*s %*s", number_width, show_ids ? "ID" : "#", nflags, "");
  for (guint c = 0; c < ncols; c++)
    {
      g_autofree char *upper = g_ascii_strup (columns[c], -1);
      g_autofree char *shown = pkm_text_cut (upper, widths[c]);
      g_string_append_printf (header, " %-*s", c + 1 < ncols ? widths[c] + 1 : 0, shown);
    }
  g_string_append_printf (out, "%s\n", g_strchomp (header->str));
  for (guint i = 0; i < rows->len; i++)
    {
      PkmRow *row = &g_array_index (rows, PkmRow, i);
      gsize line_start = out->len;

      if (ids != NULL)
        g_string_append_printf (out, "%*s ", number_width, (const char *) g_ptr_array_index (ids, i));
      else
        append_number (out, row->number, number_width);
      append_flag_slots (out, menu, row);
      for (guint c = 0; c < ncols; c++)
        {
          guint k = i * ncols + c;
          guint pad = c + 1 < ncols ? widths[c] + 1 - cell_widths[k] : 0;
          g_string_append_c (out, ' ');
          g_string_append (out, g_ptr_array_index (cells, k));
          for (guint p = 0; p < pad; p++)
            g_string_append_c (out, ' ');
        }
      /* Trailing blanks of the line go, as g_strchomp would. */
      while (out->len > line_start && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
      spill (out, to);
    }
}

/* A value as print detail shows it: strings quoted, the rest bare. Most
 * are plain (their bytes as they are, one column a byte) and are borrowed
 * from the item; the rest are escaped into @owned. */
typedef struct {
  const char *text;
  gsize len;
  guint width; /* of prop=value, on screen */
  gboolean quoted;
  char *owned;
} PkmDetailValue;

static void
detail_value (PkmDetailValue *v, PkmRow *row, guint property_width, const PkmVardictEntry *value)
{
  const char *string;
  gssize plain = -1;
  g_autofree char *raw = NULL;

  v->quoted = value->type[0] == 's';
  v->owned = NULL;
  v->text = NULL;
  if (v->quoted && (string = pkm_vardict_entry_get_string (value)) != NULL
      && (plain = pkm_text_plain_length (string, TRUE)) >= 0)
    v->text = string;
  else if (value->type[0] == 'b')
    {
      v->text = pkm_vardict_entry_get_boolean (value) ? "yes" : "no";
      plain = (gssize) strlen (v->text);
    }
  else
    {
      raw = pkm_vardict_entry_to_text (row_view (row), value);
      v->text = v->owned = pkm_text_escape (raw, v->quoted);
    }
  v->len = plain >= 0 ? (gsize) plain : strlen (v->text);
  v->width = property_width + 1 + (v->quoted ? 2 : 0) + (plain >= 0 ? (guint) plain : pkm_text_width (v->text));
}

/* @len bytes onto @out: in place while they fit (GLib 2.74 has no inline
 * append of a string, and detail appends a few pieces a property). */
static void
append_len (GString *out, const char *text, gsize len)
{
  if (out->len + len < out->allocated_len)
    {
      memcpy (out->str + out->len, text, len);
      out->len += len;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, text, len);
}

static void
print_detail (GString *out, FILE *to, const PkmMenu *menu, GArray *rows, const char *const *fields, gboolean terse)
{
  g_autofree char *max_number = g_strdup_printf ("%u", rows->len > 0 ? g_array_index (rows, PkmRow, rows->len - 1).number : 0);
  guint number_width = MAX (strlen (max_number), 1);
  guint indent = number_width + 1 + n_flags (menu) + 1;
  /* Each row's values of the fields, by the items' common layout. */
  static const char *const no_fields[] = { NULL };
  g_autoptr (PkmVardictLayout) layout = pkm_vardict_layout_new (fields != NULL ? fields : no_fields);
  guint n_fields = fields != NULL ? g_strv_length ((char **) fields) : 0;
  /* Each field's name, its length and its width, worked out once. */
  g_autofree gsize *name_lengths = g_new (gsize, n_fields + 1);
  g_autofree guint *name_widths = g_new (guint, n_fields + 1);

  for (guint f = 0; f < n_fields; f++)
    {
      name_lengths[f] = strlen (fields[f]);
      name_widths[f] = pkm_text_width (fields[f]);
    }
  if (!terse)
    print_legend (out, menu, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      PkmRow *row = &g_array_index (rows, PkmRow, i);
      gsize line_start = out->len;
      guint column;

      const PkmVardictEntry *const *values = pkm_vardict_layout_read (layout, row_view (row));

      append_number (out, row->number, number_width);
      append_flag_slots (out, menu, row);
      column = out->len - line_start;
      for (guint f = 0; f < n_fields; f++)
        {
          PkmDetailValue v;

          if (values[f] == NULL)
            continue;
          detail_value (&v, row, name_widths[f], values[f]);
          if (!terse && column > indent && column + 1 + v.width > DETAIL_WIDTH)
            {
              g_string_append_c (out, '\n');
              for (guint p = 0; p + 1 < indent; p++)
                g_string_append_c (out, ' ');
              column = indent - 1;
            }
          g_string_append_c (out, ' ');
          append_len (out, fields[f], name_lengths[f]);
          g_string_append_c (out, '=');
          if (v.quoted)
            g_string_append_c (out, '"');
          append_len (out, v.text, v.len);
          if (v.quoted)
            g_string_append_c (out, '"');
          column += 1 + v.width;
          g_free (v.owned);
        }
      g_string_append (out, terse || i + 1 == rows->len ? "\n" : "\n\n");
      row_release (row);
      spill (out, to);
    }
}

static void
print_as_value (GString *out, FILE *to, GArray *rows, const char *const *fields)
{
  for (guint i = 0; i < rows->len; i++)
    {
      PkmRow *row = &g_array_index (rows, PkmRow, i);
      g_autofree char *id_text = pkm_item_id_format (pkm_vardict_view_get_int64 (row_view (row), ".id"));

      g_string_append_printf (out, ".id=%s", id_text);
      for (guint f = 0; fields != NULL && fields[f] != NULL; f++)
        {
          g_autofree char *text = row_value (row, fields[f]) != NULL ? shown_text (row, fields[f]) : NULL;
          if (text != NULL)
            g_string_append_printf (out, ";%s=%s", fields[f], text);
        }
      g_string_append_c (out, '\n');
      row_release (row);
      spill (out, to);
    }
}

/* RouterOS's value-list: a row per property, right-aligned names, and a
 * column per item. */
static void
print_value_list (GString *out, GArray *rows, const char *const *fields)
{
  guint nfields = fields != NULL ? g_strv_length ((char **) fields) : 0, name_width = 0;
  g_autoptr (GPtrArray) cells = g_ptr_array_new_full ((gsize) nfields * rows->len, g_free);
  g_autofree guint *widths = g_new0 (guint, rows->len + 1);

  for (guint f = 0; f < nfields; f++)
    name_width = MAX (name_width, pkm_text_width (fields[f]));
  for (guint f = 0; f < nfields; f++)
    for (guint i = 0; i < rows->len; i++)
      {
        PkmRow *row = &g_array_index (rows, PkmRow, i);
        char *text = shown_text (row, fields[f]);
        widths[i] = MAX (widths[i], pkm_text_width (text));
        g_ptr_array_add (cells, text);
      }
  for (guint f = 0; f < nfields; f++)
    {
      gsize line_start = out->len;

      for (guint pad = pkm_text_width (fields[f]); pad < name_width; pad++)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%s:", fields[f]);
      for (guint i = 0; i < rows->len; i++)
        {
          const char *text = g_ptr_array_index (cells, (gsize) f * rows->len + i);
          g_string_append_printf (out, " %s", text);
          for (guint pad = pkm_text_width (text); pad < widths[i]; pad++)
            g_string_append_c (out, ' ');
        }
      while (out->len > line_start && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }
  for (guint i = 0; i < rows->len; i++)
    row_release (&g_array_index (rows, PkmRow, i));
}

/* A value of another type (none of the menus' items has one today), the way
 * json-glib writes it, its lines indented to sit in an item. */
static void
json_append_other (GString *out, GVariant *value)
{
  g_autoptr (JsonNode) node = json_gvariant_serialize (value);
  g_autofree char *text = json_to_string (node, TRUE);
  g_autofree char *tidy = pkm_text_json_tidy (text);

  for (const char *p = tidy; *p != '\0'; p++)
    {
      g_string_append_c (out, *p);
      if (*p == '\n')
        g_string_append (out, "    ");
    }
}

/* One property's value as JSON: strings, booleans and integers as they are
 * (the item's .id as its text, *1A), a string list as an array. */
static void
json_append_value (GString *out, PkmRow *row, const PkmVardictEntry *entry)
{
  g_autoptr (GVariant) value = NULL;
  gint64 number;

  if (entry->type[0] == 's')
    pkm_text_json_string (out, pkm_vardict_entry_get_string (entry));
  else if (entry->type[0] == 'b')
    g_string_append (out, pkm_vardict_entry_get_boolean (entry) ? "true" : "false");
  else if (entry->type[0] == 'x' && strcmp (entry->key, ".id") == 0 && pkm_vardict_entry_get_int64 (entry, &number))
    {
      g_autofree char *id = pkm_item_id_format (number);
      pkm_text_json_string (out, id);
    }
  else if (pkm_vardict_entry_get_int64 (entry, &number))
    g_string_append_printf (out, "%" G_GINT64_FORMAT, number);
  else if (g_variant_type_equal ((value = pkm_vardict_entry_get_value (row_view (row), entry)), G_VARIANT_TYPE_UINT64))
    g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) g_variant_get_uint64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY))
    {
      gsize n;
      g_autofree const char **strings = g_variant_get_strv (value, &n);

      g_string_append (out, n == 0 ? "[]" : "[\n");
      for (gsize i = 0; i < n; i++)
        {
          g_string_append (out, "      ");
          pkm_text_json_string (out, strings[i]);
          g_string_append (out, i + 1 < n ? ",\n" : "\n    ]");
        }
    }
  else
    json_append_other (out, value);
}

/* The items as a JSON array, written as it goes (json-glib's pretty layout,
 * which scripts already read): each item's number, its properties in its
 * order, and its flags. */
static void
print_json (GString *out, FILE *to, const PkmMenu *menu, GArray *rows)
{
  g_string_append (out, rows->len == 0 ? "[]" : "[\n");
  for (guint i = 0; i < rows->len; i++)
    {
      PkmRow *row = &g_array_index (rows, PkmRow, i);
      g_autofree char *letters = NULL;

      g_string_append_printf (out, "  {\n    \".nr\" : %u,\n", row->number);
      for (guint e = 0; e < pkm_vardict_view_size (row_view (row)); e++)
        {
          const PkmVardictEntry *entry = pkm_vardict_view_entry (row->values, e);

          g_string_append (out, "    ");
          pkm_text_json_string (out, entry->key);
          g_string_append (out, " : ");
          json_append_value (out, row, entry);
          g_string_append (out, ",\n");
        }
      letters = set_flags (menu, row);
      g_string_append (out, "    \"flags\" : ");
      pkm_text_json_string (out, letters);
      g_string_append (out, i + 1 < rows->len ? "\n  },\n" : "\n  }\n]");
      row_release (row);
      spill (out, to);
    }
  g_string_append_c (out, '\n');
}

static gboolean
option (GVariant *args, const char *name)
{
  gboolean value = FALSE;

  g_variant_lookup (args, name, "b", &value);
  return value;
}

/* A table shows its columns and flags, count-only nothing but the count:
 * the rest need not be built. Every other form shows every property. */
GPtrArray *
pkm_render_print_properties (PkmShell *shell, const PkmMenu *menu, GHashTable *given)
{
  static const char *const every_property[] = { "detail", "terse", "as-value", "value-list", "proplist", NULL };
  GPtrArray *properties;

  if (shell->format == PKM_OUTPUT_JSON)
    return NULL;
  for (guint i = 0; every_property[i] != NULL; i++)
    if (g_hash_table_contains (given, every_property[i]))
      return NULL;
  properties = g_ptr_array_new ();
  if (!g_hash_table_contains (given, "count-only"))
    {
      for (const char *const *c = menu->columns; c != NULL && *c != NULL; c++)
        g_ptr_array_add (properties, (gpointer) *c);
      for (const PkmFlag *f = menu->flags; f != NULL && f->letter != 0; f++)
        g_ptr_array_add (properties, (gpointer) f->property);
    }
  g_ptr_array_add (properties, NULL);
  return properties;
}

/* print file=NAME: the output goes to NAME in the files directory, with
 * ".txt" when NAME has no extension (RouterOS's print file=). */
static gboolean
write_file (PkmShell *shell, const char *name, GString *out, GError **error)
{
  const char *base = strrchr (name, '/');
  g_autofree char *file = strchr (base != NULL ? base + 1 : name, '.') != NULL ? g_strdup (name)
                                                                              : g_strconcat (name, ".txt", NULL);
  g_autofree char *path = pkm_files_resolve_in (shell->files_dir, "file", file, error);

  return path != NULL && pkm_files_write ("file", path, out->str, out->len, 0644, error);
}

gboolean
pkm_render_print (PkmShell *shell, PkmResult *result, GError **error)
{
  const PkmMenu *menu = pkm_result_get_menu (result);
  GVariant *args = pkm_result_get_arguments (result);
  GPtrArray *items = pkm_result_get_items (result);
  g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (PkmRow));
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree const char **proplist = NULL;
  const char *const *fields;
  const char *file = NULL;
  gboolean json = shell->format == PKM_OUTPUT_JSON;
  gboolean paging = !option (args, "without-paging");
  FILE *to;

  g_array_set_clear_func (rows, row_clear);
  g_variant_lookup (args, "proplist", "^a&s", &proplist);
  fields = proplist != NULL ? (const char *const *) proplist : menu->fields;
  g_variant_lookup (args, "file", "&s", &file);
  to = file == NULL && !pkm_pager_pages (shell, paging) ? shell->out : NULL;
  for (guint i = 0; i < items->len; i++)
    {
      PkmRow row = { pkm_result_get_item_number (result, i), g_ptr_array_index (items, i) };
      g_array_append_val (rows, row);
    }
  if (option (args, "count-only"))
    {
      guint64 count = 0;
      g_variant_lookup (pkm_result_get_values (result), "count", "t", &count);
      if (json)
        g_string_append_printf (out, "{\"count\": %" G_GUINT64_FORMAT "}\n", count);
      else
        g_string_append_printf (out, "%" G_GUINT64_FORMAT "\n", count);
    }
  else if (json)
    print_json (out, to, menu, rows);
  else if (option (args, "as-value"))
    print_as_value (out, to, rows, fields);
  else if (option (args, "value-list"))
    print_value_list (out, rows, fields);
  else if (option (args, "detail") || option (args, "terse"))
    print_detail (out, to, menu, rows, fields, option (args, "terse"));
  else
    print_table (shell, out, to, menu, rows, proplist != NULL ? (const char *const *) proplist : menu->columns,
                 option (args, "show-ids"));
  if (file != NULL)
    return write_file (shell, file, out, error);
  /* print writes its document itself: no message wrapping, even in JSON. */
  pkm_pager_write (shell, out->str, paging);
  return TRUE;
}
