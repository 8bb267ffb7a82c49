#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# print at scale, per store, beside a plain sqlite3 query of the same rows:
#   tests/bench/print-scale.sh [BUILD_DIR]
# COUNTS: the store sizes (default "10000 100000"); STORES: "sqlite files".
# Each store is filled once (EC P-256 certificates signed by one CA, in
# scripts of 10,000 lines, synchronous=normal so the fill is quick), then
# each print runs ROUNDS times and the median is kept. The sqlite3 baseline
# reads id, name and the record of every certificate row: what any print
# must at least read. Prints a Markdown table; nothing here asserts a time.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
PKIMAN=$build/framework/pkiman
COUNTS=${COUNTS:-10000 100000} STORES=${STORES:-sqlite files} ROUNDS=${ROUNDS:-5}
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/pkiman-print.XXXXXX"); trap 'rm -rf "$work"' EXIT
cd "$work"

median () { # command... -> seconds (median of ROUNDS wall times)
  for _ in $(seq "$ROUNDS"); do
    local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
    python3 -c "print($e - $s)"
  done | sort -g | awk '{ a[NR] = $1 } END { printf "%.3f", a[int((NR + 1) / 2)] }'
}

fill () { # store-conf first last
  { echo /certificate
    for i in $(seq "$2" "$3"); do
      echo "add name=c$i common-name=c$i.example subject-alt-name=DNS:c$i.example key-size=prime256v1"
      echo "sign c$i ca=ca"
    done; } > fill.rsc
  $PKIMAN --config "$1" < fill.rsc >/dev/null 2>&1
}

echo "| store | certificates | \`print\` | \`print detail\` | \`print count-only where expired\` | \`--json print\` | sqlite3 baseline |"
echo "|---|---|---|---|---|---|---|"
for store in $STORES; do
  conf=$work/$store.conf
  printf '[plugins]\nstore=%s\n[store]\nsynchronous=normal\n' "$store" > "$conf"
  [ "$store" = files ] && printf '[plugins]\nstore=files\n' > "$conf"
  export PKIMAN_STATE_DIR=$work/state-$store
  $PKIMAN --config "$conf" /certificate add name=ca common-name=ca key-size=prime256v1 key-usage=key-cert-sign,crl-sign
  $PKIMAN --config "$conf" /certificate sign ca >/dev/null
  have=1
  for n in $COUNTS; do
    while [ "$have" -lt "$n" ]; do
      last=$((have + 10000 < n ? have + 10000 : n))
      fill "$conf" "$have" "$((last - 1))"
      have=$last
    done
    t_print=$(median $PKIMAN --config "$conf" /certificate print)
    t_detail=$(median $PKIMAN --config "$conf" /certificate print detail)
    t_count=$(median $PKIMAN --config "$conf" /certificate print count-only where expired)
    t_json=$(median $PKIMAN --config "$conf" --json /certificate print)
    baseline=n/a
    if [ -f "$PKIMAN_STATE_DIR/pkiman.db" ]; then
      baseline=$(median sqlite3 "$PKIMAN_STATE_DIR/pkiman.db" \
        "SELECT id, name, data FROM records WHERE collection = 'certificate' ORDER BY id")
    fi
    echo "| $store | $n | $t_print s | $t_detail s | $t_count s | $t_json s | $baseline s |"
  done
done
