/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "core/pkm-invoke-private.h"

/* print where: comparisons (= != ~ < >), bare boolean properties, not, and
 * (or nothing: two conditions side by side), or and parentheses; precedence
 * not > and > or. Parsed once, then matched
 * against every item. A chain of and/or is one node with many children, so
 * the tree is only as deep as the nesting of parentheses and not, which is
 * bounded: no input can exhaust the stack. */

#define WHERE_MAX_DEPTH 64
#define WHERE_MAX_TERMS 4096

typedef enum { NODE_OR, NODE_AND, NODE_NOT, NODE_TRUTH, NODE_COMPARE } PkmNodeKind;

typedef struct _PkmNode PkmNode;
struct _PkmNode {
  PkmNodeKind kind;
  GPtrArray *children; /* or, and: two or more; not: one */
  char *property;
  char op; /* = ! ~ < > */
  char *value;
  PkmRegex *regex;
};

struct _PkmWhere {
  PkmNode *root;
};

typedef struct {
  const char *p;
  const PkmMenu *menu;
  GError **error;
  guint depth; /* parentheses and not around the current point */
  guint terms; /* comparisons so far */
} PkmWhereParser;

static void
node_free (PkmNode *node)
{
  if (node == NULL)
    return;
  if (node->children != NULL)
    g_ptr_array_unref (node->children);
  g_free (node->property);
  g_free (node->value);
  pkm_regex_free (node->regex);
  g_free (node);
}

void
pkm_where_free (PkmWhere *where)
{
  if (where == NULL)
    return;
  node_free (where->root);
  g_free (where);
}

gboolean
pkm_menu_has_property (const PkmMenu *menu, const char *name)
{
  if (strcmp (name, "name") == 0 || strcmp (name, ".id") == 0)
    return TRUE;
  if (menu->fields != NULL && g_strv_contains (menu->fields, name))
    return TRUE;
  if (menu->columns != NULL && g_strv_contains (menu->columns, name))
    return TRUE;
  for (const PkmFlag *f = menu->flags; f != NULL && f->letter != 0; f++)
    if (strcmp (f->property, name) == 0)
      return TRUE;
  return FALSE;
}

static void
skip_blanks (PkmWhereParser *parser)
{
  while (g_ascii_isspace (*parser->p))
    parser->p++;
}

static gboolean
at_keyword (PkmWhereParser *parser, const char *keyword)
{
  gsize len = strlen (keyword);

  skip_blanks (parser);
  if (strncmp (parser->p, keyword, len) != 0)
    return FALSE;
  if (parser->p[len] != '\0' && !g_ascii_isspace (parser->p[len]) && parser->p[len] != '(')
    return FALSE;
  parser->p += len;
  return TRUE;
}

static PkmNode *parse_or (PkmWhereParser *parser);

static PkmNode *
fail (PkmWhereParser *parser, const char *message)
{
  if (parser->error != NULL && *parser->error == NULL)
    g_set_error (parser->error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "where: %s", message);
  return NULL;
}

static char *
parse_value (PkmWhereParser *parser)
{
  GString *value = g_string_new (NULL);

  skip_blanks (parser);
  if (*parser->p == '"')
    {
      parser->p++;
      if (!pkm_text_unquote (&parser->p, value))
        {
          g_string_free (value, TRUE);
          return NULL;
        }
      return g_string_free (value, FALSE);
    }
  while (*parser->p != '\0' && !g_ascii_isspace (*parser->p) && *parser->p != ')')
    g_string_append_c (value, *parser->p++);
  return g_string_free (value, FALSE);
}

static PkmNode *
parse_comparison (PkmWhereParser *parser)
{
  const char *start;
  PkmNode *node = g_new0 (PkmNode, 1);

  skip_blanks (parser);
  start = parser->p;
  while (g_ascii_isalnum (*parser->p) || *parser->p == '-' || *parser->p == '.' || *parser->p == '_')
    parser->p++;
  if (parser->p == start)
    {
      g_free (node);
      return fail (parser, *start == '\0' ? "an expression is missing" : "a property name is expected");
    }
  node->property = g_strndup (start, parser->p - start);
  if (!pkm_menu_has_property (parser->menu, node->property))
    {
      g_autofree char *message = g_strdup_printf ("no such property: %s", node->property);
      node_free (node);
      return fail (parser, message);
    }
  if (parser->p[0] == '!' && parser->p[1] == '=')
    {
      node->op = '!';
      parser->p += 2;
    }
  else if (strchr ("=~<>", *parser->p) != NULL && *parser->p != '\0')
    node->op = *parser->p++;
  else
    {
      node->kind = NODE_TRUTH;
      return node;
    }
  node->kind = NODE_COMPARE;
  node->value = parse_value (parser);
  if (node->value == NULL)
    {
      node_free (node);
      return fail (parser, "unterminated string");
    }
  {
    /* .id is written *1A, as print and the REST API show it; the item holds the number. */
    gint64 id;
    if (strcmp (node->property, ".id") == 0 && node->op != '~' && pkm_item_id_parse (node->value, &id))
      {
        g_free (node->value);
        node->value = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      }
  }
  if (node->op == '~')
    {
      g_autoptr (GError) local = NULL;
      node->regex = pkm_regex_new (node->value, &local);
      if (node->regex == NULL)
        {
          g_autofree char *message = g_strdup_printf ("%s: %s", node->property, local->message);
          node_free (node);
          return fail (parser, message);
        }
    }
  return node;
}

static PkmNode *
branch_new (PkmNodeKind kind, PkmNode *first)
{
  PkmNode *node = g_new0 (PkmNode, 1);

  node->kind = kind;
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  g_ptr_array_add (node->children, first);
  return node;
}

static PkmNode *parse_unary (PkmWhereParser *parser);

/* not and ( go one level deeper; the bound keeps the recursion finite. */
static PkmNode *
parse_nested (PkmWhereParser *parser, PkmNode *(*inner) (PkmWhereParser *))
{
  PkmNode *node;

  if (++parser->depth > WHERE_MAX_DEPTH)
    return fail (parser, "nested deeper than " G_STRINGIFY (WHERE_MAX_DEPTH) " levels");
  node = inner (parser);
  parser->depth--;
  return node;
}

static PkmNode *
parse_unary (PkmWhereParser *parser)
{
  PkmNode *node;

  if (at_keyword (parser, "not"))
    {
      PkmNode *inner = parse_nested (parser, parse_unary);
      return inner != NULL ? branch_new (NODE_NOT, inner) : NULL;
    }
  skip_blanks (parser);
  if (*parser->p == '(')
    {
      parser->p++;
      node = parse_nested (parser, parse_or);
      skip_blanks (parser);
      if (node == NULL)
        return NULL;
      if (*parser->p != ')')
        {
          node_free (node);
          return fail (parser, "a ) is missing");
        }
      parser->p++;
      return node;
    }
  if (++parser->terms > WHERE_MAX_TERMS)
    return fail (parser, "more than " G_STRINGIFY (WHERE_MAX_TERMS) " comparisons");
  return parse_comparison (parser);
}

/* Whether another condition follows at once: RouterOS reads `issued
 * expires-after<3w` as `issued and expires-after<3w`. */
static gboolean
at_implicit_and (PkmWhereParser *parser)
{
  const char *start;

  skip_blanks (parser);
  start = parser->p;
  if (*start == '\0' || *start == ')' || at_keyword (parser, "or") || at_keyword (parser, "and"))
    {
      parser->p = start;
      return FALSE;
    }
  return TRUE;
}

/* a and b and c: one node with three children, built in a loop. */
static PkmNode *
parse_binary (PkmWhereParser *parser, const char *keyword, PkmNodeKind kind, PkmNode *(*next) (PkmWhereParser *))
{
  PkmNode *left = next (parser);
  PkmNode *node = NULL;

  while (left != NULL && (at_keyword (parser, keyword) || (kind == NODE_AND && at_implicit_and (parser))))
    {
      PkmNode *right = next (parser);

      if (right == NULL)
        {
          node_free (node != NULL ? node : left);
          return NULL;
        }
      if (node == NULL)
        node = branch_new (kind, left);
      g_ptr_array_add (node->children, right);
    }
  return node != NULL ? node : left;
}

static PkmNode *
parse_and (PkmWhereParser *parser)
{
  return parse_binary (parser, "and", NODE_AND, parse_unary);
}

static PkmNode *
parse_or (PkmWhereParser *parser)
{
  return parse_binary (parser, "or", NODE_OR, parse_and);
}

PkmWhere *
pkm_where_parse (const char *text, const PkmMenu *menu, GError **error)
{
  PkmWhereParser parser = { text, menu, error };
  PkmNode *root = parse_or (&parser);
  PkmWhere *where;

  if (root == NULL)
    return NULL;
  skip_blanks (&parser);
  if (*parser.p != '\0')
    {
      g_autofree char *message = g_strdup_printf ("unexpected \"%.32s\"", parser.p);
      node_free (root);
      fail (&parser, message);
      return NULL;
    }
  where = g_new0 (PkmWhere, 1);
  where->root = root;
  return where;
}

/* <0, 0, >0 as @a is before, at or after @b: numbers as numbers, durations
 * as durations (expires-after<3w), text as text. @comparable is FALSE when
 * @b is a duration and @a is not one (a property without a value): neither
 * < nor > holds then. */
static int
compare_values (const char *a, const char *b, gboolean *comparable)
{
  gint64 x, y;

  *comparable = TRUE;
  if (g_ascii_string_to_signed (a, 10, G_MININT64, G_MAXINT64, &x, NULL)
      && g_ascii_string_to_signed (b, 10, G_MININT64, G_MAXINT64, &y, NULL))
    return x < y ? -1 : x > y;
  if (pkm_duration_parse (b, &y))
    {
      if (!pkm_duration_parse (a, &x))
        return (*comparable = FALSE);
      return x < y ? -1 : x > y;
    }
  return strcmp (a, b);
}

/* Short-circuits like C; a failed match (a pattern past its step limit) sets
 * @error, and everything after it then reads as no match. */
static gboolean
match_node (PkmNode *node, const PkmVardictView *item, GError **error)
{
  g_autofree char *text = NULL;
  gboolean comparable;
  int order;

  if (*error != NULL)
    return FALSE;
  switch (node->kind)
    {
    case NODE_OR:
      for (guint i = 0; i < node->children->len; i++)
        if (match_node (g_ptr_array_index (node->children, i), item, error))
          return TRUE;
      return FALSE;
    case NODE_AND:
      for (guint i = 0; i < node->children->len; i++)
        if (!match_node (g_ptr_array_index (node->children, i), item, error))
          return FALSE;
      return *error == NULL;
    case NODE_NOT: return !match_node (g_ptr_array_index (node->children, 0), item, error) && *error == NULL;
    case NODE_TRUTH: return pkm_vardict_entry_is_set (item, pkm_vardict_view_find (item, node->property));
    case NODE_COMPARE:
      text = pkm_vardict_entry_to_text (item, pkm_vardict_view_find (item, node->property));
      switch (node->op)
        {
        case '=': return strcmp (text, node->value) == 0;
        case '!': return strcmp (text, node->value) != 0;
        case '~': return pkm_regex_match (node->regex, text, error);
        case '<': order = compare_values (text, node->value, &comparable); return comparable && order < 0;
        case '>': order = compare_values (text, node->value, &comparable); return comparable && order > 0;
        default: return FALSE;
        }
    default:
      return FALSE;
    }
}

const char *
pkm_where_sole_flag (PkmWhere *where)
{
  return where != NULL && where->root->kind == NODE_TRUTH ? where->root->property : NULL;
}

gboolean
pkm_where_names_one (PkmWhere *where, const char **out_property, const char **out_value)
{
  PkmNode *root = where != NULL ? where->root : NULL;

  if (root == NULL || root->kind != NODE_COMPARE || root->op != '='
      || (strcmp (root->property, ".id") != 0 && strcmp (root->property, "name") != 0))
    return FALSE;
  *out_property = root->property;
  *out_value = root->value;
  return TRUE;
}

gboolean
pkm_where_match (PkmWhere *where, const PkmVardictView *item, GError **error)
{
  GError *local = NULL;
  gboolean matched;

  if (where == NULL)
    return TRUE;
  matched = match_node (where->root, item, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return matched;
}

static void
node_foreach_property (PkmNode *node, void (*func) (const char *property, gpointer data), gpointer data)
{
  if (node == NULL)
    return;
  if (node->property != NULL)
    func (node->property, data);
  for (guint i = 0; node->children != NULL && i < node->children->len; i++)
    node_foreach_property (g_ptr_array_index (node->children, i), func, data);
}

void
pkm_where_foreach_property (PkmWhere *where, void (*func) (const char *property, gpointer data), gpointer data)
{
  if (where != NULL)
    node_foreach_property (where->root, func, data);
}
