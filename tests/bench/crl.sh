#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# CRLs of a hundred thousand and a million entries, pkiman beside openssl:
#   tests/bench/crl.sh [BUILD_DIR]
# COUNTS: the revocation counts (default "100000 1000000").
# For each count, router A (a state directory with an EC CA) gets COUNT
# revocations (bench-revocations, which also writes them as openssl's
# index.txt), then:
#   issue     pkiman issued-revoke of one more certificate, which issues the
#             CA's CRL (COUNT + 1 entries), beside `openssl ca -gencrl` over the
#             same index.txt (COUNT + 1 lines) with the same key;
#   download  router B, the CA imported as trusted, `crl download` over HTTP
#             from A's pkimand: fetch, parse, verify the signature, keep;
#   query     `print` of one certificate on B with crl-use=yes: the stored CRL
#             loaded and indexed, the certificate looked up; beside
#             `openssl crl -noout` parsing the same DER.
# Time is wall time and memory is peak RSS (GNU time). The memory bound of
# the CRL issue (2 x DER size + 16 MB) is printed beside. Prints Markdown for
# docs/PERFORMANCE.md; nothing here asserts a time.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
PKIMAN=$build/framework/pkiman
PKIMAND=$build/framework/pkimand
FILL=$build/tests/bench/bench-revocations
COUNTS=${COUNTS:-100000 1000000}
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/pkiman-crl.XXXXXX")
daemon=
trap '[ -z "$daemon" ] || kill "$daemon" 2>/dev/null || true; rm -rf "$work"' EXIT
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
cd "$work"

free_port () { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
measure () { # command... -> "seconds megabytes" (wall time, peak RSS)
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>>"$work/stderr.log"
  awk '{ printf "%.2f %.1f", $1, $2 / 1024 }' "$work/time"
}
mb () { python3 -c "import os, sys; print('%.2f' % (os.path.getsize(sys.argv[1]) / 1e6))" "$1"; }
json_field () { # json-print-command... field-last
  local field=${*: -1}
  "${@:1:$#-1}" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0][sys.argv[1]])' "$field"
}

echo "| entries | step | pkiman s | pkiman MB | openssl s | openssl MB | CRL MB | bound MB |"
echo "|---|---|---|---|---|---|---|---|"
for count in $COUNTS; do
  a=$work/a-$count b=$work/b-$count port=$(free_port)
  mkdir -m 700 "$a" "$b"
  export PKIMAN_STATE_DIR=$a
  $PKIMAN /certificate add name=ca common-name=bench-ca key-size=prime256v1 key-usage=key-cert-sign,crl-sign
  $PKIMAN /certificate sign ca ca-crl-host="127.0.0.1:$port" >/dev/null
  $PKIMAN /certificate add name=leaf common-name=leaf.example key-size=prime256v1
  $PKIMAN /certificate sign leaf ca=ca >/dev/null
  $PKIMAN /certificate export-certificate ca export-passphrase=bench-pass >/dev/null
  $PKIMAN /certificate export-certificate leaf >/dev/null
  ca_serial=$(json_field $PKIMAN --json /certificate print where name=ca serial-number)
  leaf_serial=$(json_field $PKIMAN --json /certificate print where name=leaf serial-number)
  "$FILL" ca "$count" index.txt

  read -r t_issue m_issue <<<"$(measure $PKIMAN /certificate issued-revoke leaf)"

  # openssl: the same revocations and the leaf's, the same key, one day.
  printf 'R\t%s\t%s,unspecified\t%s\tunknown\t/CN=leaf.example\n' \
    "$(date -u -d '+1 year' +%y%m%d%H%M%SZ)" "$(date -u +%y%m%d%H%M%SZ)" "$leaf_serial" >>index.txt
  echo 1000 >crlnumber
  printf '[ca]\ndefault_ca=bench\n[bench]\ndatabase=index.txt\ncrlnumber=crlnumber\ndefault_md=sha256\ndefault_crl_days=1\n' >ca.cnf
  read -r t_openssl m_openssl <<<"$(measure openssl ca -gencrl -config ca.cnf -keyfile cert_export_ca.key \
    -cert cert_export_ca.crt -passin pass:bench-pass -out openssl.crl)"

  # A's pkimand serves the CRL at the distribution point; B downloads it.
  $PKIMAN /ip service set www port="$port"
  "$PKIMAND" --foreground 2>"$work/pkimand-$count.log" & daemon=$!
  for _ in $(seq 100); do curl -sf -o a.crl "http://127.0.0.1:$port/crl/$ca_serial.crl" && break; sleep 0.2; done
  openssl crl -in openssl.crl -outform DER -out openssl.der
  export PKIMAN_STATE_DIR=$b
  $PKIMAN /certificate import file-name=cert_export_ca.crt >/dev/null
  # A million entries are 47 MB, past the default limit of 16 MiB.
  $PKIMAN /certificate settings set crl-max-size=134217728
  $PKIMAN /certificate import file-name=cert_export_leaf.crt name=leaf >/dev/null
  read -r t_download m_download <<<"$(measure $PKIMAN /certificate crl download)"
  kill "$daemon"; wait "$daemon" 2>/dev/null || true; daemon=
  $PKIMAN /certificate settings set crl-use=yes
  read -r t_query m_query <<<"$(measure $PKIMAN /certificate print where name=leaf)"
  read -r t_parse m_parse <<<"$(measure openssl crl -inform DER -in a.crl -noout)"
  status=$(json_field $PKIMAN --json /certificate print where name=leaf chain-status)
  revoked=$(json_field $PKIMAN --json /certificate crl print revoked)
  [ "$status" = revoked ] && [ "$revoked" = $((count + 1)) ] ||
    { echo "B sees chain-status=$status and $revoked revoked, not revoked and $((count + 1))" >&2; exit 1; }

  size=$(mb a.crl)
  bound=$(python3 -c "print('%.1f' % (2 * $size + 16))")
  echo "| $count | issue | $t_issue | $m_issue | $t_openssl | $m_openssl | $size (openssl $(mb openssl.der)) | |"
  echo "| $count | download | $t_download | $m_download | | | $size | $bound |"
  echo "| $count | query | $t_query | $m_query | $t_parse | $m_parse | $size | $bound |"
  rm -rf "$a" "$b" a.crl openssl.crl openssl.der index.txt* crlnumber*
done
