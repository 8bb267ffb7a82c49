/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>

PKM_BEGIN_DECLS

/* A store keeps typed collections of records. A record is a GVariant of type
 * a{sv}; an optional name is unique within its collection and indexed. Ids are
 * positive, assigned by the store, never reused within a collection, and
 * iteration is in id order. Every change happens inside a transaction. */
typedef struct _PkmStore PkmStore; /* defined by each store plugin */

/* Return FALSE to stop the iteration. @record is (transfer none). */
typedef gboolean (*PkmStoreForeachFunc) (gint64 id, const char *name, GVariant *record, gpointer user_data);

#define PKM_STORE_VTABLE_VERSION 1

typedef struct {
  guint32 version;     /* PKM_STORE_VTABLE_VERSION the plugin was built for */
  guint32 struct_size; /* sizeof (PkmStoreVTable) the plugin was built for */

  /* Opens (creating on first use, files mode 0600) the store under @state_dir.
   * @config is the [store] group's keys (nullable). */
  PkmStore *(*open) (const char *state_dir, GKeyFile *config, GError **error);
  void (*close) (PkmStore *store);

  /* @write: the command will write. A store may take the write lock at the
   * first write rather than here, so that slow work before it holds no lock;
   * a write that finds the data changed since the transaction began fails
   * with PKM_ERROR_CONFLICT, and the command is run again. */
  gboolean (*begin) (PkmStore *store, gboolean write, GError **error);
  gboolean (*commit) (PkmStore *store, GError **error);
  void (*rollback) (PkmStore *store);

  /* Returns the new id, or 0 and an error (PKM_ERROR_EXISTS for a taken name). */
  gint64 (*insert) (PkmStore *store, const char *collection, const char *name, GVariant *record, GError **error);
  /* Replaces the name and record of @id; PKM_ERROR_NOT_FOUND, PKM_ERROR_EXISTS. */
  gboolean (*update) (PkmStore *store, const char *collection, gint64 id, const char *name, GVariant *record,
                      GError **error);
  gboolean (*remove) (PkmStore *store, const char *collection, gint64 id, GError **error);
  /* (transfer full): the record, or NULL with PKM_ERROR_NOT_FOUND. @out_name: (nullable) (transfer full). */
  GVariant *(*get) (PkmStore *store, const char *collection, gint64 id, char **out_name, GError **error);
  /* The id of the record named @name, or 0 (no error) when there is none; -1 on error. */
  gint64 (*find) (PkmStore *store, const char *collection, const char *name, GError **error);
  gboolean (*foreach) (PkmStore *store, const char *collection, PkmStoreForeachFunc func, gpointer user_data,
                       GError **error);
  /* (transfer full): the names of the collections that hold records, sorted. */
  char **(*list_collections) (PkmStore *store, GError **error);
} PkmStoreVTable;

PKM_END_DECLS
