# SPDX-License-Identifier: LGPL-2.1-or-later
# kill -9 at a random moment of a running sign: the store stays readable and
# holds either the template or the certificate, never half of one.
. "$(dirname "$0")/lib.sh"

pk /certificate add name=ca common-name=ca key-size=prime256v1 key-usage=key-cert-sign,crl-sign
pk /certificate sign ca
rounds=${CRASH_ROUNDS:-12}
signed=0 kept=0
for i in $(seq 1 "$rounds"); do
  # Odd rounds: RSA-4096, whose key generation outlasts the kill, so the
  # write transaction is open when the process dies. Even rounds: RSA-2048,
  # killed at a random moment that may fall anywhere, commit included.
  [ $((i % 2)) -eq 1 ] && size=4096 || size=2048
  pk /certificate add name=t$i common-name=t$i key-size=$size
  "$PKIMAN" /certificate sign t$i ca=ca >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '0.%03d' $((RANDOM % 150)))"
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  state=$(pk --json /certificate print | python3 -c '
import json, sys
items = [i for i in json.load(sys.stdin) if i["name"] == sys.argv[1]]
if len(items) != 1: sys.exit("expected one item, got %d" % len(items))
it = items[0]
if it.get("template"): print("template")
elif it.get("fingerprint") and it.get("private-key") and it.get("serial-number"): print("certificate")
else: sys.exit("half-written: %r" % it)
' t$i) || fail "round $i: $state"
  case $state in certificate) signed=$((signed + 1)) ;; template) kept=$((kept + 1)) ;; esac
  if [ "$state" = certificate ]; then
    pk /certificate export-certificate t$i >/dev/null
    openssl x509 -in cert_export_t$i.crt -noout || fail "round $i: stored certificate unreadable"
  fi
done
sqlite3 "$PKIMAN_STATE_DIR/pkiman.db" 'PRAGMA integrity_check' | grep -qx ok || fail "integrity_check"
[ "$kept" -gt 0 ] || fail "no kill landed inside a sign: the test proved nothing"
# The store still works after all that: a template left behind signs now.
left=$(pk --json /certificate print | python3 -c 'import json,sys; print([i["name"] for i in json.load(sys.stdin) if i.get("template")][0])')
pk /certificate set "$left" key-size=prime256v1
pk /certificate sign "$left" ca=ca
assert_contains "$(flags_of "$left")" "K" "an interrupted template signs afterwards"
ok "$rounds kills: $signed signed, $kept left as templates, none half-written; integrity_check ok"
