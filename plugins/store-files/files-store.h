/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <pkiman/pkiman.h>

G_BEGIN_DECLS

/* store-files: a directory of record files.
 *
 *   <dir>/lock                 flock: readers shared, writers exclusive
 *   <dir>/catalog              every record's name, revision, cursor and index
 *                              values, the last ids, sequences and indexes:
 *                              batches appended at each commit (files-catalog.c)
 *   <dir>/journal              a committed transaction not yet applied
 *   <dir>/records/<c>/<id>     one record (files-format.c); <c> is the
 *                              collection's name escaped (files-state.c)
 *
 * A commit writes its journal (temporary name, fsync, rename: the commit
 * point), then the record files and the catalog batch, then removes the
 * journal; whoever finds a journal replays it (files-journal.c). */

/* Bounds on what is read back from disk: anything larger is refused. */
#define PKM_FILES_RECORD_MAX ((gsize) 64 * 1024 * 1024)
#define PKM_FILES_NAME_MAX ((gsize) 64 * 1024)
/* A journal holds one transaction's records; a catalog batch its metadata. */
#define PKM_FILES_BATCH_MAX ((gsize) 1024 * 1024 * 1024)

/* Where a test makes a commit stop as if the process had been killed there. */
typedef enum {
  PKM_FILES_CRASH_NONE,
  PKM_FILES_CRASH_AFTER_JOURNAL, /* the commit point passed, nothing applied */
  PKM_FILES_CRASH_AFTER_RECORDS, /* record files written, catalog not */
  PKM_FILES_CRASH_MID_CATALOG,   /* half the catalog batch appended */
  PKM_FILES_FAIL_APPLY,          /* no crash: the catalog append fails (a full disk) */
} PkmFilesCrash;

typedef struct {
  gint64 lock_timeout; /* seconds a transaction waits for the lock */
} PkmFilesConfig;

/* One live record as the catalog knows it. */
typedef struct {
  gint64 id;
  char *name;       /* nullable */
  gint64 revision;
  gint64 cursor;    /* of its latest change */
  GVariant *values; /* a{sv}: its value of each indexed field it holds; NULL for none */
} PkmFilesEntry;

/* A key of an index: the value, then the id. The value's bytes ("s", "ay")
 * or number (the integer types and "b") are taken out once. */
typedef struct {
  GVariant *value;
  gint64 id;
  const guint8 *bytes; /* into value; NULL for the integer types */
  gsize length;
  gint64 number;
} PkmFilesKey;

typedef struct {
  char *field;
  char *type;     /* GVariant type string */
  GTree *entries; /* PkmFilesKey -> NULL, in (value, id) order */
  gboolean built; /* entries holds every entry's key (pkm_files_state_build_index) */
} PkmFilesIndex;

/* A removed record: the change feed keeps its removal. */
typedef struct {
  gint64 id;
  gint64 cursor;
} PkmFilesTombstone;

typedef struct {
  char *name;
  char *dir_name;       /* the escaped name of its records directory */
  gint64 last_id;       /* the last id handed out, here */
  gint64 saved_last_id; /* the last id the catalog holds */
  GTree *records;       /* PkmFilesEntry (key, owned) -> the same entry, in id order */
  GHashTable *names;    /* name -> PkmFilesEntry (borrowed) */
  GHashTable *removed;  /* &tombstone->id -> PkmFilesTombstone (owned) */
  GPtrArray *indexes;   /* PkmFilesIndex */
  gboolean dir_ready;   /* its records directory is known to exist */
} PkmFilesCollection;

/* An entry of the change feed. */
typedef struct {
  gint64 cursor;
  PkmFilesCollection *collection;
  gint64 id;
} PkmFilesChange;

/* What the catalog holds, in memory. */
typedef struct {
  GHashTable *collections; /* name -> PkmFilesCollection */
  GHashTable *sequences;   /* name -> gint64 * */
  GTree *feed;             /* PkmFilesChange (key, owned), in cursor order */
  gint64 cursor;           /* the highest cursor */
} PkmFilesState;

/* One change as the journal and the catalog hold it. */
typedef enum {
  PKM_FILES_OP_INDEX = 'I',    /* a: collection, b: field, c: type */
  PKM_FILES_OP_PUT = 'P',      /* a: collection, b: name, n1: id, n2: revision, n3: cursor, values; data */
  PKM_FILES_OP_META = 'M',     /* as PUT, and the record file stays as it is (index values changed) */
  PKM_FILES_OP_REMOVE = 'D',   /* a: collection, n1: id, n3: cursor */
  PKM_FILES_OP_LAST_ID = 'L',  /* a: collection, n1: the last id handed out */
  PKM_FILES_OP_SEQUENCE = 'S', /* a: sequence, n1: its value */
} PkmFilesOpKind;

typedef struct {
  PkmFilesOpKind kind;
  char *a;
  char *b; /* nullable */
  char *c; /* nullable */
  gint64 n1, n2, n3;
  GVariant *values; /* nullable a{sv} */
  GVariant *data;   /* PUT in a journal: the record (a{sv}); else NULL */
} PkmFilesOp;

/* What a write transaction changed in one record, and how it was before. */
typedef struct {
  PkmFilesCollection *collection;
  gint64 id;
  PkmFilesEntry *before;   /* a copy, NULL when there was none */
  gint64 before_removed;   /* its tombstone's cursor before, 0 for none */
  GVariant *data;          /* its new record, NULL when this transaction left the file as it was */
} PkmFilesTouched;

struct _PkmStoreTxn {
  PkmStore *store;
  PkmStoreTxnFlags flags;
  GHashTable *touched;           /* PkmFilesTouched (key and value, owned) */
  GPtrArray *touched_order;      /* the same, borrowed, in order of first change */
  GHashTable *sequences_before;  /* name -> gint64 * (0: there was none) */
  GPtrArray *declared;           /* PkmFilesIndex declared here (borrowed), with... */
  GPtrArray *declared_in;        /* ...the collection of each */
  gint64 cursor_before;
};

struct _PkmStore {
  char *dir;
  PkmFilesConfig config;
  int lock_fd;
  int held;              /* LOCK_SH, LOCK_EX or 0 */
  PkmFilesState *state;  /* NULL until the catalog is read */
  int catalog_fd;        /* the catalog that state was read from: pins its inode; -1 */
  guint64 catalog_size;  /* how much of it state holds */
  guint64 catalog_ops;   /* how many ops it holds (for compaction) */
  gboolean in_transaction;
  PkmStoreTxn txn;
  PkmFilesCrash crash_at; /* tests only */
  gboolean crashed;       /* a simulated crash happened: only close remains */
};

/* files-config.c: FALSE and a one-line error naming the key for a bad value. */
gboolean pkm_files_config_parse (GKeyFile *config, PkmFilesConfig *out, GError **error);

/* files-io.c: each FALSE with a one-line error naming the file. */
gboolean pkm_files_fail_errno (int errsv, const char *path, const char *what, GError **error);
gboolean pkm_files_corrupt (const char *path, const char *reason, GError **error);
gboolean pkm_files_write_all (int fd, const void *data, gsize size, const char *path, GError **error);
gboolean pkm_files_read_at (int fd, void *data, gsize size, guint64 offset, const char *path, gsize *out_read,
                            GError **error);
gboolean pkm_files_fsync_dir (const char *dir, GError **error);
/* Writes @path through @path.tmp: write, fsync, rename; the directory is
 * synced only with @sync_dir. */
gboolean pkm_files_replace (const char *path, GBytes *head, GBytes *body, gboolean sync_dir, GError **error);
/* (transfer full): the whole of @path, at most @max bytes; NULL with an
 * error, or NULL and no error with @missing_ok when it does not exist. */
GBytes *pkm_files_read_whole (const char *path, gsize max, gboolean missing_ok, GError **error);
gboolean pkm_files_mkdir (const char *dir, const char *parent, GError **error);

/* files-format.c: the bytes on disk. */
guint32 pkm_files_crc32 (guint32 crc, const void *data, gsize size);
GBytes *pkm_files_record_encode (gint64 id, const char *name, gint64 revision, GVariant *record);
/* (transfer full) the record in @bytes read from @path; checks it is
 * record @id at @revision named @name. */
GVariant *pkm_files_record_decode (GBytes *bytes, const char *path, gint64 id, const char *name, gint64 revision,
                                   GError **error);
/* The framed batch of @ops (a catalog batch, or with @with_data a journal body). */
GBytes *pkm_files_ops_encode (GPtrArray *ops, gboolean with_data);
/* The ops of one batch payload, appended to @out; FALSE for anything invalid. */
gboolean pkm_files_ops_decode (GBytes *payload, gboolean with_data, const char *path, GPtrArray *out,
                               GError **error);
PkmFilesOp *pkm_files_op_new (PkmFilesOpKind kind, const char *a);
void pkm_files_op_free (gpointer op);
#define PKM_FILES_FRAME_HEADER 8 /* u32 length, u32 crc32, both little-endian */
/* Reads a frame header: FALSE when the payload would be over @max. */
gboolean pkm_files_frame_parse (const guint8 *header, gsize max, guint32 *out_length, guint32 *out_crc);

/* files-state.c: the catalog in memory. */
PkmFilesState *pkm_files_state_new (void);
void pkm_files_state_free (PkmFilesState *state);
PkmFilesCollection *pkm_files_state_collection (PkmFilesState *state, const char *name, gboolean create);
PkmFilesEntry *pkm_files_state_lookup (PkmFilesCollection *c, gint64 id);
PkmFilesEntry *pkm_files_entry_new (gint64 id, const char *name, gint64 revision, gint64 cursor, GVariant *values);
PkmFilesEntry *pkm_files_entry_copy (const PkmFilesEntry *entry);
void pkm_files_entry_free (gpointer entry);
/* Takes @id out of the records, names, indexes and feed; (transfer full) or NULL. */
PkmFilesEntry *pkm_files_state_detach (PkmFilesState *state, PkmFilesCollection *c, gint64 id);
/* Puts @entry (transfer full) in; drops a tombstone of its id. */
void pkm_files_state_attach (PkmFilesState *state, PkmFilesCollection *c, PkmFilesEntry *entry);
/* Sets (@cursor > 0) or drops (0) the tombstone of @id. */
void pkm_files_state_set_removed (PkmFilesState *state, PkmFilesCollection *c, gint64 id, gint64 cursor);
gint64 pkm_files_state_removed (PkmFilesCollection *c, gint64 id);
/* Declares an index, empty until pkm_files_state_build_index. */
/* Takes a reference to @value (a floating one stays floating: a caller's bound). */
PkmFilesKey *pkm_files_key_new (GVariant *value, gint64 id);
void pkm_files_key_free (gpointer key);
PkmFilesIndex *pkm_files_state_add_index (PkmFilesCollection *c, const char *field, const char *type);
/* Fills @index from the index values the entries hold, once. */
void pkm_files_state_build_index (PkmFilesCollection *c, PkmFilesIndex *index);
PkmFilesIndex *pkm_files_state_find_index (PkmFilesCollection *c, const char *field);
void pkm_files_state_drop_index (PkmFilesCollection *c, PkmFilesIndex *index);
/* (transfer full, nullable): the index values of @record in @c. */
GVariant *pkm_files_state_index_values (PkmFilesCollection *c, GVariant *record);
/* Applies one op read from the catalog or a journal; FALSE for one that contradicts the state. */
gboolean pkm_files_state_apply (PkmFilesState *state, const PkmFilesOp *op, const char *path, GError **error);
/* (transfer full): every op a compacted catalog holds. */
GPtrArray *pkm_files_state_dump (PkmFilesState *state);
/* How many ops pkm_files_state_dump would give. */
guint64 pkm_files_state_live_ops (PkmFilesState *state);
char *pkm_files_escape (const char *collection);
char *pkm_files_record_path (PkmStore *store, PkmFilesCollection *c, gint64 id);

/* files-catalog.c */
/* Brings store->state up to what the catalog holds (its new batches, or all
 * of it). With @tolerate_torn (a journal is about to be replayed) a torn
 * last batch is cut off rather than refused. */
gboolean pkm_files_catalog_refresh (PkmStore *store, gboolean tolerate_torn, GError **error);
/* Appends @ops as one batch, or rewrites the catalog when it has grown past
 * twice what it would hold compacted. */
gboolean pkm_files_catalog_append (PkmStore *store, GPtrArray *ops, GError **error);
/* Drops the state (forget) or only the catalog it was read from (stale: the
 * next refresh reads it all again, keeping the ids spent here). */
void pkm_files_catalog_forget (PkmStore *store);
void pkm_files_catalog_stale (PkmStore *store);

/* files-journal.c */
/* Commits @ops (whose effect store->state already holds): journal, records, catalog. */
gboolean pkm_files_journal_commit (PkmStore *store, GPtrArray *ops, gboolean *out_durable, GError **error);
/* With the exclusive lock: replays a journal that is there, drops one that was never committed. */
gboolean pkm_files_journal_recover (PkmStore *store, GError **error);
gboolean pkm_files_journal_present (PkmStore *store);

/* files-lock.c */
gboolean pkm_files_lock (PkmStore *store, int mode, GError **error);
void pkm_files_unlock (PkmStore *store);

/* files-open.c */
PkmStore *pkm_files_open (const char *state_dir, GKeyFile *config, GError **error);
void pkm_files_close (PkmStore *store);
char *pkm_files_path (PkmStore *store, const char *name);

/* files-txn.c */
PkmStoreTxn *pkm_files_begin (PkmStore *store, PkmStoreTxnFlags flags, GError **error);
gboolean pkm_files_commit (PkmStoreTxn *txn, GError **error);
void pkm_files_rollback (PkmStoreTxn *txn);
/* FALSE and an error unless @txn is the open transaction (and, with @write, may write). */
gboolean pkm_files_check_txn (PkmStoreTxn *txn, gboolean write, GError **error);
/* Notes the state of record @id before this transaction first changes it. */
PkmFilesTouched *pkm_files_txn_touch (PkmStoreTxn *txn, PkmFilesCollection *c, gint64 id);

/* files-records.c */
gint64 pkm_files_insert (PkmStoreTxn *txn, const char *collection, const char *name, GVariant *record,
                         GError **error);
gint64 pkm_files_update (PkmStoreTxn *txn, const char *collection, gint64 id, const char *name, GVariant *record,
                         gint64 expected_revision, GError **error);
gboolean pkm_files_remove (PkmStoreTxn *txn, const char *collection, gint64 id, gint64 expected_revision,
                           GError **error);
GVariant *pkm_files_get (PkmStoreTxn *txn, const char *collection, gint64 id, char **out_name, gint64 *out_revision,
                         GError **error);
gint64 pkm_files_find (PkmStoreTxn *txn, const char *collection, const char *name, GError **error);
char **pkm_files_list_collections (PkmStoreTxn *txn, GError **error);
/* (transfer full): the record of @entry, from this transaction or its file. */
GVariant *pkm_files_read_record (PkmStoreTxn *txn, PkmFilesCollection *c, const PkmFilesEntry *entry,
                                 GError **error);

/* files-index.c */
gboolean pkm_files_declare_index (PkmStoreTxn *txn, const char *collection, const char *field,
                                  const char *type_string, GError **error);
gboolean pkm_files_query (PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query,
                          PkmStoreRowFunc func, gpointer user_data, GError **error);
gboolean pkm_files_count (PkmStoreTxn *txn, const char *collection, const PkmStoreQuery *query, guint64 *out_count,
                          GError **error);

/* files-feed.c: sequences and the change feed */
gint64 pkm_files_next_sequence (PkmStoreTxn *txn, const char *name, GError **error);
gint64 pkm_files_current_cursor (PkmStoreTxn *txn, GError **error);
gboolean pkm_files_changes_since (PkmStoreTxn *txn, gint64 cursor, PkmStoreChangeFunc func, gpointer user_data,
                                  GError **error);

G_END_DECLS
