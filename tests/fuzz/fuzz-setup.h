/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The store the command targets start from: a local CA, certificates it
 * issued (EC and RSA), templates, and the files that export and
 * create-certificate-request write, so that inputs have things to name. */
#define FUZZ_SETUP_SCRIPT                                                                                          \
  "/certificate\n"                                                                                                 \
  "add name=fuzz-ca common-name=\"Fuzz CA\" key-size=prime256v1 key-usage=key-cert-sign,crl-sign days-valid=3650\n" \
  "sign fuzz-ca ca-crl-host=crl.example\n"                                                                         \
  "add name=leaf common-name=leaf.example subject-alt-name=DNS:leaf.example,IP:192.0.2.1 key-size=secp384r1 \\\n"   \
  "  key-usage=digital-signature,tls-server\n"                                                                     \
  "sign leaf ca=fuzz-ca\n"                                                                                         \
  "add name=rsa-leaf common-name=rsa.example key-size=1024 days-valid=30\n"                                        \
  "sign rsa-leaf ca=fuzz-ca\n"                                                                                     \
  "issued-revoke rsa-leaf\n"                                                                                       \
  "add name=tpl common-name=tpl.example country=LV organization=Example unit=Ops\n"                                \
  "add name=req common-name=req.example key-size=prime256v1\n"                                                     \
  "create-certificate-request req key-passphrase=" FUZZ_PASSPHRASE "\n"                                            \
  "export-certificate leaf export-passphrase=" FUZZ_PASSPHRASE "\n"                                                \
  "export-certificate fuzz-ca type=pem\n"

/* The CA the CSR target signs with. */
#define FUZZ_CA "fuzz-ca"
