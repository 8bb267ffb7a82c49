/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What every fuzz target shares: the libFuzzer entry points, built either
 * against libFuzzer (-Dfuzzing=true) or against fuzz-main.c, which replays
 * files so the committed seeds run in the normal test suite. */

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

G_BEGIN_DECLS

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Criticals and warnings abort: a g_return_if_fail reached from input is a
 * bug in pkiman, not noise. Every target calls this first. */
void fuzz_init_glib (void);

/* (transfer full): @data as a NUL-terminated string (cut at the first NUL). */
char *fuzz_string (const uint8_t *data, size_t size);

G_END_DECLS
