/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <pkiman/pkiman.h>

G_BEGIN_DECLS

/* pkm-rest-json.c: what the REST API reads from a client and writes back,
 * apart from HTTP, so that a fuzz target reaches every line of it. */

/* JSON nested deeper than this is refused before json-glib sees it: the
 * API's bodies are an object of strings and lists (depth 2). */
#define PKM_REST_MAX_DEPTH 8
/* Members of a body, words of a .query. */
#define PKM_REST_MAX_MEMBERS 256

/* A request body (RouterOS's: one object, every value a string). */
typedef struct {
  GVariant *args;   /* a{sv}: every member but the dotted ones, each as text ("s"), in body order */
  char *id;         /* (nullable) ".id" or "numbers": the item a command is for */
  char **proplist;  /* (nullable) ".proplist": the properties wanted */
  char **query;     /* (nullable) ".query": RouterOS API query words */
} PkmRestBody;

/* Reads @size bytes at @data (not NUL-terminated; empty: an empty object)
 * into @body. FALSE with a one-line @error naming the member and the reason. */
gboolean pkm_rest_body_parse (const char *data, gsize size, PkmRestBody *body, GError **error);
void pkm_rest_body_clear (PkmRestBody *body);

/* (transfer full): the `where` text of RouterOS API query words: "name=x",
 * "name<x", "name>x", "name" (has a value), "-name" (has none), and the
 * stack operations "#|", "#&", "#!" over the words before them; what is
 * left on the stack is and-ed. NULL with @error for a word it cannot read. */
char *pkm_rest_where_from_query (const char *const *words, GError **error);
/* Appends `and name="value"` (quoted so no value is read as syntax) to @where. */
void pkm_rest_where_add_equal (GString *where, const char *name, const char *value);
/* Whether @name could be a property ("common-name", ".id"). */
gboolean pkm_rest_is_property_name (const char *name);

/* Appends @item (an a{sv} of a menu's list) as RouterOS's REST gives it:
 * an object whose every value is a string: .id as *HEX, booleans
 * "true"/"false", lists comma-joined. Only @proplist's properties when it
 * is not NULL. */
void pkm_rest_append_item (GString *out, GVariant *item, const char *const *proplist);
/* Appends @text as a JSON string, escaped; bytes that are not UTF-8 become U+FFFD. */
void pkm_rest_append_string (GString *out, const char *text);
/* (transfer full): {"error":STATUS,"message":"Reason","detail":"..."} (detail when not NULL). */
GBytes *pkm_rest_error_body (guint status, const char *detail);

G_END_DECLS
