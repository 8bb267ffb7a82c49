# SPDX-License-Identifier: LGPL-2.1-or-later
# Events reach a plugin after the command commits, with the item's id, in
# order; a command that fails delivers nothing. The fixture plugin
# feature-events appends each event it gets to a file.
. "$(dirname "$0")/lib.sh"
: "${FIXTURE_DIR:?}"

export PKIMAN_PLUGIN_PATH="$FIXTURE_DIR"
log="$WORK/events.log"
printf '[plugins]\ncrypto=gnutls\nstore=sqlite\nfeatures=feature-events\n[feature-events]\nlog=%s\n' "$log" \
  > "$WORK/events.conf"
pke () { : >"$log"; pk --config "$WORK/events.conf" "$@" >/dev/null; }
got () { grep -vx -e start -e shutdown "$log" | tr '\n' ';'; }
id_of () { pk --json /certificate print | python3 -c 'import json,sys; print(int([i[".id"] for i in json.load(sys.stdin) if i["name"]==sys.argv[1]][0][1:], 16))' "$1"; }

pke /certificate add name=ca common-name=ca key-size=prime256v1 key-usage=key-cert-sign,crl-sign
ca=$(id_of ca)
assert_eq "certificate-added $ca;store-changed 0;" "$(got)" "add"
pke /certificate sign ca
assert_eq "certificate-signed $ca;store-changed 0;" "$(got)" "self-sign"
pke /certificate add name=leaf common-name=leaf key-size=prime256v1
leaf=$(id_of leaf)
pke /certificate sign leaf ca=ca
assert_eq "certificate-signed $leaf;store-changed 0;" "$(got)" "sign by a CA"
pke /certificate issued-revoke leaf
assert_eq "certificate-revoked $leaf;store-changed 0;" "$(got)" "revoke"

# Reads deliver nothing; a failed command delivers nothing, not even what it emitted before failing.
pke /certificate print
assert_eq "" "$(got)" "print"
: >"$log"
pk --config "$WORK/events.conf" /certificate sign leaf ca=ca 2>/dev/null && fail "signing a certificate twice worked"
assert_eq "" "$(got)" "a refused command"
: >"$log"
printf '/certificate add name=t1 common-name=t1\n/certificate add name=t1 common-name=again\n' |
  pk --config "$WORK/events.conf" 2>/dev/null && fail "a duplicate name was accepted"
t1=$(id_of t1)
assert_eq "certificate-added $t1;store-changed 0;" "$(got)" "a script: the committed command's events only"

# Import: one event per new certificate.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout x.key -out x.crt -days 5 \
  -subj /CN=x 2>/dev/null
pke /certificate import file-name=x.crt name=x
assert_eq "certificate-added $(id_of x);store-changed 0;" "$(got)" "import"

# Removing a CA: one removed event per certificate of the cascade, then one store-changed.
pke /certificate remove ca
assert_eq "certificate-removed $ca certificate-removed $leaf store-changed 0" \
  "$(grep -vx -e start -e shutdown "$log" | sort | tr '\n' ' ' | sed 's/ $//')" "remove of a CA"
ok "events after commit, with ids; none for reads or failures"

# The lifecycle: start once the store is open, shutdown at the end, both once per process.
pke /certificate print
assert_eq "start;shutdown;" "$(tr '\n' ';' <"$log")" "start and shutdown of one process"
# A plugin that fails its init is not shut down; one whose init succeeded before it is.
printf '[plugins]\ncrypto=gnutls\nstore=sqlite\nfeatures=feature-events;feature-initfail\n[feature-events]\nlog=%s\n' \
  "$log" > "$WORK/initfail.conf"
: >"$log"
pk --config "$WORK/initfail.conf" /certificate print 2>/dev/null && fail "a failing init was ignored"
assert_eq "shutdown;" "$(tr '\n' ';' <"$log")" "only the initialised plugin shuts down, and nothing starts"
# A key the plugin does not declare stops pkiman, naming plugin and key.
printf '[plugins]\ncrypto=gnutls\nstore=sqlite\nfeatures=feature-events\n[feature-events]\nlog=%s\nlgo=typo\n' \
  "$log" > "$WORK/typo.conf"
expect_refused '^pkiman: feature-events: \[feature-events\] lgo: no such setting \(the plugin knows: log\)$' \
  --config "$WORK/typo.conf" /certificate print
printf '[plugins]\ncrypto=gnutls\nstore=sqlite\n[store]\nlock-timout=5\n' > "$WORK/store-typo.conf"
expect_refused "^pkiman: $STORE_PLUGIN: \\[store\\] lock-timout: no such setting" --config "$WORK/store-typo.conf" /certificate print
ok "start after the store opens, shutdown only after a good init, unknown settings refused"
