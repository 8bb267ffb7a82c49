/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /certificate import, the whole command: the input is the file, imported
 * into a real store with the seeds' passphrase, through pkm-cert-import.c's
 * PEM/DER/PKCS#12 reading and the provider. (Without a passphrase, an
 * encrypted file stops at its first key: the script target covers that.) */
#include "fuzz.h"
#include "fuzz-sandbox.h"

static FuzzSandbox *sandbox;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  sandbox = fuzz_sandbox_new (NULL, TRUE);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_sandbox_write_file (sandbox, "input", data, size);
  fuzz_sandbox_run (sandbox, "/certificate import file-name=input passphrase=" FUZZ_PASSPHRASE " name=x trusted=no",
                    FALSE);
  return 0;
}
