# SPDX-License-Identifier: LGPL-2.1-or-later
# kill -9 at a random moment of a running sign: the store stays readable and
# holds either the template or the certificate, never half of one.
. "$(dirname "$0")/lib.sh"

pk /certificate add name=ca common-name=ca key-size=prime256v1 key-usage=key-cert-sign,crl-sign
pk /certificate sign ca
rounds=${CRASH_ROUNDS:-12}
signed=0 kept=0
for i in $(seq 1 "$rounds"); do
  pk /certificate add name=t$i common-name=t$i key-size=2048
  pk /certificate sign t$i ca=ca >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(( RANDOM % 20 ))$(( RANDOM % 10 ))"
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
ok "$rounds kills: $signed signed, $kept left as templates, none half-written; integrity_check ok"
