# SPDX-License-Identifier: LGPL-2.1-or-later
# The CA part of seed 000's Basic SCEP Example: a default template self-signs
# into a trusted CA with its key (0 K A T ca).
. "$(dirname "$0")/lib.sh"

printf '%s\n' '/certificate' 'add common-name=ca name=ca-tpl' 'sign ca-tpl name=ca' > scep-ca.rsc
pk < scep-ca.rsc
out=$(pk /certificate print)
assert_match "$out" '^ *0 +K +A +T +ca +ca ' "seed row '0 K   A  T ca'"
assert_eq "KAT" "$(flags_of ca | tr -d ' ')" "flags of ca"
assert_not_contains "$(pk /certificate print)" "ca-tpl" "template consumed"
assert_eq 2048 "$(prop /certificate ca key-size)" "default key-size"
assert_eq 365 "$(prop /certificate ca days-valid)" "default days-valid"
assert_eq "digital-signature,key-encipherment,data-encipherment,key-cert-sign,crl-sign,tls-server,tls-client" \
  "$(prop /certificate ca key-usage)" "default key-usage (RouterOS v7)"
pk /certificate export-certificate ca
openssl x509 -in cert_export_ca.crt -noout -text | grep -q "CA:TRUE" || fail "ca is not a CA"
ok "seed 000 CA: K A T, defaults as RouterOS v7"
