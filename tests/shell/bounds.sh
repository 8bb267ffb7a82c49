# SPDX-License-Identifier: LGPL-2.1-or-later
# Certificates follow RFC 5280's bounds: subject fields and SANs are checked
# where add and set take them (and where a CSR brings them), a certificate is
# never valid past its CA, and requests mark SAN and EKU non-critical.
. "$(dirname "$0")/lib.sh"

repeat () { printf "%${2}s" "" | sed "s/ /$1/g"; } # text count

pk /certificate add name=tpl common-name=t key-size=prime256v1

# Subject fields: the bound in characters, not bytes (64 CJK characters are
# 192 bytes and fit; 65 do not).
for bound in common-name:64 organization:64 unit:64 locality:128 state:128; do
  field=${bound%:*} max=${bound#*:}
  expect_error "^pkiman: $field: $((max + 1)) characters, more than $max \\(RFC 5280\\)\$" \
    /certificate add name=x "$field=$(repeat a $((max + 1)))"
  expect_error "^pkiman: $field: $((max + 1)) characters, more than $max " \
    /certificate set tpl "$field=$(repeat 東 $((max + 1)))"
  pk /certificate set tpl "$field=$(repeat 東 "$max")"
  assert_eq "$(repeat 東 "$max")" "$(prop /certificate tpl "$field")" "$field of $max characters is taken"
done
ok "subject fields: at most 64 or 128 characters"
for c in USA U1 L é; do
  expect_error "^pkiman: country: \"$c\" is not two letters \\(ISO 3166\\)\$" /certificate add name=x country=$c
done
pk /certificate set tpl country=LV
assert_eq LV "$(prop /certificate tpl country)" "a two-letter country is taken"
ok "country: exactly two letters"

# SANs: host names (a leftmost wildcard), addresses that parse, email of 255 at most.
long_label=$(repeat a 64)
for bad in DNS:bad_name.example DNS:-lead.example DNS:trail-.example DNS:a..example DNS:a.example. \
  "DNS:$long_label.example" DNS:a.*.example DNS:*.*.example 'DNS:*' DNS:東京.example "DNS:with space"; do
  expect_error "^pkiman: subject-alt-name: \"$(sed 's/[.*]/\\&/g' <<<"$bad")\" is not a host name \\(a leftmost \\*\\. allowed\\)\$" \
    /certificate add name=x "subject-alt-name=DNS:ok.example,$bad"
done
for bad in IP:1.2.3 IP:1.2.3.256 IP:fe80::1::2 IP:host; do
  expect_error "^pkiman: subject-alt-name: \"$bad\" is not an IPv4 or IPv6 address\$" \
    /certificate add name=x "subject-alt-name=$bad"
done
for bad in email:nobody email:@example.com email:a@ "email:$(repeat a 244)@example.com"; do
  expect_error "^pkiman: subject-alt-name: \"$bad\" is not an address local@domain of at most 255 characters\$" \
    /certificate add name=x "subject-alt-name=$bad"
done
good="DNS:*.example.com,DNS:router,DNS:a-b.$(repeat c 63).example,IP:192.0.2.1,IP:2001:db8::1,email:$(repeat a 243)@example.com"
pk /certificate set tpl "subject-alt-name=$good"
assert_eq "$good" "$(prop /certificate tpl subject-alt-name)" "valid SANs are taken"
ok "subject-alt-name: host names, addresses, email addresses"

# Signed at the bounds, openssl reads back what was asked.
pk /certificate add name=edge common-name="$(repeat b 64)" organization="$(repeat 東 64)" country=LV key-size=prime256v1 \
  subject-alt-name=DNS:*.example.com,IP:192.0.2.1
pk /certificate sign edge >/dev/null
pk /certificate export-certificate edge >/dev/null
subject=$(openssl x509 -in cert_export_edge.crt -noout -subject -nameopt utf8,sep_comma_plus)
assert_eq "subject=C=LV,O=$(repeat 東 64),CN=$(repeat b 64)" "$subject" "openssl reads the subject at the bounds"
ok "a certificate at the bounds signs and reads back"

# A certificate is never valid past its CA.
pk /certificate add name=short-ca common-name="Short CA" key-size=prime256v1 key-usage=key-cert-sign,crl-sign days-valid=30
pk /certificate sign short-ca >/dev/null
ca_end=$(prop /certificate short-ca invalid-after)
pk /certificate export-certificate short-ca >/dev/null
ca_openssl_end=$(openssl x509 -in cert_export_short-ca.crt -noout -enddate)

pk /certificate add name=leaf common-name=leaf key-size=prime256v1 key-usage=digital-signature,tls-server days-valid=365
out=$(pk /certificate sign leaf ca=short-ca)
assert_eq "days-valid: clamped to the CA's invalid-after $ca_end" "$out" "sign ca= says it clamped"
pk /certificate export-certificate leaf >/dev/null
assert_eq "$ca_openssl_end" "$(openssl x509 -in cert_export_leaf.crt -noout -enddate)" "the leaf ends with its CA"
assert_eq "$ca_end" "$(prop /certificate leaf invalid-after)" "print shows the clamped invalid-after"

pk /certificate add name=inside common-name=inside key-size=prime256v1 days-valid=10
out=$(pk /certificate sign inside ca=short-ca)
assert_eq "" "$out" "no note when days-valid fits"
pk /certificate export-certificate inside >/dev/null
[ "$(openssl x509 -in cert_export_inside.crt -noout -enddate)" != "$ca_openssl_end" ] \
  || fail "a certificate inside its CA's validity was clamped"
assert_eq 10 "$(prop /certificate inside days-valid)" "days-valid=10 is kept"
ok "sign ca= clamps days-valid to the CA's invalid-after"

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout dev.key -out dev.csr \
  -subj "/CN=device" 2>/dev/null
out=$(pk /certificate sign-certificate-request ca=short-ca file-name=dev.csr name=device days-valid=1000)
assert_eq "days-valid: clamped to the CA's invalid-after $ca_end
issued \"device\" for CN=device" "$out" "sign-certificate-request says it clamped"
pk /certificate export-certificate device >/dev/null
assert_eq "$ca_openssl_end" "$(openssl x509 -in cert_export_device.crt -noout -enddate)" "the device ends with its CA"
out=$(pk --json /certificate sign-certificate-request ca=short-ca file-name=dev.csr name=device2 days-valid=31)
python3 -c '
import json, sys
assert json.loads(sys.stdin.read())["messages"][0] == "days-valid: clamped to the CA\x27s invalid-after " + sys.argv[1]' \
  "$ca_end" <<<"$out" || fail "--json: the clamp note is not the first message: $out"
ok "sign-certificate-request days-valid= clamps too"

# A CA that has expired issues nothing (certtool dates it in the past).
cat >old-ca.tmpl <<'EOF'
cn = "Old CA"
ca
cert_signing_key
crl_signing_key
activation_date = "2020-01-01 00:00:00 UTC"
expiration_date = "2021-01-01 00:00:00 UTC"
EOF
certtool --generate-privkey --key-type ecdsa --outfile old-ca.key 2>/dev/null
certtool --generate-self-signed --load-privkey old-ca.key --template old-ca.tmpl --outfile old-ca.crt 2>/dev/null
cat old-ca.crt old-ca.key >old-ca.pem
pk /certificate import file-name=old-ca.pem name=old-ca >/dev/null
expect_error '^pkiman: ca: "old-ca" expired at 20(20-12-31|21-01-01) [0-9:]+; it cannot issue$' /certificate sign tpl ca=old-ca
expect_error '^pkiman: ca: "old-ca" expired at ' /certificate sign-certificate-request ca=old-ca file-name=dev.csr

# What a CSR asks for is held to the same bounds (certtool writes what openssl refuses).
certtool --generate-privkey --key-type ecdsa --outfile req.key 2>/dev/null
csr_with () { # file template-lines...
  local file=$1; shift
  printf '%s\n' "$@" >"$file.tmpl"
  certtool --generate-request --load-privkey req.key --template "$file.tmpl" --outfile "$file" 2>/dev/null
}
csr_with long-cn.csr "cn = \"$(repeat a 65)\""
expect_error '^pkiman: file-name: long-cn.csr: common-name: 65 characters, more than 64 \(RFC 5280\)$' \
  /certificate sign-certificate-request ca=short-ca file-name=long-cn.csr
csr_with long-o.csr 'cn = "ok"' "organization = \"$(repeat 東 65)\""
expect_error '^pkiman: file-name: long-o.csr: organization: 65 characters, more than 64 ' \
  /certificate sign-certificate-request ca=short-ca file-name=long-o.csr
csr_with bad-dns.csr 'cn = "ok"' 'dns_name = "ok.example"' 'dns_name = "bad_name.example"'
expect_error '^pkiman: file-name: bad-dns.csr: subject-alt-name: "DNS:bad_name.example" is not a host name' \
  /certificate sign-certificate-request ca=short-ca file-name=bad-dns.csr
csr_with bad-email.csr 'cn = "ok"' "email = \"$(repeat a 250)@example.com\""
expect_error '^pkiman: file-name: bad-email.csr: subject-alt-name: "email:a+@example.com" is not an address' \
  /certificate sign-certificate-request ca=short-ca file-name=bad-email.csr
ok "a CSR's subject and SAN are held to the bounds"

# Requests and certificates carry SAN and EKU non-critical.
pk /certificate add name=req common-name=req key-size=prime256v1 key-usage=digital-signature,tls-server \
  subject-alt-name=DNS:req.example,IP:192.0.2.7
pk /certificate create-certificate-request req key-passphrase=secret-pass >/dev/null
text=$(openssl req -in certificate-request.pem -noout -text)
assert_match "$text" 'X509v3 Subject Alternative Name: *$' "the request's SAN is non-critical"
assert_match "$text" 'X509v3 Extended Key Usage: *$' "the request's EKU is non-critical"
assert_contains "$text" "DNS:req.example, IP Address:192.0.2.7" "the request's SAN"
assert_contains "$text" "TLS Web Server Authentication" "the request's EKU"
assert_not_contains "$(grep -E 'Alternative Name|Extended Key Usage' <<<"$text")" critical "no critical SAN/EKU in the request"
text=$(openssl x509 -in cert_export_leaf.crt -noout -text)
assert_match "$text" 'X509v3 Extended Key Usage: *$' "the certificate's EKU is non-critical"
pk /certificate sign-certificate-request ca=short-ca file-name=certificate-request.pem name=from-req >/dev/null
pk /certificate export-certificate from-req >/dev/null
text=$(openssl x509 -in cert_export_from-req.crt -noout -text)
assert_match "$text" 'X509v3 Subject Alternative Name: *$' "the issued certificate's SAN is non-critical"
assert_contains "$text" "DNS:req.example, IP Address:192.0.2.7" "the issued certificate's SAN"
ok "requests mark SAN and EKU non-critical, as signed certificates do"
