/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The REST API's JSON: bodies read with json-glib after a bound on their
 * nesting, and answers written directly (an answer is a list of objects of
 * strings, and a list of 10,000 certificates is written without a tree). */
#include <string.h>
#include <json-glib/json-glib.h>
#include "pkm-rest-json.h"

static gboolean
invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* One line, whatever the client sent: its control characters are blanked. */
  for (char *p = message; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  g_set_error_literal (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

/* The escape at @data[*@i] (a backslash) is JSON's and names neither NUL nor
 * a surrogate (text beyond U+FFFF comes as UTF-8); *@i moves to its last
 * character. json-glib 1.6 leaks on bad escapes, so none reaches it. */
static gboolean
check_escape (const char *data, gsize size, gsize *i)
{
  guint code = 0;

  if (*i + 1 >= size)
    return FALSE;
  if (strchr ("\"\\/bfnrt", data[*i + 1]) != NULL && data[*i + 1] != '\0')
    {
      *i += 1;
      return TRUE;
    }
  if (data[*i + 1] != 'u' || *i + 5 >= size)
    return FALSE;
  for (gsize k = *i + 2; k < *i + 6; k++)
    {
      if (!g_ascii_isxdigit (data[k]))
        return FALSE;
      code = code * 16 + (guint) g_ascii_xdigit_value (data[k]);
    }
  *i += 5;
  return code != 0 && (code < 0xd800 || code > 0xdfff);
}

/* json-glib's parser recurses once per level, and leaks what it built when
 * one value follows another: the body is first checked to be one object,
 * nested at most PKM_REST_MAX_DEPTH deep, by a scan that also checks the
 * escapes and characters of every string. */
static gboolean
check_shape (const char *data, gsize size, GError **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;
  gsize start = 0, end = 0;

  while (start < size && g_ascii_isspace (data[start]))
    start++;
  if (start == size || data[start] != '{')
    return invalid (error, "body: not a JSON object");
  for (gsize i = start; i < size && end == 0; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if ((guchar) c < 0x20)
            return invalid (error, "body: a control character in a JSON string");
          else if (c == '\\' && !check_escape (data, size, &i))
            return invalid (error, "body: a bad escape in a JSON string (\\u0000, a surrogate, or not JSON's)");
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if ((c == '{' || c == '[') && ++depth > PKM_REST_MAX_DEPTH)
        return invalid (error, "body: JSON nested deeper than %d levels", PKM_REST_MAX_DEPTH);
      else if ((c == '}' || c == ']') && --depth == 0)
        end = i + 1;
    }
  while (end > 0 && end < size && g_ascii_isspace (data[end]))
    end++;
  if (end != size)
    return invalid (error, end == 0 ? "body: the JSON object is not closed" : "body: more than one JSON value");
  return TRUE;
}

gboolean
pkm_rest_is_property_name (const char *name)
{
  if (*name == '\0' || strlen (name) > 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

/* (transfer full): a scalar member as the text the CLI would take; NULL for
 * an object, an array or null. */
static char *
scalar_text (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "yes" : "no");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    default:
      return NULL; /* a fraction is no value of any parameter */
    }
}

/* (transfer full): a string, or a list of strings, as a NULL-terminated
 * vector ("a,b" is split on commas as RouterOS does). */
static char **
member_words (const char *member, JsonNode *node, GError **error)
{
  g_autoptr (GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;

  if ((text = scalar_text (node)) != NULL)
    return g_strsplit (text, ",", PKM_REST_MAX_MEMBERS);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      invalid (error, "%s: not a string or a list of strings", member);
      return NULL;
    }
  for (guint i = 0, n = json_array_get_length (json_node_get_array (node)); i < n; i++)
    {
      char *word = scalar_text (json_array_get_element (json_node_get_array (node), i));
      if (word == NULL || words->len >= PKM_REST_MAX_MEMBERS)
        {
          invalid (error, "%s: %s", member, word == NULL ? "an entry is not a string" : "too many entries");
          g_free (word);
          return NULL;
        }
      g_ptr_array_add (words, word);
    }
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

/* One member of the body into @body or @args. */
static gboolean
read_member (PkmRestBody *body, GVariantBuilder *args, const char *member, JsonNode *node, GError **error)
{
  g_autofree char *text = NULL;

  if (!pkm_rest_is_property_name (member))
    return invalid (error, "body: \"%.64s\" is not a parameter name", member);
  if (strcmp (member, ".proplist") == 0 || strcmp (member, ".query") == 0)
    {
      char ***slot = member[1] == 'p' ? &body->proplist : &body->query;
      g_strfreev (*slot);
      return (*slot = member_words (member, node, error)) != NULL;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      /* A list parameter given as a JSON list: joined as the CLI takes it. */
      g_auto (GStrv) words = member_words (member, node, error);
      if (words == NULL)
        return FALSE;
      text = g_strjoinv (",", words);
    }
  else if ((text = scalar_text (node)) == NULL)
    return invalid (error, "%s: not a string", member);
  if (strcmp (member, ".id") == 0 || strcmp (member, "numbers") == 0)
    {
      g_free (body->id);
      body->id = g_steal_pointer (&text);
      return TRUE;
    }
  g_variant_builder_add (args, "{sv}", member, g_variant_new_take_string (g_steal_pointer (&text)));
  return TRUE;
}

gboolean
pkm_rest_body_parse (const char *data, gsize size, PkmRestBody *body, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (GList) members = NULL;
  g_auto (GVariantBuilder) args = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  JsonObject *object;
  JsonNode *root;

  memset (body, 0, sizeof *body);
  if (size == 0)
    {
      body->args = g_variant_ref_sink (g_variant_builder_end (&args));
      return TRUE;
    }
  if (size > G_MAXSSIZE || !check_shape (data, size, error))
    return FALSE;
  /* With check_shape's escapes, every string json-glib gives is UTF-8 too. */
  if (!g_utf8_validate_len (data, size, NULL))
    return invalid (error, "body: not UTF-8");
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) size, &local))
    return invalid (error, "body: not JSON: %s", local->message);
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return invalid (error, "body: not a JSON object");
  object = json_node_get_object (root);
  if (json_object_get_size (object) > PKM_REST_MAX_MEMBERS)
    return invalid (error, "body: more than %d members", PKM_REST_MAX_MEMBERS);
  members = json_object_get_members (object);
  for (GList *m = members; m != NULL; m = m->next)
    if (!read_member (body, &args, m->data, json_object_get_member (object, m->data), error))
      {
        pkm_rest_body_clear (body);
        return FALSE;
      }
  body->args = g_variant_ref_sink (g_variant_builder_end (&args));
  return TRUE;
}

void
pkm_rest_body_clear (PkmRestBody *body)
{
  g_clear_pointer (&body->args, g_variant_unref);
  g_clear_pointer (&body->id, g_free);
  g_clear_pointer (&body->proplist, g_strfreev);
  g_clear_pointer (&body->query, g_strfreev);
}

/* @value in where's quotes, every byte but letters and digits as \XX: no
 * value can end the string or be read as an operator. */
static void
append_quoted (GString *where, const char *value)
{
  g_string_append_c (where, '"');
  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (where, (char) *p);
    else
      g_string_append_printf (where, "\\%02X", *p);
  g_string_append_c (where, '"');
}

void
pkm_rest_where_add_equal (GString *where, const char *name, const char *value)
{
  if (where->len > 0)
    g_string_append (where, " and ");
  g_string_append_printf (where, "%s=", name);
  append_quoted (where, value);
}

/* (transfer full): one query word as a condition. */
static char *
query_condition (const char *word, GError **error)
{
  GString *condition = g_string_new (NULL);
  gsize name_end = strcspn (word, "=<>");
  g_autofree char *name = g_strndup (word[0] == '-' ? word + 1 : word, word[0] == '-' ? name_end - 1 : name_end);

  if (!pkm_rest_is_property_name (name) || (word[0] == '-' && word[name_end] != '\0'))
    {
      invalid (error, ".query: \"%.64s\" is not a query word (name=value, name<value, name>value, name, -name)",
               word);
      return g_string_free (condition, TRUE);
    }
  g_string_append (condition, name);
  if (word[name_end] == '\0')
    g_string_append (condition, word[0] == '-' ? "=\"\"" : "!=\"\"");
  else
    {
      g_string_append_c (condition, word[name_end]);
      append_quoted (condition, word + name_end + 1);
    }
  return g_string_free (condition, FALSE);
}

char *
pkm_rest_where_from_query (const char *const *words, GError **error)
{
  g_autoptr (GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    {
      const char *word = words[i];

      if (word[0] == '#')
        {
          gboolean negate = strcmp (word, "#!") == 0;
          const char *join = strcmp (word, "#|") == 0 ? " or " : strcmp (word, "#&") == 0 ? " and " : NULL;
          guint needs = negate ? 1 : 2;
          char *combined;

          if ((!negate && join == NULL) || stack->len < needs)
            {
              invalid (error, ".query: \"%.64s\" %s", word,
                       stack->len < needs ? "has too few conditions before it" : "is not #|, #& or #!");
              return NULL;
            }
          if (negate)
            combined = g_strdup_printf ("(not %s)", (char *) g_ptr_array_index (stack, stack->len - 1));
          else
            combined = g_strdup_printf ("(%s%s%s)", (char *) g_ptr_array_index (stack, stack->len - 2), join,
                                        (char *) g_ptr_array_index (stack, stack->len - 1));
          g_ptr_array_set_size (stack, stack->len - needs);
          g_ptr_array_add (stack, combined);
          continue;
        }
      {
        char *condition = query_condition (word, error);
        if (condition == NULL)
          return NULL;
        g_ptr_array_add (stack, condition);
      }
    }
  g_ptr_array_add (stack, NULL);
  return g_strjoinv (" and ", (char **) stack->pdata);
}

void
pkm_rest_append_string (GString *out, const char *text)
{
  g_autofree char *valid = g_utf8_validate (text, -1, NULL) ? NULL : g_utf8_make_valid (text, -1);
  const char *start = valid != NULL ? valid : text;

  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) start; *p != '\0'; p++)
    {
      const guchar *run = p;
      while (*p >= 0x20 && *p != '"' && *p != '\\')
        p++;
      g_string_append_len (out, (const char *) run, p - run);
      if (*p == '\0')
        break;
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) *p);
        }
      else
        g_string_append_printf (out, "\\u%04x", *p);
    }
  g_string_append_c (out, '"');
}

/* Appends @entry as RouterOS's REST writes every value: a string. Read in
 * place (pkm-vardict.h): a list of 10,000 items makes no GVariant a value. */
static void
append_value (GString *out, const PkmVardictView *view, const PkmVardictEntry *entry)
{
  g_autofree char *text = NULL;
  gint64 id;

  switch (entry->type[0])
    {
    case 's':
      pkm_rest_append_string (out, pkm_vardict_entry_get_string (entry));
      return;
    case 'b':
      g_string_append (out, pkm_vardict_entry_get_boolean (entry) ? "\"true\"" : "\"false\"");
      return;
    case 'x':
      if (strcmp (entry->key, ".id") == 0 && pkm_vardict_entry_get_int64 (entry, &id))
        {
          text = pkm_item_id_format (id);
          break;
        }
      /* fall through */
    default:
      text = pkm_vardict_entry_to_text (view, entry);
    }
  pkm_rest_append_string (out, text);
}

void
pkm_rest_append_item (GString *out, GVariant *item, const char *const *proplist)
{
  g_autoptr (PkmVardictView) view = pkm_vardict_view_new (item);
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (guint i = 0, n = pkm_vardict_view_size (view); i < n; i++)
    {
      const PkmVardictEntry *entry = pkm_vardict_view_entry (view, i);

      if (proplist != NULL && !g_strv_contains (proplist, entry->key))
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      pkm_rest_append_string (out, entry->key);
      g_string_append_c (out, ':');
      append_value (out, view, entry);
    }
  g_string_append_c (out, '}');
}

GBytes *
pkm_rest_error_body (guint status, const char *detail)
{
  GString *out = g_string_new (NULL);
  const char *reason = status == 400 ? "Bad Request" : status == 401 ? "Unauthorized" : status == 403 ? "Forbidden"
                     : status == 404 ? "Not Found" : status == 405 ? "Method Not Allowed" : status == 413
                     ? "Payload Too Large" : status == 500 ? "Internal Server Error" : status == 503
                     ? "Service Unavailable" : "Error";

  g_string_append_printf (out, "{\"error\":%u,\"message\":", status);
  pkm_rest_append_string (out, reason);
  if (detail != NULL)
    {
      g_string_append (out, ",\"detail\":");
      pkm_rest_append_string (out, detail);
    }
  g_string_append (out, "}");
  return g_string_free_to_bytes (out);
}
