# SPDX-License-Identifier: LGPL-2.1-or-later
# The renewal script RouterOS administrators run (in the manner of the
# widely used certificate-renew-issued script): every certificate the local
# CA issued that expires within three weeks is revoked, renamed with a
# -revoked-DATE suffix, and issued again with the same subject, key usage and
# alternative names, signed by the same CA and exported as PKCS#12.
. "$(dirname "$0")/lib.sh"

cat > setup.rsc <<'RSC'
/certificate
add name=local-ca common-name="Local CA" key-usage=key-cert-sign,crl-sign days-valid=3650
sign local-ca
add name=short-a common-name=a.example subject-alt-name=DNS:a.example,IP:192.0.2.1 \
    key-usage=digital-signature,tls-server days-valid=10
sign short-a ca=local-ca
add name=short-b common-name=b.example key-usage=digital-signature,key-encipherment,tls-client days-valid=10
sign short-b ca=local-ca
add name=long-c common-name=c.example subject-alt-name=DNS:c.example key-usage=digital-signature,tls-server \
    days-valid=365
sign long-c ca=local-ca
add name=long-d common-name=d.example key-usage=digital-signature,tls-client days-valid=365
sign long-d ca=local-ca
# a template is not issued: never renewed
add name=tmpl common-name=t.example days-valid=10
export-certificate local-ca
RSC
pk < setup.rsc >/dev/null
long_c_fp=$(prop /certificate long-c fingerprint)
long_d_fp=$(prop /certificate long-d fingerprint)
short_a_fp=$(prop /certificate short-a fingerprint)
ok "set-up: a CA, two certificates of 10 days, two of 365, a template"

cat > renew.rsc <<'RSC'
# Renews what the local CA issued that expires within three weeks.
:local Date [/system/clock/get date]
:local Passphrase "renewal-passphrase"
:local Renewed 0
:foreach Cert in=[/certificate/find where issued expires-after<3w] do={
  :local CertVal [/certificate/get $Cert]
  :local Name ($CertVal->"name")
  :local Ca ($CertVal->"ca")
  # a revoked one (renewed before) is still issued and still expires: skip it
  :if (($CertVal->"expires-after") < 3w && [:typeof ($CertVal->"revoked")] = "nil") do={
    :log info ("renewing " . $Name . ", which expires after " . ($CertVal->"expires-after"))
    /certificate issued-revoke $Cert
    /certificate set $Cert name=($Name . "-revoked-" . $Date)
    /certificate add name=$Name common-name=($CertVal->"common-name") \
        key-usage=($CertVal->"key-usage") subject-alt-name=($CertVal->"subject-alt-name") days-valid=365
    /certificate sign $Name ca=$Ca
    /certificate export-certificate $Name type=pkcs12 export-passphrase=$Passphrase
    :set Renewed ($Renewed + 1)
  }
}
:put ("renewed " . $Renewed . " on " . $Date)
RSC
out=$(pk < renew.rsc)
today=$(date +%F)
assert_contains "$out" "renewed 2 on $today" "the script's summary"
ok "the renewal script ran: $(tail -1 <<<"$out")"

# The short ones: revoked, renamed, and issued again.
for n in short-a short-b; do
  old="$n-revoked-$today"
  flags=$(flags_of "$old" | tr -d ' ')
  assert_contains "$flags" R "$old has flag R"
  assert_contains "$flags" I "$old is still issued"
  assert_eq "no" "$(prop /certificate "$n" revoked | grep -q . && echo yes || echo no)" "the new $n is not revoked"
  assert_eq "local-ca" "$(prop /certificate "$n" ca)" "the new $n is signed by local-ca"
  [ -s "cert_export_$n.p12" ] || fail "cert_export_$n.p12 was not written"
  openssl pkcs12 -in "cert_export_$n.p12" -passin pass:renewal-passphrase -nokeys -clcerts -out "$n.crt" 2>/dev/null \
    || fail "cert_export_$n.p12 does not open with its passphrase"
  openssl verify -CAfile cert_export_local-ca.crt "$n.crt" | grep -q ': OK' || fail "openssl verify $n"
  days=$(( ($(date -d "$(openssl x509 -in "$n.crt" -noout -enddate | cut -d= -f2)" +%s) - $(date +%s)) / 86400 ))
  [ "$days" -ge 363 ] || fail "the new $n is valid for $days days, not 365"
done
assert_eq "$short_a_fp" "$(prop /certificate "short-a-revoked-$today" fingerprint)" "the revoked one is the old short-a"
text=$(openssl x509 -in short-a.crt -noout -text)
assert_contains "$text" "Subject: CN = a.example" "the new short-a's subject"
assert_contains "$text" "DNS:a.example, IP Address:192.0.2.1" "the new short-a's subject-alt-name"
assert_contains "$text" "TLS Web Server Authentication" "the new short-a's key usage"
text=$(openssl x509 -in short-b.crt -noout -text)
assert_contains "$text" "Subject: CN = b.example" "the new short-b's subject"
assert_contains "$text" "Digital Signature, Key Encipherment" "the new short-b's key usage"
assert_contains "$text" "TLS Web Client Authentication" "the new short-b's extended key usage"
assert_not_contains "$text" "Subject Alternative Name" "short-b had no subject-alt-name and has none"
ok "short-a and short-b: revoked as NAME-revoked-$today (flag R), new ones signed by local-ca, PKCS#12 verifies"

# The long ones and the template: untouched.
assert_eq "$long_c_fp" "$(prop /certificate long-c fingerprint)" "long-c untouched"
assert_eq "$long_d_fp" "$(prop /certificate long-d fingerprint)" "long-d untouched"
assert_not_contains "$(flags_of long-c)" R "long-c not revoked"
assert_not_contains "$(pk /certificate print)" "long-c-revoked" "long-c not renamed"
assert_not_contains "$(pk /certificate print)" "tmpl-revoked" "the template not renamed"
[ ! -e cert_export_long-c.p12 ] || fail "long-c was exported"
ok "long-c, long-d and the template are untouched"

log=$(pk /log print)
assert_match "$log" "renewing short-a, which expires after 1w[23]d" "the script's :log line (10 days less the seconds since signing)"
assert_contains "$(pk /log print where topics=script,info)" "renewing short-b" "its topics"
ok "the script logged each renewal to /log"

# Run again: nothing expires within three weeks any more.
out=$(pk < renew.rsc)
assert_contains "$out" "renewed 0 on $today" "a second run renews nothing"
ok "a second run renews nothing"
