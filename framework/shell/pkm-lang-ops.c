/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "pkm-lang-private.h"

/* Operators: arithmetic on nums and times, comparisons, . and logic. A str
 * that reads as a time compares with a time (expires-after from get against
 * 3w), a str that reads as a number with a num; other mixes are errors. */

static PkmLangValue *
wrong_types (const char *op, PkmLangValue *a, PkmLangValue *b, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: wrong types: %s %s %s", op,
               pkm_lang_type_name (pkm_lang_value_type (a)), op, pkm_lang_type_name (pkm_lang_value_type (b)));
  return NULL;
}

/* The number of @value when it is (or reads as) one of @type. */
static gboolean
as_int (PkmLangValue *value, PkmLangType type, gint64 *out)
{
  PkmLangType t = pkm_lang_value_type (value);
  const char *s;

  if (t == type)
    {
      *out = pkm_lang_value_int (value);
      return TRUE;
    }
  if (t != PKM_LANG_STR)
    return FALSE;
  s = pkm_lang_value_str (value);
  switch (type)
    {
    case PKM_LANG_NUM: return g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, out, NULL);
    case PKM_LANG_TIME: return pkm_duration_parse (s, out);
    case PKM_LANG_ID: return s[0] == '*' && pkm_item_id_parse (s, out);
    default: return FALSE;
    }
}

/* The type both compare as, or NIL when they do not. */
static PkmLangType
common_type (PkmLangValue *a, PkmLangValue *b)
{
  PkmLangType ta = pkm_lang_value_type (a), tb = pkm_lang_value_type (b);
  gint64 n;

  if (ta == tb)
    return ta;
  if (ta == PKM_LANG_STR && tb != PKM_LANG_ARRAY && tb != PKM_LANG_NIL && as_int (a, tb, &n))
    return tb;
  if (tb == PKM_LANG_STR && ta != PKM_LANG_ARRAY && ta != PKM_LANG_NIL && as_int (b, ta, &n))
    return ta;
  return PKM_LANG_NIL;
}

static gboolean
equal (PkmLangValue *a, PkmLangValue *b)
{
  PkmLangType type = common_type (a, b);
  g_autofree char *x = NULL, *y = NULL;
  gint64 m, n;

  switch (type)
    {
    case PKM_LANG_NUM:
    case PKM_LANG_TIME:
    case PKM_LANG_ID:
    case PKM_LANG_BOOL:
      return as_int (a, type, &m) && as_int (b, type, &n) && m == n;
    case PKM_LANG_NIL:
      /* nil equals nil and "", as a property without a value reads. */
      if (pkm_lang_value_type (a) != PKM_LANG_NIL && pkm_lang_value_type (b) != PKM_LANG_NIL)
        return FALSE;
      /* fall through */
    default:
      x = pkm_lang_value_to_string (a);
      y = pkm_lang_value_to_string (b);
      return strcmp (x, y) == 0;
    }
}

static PkmLangValue *
compare (const char *op, PkmLangValue *a, PkmLangValue *b, GError **error)
{
  PkmLangType type = common_type (a, b);
  int order;
  gint64 m, n;

  if (strcmp (op, "=") == 0)
    return pkm_lang_bool_new (equal (a, b));
  if (strcmp (op, "!=") == 0)
    return pkm_lang_bool_new (!equal (a, b));
  if (type == PKM_LANG_STR)
    order = strcmp (pkm_lang_value_str (a), pkm_lang_value_str (b));
  else if (type == PKM_LANG_NUM || type == PKM_LANG_TIME || type == PKM_LANG_ID)
    {
      as_int (a, type, &m);
      as_int (b, type, &n);
      order = m < n ? -1 : m > n;
    }
  else
    return wrong_types (op, a, b, error);
  if (strcmp (op, "<") == 0)
    return pkm_lang_bool_new (order < 0);
  if (strcmp (op, ">") == 0)
    return pkm_lang_bool_new (order > 0);
  if (strcmp (op, "<=") == 0)
    return pkm_lang_bool_new (order <= 0);
  return pkm_lang_bool_new (order >= 0);
}

static PkmLangValue *
concatenate (PkmLangValue *a, PkmLangValue *b, GError **error)
{
  g_autofree char *x = pkm_lang_value_to_string (a);
  g_autofree char *y = pkm_lang_value_to_string (b);

  if (strlen (x) + strlen (y) > PKM_LANG_MAX_STRING)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, ".: a string longer than %d bytes",
                   PKM_LANG_MAX_STRING);
      return NULL;
    }
  return pkm_lang_str_take (g_strconcat (x, y, NULL));
}

static PkmLangValue *
overflow (const char *op, GError **error)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: the result is out of range", op);
  return NULL;
}

/* num with num, time plus or minus time, time times or by num, num times time. */
static PkmLangValue *
arithmetic (const char *op, PkmLangValue *a, PkmLangValue *b, GError **error)
{
  PkmLangType ta = pkm_lang_value_type (a), tb = pkm_lang_value_type (b);
  PkmLangType result;
  gint64 x = pkm_lang_value_int (a), y = pkm_lang_value_int (b), r = 0;
  gboolean ok = TRUE;

  if (ta == PKM_LANG_NUM && tb == PKM_LANG_NUM)
    result = PKM_LANG_NUM;
  else if (ta == PKM_LANG_TIME && tb == PKM_LANG_TIME && strchr ("+-", op[0]) != NULL)
    result = PKM_LANG_TIME;
  else if (ta == PKM_LANG_TIME && tb == PKM_LANG_NUM && strchr ("*/", op[0]) != NULL)
    result = PKM_LANG_TIME;
  else if (ta == PKM_LANG_NUM && tb == PKM_LANG_TIME && op[0] == '*')
    result = PKM_LANG_TIME;
  else
    return wrong_types (op, a, b, error);
  switch (op[0])
    {
    case '+': ok = !__builtin_add_overflow (x, y, &r); break;
    case '-': ok = !__builtin_sub_overflow (x, y, &r); break;
    case '*': ok = !__builtin_mul_overflow (x, y, &r); break;
    default:
      if (y == 0)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: division by zero", op);
          return NULL;
        }
      if (x == G_MININT64 && y == -1)
        return overflow (op, error);
      r = op[0] == '/' ? x / y : x % y;
    }
  if (!ok)
    return overflow (op, error);
  return result == PKM_LANG_NUM ? pkm_lang_num_new (r) : pkm_lang_time_new (r);
}

static PkmLangValue *
logic (const char *op, PkmLangValue *a, PkmLangValue *b, GError **error)
{
  if (pkm_lang_value_type (a) != PKM_LANG_BOOL || pkm_lang_value_type (b) != PKM_LANG_BOOL)
    return wrong_types (op, a, b, error);
  if (op[0] == '&')
    return pkm_lang_bool_new (pkm_lang_value_bool (a) && pkm_lang_value_bool (b));
  return pkm_lang_bool_new (pkm_lang_value_bool (a) || pkm_lang_value_bool (b));
}

PkmLangValue *
pkm_lang_binary (const char *op, PkmLangValue *a, PkmLangValue *b, GError **error)
{
  if (strcmp (op, ".") == 0)
    return concatenate (a, b, error);
  if (strchr ("+-*/%", op[0]) != NULL)
    return arithmetic (op, a, b, error);
  if (strcmp (op, "&&") == 0 || strcmp (op, "||") == 0)
    return logic (op, a, b, error);
  return compare (op, a, b, error);
}

PkmLangValue *
pkm_lang_unary (char op, PkmLangValue *a, GError **error)
{
  PkmLangType type = pkm_lang_value_type (a);

  if (op == '!' && type == PKM_LANG_BOOL)
    return pkm_lang_bool_new (!pkm_lang_value_bool (a));
  if (op == '-' && (type == PKM_LANG_NUM || type == PKM_LANG_TIME) && pkm_lang_value_int (a) != G_MININT64)
    return type == PKM_LANG_NUM ? pkm_lang_num_new (-pkm_lang_value_int (a)) : pkm_lang_time_new (-pkm_lang_value_int (a));
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%c: wrong type: %c%s", op, op, pkm_lang_type_name (type));
  return NULL;
}
