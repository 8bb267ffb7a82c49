/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>

PKM_BEGIN_DECLS

/* A store keeps typed collections of records. docs/PLUGINS.md, "The store
 * contract", is the long form of what follows; pkiman-conformance-store
 * checks every rule of it against a store module.
 *
 * - A record is a GVariant of type a{sv}. An optional name is unique within
 *   its collection. Ids are positive, assigned by the store, increasing and
 *   never reused within a collection: an id once committed is never given
 *   again, not after the record is removed, not after a reopen or a crash.
 *   (The ids a rolled-back transaction took were never seen by anyone and
 *   may be given again.) Every listing is in id order.
 * - Every record has a revision: 1 when inserted, one more at each update.
 *   An update or removal that names the revision it read fails with
 *   PKM_ERROR_CONFLICT when the record has moved on (another writer got
 *   there first); the core then runs the whole command again.
 * - Every call but open/close/begin runs inside a transaction. A read
 *   transaction sees one consistent snapshot from its first read to its end.
 *   Writers are serialized: a store may take the write lock at the first
 *   write rather than at begin, and a write that finds the data changed
 *   since the transaction's snapshot fails with PKM_ERROR_CONFLICT.
 *   Nothing of a rolled-back transaction is kept. A transaction handle is
 *   the store's until commit or rollback returns: after that the caller
 *   never uses it again.
 * - Errors: a call that fails returns its failure value (FALSE, 0, -1 or
 *   NULL, as each member says) and sets @error; a call that succeeds leaves
 *   @error untouched. PKM_ERROR_NOT_FOUND, PKM_ERROR_EXISTS and
 *   PKM_ERROR_CONFLICT mean what each member says; anything else is
 *   PKM_ERROR_STORE_FAILED (or PKM_ERROR_IO) with a one-line message.
 * - Indexes: the core (or a plugin) declares which fields of a collection's
 *   records are indexed (declare_index); the store keeps, for every record
 *   that holds the field with the declared type, the pair (value, id), and
 *   query reads ranges of it. Values order as integers for the integer types
 *   and "b", as bytes (memcmp, then length) for "s" and "ay". A compound key
 *   (issuer + serial) is one field the writer composes.
 * - Sequences: next_sequence gives 1, 2, 3... per name, inside the write
 *   transaction: a rolled-back transaction gives its number back, so the
 *   numbers that commit have no gaps (CRL numbers, request numbers).
 * - The change feed: every committed insert, update and removal moves the
 *   store's cursor on; changes_since lists, in cursor order, each record that
 *   changed after a cursor with its latest change, so a process that saw
 *   cursor C learns everything another process (or node) committed since. */
typedef struct _PkmStore PkmStore;       /* defined by each store plugin */
typedef struct _PkmStoreTxn PkmStoreTxn; /* defined by each store plugin */

/* Since: 3 */
typedef enum {
  PKM_STORE_TXN_READ = 0,
  /* The transaction may write. */
  PKM_STORE_TXN_WRITE = 1 << 0,
  /* Take the write lock at begin, not at the first write: the core asks for
   * it when it runs a command again after a conflict, so the second run
   * cannot lose the same race. */
  PKM_STORE_TXN_LOCK_NOW = 1 << 1,
} PkmStoreTxnFlags;

/* Since: 3 */
typedef enum {
  PKM_STORE_CHANGE_INSERTED = 1,
  PKM_STORE_CHANGE_UPDATED = 2,
  PKM_STORE_CHANGE_REMOVED = 3,
} PkmStoreChange;

/* Return FALSE to stop the iteration. @record is (transfer none). The
 * callback of pkm_store_foreach (pkm-services.h). */
typedef gboolean (*PkmStoreForeachFunc) (gint64 id, const char *name, GVariant *record, gpointer user_data);

/* One record of a listing. @name is nullable; @record is (transfer none) and
 * holds only the projected fields when the query asked for a projection.
 * Return FALSE to stop. Since: 3 */
typedef gboolean (*PkmStoreRowFunc) (gint64 id, const char *name, gint64 revision, GVariant *record,
                                     gpointer user_data);

/* One entry of the change feed: the record @id of @collection changed
 * (@change is its latest change) at @cursor. Return FALSE to stop. Since: 3 */
typedef gboolean (*PkmStoreChangeFunc) (gint64 cursor, const char *collection, gint64 id, PkmStoreChange change,
                                        gpointer user_data);

/* What a query reads. The caller fills it (with struct_size) and keeps it
 * for the call; a store reads no member past struct_size. Since: 3 */
typedef struct {
  guint32 struct_size; /* sizeof (PkmStoreQuery) the caller was built with */
  guint32 reserved;
  /* An indexed field, or NULL for every record of the collection. */
  const char *field;
  /* With @field: the records whose value is >= @lower and <= @upper (either
   * NULL: unbounded on that side; both the same: one value). Values of the
   * field's declared type. */
  GVariant *lower;
  GVariant *upper;
  /* NULL-terminated record keys to return, or NULL for whole records. A
   * key a record lacks is left out of its projection. */
  const char *const *projection;
  /* Only records with an id greater than this (paging); 0 for all. */
  gint64 after_id;
  /* At most this many records; 0 for no limit. */
  guint64 limit;
} PkmStoreQuery;

/* Helpers for store plugins, so that every store answers alike. */

/* (transfer full): an a{sv} holding only the entries of @record (an a{sv})
 * whose keys are in @keys, in @record's order. Since: 3 */
GVariant *pkm_store_record_project (GVariant *record, const char *const *keys);
/* The same over a record's serialized bytes as the store holds them (no
 * alignment needed, nothing kept): no GVariant is made for the whole
 * record. Since: 4 */
GVariant *pkm_store_record_project_data (gconstpointer data, gsize size, const char *const *keys);
/* The order of index values of one type (see above): <0, 0 or >0. Since: 3 */
int pkm_store_value_compare (GVariant *a, GVariant *b);
/* Whether @type_string is a type an index may declare. Since: 3 */
gboolean pkm_store_index_type_valid (const char *type_string);

#define PKM_STORE_VTABLE_VERSION 2

typedef struct {
  guint32 version;     /* PKM_STORE_VTABLE_VERSION the plugin was built for */
  guint32 struct_size; /* sizeof (PkmStoreVTable) the plugin was built for */

  /* Opens (creating on first use, files mode 0600) the store under @state_dir.
   * @config is the [store] group's keys (nullable). */
  PkmStore *(*open) (const char *state_dir, GKeyFile *config, GError **error);
  void (*close) (PkmStore *store);

  /* A store has at most one open transaction at a time (a process that wants
   * two opens the store twice). */
  PkmStoreTxn *(*begin) (PkmStore *store, PkmStoreTxnFlags flags, GError **error);
  /* Both end @txn, whatever the outcome: a failed commit has rolled back. */
  gboolean (*commit) (PkmStoreTxn *txn, GError **error);
  void (*rollback) (PkmStoreTxn *txn);

  /* Returns the new id, or 0 and an error (PKM_ERROR_EXISTS for a taken name). */
  gint64 (*insert) (PkmStoreTxn *txn, const char *collection, const char *name, GVariant *record, GError **error);
  /* Replaces the name and record of @id and returns its new revision, or 0
   * and PKM_ERROR_NOT_FOUND, PKM_ERROR_EXISTS (name), PKM_ERROR_CONFLICT
   * (@expected_revision is not 0 and not the record's revision). */
  gint64 (*update) (PkmStoreTxn *txn, const char *collection, gint64 id, const char *name, GVariant *record,
                    gint64 expected_revision, GError **error);
  /* PKM_ERROR_NOT_FOUND, PKM_ERROR_CONFLICT as for update. */
  gboolean (*remove) (PkmStoreTxn *txn, const char *collection, gint64 id, gint64 expected_revision, GError **error);
  /* (transfer full): the record, or NULL with PKM_ERROR_NOT_FOUND.
   * @out_name: (nullable) (transfer full); @out_revision: (nullable). */
  GVariant *(*get) (PkmStoreTxn *txn, const char *collection, gint64 id, char **out_name, gint64 *out_revision,
                    GError **error);
  /* The id of the record named @name, or 0 (no error) when there is none; -1 on error. */
  gint64 (*find) (PkmStoreTxn *txn, const char *collection, const char *name, GError **error);
  /* Calls @func for each record @query selects, in id order. A callback may
   * call get and find on the same transaction, and nothing else. A field
   * that is not indexed, or bounds of another type than the index's, is
   * PKM_ERROR_INVALID_ARGUMENT. */
  gboolean (*query) (PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query, PkmStoreRowFunc func,
                     gpointer user_data, GError **error);
  /* How many records @query selects (its projection is ignored). */
  gboolean (*count) (PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query, guint64 *out_count,
                     GError **error);
  /* (transfer full): the names of the collections that hold records, sorted. */
  char **(*list_collections) (PkmStoreTxn *txn, GError **error);

  /* Declares that @field of @collection's records, of GVariant type
   * @type_string ("s", "ay", "b", "i", "u" or "x"), is indexed, indexing
   * the records already stored. Declaring the same index again is a no-op;
   * the same field with another type is PKM_ERROR_EXISTS. Runs in a write
   * transaction. */
  gboolean (*declare_index) (PkmStoreTxn *txn, const char *collection, const char *field, const char *type_string,
                             GError **error);
  /* The next number of the sequence @name (1 first), or 0 and an error.
   * Write transactions only. */
  gint64 (*next_sequence) (PkmStoreTxn *txn, const char *name, GError **error);
  /* The cursor after every change this transaction can see (0 for a new
   * store), or -1 and an error. */
  gint64 (*current_cursor) (PkmStoreTxn *txn, GError **error);
  /* Calls @func for each record changed after @cursor, in cursor order. */
  gboolean (*changes_since) (PkmStoreTxn *txn, gint64 cursor, PkmStoreChangeFunc func, gpointer user_data,
                             GError **error);
} PkmStoreVTable;

PKM_END_DECLS
