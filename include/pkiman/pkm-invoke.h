/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>
#include <pkiman/pkm-version.h>
#include <pkiman/pkm-menu.h>

PKM_BEGIN_DECLS

/* One invocation path for every front end: the shell, scripts, /import and
 * the REST API all give a command as data to pkm_invoke, and render what it
 * returns. Handlers never write text; they fill the result. Since: 2 */

typedef struct _PkmResult PkmResult;

/* A progress note for slow work, for the front end to show at once. */
typedef void (*PkmProgressFunc) (const char *message, gpointer user_data);

/* A command given as data. Members are appended only: set @struct_size
 * (PKM_INVOCATION_INIT does) and the core reads only what it covers. */
typedef struct {
  guint32 struct_size; /* sizeof (PkmInvocation) of the caller */
  const char *menu;    /* "/certificate", "/system plugin"; "" is the root */
  const char *command; /* "sign", "print" */
  /* (nullable) a{sv}: the arguments, read in order. A value of the type its
   * PkmParam reaches handlers with (pkm-menu.h) is taken as it is; a string
   * ("s") is text that the core types and checks as the shell would. An ITEM
   * takes the item's .id ("x"), or a name or an id ("*1A") as text; numbers
   * from a print are the front end's and are not understood here. print
   * takes "where" (s), the condition after `where`. A floating @args is
   * consumed; otherwise it stays the caller's. */
  GVariant *args;
  const char *actor;     /* "cli:root", "rest:admin": the audit log's who */
  const char *files_dir; /* (nullable) where file names are relative to: the current directory when NULL */
  PkmProgressFunc progress; /* (nullable) */
  gpointer progress_data;
  /* (nullable) NULL-terminated: the item properties the caller will read
   * (a front end printing a table: its columns and flags). print then builds
   * only these, ".id", "name" and what `where` reads, so a list of 10,000
   * reads a few fields of each record. NULL: every property. Since: 3 */
  const char *const *properties;
  /* TRUE: the caller shows no print numbers (the REST API). A print whose
   * condition names one item (`.id=*1A`, `name="x"`) then reads that item
   * alone from the menu's get (pkm-menu.h) instead of listing the menu, and
   * lists nothing (pkm_result_has_listing). Since: 5 */
  gboolean unnumbered;
} PkmInvocation;

#define PKM_INVOCATION_INIT { .struct_size = sizeof (PkmInvocation) }

/* Runs @invocation: finds the menu and command, types and checks every
 * argument, opens the command's transaction, resolves items, runs the
 * handler, writes its audit records and commits, or rolls everything back on
 * any failure. A command that lost a write conflict runs again (up to 32
 * times). An asynchronous command runs on a main context of its own until it
 * is done. (transfer full): NULL with @error when the command failed. */
PkmResult *pkm_invoke (PkmContext *ctx, const PkmInvocation *invocation, GError **error);

/* The same for a front end that runs a main loop (pkimand): the result
 * arrives on the caller's thread-default main context. A synchronous command
 * runs at once, inside this call; an asynchronous one (PkmCommand.run_async)
 * runs on that main context. Since: 2 */
void pkm_invoke_async (PkmContext *ctx, const PkmInvocation *invocation, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data);
/* (transfer full): NULL with @error when the command failed. Since: 2 */
PkmResult *pkm_invoke_finish (PkmContext *ctx, GAsyncResult *result, GError **error);

void pkm_result_free (PkmResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmResult, pkm_result_free)

/* (transfer none): the menu the command ran in; renderers read its flags,
 * columns and fields. */
const PkmMenu *pkm_result_get_menu (PkmResult *result);
/* (transfer none) (element-type GVariant): the items the command returned,
 * each an a{sv} as the menu's list gives it; empty for most commands. */
GPtrArray *pkm_result_get_items (PkmResult *result);
/* The position of item @index in the menu's whole list (what print numbers it). */
guint pkm_result_get_item_number (PkmResult *result, guint index);
/* (transfer none) (array length=n_ids): for print, the .id of every item the
 * menu listed, filtered or not, in list order: what a front end numbers. */
const gint64 *pkm_result_get_listed_ids (PkmResult *result, guint *n_ids);
/* Whether print listed the menu at all: a count answered by a flag's count
 * (PkmFlag) lists nothing, and a front end keeps the numbers it had. Since: 4 */
gboolean pkm_result_has_listing (PkmResult *result);
/* (transfer none): the named values (a{sv}, in the order set): new ids
 * (".id"), counts, "key: value" answers. */
GVariant *pkm_result_get_values (PkmResult *result);
/* (transfer none): the arguments the command ran with, typed (a{sv}); ITEMs as ids. */
GVariant *pkm_result_get_arguments (PkmResult *result);
/* (transfer none): the messages the command gave (notes, summaries), NULL-terminated. */
const char *const *pkm_result_get_messages (PkmResult *result);

/* A RouterOS time as text, in seconds: units ("3w", "1w2d3h4m5s", as print
 * shows durations), a clock ("00:10:00", hours up to 9999) or both
 * ("1d02:00:00"). A bare number is not a time. What `where` compares
 * durations with, DURATION parameters read (which also take bare seconds),
 * and scripts' time values. Since: 7 */
gboolean pkm_duration_parse (const char *text, gint64 *out_seconds);

/* -- For front ends: the tables they parse and complete against -- */
/* (transfer none) (nullable): @menu's command @name, print included for menus with items. */
const PkmCommand *pkm_menu_find_command (const PkmMenu *menu, const char *name);
/* (transfer container) (element-type PkmCommand): every command @menu
 * answers: its own, then those the core gives every menu with items (print,
 * find, get), every menu with a set command (unset, reset) and every menu (export). What help, completion and
 * abbreviations offer. Since: 7 */
GPtrArray *pkm_menu_get_commands (const PkmMenu *menu);
/* (transfer none) (nullable): @command's parameter @name. */
const PkmParam *pkm_command_find_param (const PkmCommand *command, const char *name);

/* Reads a RouterOS "..." string at *@p (just after its opening quote) into
 * @out, escapes decoded, and moves *@p past the closing quote; FALSE when
 * it is not closed. */
gboolean pkm_text_unquote (const char **p, GString *out);

/* (transfer full) (element-type GVariant): @menu's items, with the
 * properties its extensions add, that @where (print's condition, nullable
 * for all) matches, in print's order; inside @call's transaction. */
GPtrArray *pkm_menu_list (PkmCall *call, const PkmMenu *menu, const char *where, GError **error);
/* (transfer full): @item, built by @menu's own code outside its list (a
 * lookup of one item), with what every extension of @menu adds, as the
 * list would show it. Since: 3 */
GVariant *pkm_menu_decorate_item (PkmCall *call, const PkmMenu *menu, GVariant *item, GError **error);

/* -- For renderers: an item's properties as text -- */
/* (transfer full): @property of @item as print shows it, unescaped: strings
 * as they are, booleans yes/no ("b"), numbers, lists comma-joined;
 * "" when absent. */
char *pkm_item_get_text (GVariant *item, const char *property);
/* Whether @property of @item is TRUE (a "b"), for flags. */
gboolean pkm_item_get_flag (GVariant *item, const char *property);
/* The same for a value already looked up (@value nullable: absent), for a
 * front end that indexes each item once: a lookup in an a{sv} reads every
 * entry before it. Since: 3 */
char *pkm_value_to_text (GVariant *value);
gboolean pkm_value_is_set (GVariant *value);

PKM_END_DECLS
