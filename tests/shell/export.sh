# SPDX-License-Identifier: LGPL-2.1-or-later
# export writes the commands that make a menu again (RouterOS's export):
# templates as add, static CRL entries as add, changed settings as set,
# with defaults and secrets left out; run in a fresh state directory, the
# export makes a state whose export is the same.
. "$(dirname "$0")/lib.sh"

pk /certificate add name=web common-name=web.example key-size=prime256v1 subject-alt-name=DNS:web.example,DNS:www.example >/dev/null
pk /certificate add name="Odd \"one\"" common-name='a $b [c] ;d' organization="Ünïcode GmbH" days-valid=30 >/dev/null
pk /certificate add name=plain common-name=plain >/dev/null
pk /certificate add name=ca common-name=ca key-usage=key-cert-sign,crl-sign >/dev/null
pk /certificate sign ca >/dev/null
pk /certificate crl add url=http://crl.example/ca.crl >/dev/null
pk /certificate settings set crl-use=yes >/dev/null
pk /user add name=operator group=read password=Sekr1t-pass >/dev/null

pk /certificate export >export.rsc
cat export.rsc
assert_contains "$(cat export.rsc)" "add name=web common-name=web.example subject-alt-name=DNS:web.example,DNS:www.example key-size=prime256v1" "a template as add, its set properties only"
assert_contains "$(cat export.rsc)" 'add name="Odd \"one\"" common-name="a \$b \[c\] ;d" organization="Ünïcode GmbH" days-valid=30' "values quoted as the lexer reads them"
assert_contains "$(cat export.rsc)" "add name=plain common-name=plain" "defaults left out"
assert_not_contains "$(cat export.rsc)" "name=ca " "a signed certificate is not a template: not exported"
assert_contains "$(cat export.rsc)" "/certificate crl
add url=http://crl.example/ca.crl" "a static CRL entry"
assert_contains "$(cat export.rsc)" "/certificate settings
set crl-use=yes" "a changed setting, alone"
ok "/certificate export: templates, CRL entries and settings, as commands"

user=$(pk /user export)
assert_contains "$user" "name=operator" "/user export names the user"
assert_not_contains "$user" "Sekr1t" "but never the password"
ok "secrets are left out"

# The export runs as a script in a fresh state and makes the same again.
export PKIMAN_STATE_DIR=$WORK/again
pk <export.rsc
assert_eq "$(cat export.rsc)" "$(pk /certificate export)" "export, run and exported again, is the same"
assert_eq 'a $b [c] ;d' "$(pk --json /certificate print | python3 -c '
import json, sys
print([i for i in json.load(sys.stdin) if i["name"] == "Odd \"one\""][0]["common-name"])')" "the odd value came back as it was"
ok "an export makes what it was taken from"
