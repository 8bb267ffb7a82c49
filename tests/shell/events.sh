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
got () { tr '\n' ';' <"$log"; }
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
  "$(sort <"$log" | tr '\n' ' ' | sed 's/ $//')" "remove of a CA"
ok "events after commit, with ids; none for reads or failures"
