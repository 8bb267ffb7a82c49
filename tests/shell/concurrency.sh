# SPDX-License-Identifier: LGPL-2.1-or-later
# Several pkiman processes on one store. Writers never see "database is
# locked"; key generation and file parsing run without the write lock; a
# writer that must wait says so and waits; a lock held past [store]
# lock-timeout is a one-line error that changes nothing; a command that lost
# a write conflict runs again, correctly, on every path (command line, a
# script on stdin, /import of a script, import of a file). store-sqlite takes
# the write lock at the first write (a writer can lose, and runs again);
# store-files at begin (a writer waits first, and never loses): each is
# checked for what it promises.
. "$(dirname "$0")/lib.sh"

DB=$(store_path)
pk /certificate add name=ca common-name=ca key-size=prime256v1 key-usage=key-cert-sign,crl-sign
pk /certificate sign ca
pk /certificate export-certificate ca file-name=ca >/dev/null

# Waits until FILE holds PATTERN while process PID runs; the process bounds
# the wait (it gives up on the lock itself), so there is no clock here.
wait_for () { # file pattern pid what
  while kill -0 "$3" 2>/dev/null; do
    grep -qsF -- "$2" "$1" && return 0
    sleep 0.05
  done
  grep -qF -- "$2" "$1" || fail "$4: [$2] never appeared; stderr: $(cat "$1")"
}

# An outside writer holds the write lock until release_lock: the sqlite3
# shell (BEGIN IMMEDIATE, then the SQL given), or flock on store-files' lock.
hold_lock () { # [sql]
  if [ "$STORE" = sqlite ]; then
    coproc HOLD { sqlite3 "$DB"; }
    echo "BEGIN IMMEDIATE; ${1:-}" >&"${HOLD[1]}"
    echo "SELECT 'held';" >&"${HOLD[1]}"
  else
    coproc HOLD { flock -x "$(store_lock_file)" sh -c 'echo held; read -r done'; }
  fi
  local line=""
  read -r -u "${HOLD[0]}" line || true
  [ "$line" = held ] || fail "the outside writer could not take the write lock: [$line]"
}
release_lock () {
  local pid=$HOLD_PID
  if [ "$STORE" = sqlite ]; then
    echo "COMMIT;" >&"${HOLD[1]}"
    echo ".quit" >&"${HOLD[1]}"
  else
    echo done >&"${HOLD[1]}"
  fi
  wait "$pid" || fail "the lock holder failed"
}

no_locked () { # stderr files...
  for f in "$@"; do
    if grep -qi "locked" "$f"; then fail "\"locked\" reached a user in $f: $(cat "$f")"; fi
  done
}

verify () { # name
  pk /certificate export-certificate "$1" file-name="v-$1" >/dev/null
  openssl verify -CAfile ca.crt "v-$1.crt" >/dev/null || fail "$1 does not verify against the CA"
}

# -- 1. Four RSA-4096 signers at once, while others print and export --
SIGNERS=4
for i in $(seq 1 $SIGNERS); do
  pk /certificate add name=rsa$i common-name=rsa$i.example key-size=4096 key-usage=digital-signature,tls-server
done
touch "$WORK/running"
loop () { # name command...
  local name=$1 n=0; shift
  while [ -e "$WORK/running" ]; do
    "$PKIMAN" "$@" >/dev/null 2>>"$WORK/$name.err" || { echo "$name: '$*' failed" >>"$WORK/$name.err"; return 1; }
    n=$((n + 1))
  done
  echo $n >"$WORK/$name.count"
}
loop print /certificate print & p1=$!
loop json --json /certificate print & p2=$!
loop export /certificate export-certificate ca file-name=loop-ca & p3=$!
pids=()
for i in $(seq 1 $SIGNERS); do
  G_MESSAGES_DEBUG=all "$PKIMAN" /certificate sign rsa$i ca=ca >"$WORK/sign$i.out" 2>"$WORK/sign$i.err" &
  pids+=($!)
done
for i in $(seq 1 $SIGNERS); do
  wait "${pids[$((i - 1))]}" || fail "signer $i failed: $(cat "$WORK/sign$i.err")"
done
rm "$WORK/running"
for p in $p1 $p2 $p3; do wait $p || fail "a reader or exporter failed: $(cat "$WORK"/*.err)"; done
no_locked "$WORK"/sign*.err "$WORK"/print.err "$WORK"/json.err "$WORK"/export.err
for name in print json export; do
  [ "$(cat "$WORK/$name.count")" -gt 0 ] || fail "the $name loop never ran beside the signers"
done
reruns=0
for i in $(seq 1 $SIGNERS); do
  assert_contains "$(flags_of rsa$i)" "K" "rsa$i signed with its key"
  verify rsa$i
  grep -q "running it again" "$WORK/sign$i.err" && reruns=$((reruns + 1))
  [ "$(grep -c 'progress: generating a 4096-bit RSA key' "$WORK/sign$i.err")" -eq 1 ] \
    || fail "rsa$i: the key was not generated exactly once: $(cat "$WORK/sign$i.err")"
done
ok "$SIGNERS RSA-4096 signers at once ($reruns re-ran after a conflict) beside $(cat "$WORK/print.count") prints, $(cat "$WORK/json.count") JSON prints and $(cat "$WORK/export.count") exports: all exit 0, none saw \"locked\", all verify"

# -- 2. The write lock is held outside: the key is generated meanwhile, the
# first write loses, and the re-run waits, saying so, then succeeds --
pk /certificate add name=slow common-name=slow.example key-size=4096 key-usage=digital-signature,tls-server
if [ "$STORE" = sqlite ]; then
  log_seq=$(sqlite3 "$DB" "SELECT last_id FROM sequences WHERE collection = 'log'")
fi
hold_lock "UPDATE sequences SET last_id = last_id + 1000 WHERE collection = 'log';"
G_MESSAGES_DEBUG=all "$PKIMAN" /certificate sign slow ca=ca >"$WORK/slow.out" 2>"$WORK/slow.err" & pid=$!
if [ "$STORE" = sqlite ]; then
  wait_for "$WORK/slow.err" "progress: generating a 4096-bit RSA key" $pid "key generation while another holds the lock"
fi
wait_for "$WORK/slow.err" "pkiman: waiting for another pkiman that is writing the store" $pid "the waiting line"
kill -0 $pid 2>/dev/null || fail "sign did not wait for the lock"
if [ "$STORE" = sqlite ]; then
  assert_contains "$(cat "$WORK/slow.err")" "running it again (attempt 2)" "the first run lost a conflict"
else
  assert_not_contains "$(cat "$WORK/slow.err")" "progress: generating" "a key made before the lock was taken"
fi
# store-sqlite's readers are not held up by a writer, and have nothing to
# say about it (store-files' readers wait for writers: its lock is one).
if [ "$STORE" = sqlite ]; then
  pk --json /certificate print >"$WORK/reader.json" 2>"$WORK/reader.err"
  [ ! -s "$WORK/reader.err" ] || fail "a reader said something while the lock was held: $(cat "$WORK/reader.err")"
  assert_not_contains "$(flags_of slow)" "K" "still a template while the lock is held"
fi
release_lock
wait $pid || fail "sign failed after the lock came free: $(cat "$WORK/slow.err")"
no_locked "$WORK/slow.err"
[ "$(grep -c 'progress: generating' "$WORK/slow.err")" -eq 1 ] || fail "the re-run generated the key again"
[ "$(grep -c 'pkiman: waiting' "$WORK/slow.err")" -eq 1 ] || fail "the waiting line is not said exactly once"
assert_contains "$(flags_of slow)" "K" "signed once the lock came free"
verify slow
pk /certificate export-certificate slow file-name=slow-key export-passphrase=pw-longer >/dev/null
[ "$(openssl x509 -in slow-key.crt -noout -pubkey)" = "$(openssl pkey -in slow-key.key -passin pass:pw-longer -pubout)" ] \
  || fail "the stored key is not the certificate's key"
if [ "$STORE" = sqlite ]; then
  # The re-run read what the other writer committed: its log record comes
  # after the sequence that writer set, and there is exactly one.
  signed=$(pk --json /log print | python3 -c '
import json, sys
ids = [int(e[".id"].lstrip("*"), 16) for e in json.load(sys.stdin) if e["message"].startswith("\"slow\" signed")]
print(" ".join(map(str, ids)))')
  assert_eq "$((log_seq + 1001))" "$signed" "the re-run's log record (one, after the other writer's sequence)"
  ok "sign waited for an outside writer, said so once, re-ran on its commit and reused the key"
else
  ok "sign waited for an outside writer at begin, said so once, then made its key and signed"
fi

# -- 3. Every path re-runs: a script on stdin, /import of a script, and the
# import of a file that is gone by the time of the re-run (parsed once) --
pk /certificate add name=s1 common-name=s1.example key-size=prime256v1
pk /certificate add name=s2 common-name=s2.example key-size=prime256v1
printf '/certificate\nsign s1 ca=ca\nadd name=s3 common-name=s3.example key-size=prime256v1\n' >stdin.rsc
printf '/certificate sign s2 ca=ca\n' >included.rsc
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout p12.key -out p12.crt \
  -subj /CN=p12.example -days 30 2>/dev/null
openssl pkcs12 -export -inkey p12.key -in p12.crt -passout pass:secret -out bundle.p12 2>/dev/null
hold_lock
G_MESSAGES_DEBUG=all "$PKIMAN" <stdin.rsc >"$WORK/script.out" 2>"$WORK/script.err" & ps=$!
G_MESSAGES_DEBUG=all "$PKIMAN" /import file-name=included.rsc >"$WORK/import.out" 2>"$WORK/import.err" & pi=$!
G_MESSAGES_DEBUG=all "$PKIMAN" /certificate import bundle.p12 passphrase=secret name=p12 \
  >"$WORK/p12.out" 2>"$WORK/p12.err" & pp=$!
for p in "script:$ps" "import:$pi" "p12:$pp"; do
  wait_for "$WORK/${p%%:*}.err" "pkiman: waiting for another pkiman" "${p#*:}" "${p%%:*} waits"
done
# store-sqlite parsed it before it lost the race: gone, the re-run needs it not.
[ "$STORE" = sqlite ] && rm bundle.p12
release_lock
wait $ps || fail "the script failed: $(cat "$WORK/script.err")"
wait $pi || fail "/import failed: $(cat "$WORK/import.err")"
wait $pp || fail "the PKCS#12 import failed on its re-run: $(cat "$WORK/p12.err")"
no_locked "$WORK/script.err" "$WORK/import.err" "$WORK/p12.err"
for f in script import p12; do
  if [ "$STORE" = sqlite ]; then
    assert_contains "$(cat "$WORK/$f.err")" "running it again" "$f: a conflict re-run"
  else
    assert_not_contains "$(cat "$WORK/$f.err")" "running it again" "$f: a writer that waited at begin never loses"
  fi
done
verify s1
verify s2
assert_eq "yes" "$(prop /certificate s3 template)" "the script's next line ran after the re-run"
assert_contains "$(flags_of p12)" "K" "the PKCS#12 certificate and key, parsed before the file went"
assert_contains "$(cat "$WORK/p12.out")" "private-keys-imported: 1" "one key imported"
ok "a script, /import and a PKCS#12 import each waited, re-ran, and succeeded"

# -- 4. A lock held past lock-timeout: one line naming the setting, no change --
printf '[store]\nlock-timeout=1\n' >"$WORK/short.conf"
pk /certificate add name=late common-name=late.example key-size=prime256v1
before=$(dump)
hold_lock
rc=0
out=$(pk --config "$WORK/short.conf" /certificate sign late ca=ca 2>"$WORK/late.err") || rc=$?
release_lock
[ $rc -ne 0 ] || fail "sign succeeded although the lock was held past lock-timeout"
[ -z "$out" ] || fail "printed on stdout although it failed: $out"
assert_eq "pkiman: waiting for another pkiman that is writing the store (up to 1 s, [store] lock-timeout)..." \
  "$(sed -n 1p "$WORK/late.err")" "the waiting line"
case $STORE in
  sqlite) busy="kept writing the store" ;;
  files) busy="kept the store busy" ;;
esac
assert_eq "pkiman: $STORE_PLUGIN: another pkiman $busy for over 1 s ([store] lock-timeout); nothing was changed" \
  "$(sed -n 2p "$WORK/late.err")" "the timeout error"
[ "$(wc -l <"$WORK/late.err")" -eq 2 ] || fail "more than the waiting line and the error: $(cat "$WORK/late.err")"
no_locked "$WORK/late.err"
assert_eq "$before" "$(dump)" "the store after a timed-out sign"
ok "a lock held past lock-timeout=1: one error line naming it, the store unchanged"
