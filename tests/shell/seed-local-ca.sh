# SPDX-License-Identifier: LGPL-2.1-or-later
# "Creating a Local CA" and "Generating and Signing Server Certificates" of seed
# 002, run as written (menu line, \ continuations), then checked with openssl.
. "$(dirname "$0")/lib.sh"

cat > seed.rsc <<'RSC'
# From the RouterOS v7 certificates guide
/certificate
add name=local-ca common-name="Local CA" \
    key-size=2048 days-valid=3650 \
    key-usage=key-cert-sign,crl-sign
sign local-ca
set local-ca trusted=yes
export-certificate local-ca
export-certificate local-ca export-passphrase="strong-passphrase"

/certificate
add name=router-tls common-name=router.example.com \
    subject-alt-name=DNS:router.example.com,IP:192.168.88.1 \
    key-size=2048 days-valid=825 \
    key-usage=digital-signature,key-encipherment,tls-server
sign router-tls ca=local-ca ca-crl-host=192.168.88.1
export-certificate router-tls
export-certificate router-tls export-passphrase="router-pass"
RSC
pk < seed.rsc
ok "seed script ran from standard input"

assert_eq "KAT" "$(flags_of local-ca | tr -d ' ')" "local-ca flags"
assert_eq "KLI" "$(flags_of router-tls | tr -d ' ')" "router-tls flags"
assert_eq "local-ca" "$(prop /certificate router-tls ca)" "router-tls ca"
assert_eq "no" "$(prop /certificate router-tls trusted)" "router-tls trusted"

table=$(pk /certificate print)
assert_match "$table" '^Flags: .*K - PRIVATE-KEY' "print legend"
assert_match "$table" 'A - AUTHORITY' "print legend"
assert_match "$table" 'T - TRUSTED' "print legend"
assert_match "$table" 'I - ISSUED' "print legend"
assert_match "$table" '^ *0 +K.*A.*T +local-ca' "local-ca row"
ok "print shows the flags of the seed"

# openssl agrees.
openssl verify -CAfile cert_export_local-ca.crt cert_export_router-tls.crt | grep -q ': OK' \
  || fail "openssl verify"
ok "openssl verify passes"
text=$(openssl x509 -in cert_export_router-tls.crt -noout -text)
assert_contains "$text" "Subject: CN = router.example.com" "subject"
assert_contains "$text" "DNS:router.example.com, IP Address:192.168.88.1" "SAN"
assert_contains "$text" "Digital Signature, Key Encipherment" "key usage"
assert_contains "$text" "TLS Web Server Authentication" "EKU"
assert_contains "$text" "URI:http://192.168.88.1/crl/" "CRL distribution point"
assert_contains "$text" "Public-Key: (2048 bit)" "key size"
assert_contains "$text" "sha256WithRSAEncryption" "digest"
assert_contains "$text" "CA:FALSE" "basic constraints"
start=$(date -d "$(openssl x509 -in cert_export_router-tls.crt -noout -startdate | cut -d= -f2)" +%s)
end=$(date -d "$(openssl x509 -in cert_export_router-tls.crt -noout -enddate | cut -d= -f2)" +%s)
assert_eq 825 $(( (end - start) / 86400 )) "validity days"
catext=$(openssl x509 -in cert_export_local-ca.crt -noout -text)
assert_contains "$catext" "CA:TRUE" "CA basic constraints"
assert_contains "$catext" "Certificate Sign, CRL Sign" "CA key usage"
assert_contains "$catext" "Subject: CN = Local CA" "CA subject"
serial=$(openssl x509 -in cert_export_router-tls.crt -noout -serial | cut -d= -f2)
assert_eq "$serial" "$(prop /certificate router-tls serial-number)" "serial matches print"
[ ${#serial} -ge 16 ] || fail "serial shorter than 64 bits: $serial"
fp=$(openssl x509 -in cert_export_router-tls.crt -noout -fingerprint -sha256 | cut -d= -f2 | tr -d : | tr A-F a-f)
assert_eq "$fp" "$(prop /certificate router-tls fingerprint)" "fingerprint matches print"
ok "openssl x509 shows what was asked for"

# The exported keys open with their passphrases and match their certificates.
for n in local-ca:strong-passphrase router-tls:router-pass; do
  name=${n%%:*} pass=${n#*:}
  head -1 "cert_export_$name.key" | grep -q "BEGIN ENCRYPTED PRIVATE KEY" || fail "$name key not encrypted PKCS#8"
  if openssl pkey -in "cert_export_$name.key" -passin pass: -noout 2>/dev/null; then
    fail "$name key opens without a passphrase"
  fi
  openssl asn1parse -in "cert_export_$name.key" | grep -q aes-256-cbc || fail "$name key not AES-256"
  a=$(openssl pkey -in "cert_export_$name.key" -passin "pass:$pass" -pubout)
  b=$(openssl x509 -in "cert_export_$name.crt" -noout -pubkey)
  assert_eq "$b" "$a" "$name key matches its certificate"
  if openssl pkey -in "cert_export_$name.key" -passin pass:wrong -noout 2>/dev/null; then
    fail "$name key opened with a wrong passphrase"
  fi
  assert_eq 600 "$(stat -c %a "cert_export_$name.key")" "$name key file mode"
done
ok "exported keys: encrypted PKCS#8 (AES-256), 0600, match their certificates"

# The seed's own next step: build a .p12 from the exports with openssl.
openssl pkcs12 -export -in cert_export_local-ca.crt -inkey cert_export_local-ca.key \
  -passin pass:strong-passphrase -out local-ca.p12 -passout pass:strong-passphrase
openssl pkcs12 -in local-ca.p12 -passin pass:strong-passphrase -nokeys | grep -q "subject=CN = Local CA" \
  || fail "openssl pkcs12 of the exports"
ok "the seed's openssl pkcs12 -export step works on the exports"

# The same script through /import gives the same result in a fresh store.
export PKIMAN_STATE_DIR="$WORK/state2"
pk /import file-name=seed.rsc
assert_eq "KAT" "$(flags_of local-ca | tr -d ' ')" "local-ca flags via /import"
assert_eq "KLI" "$(flags_of router-tls | tr -d ' ')" "router-tls flags via /import"
ok "/import file-name=seed.rsc gives the same store"
