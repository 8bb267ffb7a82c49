# SPDX-License-Identifier: LGPL-2.1-or-later
# /system master-key: node A's master key, exported under a passphrase, lets
# node B, which shares A's database but has no master key, use the keys
# sealed there; nothing else gets a master key in place: a wrong passphrase,
# another node's key, a key that opens nothing in the store, a broken file.
. "$(dirname "$0")/lib.sh"

# A node: its own state directory; B and C read A's database ([store] path=).
node () { # a | b | c | d | e
  export PKIMAN_STATE_DIR=$WORK/$1
  case $1 in
    b|c) printf '[store]\npath=%s\n' "$(store_path "$WORK/a")" >"$WORK/$1.conf"; export PKIMAN_CONFIG=$WORK/$1.conf ;;
    *) unset PKIMAN_CONFIG ;;
  esac
}
key_of () { echo "$WORK/$1/master.key"; }
# Whether any 8 bytes of A's master key are in a file, or in its decoded body.
leaks_key () { # file
  python3 - "$(key_of a)" "$1" <<'PY'
import base64, binascii, sys
key = open(sys.argv[1], "rb").read()
data = open(sys.argv[2], "rb").read()
lines = data.decode().splitlines()
found = [data, base64.b64decode("".join(lines[1:-1]))]
found += [binascii.hexlify(d) for d in found]
windows = [key[i:i + 8] for i in range(len(key) - 7)]
sys.exit(0 if any(w in d or binascii.hexlify(w) in d for w in windows for d in found) else 1)
PY
}
PASS=move-me-safely

# Node A: a CA with its key, then its master key exported.
node a
pk /certificate add name=ca common-name="Shared CA" key-size=prime256v1 key-usage=key-cert-sign,crl-sign >/dev/null
pk /certificate sign ca >/dev/null
pk /certificate export-certificate ca file-name=a-ca >/dev/null
out=$(pk /system master-key export file-name=mk.pem passphrase=$PASS)
assert_eq "exported the master key to mk.pem" "$out" "export's answer"
assert_eq 600 "$(stat -c %a mk.pem)" "the exported file's mode"
assert_eq "-----BEGIN PKIMAN MASTER KEY-----" "$(head -1 mk.pem)" "the first line"
assert_eq "-----END PKIMAN MASTER KEY-----" "$(tail -1 mk.pem)" "the last line"
if leaks_key mk.pem; then fail "bytes of master.key are in mk.pem in the clear"; fi
xxd -p "$(key_of a)" | tr -d '\n' >"$WORK/key.hex"
if xxd -p mk.pem | tr -d '\n' | grep -qf "$WORK/key.hex"; then fail "master.key is in mk.pem"; fi
log=$(pk /log print)
assert_contains "$log" "master key exported to mk.pem" "export is audited"
assert_not_contains "$log" "$PASS" "the passphrase in the log"
ok "export writes a 0600 text file that holds no byte of the master key in the clear"

expect_error "^pkiman: file-name: mk.pem: exists already, and is not overwritten\$" \
  /system master-key export file-name=mk.pem passphrase=another-one
pk /system master-key export file-name=mk2.pem passphrase=$PASS >/dev/null
if cmp -s mk.pem mk2.pem; then fail "two exports gave one file: the salt and nonce are not fresh"; fi
expect_error "^pkiman: passphrase: at least 8 characters\$" /system master-key export file-name=x.pem passphrase=short
expect_error "^pkiman: file-name: \.\./x\.pem leaves the files directory\$" \
  /system master-key export file-name=../x.pem passphrase=$PASS
[ ! -e x.pem ] && [ ! -e ../x.pem ] || fail "a refused export wrote a file"
ok "export refuses an existing file, a short passphrase and a name outside the files directory"

# Node B: A's database, no master key. Its keys are useless, and no key is made.
node b
assert_contains "$(pk /certificate print)" "Shared CA" "B reads A's database"
pk /certificate add name=x common-name=x.example key-size=prime256v1 >/dev/null
expect_error "^pkiman: master key $(key_of b) is missing: stored keys cannot be opened\$" /certificate sign x ca=ca
expect_error "^pkiman: master key $(key_of b) is missing" /certificate export-certificate ca export-passphrase=$PASS
expect_error "^pkiman: master key $(key_of b) is missing, and the store holds 1 key sealed with it" \
  /system master-key export file-name=b.pem passphrase=$PASS
[ ! -e "$(key_of b)" ] || fail "a master key was made on B"
ok "without the master key, B cannot sign or export and makes no master key"

expect_error "^pkiman: passphrase: does not open this master key\$" \
  /system master-key import file-name=mk.pem passphrase=not-the-passphrase
[ ! -e "$(key_of b)" ] || fail "a wrong passphrase put a master key in place"
err=$(pk /system master-key import file-name=mk.pem passphrase=not-the-passphrase 2>&1 || true)
assert_not_contains "$err" "not-the-passphrase" "the passphrase in an error"
ok "a wrong passphrase: one line, nothing written"

out=$(pk /system master-key import file-name=mk.pem passphrase=$PASS)
assert_eq "the master key of mk.pem is in place" "$out" "import's answer"
cmp -s "$(key_of a)" "$(key_of b)" || fail "B's master key is not A's"
assert_eq 600 "$(stat -c %a "$(key_of b)")" "B's master key mode"
assert_contains "$(pk /log print)" "master key of mk.pem put in place" "import is audited"
pk /certificate sign x ca=ca >/dev/null
pk /certificate export-certificate x file-name=b-x >/dev/null
openssl verify -CAfile a-ca.crt b-x.crt | grep -q ': OK' || fail "openssl verify of B's certificate with A's CA"
ok "with A's master key, B signs with the CA's key, and openssl verifies the result against A's CA"

before=$(stat -c '%i %y' "$(key_of b)")
out=$(pk /system master-key import file-name=mk.pem passphrase=$PASS)
assert_eq "the master key of mk.pem is in place" "$out" "import again"
assert_eq "$before" "$(stat -c '%i %y' "$(key_of b)")" "B's master key after importing it again"
ok "importing the same key again changes nothing and succeeds"

# Node C: the same database, but a master key of its own: never replaced.
node c
mkdir -m 700 "$WORK/c"
head -c 32 /dev/urandom >"$(key_of c)"
chmod 600 "$(key_of c)"
cp "$(key_of c)" "$WORK/c.key"
expect_error "^pkiman: master key $(key_of c): this node has a different master key, which is not replaced\$" \
  /system master-key import file-name=mk.pem passphrase=$PASS
cmp -s "$(key_of c)" "$WORK/c.key" || fail "C's master key changed"
ok "a node with another master key keeps it"

# Node D: a store of its own, its keys sealed with a lost key: A's opens none of them.
node d
pk /certificate add name=own common-name=own key-size=prime256v1 >/dev/null
pk /certificate sign own >/dev/null
rm "$(key_of d)"
expect_error "^pkiman: this master key does not open the keys in the store: it is not put in place\$" \
  /system master-key import file-name=mk.pem passphrase=$PASS
[ ! -e "$(key_of d)" ] || fail "a master key that opens no stored key was put in place"
ok "a master key that does not open the store's keys is refused"

# Node E: nothing yet. Export makes the master key, as a first key would.
node e
pk /system master-key export file-name=e.pem passphrase=$PASS >/dev/null
[ -s "$(key_of e)" ] || fail "export made no master key on a fresh node"
assert_eq 600 "$(stat -c %a "$(key_of e)")" "the new master key's mode"
ok "a fresh node makes its master key and exports it"

# Broken files, each refused in one line naming file-name, with nothing written.
node d
craft () { # file python-expression over body (the decoded bytes of mk.pem)
  python3 - "$1" "$2" <<'PY'
import base64, sys
lines = open("mk.pem").read().splitlines()
body = base64.b64decode("".join(lines[1:-1]))
out = eval(sys.argv[2])
if isinstance(out, bytes):
    out = "-----BEGIN PKIMAN MASTER KEY-----\n" + base64.b64encode(out).decode() + "\n-----END PKIMAN MASTER KEY-----\n"
open(sys.argv[1], "w").write(out)
PY
}
craft bad-magic.pem 'b"PKMX" + body[4:]'
craft bad-version.pem 'body[:4] + b"\x02" + body[5:]'
craft few-rounds.pem 'body[:5] + (999).to_bytes(4, "big") + body[9:]'
craft many-rounds.pem 'body[:5] + (10000001).to_bytes(4, "big") + body[9:]'
craft short-body.pem 'body[:-1]'
craft long-body.pem 'body + b"\0"'
craft no-header.pem 'body[:20]'
craft not-base64.pem '"\n".join(lines[:2]) + "\n*\n" + "\n".join(lines[2:]) + "\n"'
craft no-end.pem '"\n".join(lines[:-1]) + "\n"'
craft no-begin.pem '"\n".join(lines[1:]) + "\n"'
head -c 100 mk.pem >truncated.pem
printf 'not a key at all\n' >garbage.pem
head -c 70000 /dev/zero | tr '\0' A >huge.pem
: >empty.pem
for f in bad-magic bad-version few-rounds many-rounds short-body long-body no-header not-base64 no-end no-begin \
    truncated garbage huge empty; do
  expect_error "^pkiman: file-name: $f\.pem: " /system master-key import file-name=$f.pem passphrase=$PASS
done
[ ! -e "$(key_of d)" ] || fail "a broken file put a master key in place"
expect_error "^pkiman: file-name: nosuch\.pem: No such file" /system master-key import file-name=nosuch.pem passphrase=$PASS
ok "broken, truncated, oversized and missing files are refused in one line naming file-name"

# The header is the sealed key's AAD: another count in range fails as a wrong passphrase does.
craft other-rounds.pem 'body[:5] + (600001).to_bytes(4, "big") + body[9:]'
craft other-salt.pem 'body[:9] + bytes([body[9] ^ 1]) + body[10:]'
craft other-tag.pem 'body[:-1] + bytes([body[-1] ^ 1])'
craft crlf.pem '"\r\n".join(lines) + "\r\n"'
for f in other-rounds other-salt other-tag; do
  expect_error "^pkiman: passphrase: does not open this master key\$" \
    /system master-key import file-name=$f.pem passphrase=$PASS
done
node b
assert_eq "the master key of crlf.pem is in place" "$(pk /system master-key import crlf.pem passphrase=$PASS)" \
  "a file with CRLF line ends"
ok "no byte of the header or the sealed key can change unnoticed; CRLF line ends are read"
