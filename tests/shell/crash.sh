# SPDX-License-Identifier: LGPL-2.1-or-later
# kill -9 inside running commands: sign at a random moment, import of a large
# PEM bundle and remove of a CA that issued many certificates while they hold
# the write lock. The store stays readable and whole (integrity_check), and
# holds all of a command or none of it, never half.
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
store_integrity "$PKIMAN_STATE_DIR" "after the signs"
[ "$kept" -gt 0 ] || fail "no kill landed inside a sign: the test proved nothing"
# The store still works after all that: a template left behind signs now.
left=$(pk --json /certificate print | python3 -c 'import json,sys; print([i["name"] for i in json.load(sys.stdin) if i.get("template")][0])')
pk /certificate set "$left" key-size=prime256v1
pk /certificate sign "$left" ca=ca
assert_contains "$(flags_of "$left")" "K" "an interrupted template signs afterwards"
ok "$rounds kills: $signed signed, $kept left as templates, none half-written; integrity_check ok"

# -- import and remove: killed while they hold the write lock --
# The probe tries to take the write lock itself (without waiting) until it
# finds it taken, which only the command under test can do, and then kills
# it: so the kill lands inside the command's write transaction, or the
# command had already finished (then the probe says so).
# store-sqlite: BEGIN IMMEDIATE on the database; store-files: an exclusive
# flock on its lock file (its writers hold it for the whole transaction).
cat >"$WORK/probe.py" <<'PY'
import fcntl, os, signal, sqlite3, subprocess, sys, time
store, lock, command = sys.argv[1], sys.argv[2], sys.argv[3:]
if store == "sqlite":
    con = sqlite3.connect(lock, timeout=0, isolation_level=None)
    def writer_holds_lock():
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
else:
    def writer_holds_lock():
        try:
            fd = os.open(lock, os.O_RDONLY)
        except FileNotFoundError:
            return False  # the store is not made yet
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return False
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
# Started from here, ready to probe: pkiman itself is killed, not a wrapper.
proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
verdict = "finished"
while proc.poll() is None:
    if writer_holds_lock():
        os.kill(proc.pid, signal.SIGKILL)
        verdict = "killed"
        break
    time.sleep(0.0002)
proc.wait()
print(verdict)
PY
kill_in_write () { # state-dir command... -> prints killed|finished
  PKIMAN_STATE_DIR=$1 python3 "$WORK/probe.py" "$STORE" "$(store_lock_file "$1")" "$PKIMAN" "${@:2}"
}
integrity () { store_integrity "$@"; } # state-dir what
count_records () { # state-dir collection
  PKIMAN_STATE_DIR=$1 "$PKIMAN" /system store dump | awk -v c="$2" '$1 == c' | wc -l
}

# A PEM bundle of BUNDLE certificates, each followed by its key.
BUNDLE=${CRASH_BUNDLE:-80}
for i in $(seq 1 "$BUNDLE"); do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout b.key -out b.crt \
    -subj "/CN=b$i.example" -days 30 2>/dev/null
  cat b.crt b.key
done >bundle.pem
import_rounds=${CRASH_IMPORT_ROUNDS:-5}
import_killed=0 import_none=0 import_all=0
for i in $(seq 1 "$import_rounds"); do
  dir=$WORK/import$i
  PKIMAN_STATE_DIR=$dir "$PKIMAN" /certificate add name=other common-name=other key-size=prime256v1
  [ "$(kill_in_write "$dir" /certificate import bundle.pem)" = killed ] && import_killed=$((import_killed + 1))
  integrity "$dir" "import round $i"
  certs=$(($(count_records "$dir" certificate) - 1)) keys=$(count_records "$dir" key)
  logs=$(PKIMAN_STATE_DIR=$dir "$PKIMAN" /log print | grep -c "imported bundle.pem" || true)
  case "$certs/$keys/$logs" in
    0/0/0) import_none=$((import_none + 1)) ;;
    "$BUNDLE/$BUNDLE/1") import_all=$((import_all + 1)) ;;
    *) fail "import round $i: half an import: $certs certificates, $keys keys, $logs log records" ;;
  esac
  # Whatever the kill left, the import runs to the end afterwards.
  PKIMAN_STATE_DIR=$dir "$PKIMAN" /certificate import bundle.pem >/dev/null
  assert_eq "$((BUNDLE + 1))" "$(PKIMAN_STATE_DIR=$dir "$PKIMAN" /certificate print count-only)" "import round $i, then again"
done
[ "$import_killed" -gt 0 ] && [ "$import_none" -gt 0 ] || fail "no kill landed inside an import's write transaction: the test proved nothing"
ok "$import_rounds kills of an import of $BUNDLE certificates and keys: $import_killed inside its write transaction; $import_none left nothing, $import_all all; integrity_check ok"

# A CA that issued ISSUED certificates; each round starts from a copy of it.
ISSUED=${CRASH_ISSUED:-200}
big=$WORK/big
PKIMAN_STATE_DIR=$big "$PKIMAN" /certificate add name=big common-name=big-ca key-size=prime256v1 key-usage=key-cert-sign,crl-sign
PKIMAN_STATE_DIR=$big "$PKIMAN" /certificate sign big
{ echo /certificate
  for i in $(seq 1 "$ISSUED"); do
    echo "add name=i$i common-name=i$i.example key-size=prime256v1"
    echo "sign i$i ca=big"
  done; } >issue.rsc
PKIMAN_STATE_DIR=$big "$PKIMAN" <issue.rsc >/dev/null
remove_rounds=${CRASH_REMOVE_ROUNDS:-5}
remove_killed=0 remove_none=0 remove_all=0
for i in $(seq 1 "$remove_rounds"); do
  dir=$WORK/remove$i
  cp -a "$big" "$dir"
  [ "$(kill_in_write "$dir" /certificate remove big)" = killed ] && remove_killed=$((remove_killed + 1))
  integrity "$dir" "remove round $i"
  certs=$(count_records "$dir" certificate) keys=$(count_records "$dir" key)
  case "$certs/$keys" in
    0/0) remove_all=$((remove_all + 1)) ;;
    "$((ISSUED + 1))/$((ISSUED + 1))")
      remove_none=$((remove_none + 1))
      PKIMAN_STATE_DIR=$dir "$PKIMAN" /certificate export-certificate i$ISSUED >/dev/null
      PKIMAN_STATE_DIR=$dir "$PKIMAN" /certificate export-certificate big >/dev/null
      openssl verify -CAfile cert_export_big.crt cert_export_i$ISSUED.crt >/dev/null \
        || fail "remove round $i: the kept certificates do not verify" ;;
    *) fail "remove round $i: half a remove: $certs certificates, $keys keys left" ;;
  esac
  PKIMAN_STATE_DIR=$dir "$PKIMAN" /certificate remove big 2>/dev/null || true
  assert_eq "0" "$(PKIMAN_STATE_DIR=$dir "$PKIMAN" /certificate print count-only)" "remove round $i, then again"
done
[ "$remove_killed" -gt 0 ] && [ "$remove_none" -gt 0 ] || fail "no kill landed inside a remove's write transaction: the test proved nothing"
ok "$remove_rounds kills of a remove of a CA with $ISSUED issued: $remove_killed inside its write transaction; $remove_none left all, $remove_all none; integrity_check ok"
