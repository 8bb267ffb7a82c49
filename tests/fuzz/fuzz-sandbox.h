/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A real context and shell for the targets that run whole commands: its own
 * state and files directories under $TMPDIR (removed at exit), the build
 * tree's plugins, output to /dev/null. Each input runs inside one outer write
 * transaction that is rolled back afterwards, and the files directory is put
 * back as setup left it, so every input starts from the same state and a
 * finding replays exactly. */

#include "shell/pkm-shell.h"

G_BEGIN_DECLS

/* What the generated seeds are encrypted with. */
#define FUZZ_PASSPHRASE "pkiman-fuzz"

typedef struct {
  char *root;      /* the temporary directory */
  char *files_dir; /* configured as [files] dir=: a boundary, as for a daemon */
  PkmContext *ctx;
  PkmShell *shell;
  GPtrArray *files; /* what the files directory holds after setup */
} FuzzSandbox;

/* Runs @setup (nullable) as a script, committed, before anything is fuzzed;
 * what it leaves in the files directory is restored after every input.
 * With @cheap_crypto, key generation returns keys made once per key size and
 * an input may derive keys from passphrases only a few times (fuzz-sandbox.c). */
FuzzSandbox *fuzz_sandbox_new (const char *setup, gboolean cheap_crypto);
/* Adds @name to the files directory as setup would: restored after every input. */
void fuzz_sandbox_add_file (FuzzSandbox *sandbox, const char *name, const char *text);
/* (Re)writes @name in the files directory; it is not restored afterwards. */
void fuzz_sandbox_write_file (FuzzSandbox *sandbox, const char *name, const void *data, gsize size);
/* Runs @text as a script (or as one line) inside fuzz_sandbox_begin/_end.
 * With PKIMAN_FUZZ_VERBOSE set, output and the error go to the terminal. */
void fuzz_sandbox_run (FuzzSandbox *sandbox, const char *text, gboolean script);
void fuzz_sandbox_begin (FuzzSandbox *sandbox);
void fuzz_sandbox_end (FuzzSandbox *sandbox);

/* fuzz-shim.c: the provider as the command targets see it. */
void fuzz_shim_install (PkmContext *ctx);
void fuzz_shim_new_input (void);

G_END_DECLS
