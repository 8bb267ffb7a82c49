# SPDX-License-Identifier: LGPL-2.1-or-later
# The REST API of pkimand over real HTTPS on loopback, curl on the other
# end verifying the local CA: the same entries as `pkiman --json print`,
# add and sign over REST seen by the CLI and the reverse, a plugin's menu
# and extension reachable, /user logins (401 after a fixed delay whether
# the user or the password is wrong, 403 for a read user writing and for
# plain www), 400 with the CLI's own line, 404, 405 and 413, none of which
# changes the store, and every change in /log with the REST user as actor.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"
: "${FIXTURE_DIR:?}"
export PKIMAN_PLUGIN_PATH="$FIXTURE_DIR"
conf=$WORK/rest.conf
printf '[plugins]\nfeatures=feature-extend\n' >"$conf"
pkc () { pk --config "$conf" "$@"; }

pkc /certificate add name=ca common-name="REST CA" key-size=prime256v1 key-usage=key-cert-sign,crl-sign >/dev/null
pkc /certificate sign ca >/dev/null
pkc /certificate add name=srv common-name=localhost subject-alt-name=DNS:localhost,IP:127.0.0.1 \
  key-size=prime256v1 key-usage=digital-signature,tls-server >/dev/null
pkc /certificate sign srv ca=ca >/dev/null
pkc /certificate export-certificate ca >/dev/null
ssl_port=$(free_port)
www_port=$(free_port)
pkc /ip service set www-ssl port="$ssl_port" certificate=srv disabled=no
pkc /ip service set www port="$www_port"

# No user exists until the CLI adds one: there is no default password.
"$PKIMAND" --config "$conf" --foreground 2>"$WORK/pkimand.log" &
pid=$!
base=https://127.0.0.1:$ssl_port/rest
wait_for --cacert cert_export_ca.crt "$base/certificate"
assert_eq 401 "$(code --cacert cert_export_ca.crt "$base/certificate")" "no credentials: 401"
assert_eq 401 "$(code --cacert cert_export_ca.crt -u admin:admin "$base/certificate")" "no user yet: 401"
expect_error '^pkiman: password: at least 8 characters$' /user add name=admin group=full password=short
expect_error '^pkiman: name: "a:b" is not a user name \(not empty, no .:., not a number\)$' \
  /user add name=a:b group=full password=long-enough
pkc /user add name=admin group=full password=correct-horse-battery comment="the first user" >/dev/null
pkc /user add name=reader group=read password=only-reading-here >/dev/null
assert_not_contains "$(pkc --json /user print) $(pkc /system store dump)" correct-horse "the password is not stored"
assert_match "$(pkc /system store dump)" '\$y\$' "the password is stored as a yescrypt hash"
ok "/user: no default user; the first one added with the CLI; the password only as a yescrypt hash"

api () { curl -s --cacert cert_export_ca.crt -u admin:correct-horse-battery "$@"; }
status () { curl -s -o "$WORK/body" -w '%{http_code}' --cacert cert_export_ca.crt "$@" || true; }
# Field F of each object of a JSON array (or of one object), one a line.
field () { python3 -c '
import json, sys
data = json.load(sys.stdin)
for item in data if isinstance(data, list) else [data]:
    print(item.get(sys.argv[1], "-"))' "$1"; }

# GET /rest/certificate: the CLI's entries, every value a string.
pkc /certificate add name=cli-made common-name=cli.example key-size=prime256v1 >/dev/null
pkc /certificate sign cli-made ca=ca >/dev/null
api "$base/certificate" >"$WORK/rest.json"
pkc --json /certificate print >"$WORK/cli.json"
python3 - "$WORK/rest.json" "$WORK/cli.json" <<'EOF' || fail "REST and --json print differ"
import json, sys
rest, cli = (json.load(open(p)) for p in sys.argv[1:])
assert all(isinstance(v, str) for item in rest for v in item.values()), "a REST value is not a string"
def text(v):
    return ("true" if v else "false") if isinstance(v, bool) else ",".join(v) if isinstance(v, list) else str(v)
assert [i[".id"] for i in rest] == [i[".id"] for i in cli], "not the same .ids"
for r, c in zip(rest, cli):
    for key, value in c.items():
        if key in (".nr", "flags", "expires-after"):
            continue
        assert r.get(key) == text(value), f"{c['name']}: {key}: REST {r.get(key)!r}, CLI {value!r}"
EOF
assert_eq "cli-made" "$(api "$base/certificate/cli-made" | field name)" "GET by name"
id=$(prop /certificate cli-made fingerprint)
assert_eq "$id" "$(api "$base/certificate/$(api "$base/certificate/cli-made" | field .id)" | field fingerprint)" \
  "GET by *ID"
assert_eq "name-length=8" "$(api "$base/certificate?name=cli-made&.proplist=name-length" \
  | python3 -c 'import json,sys; print("".join(f"{k}={v}" for k, v in json.load(sys.stdin)[0].items()))')" \
  "a query filter and .proplist; the plugin's property is there"
ok "GET /rest/certificate gives what --json print gives, as strings; by name, by *ID, filtered"

# PUT adds, POST runs a command, PATCH sets: the CLI sees each, /log says who.
assert_eq 200 "$(status -u admin:correct-horse-battery -X PUT "$base/certificate" \
  -d '{"name":"rest-made","common-name":"rest.example","key-size":"prime256v1","key-usage":["digital-signature","tls-client"]}')" \
  "PUT adds"
assert_eq rest-made "$(field name <"$WORK/body")" "PUT answers the new item"
assert_eq 200 "$(status -u admin:correct-horse-battery -X POST "$base/certificate/sign" -d '{".id":"rest-made","ca":"ca"}')" \
  "POST sign"
assert_eq yes "$(prop /certificate rest-made issued)" "the CLI sees the certificate REST signed"
pkc /certificate export-certificate rest-made file-name=rest-made >/dev/null
openssl verify -CAfile cert_export_ca.crt rest-made.crt >/dev/null || fail "openssl does not verify what REST signed"
assert_eq 200 "$(status -u admin:correct-horse-battery -X PATCH "$base/certificate/rest-made" -d '{"trusted":"yes"}')" \
  "PATCH sets"
assert_eq true "$(field trusted <"$WORK/body")" "PATCH answers the item as it is now"
assert_eq yes "$(prop /certificate rest-made trusted)" "the CLI sees the PATCH"
assert_match "$(pkc /log print)" '"rest-made" signed by CA "ca".*rest:admin' "/log names the REST user"
assert_eq "ca,rest-made" "$(api -X POST "$base/certificate/print" \
  -d '{".proplist":"name",".query":["name=ca","name=rest-made","#|"]}' | field name | paste -sd,)" \
  "POST print with .proplist and .query"
assert_eq 200 "$(status -u admin:correct-horse-battery -X POST "$base/certificate/issued-revoke" -d '{".id":"rest-made"}')" \
  "POST issued-revoke"
assert_match "$(prop /certificate rest-made revoked)" "^20[0-9-]+ [0-9:]+$" "the CLI sees the revocation"
# export-certificate and import over REST: files in pkimand's files
# directory (the state directory's files/, without [files] dir=).
assert_eq 200 "$(status -u admin:correct-horse-battery -X POST "$base/certificate/export-certificate" \
  -d '{".id":"rest-made","file-name":"rest-export"}')" "POST export-certificate"
openssl verify -CAfile cert_export_ca.crt "$PKIMAN_STATE_DIR/files/rest-export.crt" >/dev/null \
  || fail "what REST exported does not verify"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout /dev/null \
  -out "$PKIMAN_STATE_DIR/files/outside.crt" -days 30 -subj "/CN=Outside CA" 2>/dev/null
assert_eq 200 "$(status -u admin:correct-horse-battery -X POST "$base/certificate/import" \
  -d '{"file-name":"outside.crt","name":"outside"}')" "POST import"
assert_eq "CN=Outside CA" "$(prop /certificate outside subject)" "the CLI sees what REST imported"
assert_eq 400 "$(status -u admin:correct-horse-battery -X POST "$base/certificate/import" \
  -d '{"file-name":"../../etc/passwd"}')" "an import from outside the files directory: 400"
assert_match "$(field detail <"$WORK/body")" 'leaves the files directory' "the detail says why"
pkc /certificate add name=doomed common-name=doomed >/dev/null
assert_eq 204 "$(status -u admin:correct-horse-battery -X DELETE "$base/certificate/doomed")" "DELETE removes"
assert_not_contains "$(pkc /certificate print)" doomed "the CLI no longer lists it"
assert_eq "hi hi" "$(api -X POST "$base/extend/wide/echo" -d '{"text":"hi","times":"2"}' \
  | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["messages"]))')" \
  "a plugin's menu is reachable: /extend wide echo"
assert_eq 200 "$(status -u admin:correct-horse-battery -X POST "$base/extend/wide/wait")" \
  "an asynchronous command runs on a worker"
ok "PUT, POST sign, issued-revoke, export-certificate and import, PATCH, DELETE over REST; the CLI sees each; a plugin's menu too"

# Refusals: each status with its detail, and the store as it was.
snapshot () { pkc /system store dump | grep -v '^log ' | md5sum; }
before=$(snapshot)
log_before=$(pkc /log print count-only)
t0=$(date +%s%N)
assert_eq 401 "$(status -u admin:wrong-password "$base/certificate")" "wrong password: 401"
t1=$(date +%s%N)
wrong_password=$(cat "$WORK/body")
assert_eq 401 "$(status -u nobody:wrong-password "$base/certificate")" "no such user: 401"
t2=$(date +%s%N)
assert_eq "$wrong_password" "$(cat "$WORK/body")" "a missing user and a wrong password read the same"
[ $(( (t1 - t0) / 1000000 )) -ge 700 ] && [ $(( (t2 - t1) / 1000000 )) -ge 700 ] \
  || fail "a failed login is answered without the delay ($(( (t1 - t0) / 1000000 )) ms, $(( (t2 - t1) / 1000000 )) ms)"
assert_eq 403 "$(status -u reader:only-reading-here -X PUT "$base/certificate" -d '{"name":"x"}')" \
  "a read user adding: 403"
assert_eq 403 "$(status -u reader:only-reading-here -X POST "$base/certificate/sign" -d '{".id":"srv"}')" \
  "a read user signing: 403"
assert_eq 200 "$(status -u reader:only-reading-here "$base/certificate")" "a read user reads"
assert_eq 200 "$(status -u reader:only-reading-here -X POST "$base/certificate/print")" "a read user prints"
cli_line=$(pkc /certificate add name=bad key-size=1000 2>&1 || true)
assert_eq 400 "$(status -u admin:correct-horse-battery -X PUT "$base/certificate" -d '{"name":"bad","key-size":"1000"}')" \
  "a bad value: 400"
assert_eq "pkiman: $(field detail <"$WORK/body")" "$cli_line" "400's detail is the CLI's line"
assert_eq "Bad Request" "$(field message <"$WORK/body")" "400's message"
assert_eq 400 "$(status -u admin:correct-horse-battery -X PUT "$base/certificate" -d '{"name":')" "broken JSON: 400"
assert_eq 400 "$(status -u admin:correct-horse-battery -X PUT "$base/certificate" -d '{"name":{"a":1}}')" \
  "a value that is no string: 400"
assert_eq "name: not a string" "$(field detail <"$WORK/body")" "the detail names the member"
assert_eq 400 "$(status -u admin:correct-horse-battery -X PUT "$base/certificate" \
  -d "$(python3 -c 'print("{\"a\":" + "[" * 10000 + "]" * 10000 + "}")')")" "deep nesting: 400, not a crash"
assert_eq "body: JSON nested deeper than 8 levels" "$(field detail <"$WORK/body")" "the nesting is refused before it is parsed"
assert_eq 404 "$(status -u admin:correct-horse-battery "$base/no/such/menu")" "no such menu: 404"
assert_eq 404 "$(status -u admin:correct-horse-battery "$base/certificate/nope")" "no such item: 404"
assert_eq 404 "$(status -u admin:correct-horse-battery -X PATCH "$base/certificate/nope" -d '{"trusted":"yes"}')" \
  "PATCH of no item: 404"
assert_eq 404 "$(status -u admin:correct-horse-battery -X POST "$base/certificate/frobnicate")" "no such command: 404"
assert_eq 405 "$(status -u admin:correct-horse-battery -X PUT "$base/certificate/srv" -d '{}')" "PUT on an item: 405"
assert_eq 405 "$(status -u admin:correct-horse-battery -X DELETE "$base/certificate")" "DELETE on a menu: 405"
assert_eq 405 "$(status -u admin:correct-horse-battery -X DELETE "$base/ip/service/www")" "a menu without remove: 405"
head -c 1200000 /dev/zero | tr '\0' x >"$WORK/big"
assert_eq 413 "$(status -u admin:correct-horse-battery -X PUT "$base/certificate" --data-binary @"$WORK/big")" \
  "a body over 1 MiB: 413"
assert_eq 413 "$(field error <"$WORK/body")" "413 in REST's JSON"
assert_eq 403 "$(status -u admin:correct-horse-battery "http://127.0.0.1:$www_port/rest/certificate")" \
  "REST on plain www: 403 unless rest-api=yes"
assert_eq "$before" "$(snapshot)" "no refusal changed the store"
assert_eq "$log_before" "$(pkc /log print count-only)" "no refusal wrote to /log"
ok "401 (same delay and body for user and password), 403, 400 with the CLI's line, 404, 405, 413; store unchanged"

# /user over REST and from the CLI: a changed password is live at once.
assert_eq "" "$(api "$base/user" | python3 -c 'import json,sys; print("".join(k for i in json.load(sys.stdin) for k in i if "pass" in k))')" \
  "GET /rest/user shows no password"
pkc /user set reader password=a-new-password-now >/dev/null
await_code 401 "the old password is refused once the CLI changed it" \
  --cacert cert_export_ca.crt -u reader:only-reading-here "$base/certificate"
assert_eq 200 "$(code --cacert cert_export_ca.crt -u reader:a-new-password-now "$base/certificate")" "the new one works"
pkc /ip service set www rest-api=yes
await_code 200 "www serves REST once rest-api=yes" -u admin:correct-horse-battery "http://127.0.0.1:$www_port/rest/user"
ok "/user: no password shown; a password change is live; rest-api=yes opens plain www"

stop_checked "SIGTERM"
ok "SIGTERM: exit 0, the store reads back"
