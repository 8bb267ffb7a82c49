/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>
#include <pkiman/pkm-version.h>

PKM_BEGIN_DECLS

/* Menus are data: a path, a table of commands, each with a table of typed
 * parameters, and for menus that hold items, a list function plus the flags
 * and columns `print` shows. The shell validates every value against its
 * PkmParam before a handler runs, so handlers read typed values only. */

typedef struct _PkmContext PkmContext;
typedef struct _PkmCall PkmCall;

/* Values are append-only. How each type reaches the handler (GVariant type):
 * STRING "s" (when min or max is set, a non-empty value has min..max characters;
 * "" stays "none"), BOOL "b" (yes/no/true/false), UINT "t" (decimal, within min..max),
 * ENUM "s" (one of choices), ENUM_LIST "as" (comma list of choices),
 * STRING_LIST "as" (comma list), DURATION "x" seconds ("1d2h3m4s", "30m", "90"),
 * ITEM "x" (the item's .id; the value typed is a name or a number from print),
 * ITEM_LIST "ax" (the .ids of a comma list of such items; Since: 7). */
typedef enum {
  PKM_PARAM_STRING = 1,
  PKM_PARAM_BOOL = 2,
  PKM_PARAM_UINT = 3,
  PKM_PARAM_ENUM = 4,
  PKM_PARAM_ENUM_LIST = 5,
  PKM_PARAM_STRING_LIST = 6,
  PKM_PARAM_DURATION = 7,
  PKM_PARAM_ITEM = 8,
  PKM_PARAM_ITEM_LIST = 9, /* Since: 7 */
} PkmParamType;

typedef enum {
  PKM_PARAM_REQUIRED = 1 << 0,
  PKM_PARAM_SECRET = 1 << 1,     /* never echoed, logged or shown in errors */
  PKM_PARAM_POSITIONAL = 1 << 2, /* an unnamed value fills it (`sign local-ca`) */
  PKM_PARAM_WORD = 1 << 3,       /* BOOL set by its bare name (`print detail`) */
} PkmParamFlags;

/* A menu's flags, its extensions' included, number at most this. Since: 4 */
#define PKM_MENU_MAX_FLAGS 64

typedef struct {
  const char *name;
  PkmParamType type;
  guint flags;                 /* PkmParamFlags */
  const char *const *choices;  /* ENUM, ENUM_LIST: NULL-terminated */
  guint64 min, max;            /* UINT: inclusive range; both 0 = 0..G_MAXUINT64. STRING: length bounds */
  const char *item_menu;       /* ITEM: path of the menu whose items it names */
  const char *help;
  /* (nullable) The value the command takes when the parameter is not
   * given, as it is typed ("2048", "no"): help shows it, and export leaves
   * out a property that has it. Since: 7 */
  const char *default_value;
} PkmParam;

typedef gboolean (*PkmCommandFunc) (PkmCall *call, GError **error);

typedef enum {
  PKM_COMMAND_WRITE = 1 << 0, /* runs inside one write transaction: all or nothing */
  PKM_COMMAND_READ = 1 << 1,  /* runs inside one read transaction */
} PkmCommandFlags;

/* An asynchronous command, for network work (ACME, SCEP as a client): it
 * starts on the caller's thread-default main context and calls @callback
 * there when done. No transaction is open around it: what it reads or
 * writes in the store it does through pkm_context_transact, in short steps,
 * so that no lock is held while it waits on the network. Blocking crypto or
 * token calls go to a worker thread (g_task_run_in_thread). Since: 2 */
typedef void (*PkmCommandAsyncFunc) (PkmCall *call, GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
typedef gboolean (*PkmCommandFinishFunc) (PkmCall *call, GAsyncResult *result, GError **error);

typedef struct {
  const char *name;
  PkmCommandFunc run;     /* NULL for an asynchronous command */
  const PkmParam *params; /* terminated by an entry whose name is NULL; may be NULL */
  guint flags;            /* PkmCommandFlags; an asynchronous command takes neither */
  const char *help;
  PkmCommandAsyncFunc run_async;   /* Since: 2 */
  PkmCommandFinishFunc run_finish; /* Since: 2 */
} PkmCommand;

/* One print flag: shown as @letter when the item's @property is TRUE ("b"). */
typedef struct {
  char letter;
  const char *property;
  const char *legend; /* e.g. "PRIVATE-KEY" */
  /* (nullable) How many of the menu's items have the flag, answered from an
   * index without listing them: `print count-only where <property>` asks
   * this instead of building every item. It must count exactly what the
   * list and the condition would. Since: 4 */
  gboolean (*count) (PkmCall *call, guint64 *out_count, GError **error);
} PkmFlag;

/* Every menu table starts with the sizes of the structs it was built with:
 * the core reads a plugin's menu, commands, parameters and flags at the
 * plugin's sizes, and members past them take their defaults (0 and NULL;
 * a NULL help reads as ""). So members can be appended to PkmCommand,
 * PkmParam and PkmFlag without breaking a plugin built before. Since: 2 */
#define PKM_MENU_SIZES                                                                                      \
  .struct_size = sizeof (PkmMenu), .command_size = sizeof (PkmCommand), .param_size = sizeof (PkmParam), \
  .flag_size = sizeof (PkmFlag)

typedef struct {
  /* PKM_MENU_SIZES: a menu without them is refused. Since: 2 */
  guint32 struct_size, command_size, param_size, flag_size;
  const char *path;           /* "/certificate", "/system plugin": words as typed, space-separated */
  const char *help;
  const PkmCommand *commands; /* terminated by an entry whose name is NULL */
  /* Items (NULL for menus without any). (element-type GVariant): each an a{sv}
   * with ".id" (x) and, for named items, "name" (s); values are "s", "b", "t",
   * "x" or "as". The order is stable: an item's number in print is its index. */
  GPtrArray *(*list) (PkmCall *call, GError **error);
  /* Optional fast path: the .id of the item called @name, 0 if none, -1 on error. */
  gint64 (*lookup) (PkmCall *call, const char *name, GError **error);
  const PkmFlag *flags;       /* terminated by letter 0; may be NULL; at most PKM_MENU_MAX_FLAGS */
  const char *const *columns; /* print columns (property names) */
  const char *const *fields;  /* print detail order: every property `where` accepts */
  /* Optional fast path: the item @id as the list gives it (before what
   * extensions add), or NULL and PKM_ERROR_NOT_FOUND when there is none.
   * A print for a caller that shows no numbers (the REST API), whose
   * condition names one item (`.id=*1A`, `name="x"`: the name found with
   * lookup), reads that item alone with it. Since: 5 */
  GVariant *(*get) (PkmCall *call, gint64 id, GError **error);
  /* (nullable) Which items export writes as the menu's add commands, as a
   * print condition ("template", "dynamic=no"); NULL: every item. A menu
   * whose items cannot be made again by add (signed certificates) names
   * only those that can. Since: 7 */
  const char *export_where;
} PkmMenu;

/* What a plugin adds to another's menu (the CRL plugin adds flag L and the
 * crl property to /certificate, SCEP adds add-scep). Since: 2 */
#define PKM_MENU_EXTENSION_SIZES                                                                                 \
  .struct_size = sizeof (PkmMenuExtension), .command_size = sizeof (PkmCommand), .param_size = sizeof (PkmParam), \
  .flag_size = sizeof (PkmFlag)

typedef struct {
  guint32 struct_size, command_size, param_size, flag_size; /* PKM_MENU_EXTENSION_SIZES */
  const PkmCommand *commands; /* (nullable) new commands, name-terminated */
  const char *const *columns; /* (nullable) appended to print's columns */
  const char *const *fields;  /* (nullable) the properties decorate adds: in detail, where and JSON */
  const PkmFlag *flags;       /* (nullable) appended flags, letter-terminated */
  /* (nullable) Adds the extension's properties of @item (an a{sv} of the
   * menu's list, with its .id) to @properties. Runs for every listed item,
   * inside the listing's transaction. */
  gboolean (*decorate) (PkmCall *call, GVariant *item, GVariantDict *properties, GError **error);
} PkmMenuExtension;

/* -- For handlers: reading the call -- */
PkmContext *pkm_call_get_context (PkmCall *call);
const PkmMenu *pkm_call_get_menu (PkmCall *call);
gboolean pkm_call_has (PkmCall *call, const char *name);
/* (transfer none) (nullable): NULL when the parameter was not given. */
const char *pkm_call_get_string (PkmCall *call, const char *name);
gboolean pkm_call_get_bool (PkmCall *call, const char *name, gboolean fallback);
guint64 pkm_call_get_uint (PkmCall *call, const char *name, guint64 fallback);
gint64 pkm_call_get_duration (PkmCall *call, const char *name, gint64 fallback);
/* (transfer none) (nullable): ENUM_LIST and STRING_LIST values. */
const char *const *pkm_call_get_list (PkmCall *call, const char *name);
/* The .id an ITEM parameter resolved to, or 0 when it was not given. */
gint64 pkm_call_get_item (PkmCall *call, const char *name);
/* (transfer none) (nullable): the .ids an ITEM_LIST parameter resolved to,
 * in the order given, *@out_n of them; NULL when it was not given. Since: 7 */
const gint64 *pkm_call_get_items (PkmCall *call, const char *name, gsize *out_n);
/* The directory that file names are relative to (the CLI's current directory). */
const char *pkm_call_get_files_dir (PkmCall *call);
/* Who runs the command, for the audit log: "cli:root", "script:root", "rest:admin". */
const char *pkm_call_get_actor (PkmCall *call);
/* Data kept for the life of the call, across re-runs of the command after a
 * write conflict: a handler keeps its slow results here (a generated key, a
 * parsed file) so that a re-run reuses them. @destroy (nullable) frees @data
 * when the call ends or @key is set again; NULL @data removes @key. Since: 1 */
void pkm_call_set_data (PkmCall *call, const char *key, gpointer data, GDestroyNotify destroy);
/* (transfer none) (nullable): what pkm_call_set_data kept under @key. Since: 1 */
gpointer pkm_call_get_data (PkmCall *call, const char *key);
/* Whether the caller will read @property of the items a menu's list returns
 * (PkmInvocation.properties, and what print's `where` reads): a list may
 * leave out what is not wanted, and skip the work of deriving it. TRUE for
 * every property when the caller named none. Since: 3 */
gboolean pkm_call_wants_property (PkmCall *call, const char *property);

/* -- For handlers: answering. Handlers never write text themselves: they
 * fill the command's result (pkm-invoke.h), and the front end renders it. -- */
/* A message of the result (a note, a summary line): the shell prints it as a
 * line, JSON front ends put it in "messages". */
void pkm_call_print (PkmCall *call, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* A progress note for slow work, shown at once by front ends that asked for
 * progress (the shell: stderr); never part of the result. */
void pkm_call_progress (PkmCall *call, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* Named result values (a{sv}), printed as "key: value" lines or as a JSON object.
 * (transfer floating/full): the call takes @result. Repeated calls merge. */
void pkm_call_set_result (PkmCall *call, GVariant *result);
/* An item of the result (an a{sv} shaped as the menu's items), for commands
 * that answer with items as print does. (transfer floating/full) Since: 2 */
void pkm_call_add_item (PkmCall *call, GVariant *item);
/* A record for the audit log (/log), written with the call's actor in the
 * command's own transaction just before it commits (write commands only: a
 * read command has nothing to record); never a secret. Since: 2 */
void pkm_call_audit (PkmCall *call, const char *topics, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* -- Item ids: the store's id of an item, written *1A as RouterOS does. Since: 1 -- */
/* (transfer full): "*" and @id in uppercase hex. */
char *pkm_item_id_format (gint64 id);
/* TRUE and *@out_id when @text is an id ("*1A"); FALSE for anything else. */
gboolean pkm_item_id_parse (const char *text, gint64 *out_id);
/* TRUE when @text names an item by number (12) or id (*1A) rather than by
 * name: a name must never be one of those. */
gboolean pkm_item_ref_is_number (const char *text);

PKM_END_DECLS
