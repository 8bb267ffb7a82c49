/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The script reader and everything it reaches: the input runs as a script
 * against a real store holding a CA, issued certificates and templates, with
 * files to import. What costs time by design rather than by input is made
 * cheap (keys made once per size) or counted (a few passphrase derivations
 * per input), so that time goes to the parsers; see fuzz-sandbox.c. */
#include "fuzz.h"
#include "fuzz-sandbox.h"
#include "fuzz-setup.h"

static FuzzSandbox *sandbox;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  sandbox = fuzz_sandbox_new (FUZZ_SETUP_SCRIPT, TRUE);
  fuzz_sandbox_add_file (sandbox, "seed.rsc",
                         "# a script to /import\n/certificate\nprint detail where name~\"^fuzz\"\n"
                         "add name=from-rsc common-name=rsc\n/log print count-only\n");
  fuzz_sandbox_add_file (sandbox, "loop.rsc", "/import file-name=loop.rsc\n");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = fuzz_string (data, size);

  fuzz_sandbox_run (sandbox, text, TRUE);
  return 0;
}
