# SPDX-License-Identifier: LGPL-2.1-or-later
# plugins/crl between two routers on loopback. Router A (its own state
# directory) has a local CA; its pkimand serves the CA's CRL, which openssl
# and certtool verify. Router B imports that CA as trusted, downloads the
# CRL from the CA's distribution point, and sees the revoked certificate R
# and chain-status=revoked. The distribution point is a server of this test
# (crl-server.py) that relays A's CRL or misbehaves: each way a download can
# go wrong is one clear error, the CRL kept before stays, and the next
# download works again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"
# Every download here is to loopback, never through a proxy of the environment.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY

mkdir -m 700 "$WORK/a"
pa () { PKIMAN_STATE_DIR=$WORK/a pk "$@"; }
pa_json () { PKIMAN_STATE_DIR=$WORK/a pk --json "$@"; }
a_port=$(free_port)
dp_port=$(free_port)
serve=$WORK/serve
mkdir "$serve"
echo good >"$serve/mode"
python3 "$(dirname "$0")/crl-server.py" "$dp_port" "$serve" &
dp=$!
trap 'kill $dp 2>/dev/null || true; finish' EXIT
serial_of () { # json-print-command name
  "$@" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["serial-number"])'
}
crl_num () { pk --json /certificate crl print | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["num"])'; }
crl_field () { pk --json /certificate crl print | python3 -c '
import json, sys
v = json.load(sys.stdin)[0][sys.argv[1]]
print(("yes" if v else "no") if isinstance(v, bool) else v)' "$1"; }

# -- router A: a CA whose certificates point at the distribution point --
pa /certificate add name=ca common-name="Router A CA" key-usage=key-cert-sign,crl-sign key-size=prime256v1 >/dev/null
pa /certificate sign ca ca-crl-host="127.0.0.1:$dp_port" >/dev/null
for n in good bad; do
  pa /certificate add name=$n common-name=$n.example key-size=prime256v1 >/dev/null
  pa /certificate sign $n ca=ca >/dev/null
done
pa /certificate issued-revoke bad reason=key-compromise
ca_serial=$(serial_of pa_json /certificate print where name=ca)
bad_serial=$(serial_of pa_json /certificate print where name=bad)
pa /ip service set www port="$a_port"
PKIMAN_STATE_DIR=$WORK/a "$PKIMAND" --foreground 2>"$WORK/pkimand.log" &
pid=$!
crl_url=http://127.0.0.1:$a_port/crl/$ca_serial.crl
wait_for "$crl_url"
for n in ca good bad; do pa /certificate export-certificate $n >/dev/null; done

curl -s -D "$WORK/headers" -o ca.crl "$crl_url"
assert_contains "$(cat "$WORK/headers")" "Content-Type: application/pkix-crl" "DER by default"
etag=$(awk -F': ' 'tolower($1) == "etag" { print $2 }' "$WORK/headers" | tr -d '\r')
assert_match "$etag" '^"[0-9a-f]{32}"$' "a strong ETag"
assert_match "$(cat "$WORK/headers")" 'Cache-Control: public, max-age=(8[0-9]{4}|86400)' "cacheable until nextUpdate"
assert_contains "$(cat "$WORK/headers")" "Expires: " "Expires"
assert_eq 304 "$(code -H "If-None-Match: $etag" "$crl_url")" "If-None-Match: 304"
curl -s -o second.crl "$crl_url"
cmp -s ca.crl second.crl || fail "two fetches of one CRL differ"
curl -s -o ca.pem "$crl_url?pem"
openssl crl -in ca.pem -outform DER -out pem.der
cmp -s ca.crl pem.der || fail "?pem is not the same CRL"
assert_eq 404 "$(code "http://127.0.0.1:$a_port/crl/00FF.crl")" "no local CA with that serial: 404"
assert_eq 404 "$(code "http://127.0.0.1:$a_port/crl/../x.crl")" "not a serial: 404"
ok "pkimand serves the CA's CRL at its distribution point path: DER, PEM, ETag, 304, cache headers"

text=$(openssl crl -inform DER -in ca.crl -CAfile cert_export_ca.crt -verify -noout -text 2>&1)
assert_contains "$text" "verify OK" "openssl crl -verify"
assert_contains "$text" "Version 2" "a v2 CRL"
assert_contains "$text" "Serial Number: $bad_serial" "the revoked serial is listed"
assert_contains "$text" "Key Compromise" "with its reason"
assert_contains "$text" "X509v3 Authority Key Identifier" "AKID"
assert_contains "$text" "X509v3 CRL Number" "a CRL number"
assert_contains "$(certtool --verify-crl --load-ca-certificate cert_export_ca.crt --infile ca.pem 2>&1)" "Verified" \
  "certtool --verify-crl"
assert_contains "$(certtool --crl-info --infile ca.pem 2>&1)" "$(echo "$bad_serial" | tr 'A-F' 'a-f')" \
  "certtool lists the serial"
openssl verify -crl_check -CAfile cert_export_ca.crt -CRLfile ca.pem cert_export_good.crt >/dev/null \
  || fail "openssl verify -crl_check rejects the good certificate"
assert_contains "$(openssl verify -crl_check -CAfile cert_export_ca.crt -CRLfile ca.pem cert_export_bad.crt 2>&1)" \
  "certificate revoked" "openssl verify -crl_check rejects the revoked one"
ok "openssl and certtool verify the CRL; openssl verify -crl_check rejects the revoked certificate only"

# The URL inside a certificate is where the CRL is: a CA pointing at A itself.
pa /certificate add name=direct common-name="Direct CA" key-usage=key-cert-sign,crl-sign key-size=prime256v1 >/dev/null
pa /certificate sign direct ca-crl-host="127.0.0.1:$a_port" >/dev/null
pa /certificate add name=leaf common-name=leaf.example key-size=prime256v1 >/dev/null
pa /certificate sign leaf ca=direct >/dev/null
pa /certificate export-certificate leaf >/dev/null
cdp=$(openssl x509 -in cert_export_leaf.crt -noout -ext crlDistributionPoints | sed -n 's/^ *URI://p')
assert_match "$cdp" "^http://127\.0\.0\.1:$a_port/crl/[0-9A-F]+\.crl$" "the certificate's distribution point"
curl -sf -o direct.crl "$cdp" || fail "nothing at the distribution point $cdp"
openssl crl -inform DER -in direct.crl -noout -issuer | grep -q "Direct CA" || fail "the CDP serves another CA's CRL"
ok "the URL in a certificate's CRL distribution point serves its CA's CRL"

# -- router B: A's CA imported as trusted, the CRL downloaded --
printf '[crl]\nfetch-timeout=2\ndownload-interval=2\n' >"$WORK/b.conf"
export PKIMAN_CONFIG=$WORK/b.conf
cp ca.crl "$serve/body"
pk /certificate import file-name=cert_export_ca.crt >/dev/null
pk /certificate import file-name=cert_export_good.crt name=good >/dev/null
pk /certificate import file-name=cert_export_bad.crt name=bad >/dev/null
pk /certificate settings set crl-use=yes
assert_eq "crl-unavailable" "$(prop /certificate bad chain-status)" "crl-use=yes without a CRL: crl-unavailable"
assert_eq "crl-unavailable" "$(prop /certificate good chain-status)" "the good one too"
pk /certificate crl download >"$WORK/out"
assert_contains "$(cat "$WORK/out")" "1 revoked, signed by" "download says what it kept"
assert_eq "http://127.0.0.1:$dp_port/crl/$ca_serial.crl" "$(crl_field url)" "a dynamic entry from the CA's distribution point"
assert_eq yes "$(crl_field dynamic)" "flag D"
assert_eq "$(sha256sum <ca.crl | cut -d' ' -f1)" "$(crl_field fingerprint)" "B keeps exactly what A serves"
assert_eq 1 "$(crl_field revoked)" "one revoked"
num=$(crl_num)
assert_match "$(flags_of bad | tr -d ' ')" 'R' "the revoked certificate is R on B"
assert_match "$(flags_of bad | tr -d ' ')" 'L' "and L: its CRL is here"
assert_eq "revoked" "$(prop /certificate bad chain-status)" "chain-status=revoked"
assert_eq "valid" "$(prop /certificate good chain-status)" "the good one is valid"
assert_match "$(prop /certificate bad revoked)" '^20[0-9]{2}-' "revoked shows the CRL's date"
ok "router B downloads A's CRL: the revoked certificate R, chain-status=revoked; the other valid"

# A revocation on A reaches B at the next download.
pa /certificate issued-revoke good reason=superseded
curl -s -o ca.crl "$crl_url"
cp ca.crl "$serve/body"
pk /certificate crl download >/dev/null
assert_eq "revoked" "$(prop /certificate good chain-status)" "A's second revocation is seen on B"
assert_eq 2 "$(crl_field revoked)" "two revoked"
[ "$(crl_num)" != "$num" ] || fail "the CRL number did not move"
num=$(crl_num)
ok "a revocation on A shows up on B after a download"

# The same CRL again: If-None-Match, a 304, and what was kept stays whole.
fingerprint=$(crl_field fingerprint)
assert_contains "$(pk /certificate crl download)" "not modified" "an unchanged CRL is not fetched again"
assert_eq "$fingerprint" "$(crl_field fingerprint)" "after a 304 the CRL kept is the same"
assert_eq "revoked" "$(prop /certificate good chain-status)" "and still read: the revocation is seen"
ok "an unchanged CRL: HTTP 304, the CRL kept stays"

# -- everything that can go wrong: one error, the CRL kept, the next time works --
failing () { # mode regex what
  echo "$1" >"$serve/mode"
  expect_refused "$2" /certificate crl download
  assert_eq "$num" "$(crl_num)" "$3: the CRL kept before stays"
  assert_eq revoked "$(prop /certificate bad chain-status)" "$3: still revoked"
  assert_eq yes "$(crl_field invalid)" "$3: the entry is I"
  assert_match "$(crl_field last-error)" "$2" "$3: the error is kept on the entry"
  echo good >"$serve/mode"
}
cp ca.crl good.crl
python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[-5] ^= 0xff; open(sys.argv[2], "wb").write(d)' \
  good.crl "$serve/body"
failing good "signature does not verify" "a tampered CRL"
head -c 100 good.crl >"$serve/body"
failing good "not a valid CRL" "a cut CRL"
cp good.crl "$serve/body"
failing 404 "HTTP 404" "HTTP 404"
failing truncated "cut short" "a truncated body"
failing loop "more than 5 redirects" "a redirect loop"
started=$(date +%s)
failing hang "$dp_port/crl/$ca_serial\.crl: no answer within 2 s" "a server that never answers"
[ $(( $(date +%s) - started )) -lt 15 ] || fail "a server that never answers held the download past the timeout"
# Another CA's CRL at this distribution point: signed outside the chain.
pa /certificate add name=other common-name="Other CA" key-usage=key-cert-sign,crl-sign key-size=prime256v1 >/dev/null
pa /certificate sign other >/dev/null
pa /certificate export-certificate other >/dev/null
pk /certificate import file-name=cert_export_other.crt >/dev/null
curl -s -o "$serve/body" "http://127.0.0.1:$a_port/crl/$(serial_of pa_json /certificate print where name=other).crl"
failing good 'signed by "cert_export_other.crt.*", a certificate outside the chain of' "an unrelated CA's CRL"
head -c 4000 /dev/urandom >"$serve/body"
pk /certificate settings set crl-max-size=1024
failing good 'crl: CRL size exceeds the configured limit \(1024 bytes\)' "an oversized CRL"
pk /certificate settings set crl-max-size=16777216
cp good.crl "$serve/body"
pk /certificate crl download >/dev/null
assert_eq no "$(crl_field invalid)" "the next good download clears I"
assert_eq "" "$(crl_field last-error)" "and the error"
ok "tampered, cut, 404, truncated, redirect loop, no answer, unrelated CA, oversized: one error each, the CRL kept"

expect_error 'url: unsupported scheme "ldap"' /certificate crl add url=ldap://ldap.example/cn=crl
expect_error 'url: unsupported scheme "ftp"' /certificate crl add url=ftp://ftp.example/x.crl
expect_error 'crl-max-size: 5 is out of range' /certificate settings set crl-max-size=5
assert_contains "$(pk /certificate settings print)" "crl-use: yes" "settings print says yes/no"
assert_contains "$(pk /certificate settings print)" "crl-store: ram" "crl-store's default"
ok "ldap:// and ftp:// are unsupported schemes"

# -- pkimand on B downloads by itself with crl-download=yes, and tries again --
pk /certificate crl add url="http://127.0.0.1:$dp_port/manual.crl" >/dev/null
pk /certificate settings set crl-download=yes
echo 404 >"$serve/mode"
b_port=$(free_port)
pk /ip service set www port="$b_port"
"$PKIMAND" --foreground 2>"$WORK/pkimand-b.log" &
b_pid=$!
kept () { pk --json /certificate crl print | python3 -c 'import json, sys; print(sum(1 for i in json.load(sys.stdin) if i["num"] and not i["invalid"]))'; }
for _ in $(seq 100); do pk /log print | grep -q "manual.crl: HTTP 404" && break; sleep 0.1; done
assert_contains "$(pk /log print)" "manual.crl: HTTP 404 Not Found; the CRL kept before stays" "the failed first try is in /log"
echo good >"$serve/mode"
# [crl] download-interval=2: the next try comes by itself.
for _ in $(seq 100); do [ "$(kept)" = 2 ] && break; sleep 0.1; done
kill -TERM $b_pid; wait $b_pid || fail "pkimand on B did not exit 0"
assert_eq 2 "$(kept)" "pkimand downloaded both entries itself once the server answered"
assert_contains "$(pk /log print)" "CRL http://127.0.0.1:$dp_port/manual.crl: 2 revoked" "the download is in /log"
ok "pkimand with crl-download=yes downloads every entry, and after a failure tries again at the next interval"

# -- set url=: an added entry downloads from elsewhere; a dynamic one is its CA's --
manual=http://127.0.0.1:$dp_port/manual.crl moved=http://127.0.0.1:$dp_port/moved.crl
dynamic_url=http://127.0.0.1:$dp_port/crl/$ca_serial.crl
field_of () { # url field
  pk --json /certificate crl print | python3 -c '
import json, sys
v = [i for i in json.load(sys.stdin) if i["url"] == sys.argv[1]][0][sys.argv[2]]
print(("yes" if v else "no") if isinstance(v, bool) else v)' "$1" "$2"; }
kept_num=$(field_of "$manual" num)
before=$(pk /certificate crl export)
expect_error "url: $dynamic_url is listed already" /certificate crl set "$manual" url="$dynamic_url"
expect_error 'url: unsupported scheme "ldap"' /certificate crl set "$manual" url=ldap://ldap.example/cn=crl
expect_error "numbers: $dynamic_url is dynamic \\(its CA's distribution point names it\\) and cannot be changed" \
  /certificate crl set "$dynamic_url" url="$moved"
assert_eq "$before" "$(pk /certificate crl export)" "a refused set changes nothing"
pk /certificate crl set "$manual" url="$moved"
assert_eq "$kept_num" "$(field_of "$moved" num)" "the CRL kept stays with the entry"
assert_eq no "$(field_of "$moved" invalid)" "and it is still good"
assert_contains "$(pk /certificate crl export)" "add url=$moved" "export writes the new URL"
assert_contains "$(pk /log print)" "CRL $manual now downloads from $moved" "/log says so"
# The old URL's ETag goes with it: the new URL is fetched whole, not asked for a 304.
assert_contains "$(pk /certificate crl download "$moved")" "moved.crl: 2 revoked" "the next download is from the new URL"
ok "crl set url=: an added entry moves, keeps its CRL and fetches the new URL whole; a dynamic one, a taken URL and ldap:// are refused"

pk /certificate settings reset
assert_eq "  crl-download: no
  crl-use: no
  crl-store: ram
  crl-max-size: 16777216" "$(pk /certificate settings print)" "reset: the defaults"
ok "/certificate settings reset"
