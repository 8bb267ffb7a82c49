/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* print where: the expression is parsed against each real menu's properties
 * and, when it parses, matched against items whose properties carry every
 * type a list gives (s, b, t, x, as), as print would match them. */
#include "fuzz.h"
#include "core/pkm-invoke-private.h"
#include "shell/pkm-shell-private.h"
#include "menus/pkm-menus.h"

#define N_ITEMS 5

/* The first is /certificate's, built from its property table at start. */
static const PkmMenu *menus[] = { NULL, &pkm_menu_log, &pkm_menu_file, &pkm_menu_system_plugin };
static GVariant *items[G_N_ELEMENTS (menus)][N_ITEMS];

/* Item @n has property @k as one of the types, so each type meets each operator. */
static void
add_property (GVariantDict *dict, const char *property, guint n, guint k)
{
  static const char *const list[] = { "digital-signature", "key-cert-sign", "", NULL };

  switch ((n + k) % 6)
    {
    case 0: g_variant_dict_insert (dict, property, "s", "router.example.com"); break;
    case 1: g_variant_dict_insert (dict, property, "b", (n & 1) == 0); break;
    case 2: g_variant_dict_insert (dict, property, "t", (guint64) G_MAXUINT64 - n); break;
    case 3: g_variant_dict_insert (dict, property, "x", (gint64) k - 3); break;
    case 4: g_variant_dict_insert (dict, property, "^as", list); break;
    default: g_variant_dict_insert (dict, property, "s", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"); break;
    }
}

static GVariant *
make_item (const PkmMenu *menu, guint n)
{
  GVariantDict dict;
  guint k = 0;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, ".id", "x", (gint64) n + 1);
  g_variant_dict_insert (&dict, "name", "s", n == 0 ? "" : "item");
  for (const char *const *f = menu->fields; f != NULL && *f != NULL; f++)
    add_property (&dict, *f, n, k++);
  for (const PkmFlag *f = menu->flags; f != NULL && f->letter != 0; f++)
    add_property (&dict, f->property, n, k++);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  menus[0] = pkm_menu_certificate_get ();
  for (guint m = 0; m < G_N_ELEMENTS (menus); m++)
    for (guint n = 0; n < N_ITEMS; n++)
      items[m][n] = make_item (menus[m], n);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = fuzz_string (data, size);

  for (guint m = 0; m < G_N_ELEMENTS (menus); m++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (PkmWhere) where = pkm_where_parse (text, menus[m], &error);

      if (where == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (g_str_has_prefix (error->message, "where: "));
          continue;
        }
      g_assert_no_error (error);
      for (guint n = 0; n < N_ITEMS; n++)
        {
          g_autoptr (PkmVardictView) view = pkm_vardict_view_new (items[m][n]);
          pkm_where_match (where, view, NULL);
        }
    }
  return 0;
}
