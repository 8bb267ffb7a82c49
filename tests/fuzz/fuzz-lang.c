/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The scripting language's parser (pkm-lang-parse.c) alone: any bytes give
 * a tree or an error that names a line and a column, never both; the tree is
 * no deeper than its bound allows, and every node stands inside the text.
 * Running scripts, commands included, is fuzz-script's. */
#include <string.h>
#include "fuzz.h"
#include "shell/pkm-lang-private.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

/* Each nesting of the text may take a few levels of the tree (a word, its
 * piece, an index), never more. */
#define TREE_MAX_DEPTH (8 * PKM_LANG_MAX_DEPTH)

static void
check_node (const PkmLangNode *node, guint lines, guint depth)
{
  g_assert_cmpuint (depth, <=, TREE_MAX_DEPTH);
  g_assert_cmpuint (node->line, >=, 1);
  g_assert_cmpuint (node->line, <=, lines);
  g_assert_cmpuint (node->column, >=, 1);
  if (node->a != NULL)
    check_node (node->a, lines, depth + 1);
  if (node->b != NULL)
    check_node (node->b, lines, depth + 1);
  for (guint i = 0; node->children != NULL && i < node->children->len; i++)
    check_node (g_ptr_array_index (node->children, i), lines, depth + 1);
  for (guint i = 0; node->where != NULL && i < node->where->len; i++)
    check_node (g_ptr_array_index (node->where, i), lines, depth + 1);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = fuzz_string (data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (PkmLangNode) tree = pkm_lang_parse (text, &error);
  guint lines = 1;

  for (const char *p = text; *p != '\0'; p++)
    lines += *p == '\n';
  if (tree == NULL)
    {
      guint line, column;
      g_assert_nonnull (error);
      g_assert_cmpint (sscanf (error->message, "%u:%u: ", &line, &column), ==, 2);
      g_assert_cmpuint (line, >=, 1);
      g_assert_cmpuint (line, <=, lines);
      return 0;
    }
  g_assert_no_error (error);
  check_node (tree, lines, 0);
  return 0;
}
