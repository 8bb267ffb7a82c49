#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Issuance and print speed, pkiman beside its floor and its peer, in one run:
#   tests/bench/run.sh [BUILD_DIR]   (default: build)
# 1. pkiman: one script issues EC_COUNT P-256 and RSA_COUNT RSA-2048 end-entity
#    certificates from an EC CA (add + sign ca= each).
# 2. raw GnuTLS (bench-raw): the same key generations and signatures, nothing else.
# 3. certtool: the usual shell loop, a key and a certificate per iteration.
# 4. print over PRINT_COUNT certificates.
# 5. durability: the EC script also with [store] synchronous=normal (in turns
#    with the default FULL, DUR_ROUNDS slices each); the
#    fdatasync calls and the time inside them (strace, SYNC_COUNT certificates
#    each way); one write + fdatasync on the same file system (bench-fsync).
# Prints Markdown tables for docs/PERFORMANCE.md. Nothing here asserts a time.
# BENCH_DIR: where the stores live (default: a temporary directory), so the
# fsyncs hit the file system a real store would.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
PKIMAN=$build/framework/pkiman
RAW=$build/tests/bench/bench-raw
FSYNC=$build/tests/bench/bench-fsync
EC_COUNT=${EC_COUNT:-1000} RSA_COUNT=${RSA_COUNT:-200} CERTTOOL_COUNT=${CERTTOOL_COUNT:-100}
PRINT_COUNT=${PRINT_COUNT:-10000} SYNC_COUNT=${SYNC_COUNT:-200} DUR_ROUNDS=${DUR_ROUNDS:-4}
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/pkiman-bench.XXXXXX"); trap 'rm -rf "$work"' EXIT
cd "$work"

secs () { python3 -c 'import sys,time; print("%.6f" % float(sys.argv[1]))' "$1"; }
timeit () { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); python3 -c "print('%.6f' % ($e - $s))"; }
per () { [ "$1" = n/a ] && echo n/a || python3 -c "print('%.3f' % ($1 * 1000.0 / $2))"; }
ratio () { python3 -c "print('%.2f' % ($1 / $2))"; }
per_n () { [ "$1" = n/a ] && echo n/a || python3 -c "print('%.2f' % ($1 / $2))"; }

issue_script () { # prefix count key-size [first]
  { echo /certificate
    for i in $(seq "${4:-1}" $((${4:-1} + $2 - 1))); do
      echo "add name=$1$i common-name=$1$i.example subject-alt-name=DNS:$1$i.example key-size=$3 key-usage=digital-signature,tls-server"
      echo "sign $1$i ca=ca"
    done; } > "$1${4:-}.rsc"
}

new_store () { # state-dir [pkiman options]: a fresh store holding the CA
  export PKIMAN_STATE_DIR=$1; shift
  $PKIMAN "$@" /certificate add name=ca common-name=bench-ca key-size=prime256v1 key-usage=key-cert-sign,crl-sign
  $PKIMAN "$@" /certificate sign ca >/dev/null
}
# EC: FULL (the default) and NORMAL in turns, DUR_ROUNDS slices each, so a
# change in the machine's load falls on both alike.
printf '[store]\nsynchronous=normal\n' > normal.conf
new_store "$work/state-normal" --config normal.conf
new_store "$work/state"
t_ec=0 t_ec_normal=0
slice=$((EC_COUNT / DUR_ROUNDS))
for r in $(seq 0 $((DUR_ROUNDS - 1))); do
  issue_script ec "$slice" prime256v1 $((r * slice + 1))
  t=$(timeit sh -c "PKIMAN_STATE_DIR=$work/state-normal $PKIMAN --config normal.conf < ec$((r * slice + 1)).rsc")
  t_ec_normal=$(python3 -c "print($t_ec_normal + $t)")
  t=$(timeit sh -c "$PKIMAN < ec$((r * slice + 1)).rsc")
  t_ec=$(python3 -c "print($t_ec + $t)")
done
EC_COUNT=$((slice * DUR_ROUNDS))
issue_script rsa "$RSA_COUNT" 2048
t_rsa=$(timeit sh -c "$PKIMAN < rsa.rsc")
raw_ec=$($RAW ec "$EC_COUNT")
raw_rsa=$($RAW rsa "$RSA_COUNT")

# The fsyncs themselves: calls and time inside them (strace -w: wall time per
# call), per certificate, on a smaller run each way; then the bare disk.
issue_script sync "$SYNC_COUNT" prime256v1
sync_stats () { # state-dir [pkiman options] -> "calls seconds" for fsync + fdatasync
  local dir=$1; shift
  if ! command -v strace >/dev/null; then echo "n/a n/a"; return; fi
  new_store "$dir" "$@"
  strace -f -c -w -e trace=fsync,fdatasync -o "$dir.strace" $PKIMAN "$@" < sync.rsc >/dev/null
  awk '$NF == "total" { print $4, $2 }' "$dir.strace"
}
read -r sync_full_calls sync_full_secs < <(sync_stats "$work/sync-full")
read -r sync_normal_calls sync_normal_secs < <(sync_stats "$work/sync-normal" --config normal.conf)
fsync_grow=$($FSYNC "$work" 500 4096 append)
fsync_rewrite=$($FSYNC "$work" 500 4096 overwrite)
export PKIMAN_STATE_DIR=$work/state

# certtool: CA once, then a key and a certificate per iteration.
certtool --generate-privkey --key-type ecdsa --curve secp256r1 --outfile ca.key 2>/dev/null
printf 'cn = bench-ca\nca\ncert_signing_key\ncrl_signing_key\nexpiration_days = 3650\n' > ca.tmpl
certtool --generate-self-signed --load-privkey ca.key --template ca.tmpl --outfile ca.pem 2>/dev/null
printf 'cn = bench\ndns_name = bench.example\nsigning_key\ntls_www_server\nexpiration_days = 365\n' > ee.tmpl
ct_loop () { # key-args...
  for i in $(seq 1 "$CERTTOOL_COUNT"); do
    certtool --generate-privkey "$@" --outfile k.pem 2>/dev/null
    certtool --generate-certificate --load-privkey k.pem --load-ca-certificate ca.pem --load-ca-privkey ca.key \
      --template ee.tmpl --outfile c.pem 2>/dev/null
  done
}
t_ct_ec=$(timeit ct_loop --key-type ecdsa --curve secp256r1)
t_ct_rsa=$(timeit ct_loop --key-type rsa --bits 2048)

# print over PRINT_COUNT certificates (EC_COUNT + RSA_COUNT + 1 exist already).
have=$((EC_COUNT + RSA_COUNT + 1))
if [ "$have" -lt "$PRINT_COUNT" ]; then
  issue_script fill $((PRINT_COUNT - have)) prime256v1
  $PKIMAN < fill.rsc
fi
n=$($PKIMAN /certificate print count-only)
t_print=$(timeit $PKIMAN /certificate print)
t_detail=$(timeit $PKIMAN /certificate print detail)
t_where=$(timeit $PKIMAN /certificate print count-only where name~"^ec1")
t_json=$(timeit $PKIMAN --json /certificate print)

cat <<MD
| work | pkiman | raw GnuTLS | certtool loop | pkiman / raw | certtool / pkiman |
|---|---|---|---|---|---|
| EC P-256 end-entity, per certificate ($EC_COUNT) | $(per "$t_ec" "$EC_COUNT") ms | $(python3 -c "print('%.3f' % ($raw_ec*1000))") ms | $(per "$t_ct_ec" "$CERTTOOL_COUNT") ms | $(ratio "$(python3 -c "print($t_ec/$EC_COUNT)")" "$raw_ec") | $(ratio "$(python3 -c "print($t_ct_ec/$CERTTOOL_COUNT)")" "$(python3 -c "print($t_ec/$EC_COUNT)")") |
| RSA-2048 end-entity, per certificate ($RSA_COUNT) | $(per "$t_rsa" "$RSA_COUNT") ms | $(python3 -c "print('%.3f' % ($raw_rsa*1000))") ms | $(per "$t_ct_rsa" "$CERTTOOL_COUNT") ms | $(ratio "$(python3 -c "print($t_rsa/$RSA_COUNT)")" "$raw_rsa") | $(ratio "$(python3 -c "print($t_ct_rsa/$CERTTOOL_COUNT)")" "$(python3 -c "print($t_rsa/$RSA_COUNT)")") |

| print over $n certificates | seconds |
|---|---|
| \`print\` | $(secs "$t_print") |
| \`print detail\` | $(secs "$t_detail") |
| \`print count-only where name~"^ec1"\` | $(secs "$t_where") |
| \`--json print\` | $(secs "$t_json") |

| durability, per EC P-256 certificate (add + sign: 2 commits) | ms |
|---|---|
| pkiman, \`synchronous=FULL\` (the default; $EC_COUNT) | $(per "$t_ec" "$EC_COUNT") |
| pkiman, \`synchronous=NORMAL\` ($EC_COUNT) | $(per "$t_ec_normal" "$EC_COUNT") |
| FULL - NORMAL | $(python3 -c "print('%.3f' % (($t_ec - $t_ec_normal) * 1000.0 / $EC_COUNT))") |
| raw GnuTLS (bench-raw) | $(python3 -c "print('%.3f' % ($raw_ec*1000))") |
| fsync + fdatasync calls per certificate, FULL / NORMAL (strace, $SYNC_COUNT) | $(per_n "$sync_full_calls" "$SYNC_COUNT") / $(per_n "$sync_normal_calls" "$SYNC_COUNT") |
| time inside them per certificate, FULL / NORMAL (strace -w) | $(per "$sync_full_secs" "$SYNC_COUNT") / $(per "$sync_normal_secs" "$SYNC_COUNT") |
| one 4 KiB write + fdatasync, growing / rewritten file (bench-fsync) | $(python3 -c "print('%.3f / %.3f' % ($fsync_grow*1000, $fsync_rewrite*1000))") |

File system of the stores: $(df -T "$work" | awk 'NR == 2 { print $2 }'); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg).
MD
