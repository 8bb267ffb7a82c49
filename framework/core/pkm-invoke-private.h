/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The insides of pkm_invoke: calls, results, typing values, where, print. */

#include "core/pkm-context.h"

G_BEGIN_DECLS

struct _PkmResult {
  const PkmMenu *menu;
  GPtrArray *items;      /* (element-type GVariant) */
  GArray *numbers;       /* guint per item: its place in the whole list */
  GArray *listed_ids;    /* gint64: print's whole list, in order */
  gboolean listed;       /* print listed the menu (listed_ids holds it) */
  GVariantDict *values;
  GPtrArray *value_keys; /* the order the values were set */
  GVariant *values_done; /* built on first get */
  GPtrArray *messages;   /* NULL-terminated */
  GVariant *arguments;   /* the call's typed arguments, set by pkm_invoke */
};

PkmResult *pkm_result_new (const PkmMenu *menu);

/* -- pkm-call.c -- */
struct _PkmCall {
  PkmContext *ctx;
  const PkmMenu *menu;
  const PkmCommand *command;
  char *actor;
  char *files_dir;
  PkmProgressFunc progress;
  gpointer progress_data;
  GVariantDict *args;
  GHashTable *lists;  /* name -> GStrv, for pkm_call_get_list */
  PkmResult *result;
  GHashTable *data;   /* pkm_call_set_data: key -> PkmCallData, kept across re-runs */
  GPtrArray *audit;   /* (element-type PkmLogRecord) written by pkm_invoke before the commit */
  char *label;        /* "/certificate sign", for messages */
  GHashTable *properties; /* (nullable) the properties the caller reads (PkmInvocation.properties) */
  gboolean unnumbered;    /* PkmInvocation.unnumbered */
};

/* @invocation (nullable) gives the actor, files directory and progress. */
PkmCall *pkm_call_new (PkmContext *ctx, const PkmMenu *menu, const PkmCommand *command,
                       const PkmInvocation *invocation);
void pkm_call_free (PkmCall *call);
/* Forgets what a run said (its result) before the command runs again. */
void pkm_call_reset (PkmCall *call);
/* (transfer full): the result, leaving the call an empty one. */
PkmResult *pkm_call_steal_result (PkmCall *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmCall, pkm_call_free)
/* An item of print's result, with its place in the menu's whole list. */
void pkm_call_add_numbered_item (PkmCall *call, GVariant *item, guint number);
/* Adds @property to what the caller reads (where's properties), if it named any. */
void pkm_call_want_property (PkmCall *call, const char *property);
/* Writes what the handler asked pkm_call_audit to record, inside the transaction. */
gboolean pkm_call_write_audit (PkmCall *call, GError **error);

/* -- pkm-values.c -- */
/* Types and checks @raw for @param (ITEM values are resolved later). */
gboolean pkm_value_parse (const PkmParam *param, const char *raw, GVariant **out, GError **error);
/* Resolves an ITEM value (a name or an id "*1A") to an id, inside the transaction. */
gboolean pkm_value_resolve_item (PkmCall *call, const PkmParam *param, const char *raw, gint64 *out_id,
                                 GError **error);

/* -- pkm-regex.c: bounded regular expressions for where's ~ -- */
typedef struct _PkmRegex PkmRegex;
PkmRegex *pkm_regex_new (const char *pattern, GError **error);
/* FALSE with @error when the match needs more steps than its bound. */
gboolean pkm_regex_match (PkmRegex *regex, const char *text, GError **error);
void pkm_regex_free (PkmRegex *regex);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmRegex, pkm_regex_free)

/* -- pkm-where.c -- */
typedef struct _PkmWhere PkmWhere;
PkmWhere *pkm_where_parse (const char *text, const PkmMenu *menu, GError **error);
/* FALSE with @error when matching failed (a ~ pattern past its step limit). */
gboolean pkm_where_match (PkmWhere *where, const PkmVardictView *item, GError **error);
/* (nullable): the property, when the whole condition is that one property is set. */
const char *pkm_where_sole_flag (PkmWhere *where);
/* TRUE when the whole condition names one item: `.id=N` (@out_value the
 * number, in decimal) or `name=X`; @out_property is ".id" or "name". */
gboolean pkm_where_names_one (PkmWhere *where, const char **out_property, const char **out_value);
void pkm_where_free (PkmWhere *where);
/* Whether @property is one of @menu's: name, .id, a field, a column or a flag. */
gboolean pkm_menu_has_property (const PkmMenu *menu, const char *property);
/* Calls @func for each property @where reads. */
void pkm_where_foreach_property (PkmWhere *where, void (*func) (const char *property, gpointer data), gpointer data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmWhere, pkm_where_free)

/* -- pkm-menu-registry.c -- */
/* (transfer full): @menu's items (@menu as the registry gives it), with the
 * properties its extensions add. */
GPtrArray *pkm_menu_list_items (PkmCall *call, const PkmMenu *menu, GError **error);

/* -- pkm-print-command.c: print, the command every menu with items has -- */
extern const PkmCommand pkm_print_command;
/* -- pkm-export-command.c: export, the command every menu has -- */
extern const PkmCommand pkm_export_command;
/* -- pkm-unset-command.c: unset and reset, which every menu with a set command has -- */
extern const PkmCommand pkm_unset_command;
extern const PkmCommand pkm_unset_setting_command;
extern const PkmCommand pkm_reset_command;
extern const PkmCommand pkm_reset_setting_command;
/* -- pkm-find-command.c: find and get, which every menu with items has too -- */
extern const PkmCommand pkm_find_command;
extern const PkmCommand pkm_get_command;
/* -- pkm-invoke.c -- */
/* (nullable): print, find or get, the commands of every menu with items. */
const PkmCommand *pkm_item_command_find (const char *name);

G_END_DECLS
