#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# pkimand's REST API, measured on loopback beside Debian's cfssl:
#   tests/bench/rest.sh [BUILD_DIR]
# - GET /rest/certificate with 100 and 10,000 entries: wrk over HTTPS,
#   requests per second and p50/p99 latency (SECONDS each, CONNECTIONS).
# - Certificates issued per second, EC P-256, 16 concurrent clients over
#   HTTPS with keep-alive: pkimand (PUT a template, POST sign: the key is
#   made, sealed and stored, the certificate signed and stored, each step
#   committed) beside `cfssl serve` issuing the same certificates through
#   /api/v1/cfssl/newcert (key made, certificate signed, nothing stored).
# - pkimand's resident memory idle, and at its peak under each load.
# Prints Markdown; nothing here asserts a time.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
PKIMAN=$build/framework/pkiman PKIMAND=$build/framework/pkimand
SECONDS_EACH=${SECONDS_EACH:-10} ISSUE=${ISSUE:-800} CLIENTS=${CLIENTS:-16}
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/pkiman-rest.XXXXXX")
pid= cfssl_pid= sampler=
cleanup () {
  for p in $pid $cfssl_pid $sampler; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
export PKIMAN_STATE_DIR=$work/state
pk () { "$PKIMAN" "$@"; }
free_port () { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

pk /certificate add name=ca common-name="Bench CA" key-size=prime256v1 key-usage=key-cert-sign,crl-sign >/dev/null
pk /certificate sign ca >/dev/null
pk /certificate add name=srv common-name=localhost subject-alt-name=IP:127.0.0.1 key-size=prime256v1 >/dev/null
pk /certificate sign srv ca=ca >/dev/null
pk /certificate export-certificate ca file-name=ca >/dev/null
pk /user add name=bench group=full password=bench-password >/dev/null
port=$(free_port)
pk /ip service set www-ssl port="$port" certificate=srv disabled=no
pk /ip service disable www
fill () { # first last: EC P-256 certificates signed by ca
  { echo /certificate
    for i in $(seq "$1" "$2"); do
      echo "add name=c$i common-name=c$i.example key-size=prime256v1"
      echo "sign c$i ca=ca"
    done; } >fill.rsc
  pk <fill.rsc >/dev/null 2>&1
}
fill 1 98

"$PKIMAND" --foreground 2>"$work/pkimand.log" &
pid=$!
for _ in $(seq 100); do curl -s -o /dev/null --cacert ca.crt "https://127.0.0.1:$port/" && break; sleep 0.1; done
rss () { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; }
peak_file=$work/peak
sample_peak () { # in the background: the highest RSS seen, into $peak_file
  echo 0 >"$peak_file"
  ( while kill -0 "$pid" 2>/dev/null; do
      r=$(rss); [ "$r" -gt "$(cat "$peak_file")" ] && echo "$r" >"$peak_file"; sleep 0.2
    done ) &
  sampler=$!
}
stop_sampling () { kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=; }
sleep 1
idle_rss=$(rss)
idle_anon=$(awk '/^RssAnon/ { print $2 }' "/proc/$pid/status")

auth=$(printf 'bench:bench-password' | base64 -w0)
get_list () { # connections -> "req/s p50 p99"
  wrk -t2 -c"$1" -d"${SECONDS_EACH}s" --timeout 60s --latency -H "Authorization: Basic $auth" \
    "https://127.0.0.1:$port/rest/certificate" >wrk.out
  awk '/Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } END { print rps, p50, p99 }' wrk.out
}
sample_peak
read -r rps100 p50_100 p99_100 <<<"$(get_list 16)"
stop_sampling
peak100=$(cat "$peak_file")
kill "$pid"; wait "$pid" || true; pid=
fill 99 9998
"$PKIMAND" --foreground 2>>"$work/pkimand.log" &
pid=$!
for _ in $(seq 100); do curl -s -o /dev/null --cacert ca.crt "https://127.0.0.1:$port/" && break; sleep 0.1; done
[ "$(curl -s --cacert ca.crt -u bench:bench-password "https://127.0.0.1:$port/rest/certificate" \
  | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')" = 10000 ] || { echo "not 10,000 entries" >&2; exit 1; }
sample_peak
read -r rps10k p50_10k p99_10k <<<"$(get_list 4)"
stop_sampling
peak10k=$(cat "$peak_file")

# Issuance: the same client for both, 16 threads over HTTPS with keep-alive.
cat >issue.py <<'PY'
import http.client, json, ssl, sys, threading, time, base64
kind, port, total, clients, cafile = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
context = ssl.create_default_context(cafile=cafile)
auth = "Basic " + base64.b64encode(b"bench:bench-password").decode()
lock = threading.Lock()
run = "%x" % int(time.time() * 1000)
issued = [0]
failures = []
def one(connection, n):
    name = "issue-%s-%s-%d" % (kind, run, n)
    if kind == "pkimand":
        h = {"Authorization": auth, "Content-Type": "application/json"}
        connection.request("PUT", "/rest/certificate", json.dumps(
            {"name": name, "common-name": name + ".example", "subject-alt-name": "DNS:" + name + ".example",
             "key-size": "prime256v1"}), h)
        r = connection.getresponse(); r.read()
        if r.status != 200: return "PUT %d" % r.status
        connection.request("POST", "/rest/certificate/sign", json.dumps({".id": name, "ca": "ca"}), h)
    else:
        connection.request("POST", "/api/v1/cfssl/newcert", json.dumps(
            {"request": {"CN": name + ".example", "hosts": [name + ".example"], "key": {"algo": "ecdsa", "size": 256}}}),
            {"Content-Type": "application/json"})
    r = connection.getresponse(); body = r.read()
    if r.status != 200: return "%d %s" % (r.status, body[:200])
    if kind == "cfssl" and not json.loads(body)["result"]["certificate"]: return "no certificate"
    return None
def worker(k):
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context)
    for n in range(k, total, clients):
        error = one(connection, n)
        with lock:
            if error: failures.append(error)
            else: issued[0] += 1
start = time.monotonic()
threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.monotonic() - start
if failures: sys.exit("%d failed, e.g. %s" % (len(failures), failures[0]))
print("%.1f" % (issued[0] / elapsed))
PY
sample_peak
pkimand_rate=$(python3 issue.py pkimand "$port" "$ISSUE" "$CLIENTS" ca.crt)
stop_sampling
peak_issue=$(cat "$peak_file")
stored=$(( $(pk /certificate print count-only | grep -oE '[0-9]+' | tail -1) - 10000 ))

# cfssl serve with its own EC P-256 CA (openssl), on TLS with a server
# certificate of that CA, issuing the same requests.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout cfssl-ca-key.pem \
  -out cfssl-ca.pem -subj "/CN=cfssl Bench CA" -days 30 -addext basicConstraints=critical,CA:TRUE \
  -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout cfssl-tls-key.pem -out cfssl-tls.csr \
  -subj /CN=127.0.0.1 2>/dev/null
openssl x509 -req -in cfssl-tls.csr -CA cfssl-ca.pem -CAkey cfssl-ca-key.pem -CAcreateserial -days 30 \
  -extfile <(printf 'subjectAltName=IP:127.0.0.1\n') -out cfssl-tls.pem 2>/dev/null
cfssl_port=$(free_port)
cfssl serve -address 127.0.0.1 -port "$cfssl_port" -ca cfssl-ca.pem -ca-key cfssl-ca-key.pem \
  -tls-cert cfssl-tls.pem -tls-key cfssl-tls-key.pem >cfssl.log 2>&1 &
cfssl_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null --cacert cfssl-ca.pem "https://127.0.0.1:$cfssl_port/api/v1/cfssl/info" && break; sleep 0.1; done
cfssl_rate=$(python3 issue.py cfssl "$cfssl_port" "$ISSUE" "$CLIENTS" cfssl-ca.pem)
cfssl_rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$cfssl_pid/status")

echo "| what | pkimand | peer |"
echo "|---|---|---|"
echo "| \`GET /rest/certificate\`, 100 entries, 16 connections | $rps100 req/s, p50 $p50_100, p99 $p99_100 | |"
echo "| \`GET /rest/certificate\`, 10,000 entries, 4 connections | $rps10k req/s, p50 $p50_10k, p99 $p99_10k | |"
echo "| EC P-256 certificates issued per second, $CLIENTS clients, $ISSUE certificates | $pkimand_rate (PUT + POST sign; $stored stored) | cfssl serve newcert: $cfssl_rate (nothing stored) |"
echo "| resident memory idle (100 entries) | $((idle_rss / 1024)) MB ($((idle_anon / 1024)).$(( (idle_anon % 1024) * 10 / 1024 )) MB of it private, the rest library pages) | |"
echo "| resident memory at peak: GET 100 / GET 10,000 / issuing | $((peak100 / 1024)) / $((peak10k / 1024)) / $((peak_issue / 1024)) MB | cfssl after issuing: $((cfssl_rss / 1024)) MB |"
