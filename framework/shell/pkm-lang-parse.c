/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-lang-private.h"

/* Script text to a tree. Statements end at ; or a line's end; a command is
 * words (name=value or bare), where a value is a word, a "..." string (with
 * $var inside), $var, [ commands ], ( expression ) or { array } ({ code }
 * where a :command takes code); `where` takes the rest of the statement.
 * Every nesting goes one level deeper, and the depth is bounded, so no text
 * can exhaust the stack; every node knows its line and column. */

typedef struct {
  PkmLangScanner s;
  GError **error;
  guint depth;
  char closer; /* the bracket that ends the innermost nesting: ] } ) or 0 */
} PkmParser;

void
pkm_lang_node_free (PkmLangNode *node)
{
  if (node == NULL)
    return;
  g_free (node->text);
  pkm_lang_value_unref (node->value);
  pkm_lang_node_free (node->a);
  pkm_lang_node_free (node->b);
  if (node->children != NULL)
    g_ptr_array_unref (node->children);
  if (node->where != NULL)
    g_ptr_array_unref (node->where);
  g_free (node);
}

static PkmLangNode *
node_new (PkmParser *parser, PkmNodeKind kind, guint line, guint column)
{
  PkmLangNode *node = g_new0 (PkmLangNode, 1);

  node->kind = kind;
  node->line = line;
  node->column = column;
  if (kind == PKM_NODE_BLOCK || kind == PKM_NODE_COMMAND || kind == PKM_NODE_ARRAY || kind == PKM_NODE_CONCAT)
    node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) pkm_lang_node_free);
  return node;
}

static PkmLangNode *
node_here (PkmParser *parser, PkmNodeKind kind)
{
  return node_new (parser, kind, parser->s.line, parser->s.column);
}

static PkmLangNode *fail (PkmParser *parser, const char *format, ...) G_GNUC_PRINTF (2, 3);

static PkmLangNode *
fail (PkmParser *parser, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  if (parser->error == NULL || *parser->error != NULL)
    return NULL;
  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (parser->error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%u:%u: %s", parser->s.line, parser->s.column,
               reason);
  return NULL;
}

static gboolean
enter (PkmParser *parser)
{
  if (++parser->depth > PKM_LANG_MAX_DEPTH)
    {
      fail (parser, "nested deeper than %d levels", PKM_LANG_MAX_DEPTH);
      return FALSE;
    }
  return TRUE;
}

static char
peek (PkmParser *parser)
{
  return *parser->s.p;
}

static PkmLangNode *parse_statements (PkmParser *parser, char closer);
static PkmLangNode *parse_expression (PkmParser *parser);
static PkmLangNode *parse_word (PkmParser *parser, gboolean code);

/* Whether the statement ends here: ; a line's end, or the nesting's bracket. */
static gboolean
at_statement_end (PkmParser *parser)
{
  char c = peek (parser);

  return c == '\0' || c == '\n' || c == ';' || (c != '\0' && c == parser->closer);
}

/* After a $ in a string: $name or $[ ]. */
static gboolean
is_var_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* After a $ elsewhere: $"name" too. */
static gboolean
is_var_start (char c)
{
  return is_var_char (c) || c == '"';
}

/* A "..." at the scanner (just past its quote) to its end, decoded, lines
 * and columns counted; FALSE when it is not closed. */
static gboolean
read_quoted (PkmParser *parser, GString *out)
{
  const char *start = parser->s.p;

  while (peek (parser) != '\0' && peek (parser) != '"')
    {
      if (peek (parser) == '\\' && parser->s.p[1] != '\0')
        pkm_lang_advance (&parser->s);
      pkm_lang_advance (&parser->s);
    }
  if (peek (parser) != '"')
    return FALSE;
  pkm_text_unquote (&start, out);
  pkm_lang_advance (&parser->s);
  return TRUE;
}

/* [ statements ]: the opening bracket is the scanner's. */
static PkmLangNode *
parse_substitution (PkmParser *parser)
{
  PkmLangNode *node = node_here (parser, PKM_NODE_SUBST);
  char saved = parser->closer;

  pkm_lang_advance (&parser->s);
  node->a = parse_statements (parser, ']');
  parser->closer = saved;
  if (node->a == NULL)
    {
      pkm_lang_node_free (node);
      return NULL;
    }
  pkm_lang_advance (&parser->s);
  return node;
}

/* $name or $"name": the dollar is the scanner's. */
static PkmLangNode *
parse_variable (PkmParser *parser)
{
  PkmLangNode *node = node_here (parser, PKM_NODE_VAR);
  GString *name = g_string_new (NULL);

  pkm_lang_advance (&parser->s);
  if (peek (parser) == '"')
    {
      pkm_lang_advance (&parser->s);
      if (!read_quoted (parser, name))
        {
          g_string_free (name, TRUE);
          pkm_lang_node_free (node);
          return fail (parser, "unterminated variable name");
        }
    }
  else
    while (g_ascii_isalnum (peek (parser)) || peek (parser) == '_')
      {
        g_string_append_c (name, peek (parser));
        pkm_lang_advance (&parser->s);
      }
  node->text = g_string_free (name, FALSE);
  if (*node->text == '\0')
    {
      pkm_lang_node_free (node);
      return fail (parser, "a variable name is expected after $");
    }
  return node;
}

/* The text from @start to here, escapes decoded, as a str piece of @concat. */
static void
add_string_piece (PkmParser *parser, PkmLangNode *concat, const char *start, guint line, guint column)
{
  g_autofree char *raw = g_strdup_printf ("%.*s\"", (int) (parser->s.p - start), start);
  const char *p = raw;
  GString *text = g_string_new (NULL);
  PkmLangNode *piece = node_new (parser, PKM_NODE_STR, line, column);

  pkm_text_unquote (&p, text);
  piece->text = g_string_free (text, FALSE);
  g_ptr_array_add (concat->children, piece);
}

/* "...": escapes as pkm_text_unquote reads them, $var and $[ ] inside. */
static PkmLangNode *
parse_string (PkmParser *parser)
{
  PkmLangNode *concat = node_here (parser, PKM_NODE_CONCAT);
  guint line = parser->s.line, column = parser->s.column;

  pkm_lang_advance (&parser->s);
  for (;;)
    {
      const char *start = parser->s.p;
      guint piece_line = parser->s.line, piece_column = parser->s.column;
      PkmLangNode *inner;

      while (peek (parser) != '\0' && peek (parser) != '"'
             && !(peek (parser) == '$' && (is_var_char (parser->s.p[1]) || parser->s.p[1] == '[')))
        {
          if (peek (parser) == '\\' && parser->s.p[1] != '\0')
            pkm_lang_advance (&parser->s);
          pkm_lang_advance (&parser->s);
        }
      if (parser->s.p > start || concat->children->len == 0)
        add_string_piece (parser, concat, start, piece_line, piece_column);
      if (peek (parser) == '\0')
        {
          pkm_lang_node_free (concat);
          parser->s.line = line;
          parser->s.column = column;
          return fail (parser, "unterminated string");
        }
      if (peek (parser) == '"')
        break;
      if (parser->s.p[1] == '[')
        {
          pkm_lang_advance (&parser->s);
          inner = parse_substitution (parser);
        }
      else
        inner = parse_variable (parser);
      if (inner == NULL)
        {
          pkm_lang_node_free (concat);
          return NULL;
        }
      g_ptr_array_add (concat->children, inner);
    }
  pkm_lang_advance (&parser->s);
  if (concat->children->len == 1 && ((PkmLangNode *) concat->children->pdata[0])->kind == PKM_NODE_STR)
    {
      PkmLangNode *only = g_ptr_array_steal_index (concat->children, 0);
      only->line = line;
      only->column = column;
      pkm_lang_node_free (concat);
      return only;
    }
  return concat;
}

/* { elements } with ; or line ends between, each value or key=value. */
static PkmLangNode *
parse_array (PkmParser *parser)
{
  PkmLangNode *array = node_here (parser, PKM_NODE_ARRAY);
  char saved = parser->closer;

  pkm_lang_advance (&parser->s);
  parser->closer = '}';
  for (;;)
    {
      PkmLangNode *element;
      PkmLangScanner at;
      g_autofree char *key = NULL;

      pkm_lang_skip_blanks (&parser->s, TRUE);
      if (peek (parser) == ';')
        {
          pkm_lang_advance (&parser->s);
          continue;
        }
      if (peek (parser) == '}')
        break;
      if (peek (parser) == '\0')
        {
          pkm_lang_node_free (array);
          return fail (parser, "a } is missing");
        }
      at = parser->s;
      element = node_here (parser, PKM_NODE_ARG);
      if (peek (parser) == '"')
        {
          GString *text = g_string_new (NULL);
          pkm_lang_advance (&parser->s);
          if (read_quoted (parser, text) && peek (parser) == '=')
            key = g_string_free (text, FALSE);
          else
            g_string_free (text, TRUE);
        }
      else
        key = pkm_lang_read_name (&parser->s);
      if (key != NULL && pkm_lang_accept (&parser->s, "="))
        element->text = g_steal_pointer (&key);
      else
        parser->s = at; /* a value, not a key */
      if (element->text != NULL && (peek (parser) == ';' || peek (parser) == '}' || pkm_lang_is_blank (peek (parser)) || peek (parser) == '\n'))
        element->a = node_here (parser, PKM_NODE_WORD), element->a->text = g_strdup ("");
      else
        element->a = parse_word (parser, FALSE);
      g_ptr_array_add (array->children, element);
      if (element->a == NULL)
        {
          pkm_lang_node_free (array);
          return NULL;
        }
    }
  pkm_lang_advance (&parser->s);
  parser->closer = saved;
  return array;
}

/* { statements } as code. */
static PkmLangNode *
parse_code (PkmParser *parser)
{
  PkmLangNode *block;
  char saved = parser->closer;

  pkm_lang_advance (&parser->s);
  block = parse_statements (parser, '}');
  parser->closer = saved;
  if (block != NULL)
    pkm_lang_advance (&parser->s);
  return block;
}

/* ( expression ): the parenthesis is the scanner's. */
static PkmLangNode *
parse_parenthesised (PkmParser *parser)
{
  PkmLangNode *node;
  char saved = parser->closer;

  pkm_lang_advance (&parser->s);
  parser->closer = ')';
  node = parse_expression (parser);
  parser->closer = saved;
  if (node == NULL)
    return NULL;
  pkm_lang_skip_blanks (&parser->s, TRUE);
  if (peek (parser) != ')')
    {
      pkm_lang_node_free (node);
      return fail (parser, "a ) is missing");
    }
  pkm_lang_advance (&parser->s);
  return node;
}

/* A piece of a word that is not plain text, or NULL when there is none here. */
static gboolean
at_special_piece (PkmParser *parser)
{
  char c = peek (parser);

  return c == '"' || c == '[' || (c == '$' && is_var_start (parser->s.p[1]));
}

static PkmLangNode *
parse_special_piece (PkmParser *parser)
{
  switch (peek (parser))
    {
    case '"': return parse_string (parser);
    case '[': return parse_substitution (parser);
    default: return parse_variable (parser);
    }
}

/* $a->"b"->c: the index chain after a variable in a word. */
static PkmLangNode *
parse_index_chain (PkmParser *parser, PkmLangNode *node)
{
  while (node != NULL && pkm_lang_looking_at (&parser->s, "->"))
    {
      PkmLangNode *index = node_here (parser, PKM_NODE_BINARY);

      pkm_lang_accept (&parser->s, "->");
      index->text = g_strdup ("->");
      index->a = node;
      if (at_special_piece (parser))
        index->b = parse_special_piece (parser);
      else
        {
          index->b = node_here (parser, PKM_NODE_WORD);
          index->b->text = pkm_lang_read_name (&parser->s);
          if (index->b->text == NULL)
            {
              pkm_lang_node_free (index);
              return fail (parser, "an index is expected after ->");
            }
        }
      if (index->b == NULL)
        {
          pkm_lang_node_free (index);
          return NULL;
        }
      node = index;
    }
  return node;
}

/* `\` and blanks to the end of the line. */
static gboolean
at_continuation (PkmParser *parser)
{
  const char *p = parser->s.p;

  if (*p != '\\')
    return FALSE;
  for (p++; *p == ' ' || *p == '\t' || *p == '\r'; p++)
    ;
  return *p == '\n' || *p == '\0';
}

static gboolean
at_word_end (PkmParser *parser)
{
  char c = peek (parser);

  return c == '\0' || pkm_lang_is_blank (c) || c == '\n' || c == ';' || (c == parser->closer && c != '\0') || at_continuation (parser);
}

/* A value of a command: pieces side by side make one word. */
static PkmLangNode *
parse_word (PkmParser *parser, gboolean code)
{
  PkmLangNode *concat, *piece;

  if (!enter (parser))
    return NULL;
  concat = node_here (parser, PKM_NODE_CONCAT);
  if (peek (parser) == '{' || peek (parser) == '(')
    {
      piece = peek (parser) == '(' ? parse_parenthesised (parser) : code ? parse_code (parser) : parse_array (parser);
      if (piece == NULL)
        goto failed;
      g_ptr_array_add (concat->children, piece);
    }
  while (!at_word_end (parser))
    {
      if (at_special_piece (parser))
        {
          gboolean variable = peek (parser) == '$';
          piece = parse_special_piece (parser);
          if (variable)
            piece = parse_index_chain (parser, piece);
        }
      else
        {
          const char *start = parser->s.p;
          piece = node_here (parser, PKM_NODE_WORD);
          while (!at_word_end (parser) && !at_special_piece (parser))
            pkm_lang_advance (&parser->s);
          piece->text = g_strndup (start, parser->s.p - start);
        }
      if (piece == NULL)
        goto failed;
      g_ptr_array_add (concat->children, piece);
    }
  parser->depth--;
  if (concat->children->len == 1)
    {
      piece = g_ptr_array_steal_index (concat->children, 0);
      pkm_lang_node_free (concat);
      return piece;
    }
  if (concat->children->len == 0)
    concat->kind = PKM_NODE_WORD, concat->text = g_strdup ("");
  return concat;
failed:
  pkm_lang_node_free (concat);
  return NULL;
}

/* where: the rest of the statement as text, "..." strings and $var inside
 * kept as pieces for the evaluator to write back. */
static gboolean
parse_where (PkmParser *parser, PkmLangNode *command)
{
  guint parens = 0;

  command->has_where = TRUE;
  command->where = g_ptr_array_new_with_free_func ((GDestroyNotify) pkm_lang_node_free);
  for (;;)
    {
      PkmLangNode *piece;
      const char *start = parser->s.p;

      pkm_lang_skip_blanks (&parser->s, FALSE);
      if (parser->s.p > start)
        {
          piece = node_here (parser, PKM_NODE_WORD);
          piece->text = g_strdup (" ");
          g_ptr_array_add (command->where, piece);
        }
      if (peek (parser) == '\0' || peek (parser) == '\n' || peek (parser) == ';'
          || (parens == 0 && peek (parser) == parser->closer))
        return TRUE;
      if (peek (parser) == '"' || (peek (parser) == '$' && is_var_start (parser->s.p[1])))
        {
          gboolean variable = peek (parser) == '$';
          piece = parse_special_piece (parser);
          if (variable)
            piece = parse_index_chain (parser, piece);
          if (piece == NULL)
            return FALSE;
          g_ptr_array_add (command->where, piece);
          continue;
        }
      piece = node_here (parser, PKM_NODE_WORD);
      start = parser->s.p;
      while (peek (parser) != '\0' && peek (parser) != '\n' && peek (parser) != ';' && peek (parser) != '"'
             && !pkm_lang_is_blank (peek (parser)) && !(peek (parser) == '$' && is_var_start (parser->s.p[1]))
             && !(parens == 0 && peek (parser) == parser->closer))
        {
          if (peek (parser) == '(')
            parens++;
          else if (peek (parser) == ')' && parens > 0)
            parens--;
          pkm_lang_advance (&parser->s);
        }
      piece->text = g_strndup (start, parser->s.p - start);
      g_ptr_array_add (command->where, piece);
    }
}

/* name= at the scanner, for a word that names its parameter. */
static char *
read_argument_name (PkmParser *parser)
{
  const char *p = parser->s.p;
  char *name;

  while (pkm_lang_is_name_char (*p))
    p++;
  if (p == parser->s.p || *p != '=')
    return NULL;
  name = pkm_lang_read_name (&parser->s);
  pkm_lang_advance (&parser->s);
  return name;
}

static PkmLangNode *
parse_command (PkmParser *parser)
{
  PkmLangNode *command = node_here (parser, PKM_NODE_COMMAND);
  const PkmLangBuiltin *builtin = NULL;
  guint positional = 0;

  while (pkm_lang_skip_blanks (&parser->s, FALSE), !at_statement_end (parser))
    {
      PkmLangNode *arg = node_here (parser, PKM_NODE_ARG);
      gboolean code;

      g_ptr_array_add (command->children, arg);
      arg->text = command->children->len > 1 ? read_argument_name (parser) : NULL;
      code = builtin != NULL && pkm_lang_builtin_takes_code (builtin, arg->text, positional);
      if (arg->text != NULL && at_word_end (parser))
        {
          arg->a = node_here (parser, PKM_NODE_WORD);
          arg->a->text = g_strdup ("");
        }
      else if ((arg->a = parse_word (parser, code)) == NULL)
        goto failed;
      if (arg->text == NULL)
        positional++;
      if (arg->a->kind != PKM_NODE_WORD)
        continue;
      if (command->children->len == 1 && arg->a->text[0] == ':')
        {
          if ((builtin = pkm_lang_builtin_find (arg->a->text + 1)) == NULL)
            {
              parser->s.line = arg->line;
              parser->s.column = arg->column;
              fail (parser, "%s: no such command", arg->a->text);
              goto failed;
            }
          positional = 0;
        }
      else if (builtin == NULL && arg->text == NULL && strcmp (arg->a->text, "where") == 0)
        {
          g_ptr_array_remove_index (command->children, command->children->len - 1);
          if (!parse_where (parser, command))
            goto failed;
          break;
        }
    }
  return command;
failed:
  pkm_lang_node_free (command);
  return NULL;
}

static void
skip_comment (PkmParser *parser)
{
  while (peek (parser) != '\0' && peek (parser) != '\n')
    pkm_lang_advance (&parser->s);
}

/* Statements up to @closer (0: the end of the text), which is left to the caller. */
static PkmLangNode *
parse_statements (PkmParser *parser, char closer)
{
  PkmLangNode *block;

  if (!enter (parser))
    return NULL;
  block = node_here (parser, PKM_NODE_BLOCK);
  parser->closer = closer;
  for (;;)
    {
      PkmLangNode *statement;

      pkm_lang_skip_blanks (&parser->s, TRUE);
      if (peek (parser) == ';')
        {
          pkm_lang_advance (&parser->s);
          continue;
        }
      if (peek (parser) == '#')
        {
          skip_comment (parser);
          continue;
        }
      if (peek (parser) == '\0' || (closer != 0 && peek (parser) == closer))
        break;
      if (peek (parser) == ']' || peek (parser) == '}' || peek (parser) == ')')
        {
          pkm_lang_node_free (block);
          return fail (parser, "unexpected %c", peek (parser));
        }
      if (peek (parser) == '{')
        {
          statement = parse_code (parser);
          parser->closer = closer;
        }
      else
        statement = parse_command (parser);
      if (statement == NULL)
        {
          pkm_lang_node_free (block);
          return NULL;
        }
      g_ptr_array_add (block->children, statement);
    }
  if (closer != 0 && peek (parser) != closer)
    {
      pkm_lang_node_free (block);
      return fail (parser, "a %c is missing", closer);
    }
  parser->depth--;
  return block;
}

/* -- expressions: || && comparisons . + - * / % unary ! - and -> -- */

static const char *const levels[][7] = {
  { "||", NULL },
  { "&&", NULL },
  { "<=", ">=", "!=", "=", "<", ">", NULL },
  { ".", NULL },
  { "+", "-", NULL },
  { "*", "/", "%", NULL },
};
#define N_LEVELS G_N_ELEMENTS (levels)

static PkmLangNode *parse_level (PkmParser *parser, guint level);

/* A number (10), a time (3w, 1d2h, 00:10:00), an id (*1A), true or false. */
static PkmLangNode *
parse_literal (PkmParser *parser)
{
  PkmLangNode *node = node_here (parser, PKM_NODE_LITERAL);
  const char *start = parser->s.p;
  g_autofree char *text = NULL;

  if (peek (parser) == '*')
    pkm_lang_advance (&parser->s);
  while (g_ascii_isalnum (peek (parser)) || peek (parser) == ':' || peek (parser) == '_')
    pkm_lang_advance (&parser->s);
  text = g_strndup (start, parser->s.p - start);
  node->value = pkm_lang_value_from_word (text);
  if (pkm_lang_value_type (node->value) == PKM_LANG_STR)
    {
      if (strcmp (text, "yes") == 0 || strcmp (text, "no") == 0)
        {
          pkm_lang_value_unref (node->value);
          node->value = pkm_lang_bool_new (text[0] == 'y');
          return node;
        }
      parser->s.line = node->line;
      parser->s.column = node->column;
      pkm_lang_node_free (node);
      return fail (parser, "%s: not a number, a time or a value", text);
    }
  return node;
}

static PkmLangNode *
parse_primary (PkmParser *parser)
{
  PkmLangNode *node;
  char c;

  pkm_lang_skip_blanks (&parser->s, TRUE);
  c = peek (parser);
  if (c == '(')
    node = parse_parenthesised (parser);
  else if (c == '"')
    node = parse_string (parser);
  else if (c == '$' && is_var_start (parser->s.p[1]))
    node = parse_variable (parser);
  else if (c == '[')
    node = parse_substitution (parser);
  else if (c == '{')
    node = parse_array (parser);
  else if (g_ascii_isalnum (c) || (c == '*' && g_ascii_isxdigit (parser->s.p[1])))
    node = parse_literal (parser);
  else if (c == '\0' || c == ')')
    return fail (parser, "an expression is missing");
  else
    return fail (parser, "unexpected %c in an expression", c);
  while (node != NULL && (pkm_lang_skip_blanks (&parser->s, TRUE), pkm_lang_looking_at (&parser->s, "->")))
    {
      PkmLangNode *index = node_here (parser, PKM_NODE_BINARY);
      pkm_lang_accept (&parser->s, "->");
      index->text = g_strdup ("->");
      index->a = node;
      pkm_lang_skip_blanks (&parser->s, TRUE);
      if (g_ascii_isalpha (peek (parser)))
        {
          index->b = node_here (parser, PKM_NODE_WORD);
          index->b->text = pkm_lang_read_name (&parser->s);
        }
      else if ((index->b = parse_primary (parser)) == NULL)
        {
          pkm_lang_node_free (index);
          return NULL;
        }
      node = index;
    }
  return node;
}

static PkmLangNode *
parse_unary (PkmParser *parser)
{
  PkmLangNode *node;

  pkm_lang_skip_blanks (&parser->s, TRUE);
  if (!enter (parser))
    return NULL;
  if ((peek (parser) == '!' && parser->s.p[1] != '=') || peek (parser) == '-')
    {
      node = node_here (parser, PKM_NODE_UNARY);
      node->text = g_strndup (parser->s.p, 1);
      pkm_lang_advance (&parser->s);
      if ((node->a = parse_unary (parser)) == NULL)
        {
          pkm_lang_node_free (node);
          return NULL;
        }
    }
  else
    node = parse_primary (parser);
  parser->depth--;
  return node;
}

/* The operator of @level at the scanner, or NULL. */
static const char *
operator_at (PkmParser *parser, guint level)
{
  pkm_lang_skip_blanks (&parser->s, TRUE);
  for (guint i = 0; levels[level][i] != NULL; i++)
    if (pkm_lang_looking_at (&parser->s, levels[level][i]))
      {
        /* "->" is an index, not a minus. */
        if (strcmp (levels[level][i], "-") == 0 && parser->s.p[1] == '>')
          return NULL;
        return levels[level][i];
      }
  return NULL;
}

/* Left to right in a loop: a long chain goes no deeper. */
static PkmLangNode *
parse_level (PkmParser *parser, guint level)
{
  PkmLangNode *left;
  const char *op;

  if (level == N_LEVELS)
    return parse_unary (parser);
  left = parse_level (parser, level + 1);
  while (left != NULL && (op = operator_at (parser, level)) != NULL)
    {
      PkmLangNode *node = node_here (parser, PKM_NODE_BINARY);

      pkm_lang_accept (&parser->s, op);
      node->text = g_strdup (op);
      node->a = left;
      if ((node->b = parse_level (parser, level + 1)) == NULL)
        {
          pkm_lang_node_free (node);
          return NULL;
        }
      left = node;
    }
  return left;
}

static PkmLangNode *
parse_expression (PkmParser *parser)
{
  PkmLangNode *node;

  if (!enter (parser))
    return NULL;
  node = parse_level (parser, 0);
  parser->depth--;
  return node;
}

PkmLangNode *
pkm_lang_parse (const char *text, GError **error)
{
  PkmParser parser = { .error = error };

  pkm_lang_scanner_init (&parser.s, text);
  return parse_statements (&parser, 0);
}
