# SPDX-License-Identifier: LGPL-2.1-or-later
# Fault injection, one failure at a time: for four operations and each kind
# of fault (store-faulty.c: write, commit, sync, io), the Nth event fails,
# for N = 1, 2, ... until the operation sees fewer than N events. Each time
# pkiman must fail with one line on stderr and nothing on stdout, and leave
# the store exactly as it was; or, for an event after the last commit (see
# closing_rule), succeed with the change fully applied. Each sync and io
# failure inside a commit is run a second time with the process killed
# after it (killed_rule): the next open must find the store unchanged, or
# the change whole, as the rule there says; never half of it.
. "$(dirname "$0")/../shell/lib.sh"

: "${FAULTY_DIR:?FAULTY_DIR must name the directory of store-faulty.so}"
# The core's writes alone (features= none): the CRL plugin's come after the commit.
printf '[plugins]\nstore=faulty\nfeatures=\n' > "$WORK/faulty.conf"
REPORT=$WORK/report
KINDS="write commit sync io"
STARTED=$SECONDS
walked=""

# pkiman with store-faulty; the setup and every dump use the real store, so
# each run also shows that store-sqlite reads what store-faulty left.
faulty () { PKIMAN_PLUGIN_PATH=$FAULTY_DIR pk --config "$WORK/faulty.conf" "$@"; }

# The records of a dump without their contents: which collection, id and
# name (a key's name is its fingerprint: left out). Equal for two clean runs
# of an operation (keys, serials and times differ), and for a run whose
# change was applied whole.
shape_of () { awk '{ print $1, $2, ($1 == "key" ? "-" : $3) }'; }
shape () { dump | shape_of; }

# Each N starts from the same store: a copy of $WORK/base.
fresh () { rm -rf "$PKIMAN_STATE_DIR"; cp -a "$WORK/base" "$PKIMAN_STATE_DIR"; }
save_base () { rm -rf "$WORK/base"; cp -a "$PKIMAN_STATE_DIR" "$WORK/base"; }

# The report's count for a kind: all events, and those while closing.
events () { awk -v k="$1" '$1 == k { print $2 }' "$REPORT"; }
closing_events () { awk -v k="$1" '$1 == k { print $3 }' "$REPORT"; }

# What one line of stderr must say: store-faulty's own message for the
# store calls, SQLite's (through store-sqlite) for the VFS's.
pattern_for () { # kind n
  case $1 in
    write | commit) echo "^pkiman: store-faulty: injected failure at $1 $2\$" ;;
    sync | io) echo '^pkiman: store-sqlite: [A-Za-z ]+: disk I/O error$' ;;
  esac
}

# One run of the operation with a fault, its outcome in $rc, $WORK/out, $WORK/err.
run_faulty () { # kind n command...
  local kind=$1 n=$2; shift 2
  rm -f "$REPORT"
  rc=0
  PKIMAN_FAULT=$kind:$n PKIMAN_FAULT_REPORT=$REPORT faulty "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [ $rc -lt 128 ] || fail "$op $kind:$n: pkiman died (status $rc): $(cat "$WORK/err")"
  [ -f "$REPORT" ] || fail "$op $kind:$n: no report: the store was never closed (status $rc): $(cat "$WORK/err")"
}

# A sync or write that fails while the store closes comes after the
# command's last commit: SQLite checkpoints the WAL into the database when
# its last connection closes. In WAL mode a transaction is committed, and
# durable with synchronous=FULL, once its commit frame is in the WAL and the
# WAL is synced (sqlite.org/wal.html); the checkpoint only copies committed
# pages. When the checkpoint fails SQLite keeps the WAL, and the next open
# reads the change from there. So the precise rule: such a run
# succeeds, says nothing on stderr, and the change is there, whole.
#
# A sync that fails inside COMMIT, the WAL's after the transaction's frames,
# its commit frame included, were written: SQLite leaves the frames out of
# the WAL index and reports SQLITE_IOERR_FSYNC, store-sqlite rolls back, and
# the close, finding nothing committed to checkpoint, removes the WAL. So
# the rule is the general one: unchanged. The report says when a run struck
# there ("unsynced-commit 1"), and the walk checks it did, for each
# operation: the case is walked, not assumed.
closing_rule () { # kind n
  local kind=$1 n=$2
  [ $rc -eq 0 ] || fail "$op $kind:$n (while closing, after the last commit): failed: $(cat "$WORK/err")"
  [ ! -s "$WORK/err" ] || fail "$op $kind:$n (while closing): printed on stderr: $(cat "$WORK/err")"
  [ "$(cat "$WORK/out")" = "$clean_out" ] \
    || fail "$op $kind:$n (while closing): output [$(cat "$WORK/out")], a clean run's [$clean_out]"
  [ "$(shape)" = "$clean_shape" ] || fail "$op $kind:$n (while closing): the change is not applied whole:
$(diff <(echo "$clean_shape") <(shape))"
  applied || fail "$op $kind:$n (while closing): the change is missing"
}

# What a failed run printed: one line naming the failure, nothing on stdout.
check_error () { # kind n how
  local pattern
  pattern=$(pattern_for "$1" "$2")
  [ "$(wc -l <"$WORK/err")" -eq 1 ] || fail "$op $1:$2$3: error is not one line: $(cat "$WORK/err")"
  grep -qE -- "$pattern" "$WORK/err" || fail "$op $1:$2$3: error [$(cat "$WORK/err")] does not match /$pattern/"
  [ ! -s "$WORK/out" ] || fail "$op $1:$2$3: printed on stdout although it failed: $(cat "$WORK/out")"
}

# The general rule: a failure, said in one line, and the store as before.
failed_rule () { # kind n
  [ $rc -ne 0 ] || fail "$op $1:$2: succeeded although its event failed"
  check_error "$1" "$2" ""
  [ "$(dump)" = "$before" ] || fail "$op $1:$2: the store changed although the command failed:
$(diff <(echo "$before") <(dump) | head -20)"
}

# The same failure, and the process killed right after it reported it,
# before it closed the store (store-faulty's PKIMAN_FAULT_EXIT): SQLite's
# files stay as the failure left them, and the next open recovers the WAL
# from the file. Recovery replays every transaction whose commit frame is in
# the WAL, and nothing else. So: after a failed write (io) the commit frame,
# the transaction's last write, never reached the WAL, and after a failed
# sync of the WAL's header (a fresh WAL's first commit) no frame did:
# unchanged. After a failed sync that followed the
# commit frame ("unsynced-commit 1") the frames are in the file, as far as
# any reader can tell, and the transaction comes back whole although the
# command reported an error. That is what SQLite promises when an fsync
# fails (sqlite.org/atomiccommit.html, "Things That Can Go Wrong": it
# assumes syncs work; a failed one leaves durability unknown, never a torn
# transaction), and all pkiman can promise: never half. A revocation or a
# signature the operator was told failed may be there after a crash; one
# that was reported done is always there.
killed_rule () { # kind n command...
  local kind=$1 n=$2 unsynced; shift 2
  fresh
  PKIMAN_FAULT_EXIT=99 run_faulty "$kind" "$n" "$@"
  [ $rc -eq 99 ] || fail "$op $kind:$n (killed): status $rc, not store-faulty's 99: $(cat "$WORK/err")"
  check_error "$kind" "$n" " (killed)"
  unsynced=$(awk '$1 == "unsynced-commit" { print $2 }' "$REPORT")
  if [ "$unsynced" = 1 ]; then
    [ "$kind" = sync ] || fail "$op $kind:$n: only a sync can strike after the commit frame"
    [ "$(shape)" = "$clean_shape" ] || fail "$op $kind:$n (killed after the commit frame): not applied whole:
$(diff <(echo "$clean_shape") <(shape))"
    applied || fail "$op $kind:$n (killed after the commit frame): the change is missing"
    ok "$op $kind:$n, killed: the WAL held the commit frame: applied whole by the next open"
  else
    [ "$(dump)" = "$before" ] || fail "$op $kind:$n (killed): changed, yet the commit frame never reached the WAL:
$(diff <(echo "$before") <(dump) | head -20)"
    ok "$op $kind:$n, killed: unchanged after recovery"
  fi
}

# Walks every N of every kind for the operation "$@" on the store in $WORK/base.
walk () { # command...
  local kind n seen closing unsynced_runs
  fresh
  before=$(dump)
  # A clean run through store-faulty: what a run applied whole looks like.
  rm -f "$REPORT"
  clean_out=$(PKIMAN_FAULT_REPORT=$REPORT faulty "$@") || fail "$op: fails without a fault"
  applied || fail "$op: a clean run did not apply the change"
  clean_shape=$(shape)
  [ "$clean_shape" != "$(shape_of <<<"$before")" ] || fail "$op: a clean run changed no record"
  for kind in $KINDS; do
    n=1
    unsynced_runs=0
    while :; do
      fresh
      run_faulty "$kind" "$n" "$@"
      seen=$(events "$kind")
      closing=$(closing_events "$kind")
      if [ "$seen" -lt "$n" ]; then
        # Past the last event: nothing failed, so the operation must have worked.
        [ $rc -eq 0 ] || fail "$op $kind:$n: no fault left, yet failed: $(cat "$WORK/err")"
        applied || fail "$op $kind:$n: no fault left, yet the change is missing"
        [ "$n" -gt 1 ] || fail "$op: no $kind event at all: nothing was walked"
        [ "$kind" != sync ] || [ $unsynced_runs -ge 1 ] || fail "$op: no sync struck after a commit frame"
        walked="$walked $op/$kind=$((n - 1))"
        break
      fi
      if [ "$n" -gt $((seen - closing)) ]; then
        closing_rule "$kind" "$n"
        ok "$op $kind:$n: after the last commit (checkpoint at close): applied whole, success"
      else
        failed_rule "$kind" "$n"
        if [ "$(awk '$1 == "unsynced-commit" { print $2 }' "$REPORT")" = 1 ]; then
          unsynced_runs=$((unsynced_runs + 1))
          ok "$op $kind:$n: after the commit frame: unchanged: $(cat "$WORK/err")"
        else
          ok "$op $kind:$n: $(cat "$WORK/err")"
        fi
        case $kind in sync | io) killed_rule "$kind" "$n" "$@" ;; esac
      fi
      n=$((n + 1))
    done
  done
}

# A CA and a template: what the operations start from.
# Ten years, so that nothing it signs is clamped to its end (a note on stdout).
pk /certificate add name=ca common-name=ca key-size=prime256v1 key-usage=key-cert-sign,crl-sign days-valid=3650 \
  >/dev/null
pk /certificate sign ca >/dev/null
pk /certificate add name=ee common-name=ee key-size=prime256v1 >/dev/null

# (1) sign a template by the CA
op=sign
applied () { [ "$(prop /certificate ee ca)" = ca ]; }
save_base
walk /certificate sign ee ca=ca

# (2) import a PKCS#12: a key, its certificate and a two-certificate chain
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout root.key -out root.pem -days 30 \
  -subj /CN=p12-root -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  2>/dev/null || fail "openssl: root"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout inter.key -out inter.csr \
  -subj /CN=p12-inter 2>/dev/null || fail "openssl: intermediate request"
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' > ca.ext
openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -set_serial 2 -days 20 -extfile ca.ext -out inter.pem \
  2>/dev/null || fail "openssl: intermediate"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout leaf.key -out leaf.csr \
  -subj /CN=p12-leaf 2>/dev/null || fail "openssl: leaf request"
openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key -set_serial 3 -days 10 -out leaf.pem \
  2>/dev/null || fail "openssl: leaf"
cat inter.pem root.pem > chain.pem
openssl pkcs12 -export -in leaf.pem -inkey leaf.key -certfile chain.pem -passout pass:secret -out bundle.p12 \
  2>/dev/null || fail "openssl: pkcs12"
op=import
applied () {
  [ "$(pk /certificate print count-only where name~"^bundle[.]p12_")" = 3 ] \
    && [ "$(pk /certificate print count-only where private-key and common-name=p12-leaf)" = 1 ]
}
walk /certificate import file-name=bundle.p12 passphrase=secret

# (3) remove a CA that issued certificates: ee and a sub-CA that issued
# ee2; the cascade takes all four
fresh
pk /certificate sign ee ca=ca >/dev/null
pk /certificate add name=sub common-name=sub key-size=prime256v1 key-usage=key-cert-sign,crl-sign >/dev/null
pk /certificate sign sub ca=ca >/dev/null
pk /certificate add name=ee2 common-name=ee2 key-size=prime256v1 >/dev/null
pk /certificate sign ee2 ca=sub >/dev/null
save_base
op=remove
applied () { [ "$(pk /certificate print count-only)" = 0 ]; }
walk /certificate remove ca

# (4) revoke what the CA issued
op=revoke
applied () { [[ $(flags_of ee) == *R* ]]; }
walk /certificate issued-revoke ee

echo "walked:$walked"
ok "every N of write, commit, sync and io for sign, import, remove and revoke, in $((SECONDS - STARTED)) s"
