# SPDX-License-Identifier: LGPL-2.1-or-later
# unset on every menu with a set command: a property back to its default
# (add's, for templates), a text one emptied, a setting of a settings menu;
# what cannot be unset is refused and changes nothing.
. "$(dirname "$0")/lib.sh"

pk /certificate add name=t common-name=t.example organization=Org key-size=prime256v1 subject-alt-name=DNS:t.example \
  days-valid=30 trusted=yes >/dev/null
pk /certificate unset t key-size
pk /certificate unset t days-valid
pk /certificate unset t trusted
pk /certificate unset t organization
assert_eq 2048 "$(prop /certificate t key-size)" "key-size back to add's default"
assert_eq 365 "$(prop /certificate t days-valid)" "days-valid back to 365"
assert_eq no "$(prop /certificate t trusted)" "trusted back to no"
assert_eq "" "$(prop /certificate t organization)" "a text property emptied"
assert_eq DNS:t.example "$(prop /certificate t subject-alt-name)" "what was not unset stays"
pk /certificate sign t >/dev/null
openssl x509 -in <(pk /certificate export-certificate t >/dev/null; cat cert_export_t.crt) -noout -text | grep -q 'Public-Key: (2048 bit)' \
  || fail "the certificate signed after unset key-size has a 2048-bit key"
ok "unset ITEM PROPERTY: defaults, emptied text, and a certificate made from it"

pk /certificate settings set crl-use=yes crl-max-size=2048
pk /certificate settings unset crl-use
assert_contains "$(pk /certificate settings print)" "crl-use: no" "a setting back to its default"
assert_contains "$(pk /certificate settings print)" "crl-max-size: 2048" "the other stays"
ok "unset PROPERTY in a settings menu"

pk /certificate add name=u common-name=u.example >/dev/null
expect_error 'value-name: fingerprint is not a property set can change' /certificate unset u fingerprint
expect_error 'value-name: required' /certificate unset u
expect_error 'numbers: no such item: nosuch' /certificate unset nosuch organization
ok "what cannot be unset is refused"

# reset: every property with a default back to it, the others kept.
pk /certificate add name=r common-name=r.example organization=Keep key-size=prime256v1 days-valid=5 trusted=yes \
  digest-algorithm=sha384 >/dev/null
pk /certificate reset r
assert_eq "2048 365 no sha256" "$(for p in key-size days-valid trusted digest-algorithm; do prop /certificate r $p; done | tr '\n' ' ' | sed 's/ $//')" \
  "reset ITEM: every property with a default back to it"
assert_eq "r.example Keep" "$(prop /certificate r common-name) $(prop /certificate r organization)" "the others as they were"
pk /certificate settings set crl-use=yes crl-max-size=4096
pk /certificate settings reset
assert_contains "$(pk /certificate settings print)" "crl-max-size: 16777216" "a settings menu's reset"
expect_error '/ip service has no property with a default to reset' /ip service reset www
ok "reset ITEM, and reset of a settings menu"
