# SPDX-License-Identifier: LGPL-2.1-or-later
# Keys on a token sign through the ordinary /certificate commands: a
# template's key-uri names the key, sign asks the token, the store seals
# nothing, and the certificates verify with openssl. The fixture plugin
# token-fixture keeps its keys in memory, made afresh by each process, so
# whatever must use one key twice runs as one script in one process; it
# counts its signatures into a log at exit, which proves the token signed.
. "$(dirname "$0")/lib.sh"
: "${FIXTURE_DIR:?}"

export PKIMAN_PLUGIN_PATH="$FIXTURE_DIR"
log="$WORK/token.log"
conf="$WORK/token.conf"
printf '[plugins]\ncrypto=gnutls\nstore=sqlite\nfeatures=token-fixture\n[token-fixture]\nkeys=ca:ec,rca:rsa,leaf:rsa,req:ec\nlog=%s\n' \
  "$log" > "$conf"
pk () { "$PKIMAN" --config "$conf" "$@"; }
signatures () { sed -n 's/^sign_hash //p' "$log"; }

# Which certificates' keys the store holds sealed, and each token certificate's key-id.
sealed_key_ids () { dump | awk '$1 == "key" && /sealed/ { print $3 }' | sort; }
key_id_of () {
  dump | python3 -c '
import re, sys
for line in sys.stdin:
    parts = line.split(" ", 3)
    if parts[0] == "certificate" and parts[2] == sys.argv[1]:
        print(re.search(r"\x27key-id\x27: <\x27([0-9a-f]+)\x27>", parts[3]).group(1))
' "$1"
}

# 1. One process: an EC token CA signs a software leaf and a token leaf; an RSA token CA signs a software leaf.
pk > "$WORK/script.out" <<'EOF'
/certificate add name=tca common-name="Token CA" key-uri="pkcs11:token=fixture;object=ca" key-usage=key-cert-sign,crl-sign
/certificate sign tca
/certificate add name=leaf common-name=leaf.example subject-alt-name=DNS:leaf.example key-size=prime256v1 key-usage=digital-signature,tls-server
/certificate sign leaf ca=tca
/certificate add name=tleaf common-name=tleaf.example key-uri="pkcs11:token=fixture;object=leaf" key-usage=digital-signature,tls-client
/certificate sign tleaf ca=tca
/certificate add name=rca common-name="RSA Token CA" key-uri="pkcs11:token=fixture;object=rca" key-usage=key-cert-sign,crl-sign digest-algorithm=sha384
/certificate sign rca
/certificate add name=rleaf common-name=rleaf.example key-size=2048 key-usage=digital-signature,tls-server
/certificate sign rleaf ca=rca
/certificate export-certificate tca file-name=ca
/certificate export-certificate leaf file-name=leaf
/certificate export-certificate tleaf file-name=tleaf
/certificate export-certificate rca file-name=rca
/certificate export-certificate rleaf file-name=rleaf
EOF
assert_eq 5 "$(signatures)" "the token signed tca, leaf, tleaf, rca and rleaf"
for c in leaf tleaf; do
  assert_eq "$c.crt: OK" "$(openssl verify -CAfile ca.crt $c.crt 2>&1)" "openssl verify of $c by the EC token CA"
done
assert_eq "rleaf.crt: OK" "$(openssl verify -CAfile rca.crt rleaf.crt 2>&1)" "openssl verify by the RSA token CA"
assert_contains "$(openssl x509 -in rca.crt -noout -text)" "sha384WithRSAEncryption" "the RSA CA's own digest"
assert_contains "$(openssl x509 -in ca.crt -noout -text)" "ecdsa-with-SHA256" "the EC CA's signature"
ok "token CAs (EC and RSA) sign in one process, and openssl verifies what they signed"

# 2. The store: token certificates have a key (K, C, key-uri) and no sealed key.
for c in tca tleaf rca; do
  assert_contains "$(flags_of $c)" "K" "$c has its private key"
  assert_contains "$(flags_of $c)" "C" "$c's key is on a token"
  id=$(key_id_of $c)
  [ -n "$id" ] || fail "$c has no key-id"
  if sealed_key_ids | grep -qx "$id"; then fail "the store holds a sealed key for $c"; fi
done
for c in leaf rleaf; do
  assert_not_contains "$(flags_of $c)" "C" "$c's key is sealed here"
  sealed_key_ids | grep -qx "$(key_id_of $c)" || fail "the store holds no sealed key for $c"
done
assert_eq 2 "$(sealed_key_ids | wc -l)" "sealed keys: leaf and rleaf only"
assert_eq 2 "$(dump | grep -c '^key ')" "key records: leaf and rleaf only"
assert_contains "$(pk /certificate print detail where name=tca)" 'key-uri="pkcs11:token=fixture;object=ca"' \
  "print detail shows key-uri"
assert_not_contains "$(pk /certificate print detail where name=leaf)" 'key-uri' "a sealed key has no key-uri"
ok "token certificates: K and C, key-uri in print detail, nothing sealed"

# 3. A key-uri no provider holds, or that is no PKCS#11 URI: one line, nothing changed.
pk /certificate add name=nokey common-name=nokey key-uri="pkcs11:token=fixture;object=nope" >/dev/null
expect_error '^pkiman: key-uri: pkcs11:token=fixture;object=nope: no loaded token provider holds this key$' \
  /certificate sign nokey
expect_error '^pkiman: key-uri: "file:/etc/key.pem" is not a PKCS#11 URI \(pkcs11:token=...;object=...\)$' \
  /certificate add name=badkey key-uri=file:/etc/key.pem
expect_error '^pkiman: key-uri: a signed certificate keeps its content' /certificate set leaf key-uri="pkcs11:token=fixture;object=ca"
ok "a key-uri that names no key is refused with one line and changes nothing"

# 4. A token's key never leaves it.
expect_error '^pkiman: export-passphrase: the key of "tca" stays on its token \(pkcs11:token=fixture;object=ca\) and cannot be exported$' \
  /certificate export-certificate tca export-passphrase=secret-pass file-name=tca-key
[ ! -e tca-key.key ] && [ ! -e tca-key.crt ] || fail "a refused export wrote files"
expect_error '^pkiman: export-passphrase: the key of "tleaf" stays on its token' \
  /certificate export-certificate tleaf type=pkcs12 export-passphrase=secret-pass
pk /certificate export-certificate tca file-name=tca-only >/dev/null
[ -e tca-only.crt ] && [ ! -e tca-only.key ] || fail "the certificate alone does export"
ok "export with a passphrase of a token certificate fails; the certificate alone exports"

# 5. Another process has other fixture keys: a CA whose token key is not its own does not sign.
pk /certificate add name=late common-name=late key-size=prime256v1 >/dev/null
expect_error '^pkiman: ca: "tca": pkcs11:token=fixture;object=ca: the token holds another key than the certificate.s \(their public keys differ\)$' \
  /certificate sign late ca=tca
printf '[plugins]\ncrypto=gnutls\nstore=sqlite\n' > "$WORK/plain.conf"
conf="$WORK/plain.conf"
expect_error '^pkiman: ca: "tca": pkcs11:token=fixture;object=ca: no loaded token provider holds this key$' \
  /certificate sign late ca=tca
conf="$WORK/token.conf"
ok "a token CA signs only with the key its certificate was made for, and only with its token there"

# 6. create-certificate-request with a token's key: the request, no key file; the key is recorded by URI.
rm -f certificate-request.pem certificate-request_key.pem
pk /certificate add name=req common-name=req.example key-uri="pkcs11:token=fixture;object=req" >/dev/null
expect_error '^pkiman: key-passphrase: the key of "req" stays on its token \(pkcs11:token=fixture;object=req\): no key file is written$' \
  /certificate create-certificate-request req key-passphrase=secret-pass
out=$(pk /certificate create-certificate-request req)
assert_eq "wrote certificate-request.pem; the key stays on its token" "$out" "request written"
assert_eq 1 "$(signatures)" "the token signed the request"
openssl req -in certificate-request.pem -verify -noout 2>/dev/null || fail "openssl does not verify the request"
[ ! -e certificate-request_key.pem ] || fail "a key file was written for a token's key"
assert_contains "$(pk /certificate key print detail)" 'key-uri="pkcs11:token=fixture;object=req"' "the request's key by URI"
# Issued elsewhere (here by a software CA) and back: the certificate finds its key by that URI.
pk /certificate add name=sca common-name="Software CA" key-size=prime256v1 key-usage=key-cert-sign,crl-sign >/dev/null
pk /certificate sign sca >/dev/null
pk /certificate sign-certificate-request certificate-request.pem ca=sca name=fromreq >/dev/null
assert_contains "$(flags_of fromreq)" "K" "the issued request's certificate has its key"
expect_error '^pkiman: export-passphrase: the key of "fromreq" stays on its token \(pkcs11:token=fixture;object=req\) and cannot be exported$' \
  /certificate export-certificate fromreq export-passphrase=secret-pass
ok "a request signed by the token's key, its key recorded by URI, found again by its certificate"

# 7. A token that needs a PIN: sign is refused until the login, which lasts the process.
printf '[plugins]\ncrypto=gnutls\nstore=sqlite\nfeatures=token-fixture\n[token-fixture]\nkeys=pinned:ec\npin=2468\nlog=%s\n' \
  "$log" > "$WORK/pin.conf"
conf="$WORK/pin.conf"
pk /certificate add name=pinned common-name=pinned key-uri="pkcs11:token=fixture;object=pinned" >/dev/null
expect_error '^pkiman: token fixture: log in with its PIN to sign with "pinned"$' /certificate sign pinned
assert_eq 0 "$(signatures)" "a refused signature is not counted"
rc=0
err=$(printf '/system token login token="pkcs11:token=fixture" pin=1111\n' | pk 2>&1 >/dev/null) || rc=$?
[ $rc -ne 0 ] && [ "$err" = 'pkiman: stdin:1:1: token: token fixture: wrong PIN' ] || fail "a wrong PIN: [$err]"
printf '/system token login token="pkcs11:token=fixture" pin=2468\n/certificate sign pinned\n' | pk >/dev/null
assert_eq 1 "$(signatures)" "the token signed after the login"
assert_contains "$(flags_of pinned)" "K" "pinned is signed"
assert_match "$(pk /system token print)" 'P fixture +token-fixture +in-memory +0001' "the token is listed, needing a PIN"
ok "a token's PIN: refused until the login, then it signs"
