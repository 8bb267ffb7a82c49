/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pkiman-conformance-store: what the checks, the calls that check the error
 * contract on the way, and the runner share. A check sees a store only
 * through the vtable of the module's descriptor. */
#pragma once

#include <pkiman/pkiman.h>

G_BEGIN_DECLS

/* What one check works with. Each check runs in a child process of its own,
 * so nothing here outlives it. */
typedef struct {
  const PkmStoreVTable *vt;
  const char *dir;  /* this check's state directory: empty at its start */
  const char *rule; /* the rule the check checks, in words */
  GString *broken;  /* "rule: what was seen" for the first rule seen broken; NULL while all held */
  GRand *rand;
  int report_fd;    /* where the first breakage goes as soon as it is seen (-1: nowhere) */
} Cf;

/* The longest message a check sends its runner: one TAP line, well within a
 * pipe's buffer, so the check never blocks writing it. */
#define CF_MESSAGE_MAX 2048

typedef gboolean (*CfCheckFunc) (Cf *cf);

typedef struct {
  const char *name; /* the name in the TAP line and for --only */
  const char *rule; /* the rule, in words, for the not ok line */
  CfCheckFunc func;
} CfCheck;

/* conformance-checks.c: every check, in the order they run. */
extern const CfCheck cf_checks[];
extern const guint cf_n_checks;

/* conformance-run.c: runs each selected check in a forked child and prints
 * TAP; the number that failed. */
guint cf_run (const PkmStoreVTable *vt, const char *scratch, const CfCheck *const *selected, guint n_selected,
              guint32 seed, const char *const *expect_fail);

/* -- conformance-calls.c -- */

/* Records that @rule is broken (only the first breakage is kept) and
 * returns FALSE, so a check can `return cf_broken (...)`. */
gboolean cf_broken (Cf *cf, const char *rule, const char *format, ...) G_GNUC_PRINTF (3, 4);
/* cf_broken with the running check's own rule. */
gboolean cf_fail (Cf *cf, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* TRUE, clearing *error, when *error is PKM_ERROR @code; else records what
 * @call did instead. */
gboolean cf_expect_error (Cf *cf, GError **error, int code, const char *call);
/* TRUE, clearing *error, when @call failed with any error. */
gboolean cf_expect_failure (Cf *cf, GError **error, const char *call);
const char *cf_error_code_name (int code);
/* A short text of @value for messages (at most about 60 characters). */
char *cf_describe (GVariant *value);

/* The vtable's members, each checking the error contract on the way back:
 * a failing call returns its failure value and sets its error, a succeeding
 * call leaves it untouched, and an error is one line in PKM_ERROR. With
 * @error NULL the caller needs the call to succeed and a failure is recorded;
 * otherwise the error goes to the caller. Records are sunk by the call. */
PkmStore *cf_open (Cf *cf, const char *dir, GError **error);
void cf_close (Cf *cf, PkmStore *store);
PkmStoreTxn *cf_begin (Cf *cf, PkmStore *store, PkmStoreTxnFlags flags, GError **error);
gboolean cf_commit (Cf *cf, PkmStoreTxn *txn, GError **error);
void cf_rollback (Cf *cf, PkmStoreTxn *txn);
gint64 cf_insert (Cf *cf, PkmStoreTxn *txn, const char *collection, const char *name, GVariant *record,
                  GError **error);
gint64 cf_update (Cf *cf, PkmStoreTxn *txn, const char *collection, gint64 id, const char *name,
                  GVariant *record, gint64 expected_revision, GError **error);
gboolean cf_remove (Cf *cf, PkmStoreTxn *txn, const char *collection, gint64 id, gint64 expected_revision,
                    GError **error);
GVariant *cf_get (Cf *cf, PkmStoreTxn *txn, const char *collection, gint64 id, char **out_name,
                  gint64 *out_revision, GError **error);
gint64 cf_find (Cf *cf, PkmStoreTxn *txn, const char *collection, const char *name, GError **error);
gboolean cf_query (Cf *cf, PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query,
                   PkmStoreRowFunc func, gpointer user_data, GError **error);
gboolean cf_count (Cf *cf, PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query,
                   guint64 *out_count, GError **error);
char **cf_list_collections (Cf *cf, PkmStoreTxn *txn, GError **error);
gboolean cf_declare_index (Cf *cf, PkmStoreTxn *txn, const char *collection, const char *field,
                           const char *type_string, GError **error);
gint64 cf_next_sequence (Cf *cf, PkmStoreTxn *txn, const char *name, GError **error);
gint64 cf_current_cursor (Cf *cf, PkmStoreTxn *txn, GError **error);
gboolean cf_changes_since (Cf *cf, PkmStoreTxn *txn, gint64 cursor, PkmStoreChangeFunc func,
                           gpointer user_data, GError **error);

/* -- conformance-rows.c: listings and records as values to compare -- */

typedef struct {
  gint64 id;
  char *name;
  gint64 revision;
  GVariant *record;
} CfRow;

/* (transfer full): the rows @query (NULL: every record) selects, in the
 * order the store gave them; NULL (recorded, or in @error) on failure. */
GPtrArray *cf_rows (Cf *cf, PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query,
                    GError **error);
/* The row of @id in @rows, or NULL. */
const CfRow *cf_rows_find (GPtrArray *rows, gint64 id);
/* TRUE when @rows is in strictly increasing id order; else records it. */
gboolean cf_rows_in_id_order (Cf *cf, GPtrArray *rows, const char *what);
/* TRUE when both listings hold the same rows (id, name, revision, record);
 * else records the first difference, naming @what. */
gboolean cf_rows_equal (Cf *cf, GPtrArray *expected, GPtrArray *got, const char *what);
/* Whether two records are equal in their normal forms. */
gboolean cf_records_equal (GVariant *a, GVariant *b);
/* A floating a{sv} of key/value pairs: cf_record ("n", g_variant_new_int64 (1), NULL). */
GVariant *cf_record (const char *key, ...) G_GNUC_NULL_TERMINATED;

/* One entry of the change feed. */
typedef struct {
  gint64 cursor;
  char *collection;
  gint64 id;
  PkmStoreChange change;
} CfChange;

/* (transfer full): the entries of changes_since (@cursor) as the store gave
 * them; NULL (recorded, or in @error) on failure. */
GPtrArray *cf_changes (Cf *cf, PkmStoreTxn *txn, gint64 cursor, GError **error);
const char *cf_change_name (PkmStoreChange change);

/* A query of @field from @lower to @upper (either NULL), everything else 0. */
PkmStoreQuery cf_range (const char *field, GVariant *lower, GVariant *upper);

/* -- the checks, by theme -- */

/* conformance-records.c */
gboolean cf_check_round_trip_types (Cf *cf);
gboolean cf_check_large_record (Cf *cf);
gboolean cf_check_empty_record (Cf *cf);
gboolean cf_check_query_id_order (Cf *cf);
gboolean cf_check_list_collections (Cf *cf);
gboolean cf_check_revisions (Cf *cf);
gboolean cf_check_stale_revision (Cf *cf);
gboolean cf_check_not_found (Cf *cf);

/* conformance-names.c */
gboolean cf_check_non_ascii_names (Cf *cf);
gboolean cf_check_names_any_text (Cf *cf);
gboolean cf_check_names_unique (Cf *cf);
gboolean cf_check_names_change_by_update (Cf *cf);
gboolean cf_check_find_missing (Cf *cf);

/* conformance-ids.c */
gboolean cf_check_ids_increase (Cf *cf);
gboolean cf_check_ids_after_remove (Cf *cf);
gboolean cf_check_ids_after_rollback (Cf *cf);
gboolean cf_check_ids_after_reopen (Cf *cf);

/* conformance-txn.c */
gboolean cf_check_error_contract (Cf *cf);
gboolean cf_check_rollback_leaves_nothing (Cf *cf);
gboolean cf_check_write_in_read_txn (Cf *cf);
gboolean cf_check_commit_then_reopen (Cf *cf);

/* conformance-index.c */
gboolean cf_check_index_agrees_with_scan (Cf *cf);
gboolean cf_check_query_projection (Cf *cf);
gboolean cf_check_query_paging (Cf *cf);
gboolean cf_check_index_declarations (Cf *cf);
gboolean cf_check_index_backfill (Cf *cf);
gboolean cf_check_index_empty_values (Cf *cf);

/* conformance-feed.c */
gboolean cf_check_sequences (Cf *cf);
gboolean cf_check_changes_since (Cf *cf);

/* What the feed must say about one record. */
typedef struct {
  const char *collection;
  gint64 id;
  PkmStoreChange change;
  int txn; /* the transaction of the latest change, for their order */
} CfExpectedChange;

/* changes_since (@cursor) lists exactly @expected (in the order of their
 * transactions), each once, cursors increasing; current_cursor is the
 * last; else records what differed, naming @what. */
gboolean cf_feed_is (Cf *cf, PkmStoreTxn *txn, gint64 cursor, const CfExpectedChange *expected, guint n,
                     const char *what);

/* conformance-procs.c */
gboolean cf_check_two_writers (Cf *cf);
gboolean cf_check_conflicting_update (Cf *cf);
gboolean cf_check_changes_across_processes (Cf *cf);
gboolean cf_check_kill_durability (Cf *cf);

G_END_DECLS
