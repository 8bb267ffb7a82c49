# SPDX-License-Identifier: LGPL-2.1-or-later
# pkimand over real HTTP on loopback (curl on the other end): /ip service
# configures it from the CLI, it serves the routes a plugin registered
# (tests/fixtures/fixture-loop.c) with 404, 405 and 413 where they belong,
# closes connections from clients outside address=, follows a port change
# made with the CLI without a restart, re-reads on SIGHUP, and exits 0 on
# SIGTERM leaving a store that reads back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"
: "${PKIMAND:?PKIMAND must name the pkimand binary}" "${FIXTURE_DIR:?}"
export PKIMAN_PLUGIN_PATH="$FIXTURE_DIR"
conf=$WORK/daemon.conf
printf '[plugins]\nfeatures=feature-loop\n' >"$conf"
pkc () { pk --config "$conf" "$@"; }

# /ip service as RouterOS has it: www on 80, www-ssl on 443 and disabled.
assert_contains "$(pkc /ip service print detail)" 'name="www" port=80 address= rest-api=no disabled=no' "www's defaults"
assert_contains "$(pkc /ip service print detail)" \
  'X name="www-ssl" port=443 address= certificate="none" tls-version="any" rest-api=yes disabled=yes' "www-ssl's defaults"
before=$(pkc /ip service print detail)
expect_error '^pkiman: port: 0 is out of range 1\.\.65535$' --config "$conf" /ip service set www port=0
expect_error '^pkiman: address: "bogus" is not an address or a network \(192\.0\.2\.0/24\)$' \
  --config "$conf" /ip service set www address=10.0.0.0/8,bogus
expect_error '^pkiman: certificate: www takes no certificate and no tls-version$' \
  --config "$conf" /ip service set www certificate=x
expect_error '^pkiman: certificate: no such certificate: nope$' --config "$conf" /ip service set www-ssl certificate=nope
pkc /certificate add name=tpl common-name=tpl >/dev/null
expect_error '^pkiman: certificate: tpl has no private key here' --config "$conf" /ip service set www-ssl certificate=tpl
assert_eq "$before" "$(pkc /ip service print detail)" "a refused set changes nothing"
ok "/ip service: defaults, and each bad value refused with one line"

port=$(free_port)
pkc /ip service set www port="$port"
"$PKIMAND" --config "$conf" --foreground 2>"$WORK/pkimand.log" &
pid=$!
base=http://127.0.0.1:$port
wait_for "$base/fixture/count"
assert_eq "POST /fixture/echo x=a b agent=t/1 body=hello" \
  "$(curl -s -A t/1 --data-binary hello "$base/fixture/echo?x=a%20b")" "a route gets method, path, query, headers, body"
assert_eq 418 "$(code "$base/fixture/else")" "the longest prefix wins"
assert_eq 404 "$(code "$base/nothing")" "no route: 404"
assert_eq 405 "$(code -X POST "$base/fixture/count")" "a route of another method: 405"
head -c 1200000 /dev/zero >big.bin
assert_eq 413 "$(code --data-binary @big.bin "$base/fixture/echo")" "a body over 1 MiB: 413"
ok "pkimand serves the plugin's routes on www: 200, 404, 405, 413"

# address=: a client outside the networks loses its connection.
pkc /ip service set www address=10.0.0.0/8
await_code 000 "127.0.0.1 outside address=10.0.0.0/8: no answer" "$base/fixture/count"
pkc /ip service set www address=192.0.2.0/24,127.0.0.0/8
wait_for "$base/fixture/count"
assert_eq 200 "$(code "$base/fixture/count")" "inside address=: served"
ok "address= closes connections from other clients, live"

# A new port from the CLI: the new one serves, the old one is closed, same process.
new_port=$(free_port)
pkc /ip service set www port="$new_port"
wait_for "http://127.0.0.1:$new_port/fixture/count"
await_code 000 "the old port is closed" "$base/fixture/count"
kill -0 "$pid" || fail "pkimand is gone"
ok "a port set with the CLI is live without a restart"

kill -HUP "$pid"
for _ in $(seq 50); do grep -q 'SIGHUP: reading /ip service again' "$WORK/pkimand.log" && break; sleep 0.1; done
grep -q 'SIGHUP: reading /ip service again' "$WORK/pkimand.log" || fail "SIGHUP is not logged"
assert_eq 200 "$(code "http://127.0.0.1:$new_port/fixture/count")" "still serving after SIGHUP"
pkc /ip service disable www
await_code 000 "disable www: not served" "http://127.0.0.1:$new_port/fixture/count"
ok "SIGHUP re-reads; disable stops the service"

stop_checked "SIGTERM"
ok "SIGTERM: pkimand exits 0 and the store reads back"

# www-ssl presents a certificate of the store with its chain: curl, openssl
# and gnutls-cli verify it against the local CA, and binding another one
# changes what new connections see, with no restart.
pkc /certificate add name=ca common-name="Daemon CA" key-size=prime256v1 key-usage=key-cert-sign,crl-sign >/dev/null
pkc /certificate sign ca >/dev/null
for n in srv1 srv2; do
  pkc /certificate add name=$n common-name=localhost subject-alt-name=DNS:localhost,IP:127.0.0.1 \
    key-size=prime256v1 key-usage=digital-signature,tls-server >/dev/null
  pkc /certificate sign $n ca=ca >/dev/null
done
pkc /certificate export-certificate ca >/dev/null
ssl_port=$(free_port)
pkc /ip service set www-ssl port="$ssl_port" certificate=srv1 disabled=no
"$PKIMAND" --config "$conf" --foreground 2>"$WORK/pkimand-ssl.log" &
pid=$!
wait_for --cacert cert_export_ca.crt "https://127.0.0.1:$ssl_port/"
assert_eq 404 "$(code --cacert cert_export_ca.crt "https://127.0.0.1:$ssl_port/fixture/count")" \
  "curl verifies www-ssl (the fixture's routes are on www: 404)"
served_fingerprint () {
  echo | openssl s_client -connect "127.0.0.1:$ssl_port" -CAfile cert_export_ca.crt -verify_return_error 2>/dev/null \
    | openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f
}
assert_eq "$(prop /certificate srv1 fingerprint)" "$(served_fingerprint)" "openssl verifies the chain and sees srv1"
gnutls-cli --x509cafile=cert_export_ca.crt --port="$ssl_port" 127.0.0.1 </dev/null >"$WORK/gnutls.out" 2>&1 \
  || fail "gnutls-cli does not verify www-ssl: $(tail -3 "$WORK/gnutls.out")"
pkc /ip service set www-ssl certificate=srv2
for _ in $(seq 50); do [ "$(served_fingerprint)" = "$(prop /certificate srv2 fingerprint)" ] && break; sleep 0.1; done
assert_eq "$(prop /certificate srv2 fingerprint)" "$(served_fingerprint)" "new connections see srv2"
kill -0 "$pid" || fail "pkimand is gone"
stop
pid=
ok "www-ssl: the bound certificate verifies with curl, openssl and gnutls-cli, and a rebind is live"

# Without --foreground it detaches once it listens: the parent's exit means ready.
pkc /ip service enable www
"$PKIMAND" --config "$conf" 2>"$WORK/detached.log" || fail "detached pkimand did not start"
assert_eq 200 "$(code "http://127.0.0.1:$new_port/fixture/count")" "served as soon as the parent exits"
pid=$(pgrep -f -- "--config $conf" | head -1)
[ -n "$pid" ] || fail "no detached pkimand"
kill -TERM "$pid"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "the detached pkimand did not stop"
pid=
ok "pkimand without --foreground detaches once ready and stops on SIGTERM"

# Under systemd: the unit verifies, and pkimand says READY=1 on $NOTIFY_SOCKET
# once it listens and STOPPING=1 on SIGTERM (Type=notify).
: "${BUILD_ROOT:?}"
sed "s|^ExecStart=[^ ]*|ExecStart=$PKIMAND|" "$BUILD_ROOT/data/pkimand.service" >"$WORK/pkimand.service"
systemd-analyze verify "$WORK/pkimand.service" >"$WORK/verify.out" 2>&1 \
  || fail "systemd-analyze verify: $(cat "$WORK/verify.out")"
for key in Type=notify ProtectSystem=strict PrivateTmp=yes NoNewPrivileges=yes StateDirectory=pkiman; do
  grep -qx "$key" "$WORK/pkimand.service" || fail "the unit lacks $key"
done
python3 - "$WORK/notify.sock" >"$WORK/notify.out" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
for _ in range(2):
    print(s.recv(4096).decode(), flush=True)
PY
listener=$!
for _ in $(seq 50); do [ -S "$WORK/notify.sock" ] && break; sleep 0.1; done
NOTIFY_SOCKET=$WORK/notify.sock "$PKIMAND" --config "$conf" --foreground 2>"$WORK/notify.log" &
pid=$!
for _ in $(seq 100); do grep -q READY=1 "$WORK/notify.out" && break; sleep 0.1; done
assert_eq 200 "$(code "http://127.0.0.1:$new_port/fixture/count")" "served once READY=1 is sent"
kill -TERM "$pid"
wait "$pid"
pid=
wait "$listener" || true
assert_eq "READY=1 STOPPING=1" "$(paste -sd' ' "$WORK/notify.out")" "sd_notify: READY=1, then STOPPING=1"
ok "the systemd unit verifies (Type=notify, hardened); pkimand notifies READY=1 and STOPPING=1"

# tls-version=: GIO sets TLS versions once per process, so pkimand applies
# it when it starts; then a client of another version gets no session.
pkc /ip service enable www-ssl >/dev/null
assert_eq "tls-version: pkimand applies it when it starts again" \
  "$(pkc /ip service set www-ssl tls-version=only-1.3)" "set tls-version says when it applies"
"$PKIMAND" --config "$conf" --foreground 2>"$WORK/tls.log" &
pid=$!
wait_for --cacert cert_export_ca.crt "https://127.0.0.1:$ssl_port/"
tls_session () { # openssl option -> the protocol of the session, or nothing
  echo | openssl s_client -connect "127.0.0.1:$ssl_port" -CAfile cert_export_ca.crt -verify_return_error "$1" 2>/dev/null \
    | awk -F', ' '/^New, / && $2 != "(NONE)" { print $2 }'
}
assert_eq TLSv1.3 "$(tls_session -tls1_3)" "only-1.3: a TLS 1.3 client gets a session"
[ -z "$(tls_session -tls1_2)" ] || fail "only-1.3: a TLS 1.2 client got a session"
stop
pid=
pkc /ip service set www-ssl tls-version=only-1.2 >/dev/null
"$PKIMAND" --config "$conf" --foreground 2>>"$WORK/tls.log" &
pid=$!
wait_for --cacert cert_export_ca.crt "https://127.0.0.1:$ssl_port/"
assert_eq TLSv1.2 "$(tls_session -tls1_2)" "only-1.2: a TLS 1.2 client gets a session"
[ -z "$(tls_session -tls1_3)" ] || fail "only-1.2: a TLS 1.3 client got a session"
gnutls-cli --x509cafile=cert_export_ca.crt --port="$ssl_port" 127.0.0.1 </dev/null >"$WORK/gnutls12.out" 2>&1 \
  || fail "gnutls-cli does not connect with TLS 1.2: $(tail -3 "$WORK/gnutls12.out")"
grep -q 'TLS1.2' "$WORK/gnutls12.out" || fail "gnutls-cli did not negotiate TLS 1.2"
pkc /ip service set www-ssl tls-version=any >/dev/null
for _ in $(seq 50); do grep -q 'tls-version=any takes effect when pkimand starts again' "$WORK/tls.log" && break; sleep 0.1; done
grep -q 'tls-version=any takes effect when pkimand starts again' "$WORK/tls.log" || fail "a live change is not logged"
stop
pid=
ok "tls-version=only-1.3 and only-1.2 hold against openssl and gnutls-cli; a change applies at the next start"
