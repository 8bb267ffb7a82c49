/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /certificate sign-certificate-request, the whole command: the input is the
 * request file (PEM or DER), read, checked and signed by a local CA into a
 * real store. allow-ca=yes, so what a request asks for reaches the signer. */
#include "fuzz.h"
#include "fuzz-sandbox.h"
#include "fuzz-setup.h"

static FuzzSandbox *sandbox;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  sandbox = fuzz_sandbox_new (FUZZ_SETUP_SCRIPT, TRUE);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_sandbox_write_file (sandbox, "input", data, size);
  fuzz_sandbox_run (sandbox, "/certificate sign-certificate-request ca=" FUZZ_CA " file-name=input allow-ca=yes",
                    FALSE);
  return 0;
}
