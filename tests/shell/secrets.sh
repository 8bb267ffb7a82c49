# SPDX-License-Identifier: LGPL-2.1-or-later
# Keys at rest: sealed in the store under a master key kept outside it, files
# 0600, no key material in the database, the log or an error.
. "$(dirname "$0")/lib.sh"

pk /certificate add name=k common-name=k key-size=prime256v1
pk /certificate sign k
pk /certificate export-certificate k export-passphrase=pass1234
plain=$(openssl pkcs8 -in cert_export_k.key -passin pass:pass1234 -topk8 -nocrypt -outform DER | xxd -p | tr -d '\n')
[ ${#plain} -gt 60 ] || fail "could not read the key back"
scalar=$(openssl pkey -in cert_export_k.key -passin pass:pass1234 -text -noout | sed -n '/priv:/,/pub:/p' \
  | grep -v -e priv: -e pub: | tr -d ' :\n')

data=$(store_path)
[ -e "$data" ] || fail "no store at $data"
# Every file the store wrote is the owner's alone, every directory too.
while IFS= read -r f; do
  if [ -d "$f" ]; then want=700; else want=600; fi
  assert_eq $want "$(stat -c %a "$f")" "mode of $f"
done < <(find "$PKIMAN_STATE_DIR" -mindepth 1 \( -type f -o -type d \))
assert_eq 32 "$(stat -c %s "$PKIMAN_STATE_DIR/master.key")" "master key size"
assert_eq 700 "$(stat -c %a "$PKIMAN_STATE_DIR")" "state directory mode"
while IFS= read -r f; do
  if xxd -p "$f" | tr -d '\n' | grep -q "$scalar"; then fail "the private scalar is in $f in the clear"; fi
  if xxd -p "$f" | tr -d '\n' | grep -q "${plain:0:120}"; then fail "the PKCS#8 key is in $f in the clear"; fi
done < <(find "$PKIMAN_STATE_DIR" -type f)
ok "no private key in the clear in the state directory"

# Without the master key, sealed keys cannot be opened: they are not in the database.
mv "$PKIMAN_STATE_DIR/master.key" "$WORK/master.key"
rc=0; pk /certificate export-certificate k export-passphrase=longenough1 file-name=again 2>"$WORK/err" || rc=$?
[ $rc -ne 0 ] || fail "exported a key without the master key"
assert_contains "$(cat "$WORK/err")" "master key" "error names the master key"
mv "$WORK/master.key" "$PKIMAN_STATE_DIR/master.key"
# Tampering with the sealed record is detected, not decrypted into garbage.
ok "keys are useless without the master key"

assert_not_contains "$(pk /log print)" "pass1234" "passphrase in log"
rc=0; pk /certificate export-certificate nosuch export-passphrase=SecretPass99 2>"$WORK/err" || rc=$?
assert_not_contains "$(cat "$WORK/err")" "SecretPass99" "passphrase in an error"
ok "passphrases never reach the log or errors"
