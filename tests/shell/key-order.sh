# SPDX-License-Identifier: LGPL-2.1-or-later
# A key imported before its certificate is kept, sealed, and the certificate
# shows K when it arrives (RouterOS takes both orders). Waiting keys are listed
# in /certificate key, and only those can be removed there.
. "$(dirname "$0")/lib.sh"

openssl req -x509 -newkey rsa:2048 -nodes -keyout k.key -out k.crt -days 30 -subj /CN=key-first 2>/dev/null
openssl pkcs8 -topk8 -in k.key -out k-enc.key -passout pass:secret123 2>/dev/null

out=$(pk /certificate import file-name=k-enc.key passphrase=secret123)
assert_contains "$out" "keys-with-no-certificate: 1" "counted as a key with no certificate"
assert_contains "$out" "a private key waits for its certificate" "the user is told the key is kept"
assert_match "$(pk /certificate key print)" '^0 W +[0-9a-f]{64} ' "the key waits, flag W"
# Sealed, not in the clear: the PEM body of the key is not in the state dir.
body=$(sed -n 2p k.key)
! grep -rqF -- "$body" "$PKIMAN_STATE_DIR" || fail "key stored in the clear"

pk /certificate import file-name=k.crt name=kf >/dev/null
assert_contains "$(flags_of kf)" "K" "the certificate that arrives later has its key"
assert_match "$(pk /certificate key print)" '^0 +[0-9a-f]{64} +kf ' "the key now belongs to kf"
expect_error '^pkiman: numbers: the key belongs to certificate "kf" and goes only with it$' /certificate key remove 0

# The key works: export with it and compare with openssl.
pk /certificate export-certificate kf export-passphrase=exportpass1 >/dev/null
[ "$(openssl pkey -in cert_export_kf.key -passin pass:exportpass1 -pubout)" = "$(openssl pkey -in k.key -pubout)" ] \
  || fail "the exported key is not the imported one"
ok "key first, then certificate: K, and the key exports"

# A waiting key that is never wanted can be removed; the store is as before it.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out lone.key 2>/dev/null
before=$(dump)
pk /certificate import file-name=lone.key >/dev/null
lone=$(pk --json /certificate key print | python3 -c 'import json,sys; print([i["key-id"] for i in json.load(sys.stdin) if i["waiting"]][0])')
# A prefix of digits alone would be read as a print number (as RouterOS reads
# numbers): take one that holds a letter (the whole key-id holds one, almost surely).
prefix=${lone:0:12}
[[ $prefix =~ ^[0-9]+$ ]] && prefix=$lone
pk /certificate key remove "$prefix"
assert_not_contains "$(pk /certificate key print)" "$lone" "waiting key removed by key-id prefix"
expect_error '^pkiman: numbers: no such item: nosuch' /certificate key remove nosuch
ok "a waiting key is removed on request"
