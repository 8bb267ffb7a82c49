# SPDX-License-Identifier: LGPL-2.1-or-later
# The local CA lifecycle: templates, copy-from, every key type and digest,
# print where/detail/count-only, revoke, cascading remove, the audit log.
. "$(dirname "$0")/lib.sh"

pk /certificate add name=root common-name="Root" organization=Example country=LV key-usage=key-cert-sign,crl-sign \
  days-valid=3650 key-size=secp384r1 digest-algorithm=sha384
pk /certificate sign root
pk /certificate add name=sub common-name="Sub CA" key-usage=key-cert-sign,crl-sign key-size=prime256v1
pk /certificate sign sub ca=root
assert_eq "KAT" "$(flags_of root | tr -d ' ')" "root flags"
assert_eq "KLA" "$(flags_of sub | tr -d ' ')" "a CA-signed CA: A without I (RouterOS CAPsMAN case), L: its CA's CRL is here"
assert_eq "ec" "$(prop /certificate root key-type)" "EC key type"
assert_eq "secp384r1" "$(prop /certificate root key-size)" "EC key size"

# Slow key sizes say so while they work.
pk /certificate add name=big common-name=big key-size=4096 key-usage=digital-signature
pk /certificate sign big 2>"$WORK/progress" >/dev/null
assert_contains "$(cat "$WORK/progress")" "progress: generating a 4096-bit RSA key" "progress note"
assert_eq "4096" "$(prop /certificate big key-size)" "RSA-4096"
pk /certificate remove big

# Template defaults and copy-from.
pk /certificate add name=web common-name=www.example.com subject-alt-name=DNS:www.example.com,email:admin@example.com \
  key-usage=digital-signature,tls-server,tls-client,code-sign,email-protect,timestamp,ocsp-sign,dvcs
pk /certificate add name=web2 copy-from=web common-name=www2.example.com
assert_eq "DNS:www.example.com,email:admin@example.com" "$(prop /certificate web2 subject-alt-name)" "copy-from SAN"
assert_eq "2048" "$(prop /certificate web2 key-size)" "template default key-size"
assert_eq "" "$(flags_of web2 | tr -d ' ')" "templates have no flags"
pk /certificate set web2 key-size=1024 days-valid=30 digest-algorithm=sha1
pk /certificate sign web2 ca=sub name=web2-signed
pk /certificate export-certificate web2-signed
text=$(openssl x509 -in cert_export_web2-signed.crt -noout -text)
assert_contains "$text" "ecdsa-with-SHA1" "digest sha1 (signed by the EC sub CA)"
assert_contains "$text" "Public-Key: (1024 bit)" "RSA 1024"
assert_contains "$text" "Subject: CN = www2.example.com" "copy-from then override"
assert_contains "$text" "email:admin@example.com" "email SAN"
assert_contains "$text" "Time Stamping, OCSP Signing" "EKU list"
assert_contains "$text" "Code Signing, E-mail Protection" "EKU list"
pk /certificate export-certificate root
pk /certificate export-certificate sub
cat cert_export_sub.crt cert_export_root.crt > chain.pem
openssl verify -CAfile cert_export_root.crt -untrusted cert_export_sub.crt cert_export_web2-signed.crt | grep -q OK \
  || fail "three-level chain does not verify"
assert_contains "$(openssl x509 -in cert_export_root.crt -noout -text)" "ecdsa-with-SHA384" "root digest"
ok "RSA 1024, EC P-256 and P-384, sha1 and sha384, EKUs, a three-level chain that openssl verifies"

pk /certificate add name=rsaroot common-name="RSA root" key-usage=key-cert-sign,crl-sign
pk /certificate sign rsaroot
for d in md5 sha512; do
  pk /certificate add name=d-$d common-name=$d digest-algorithm=$d key-usage=digital-signature
  pk /certificate sign d-$d ca=rsaroot
done
pk /certificate export-certificate d-md5
assert_contains "$(openssl x509 -in cert_export_d-md5.crt -noout -text)" "md5WithRSAEncryption" "md5 signature"
# ECDSA has no MD5: a clear refusal, nothing stored.
pk /certificate add name=ec-md5 common-name=x digest-algorithm=md5 key-usage=digital-signature
expect_error '^pkiman: digest-algorithm: md5 cannot sign with this CA' /certificate sign ec-md5 ca=root
pk /certificate remove ec-md5
assert_eq "md5" "$(prop /certificate d-md5 digest-algorithm)" "md5 recorded"
assert_eq "sha512" "$(prop /certificate d-sha512 digest-algorithm)" "sha512 recorded"

# print where / count-only / detail / as-value.
assert_eq 6 "$(pk /certificate print count-only where authority or issued)" "count-only where ... or ..."
assert_eq 1 "$(pk /certificate print count-only where name~"^web\$")" "regex"
assert_eq 1 "$(pk /certificate print count-only where not private-key or template)" "templates only"
detail=$(pk /certificate print detail where name=web2-signed)
assert_contains "$detail" 'name="web2-signed"' "detail name"
assert_contains "$detail" 'ca="sub"' "detail ca"
assert_match "$detail" 'invalid-after="?[0-9]{4}-[0-9]{2}-[0-9]{2} ' "detail dates"
assert_contains "$detail" "serial-number=" "detail serial"
assert_contains "$detail" "skid=" "detail skid"
assert_contains "$detail" "akid=" "detail akid"
assert_contains "$detail" "expires-after=" "detail expires-after"
assert_not_contains "$detail" 'name="root"' "where filters"
assert_contains "$(pk /certificate print as-value where name=root)" "name=root" "as-value"

# Numbers from print address items.
nr=$(pk --json /certificate print | python3 -c 'import json,sys; print([i[".nr"] for i in json.load(sys.stdin) if i["name"]=="web"][0])')
pk /certificate set "$nr" name=web-by-number
assert_eq "www.example.com" "$(prop /certificate web-by-number common-name)" "item addressed by number"
ok "print where, count-only, detail, as-value, numbers"

# Revoke: R, time kept, never undone; a revoked CA signs nothing.
pk /certificate issued-revoke d-md5
assert_contains "$(flags_of d-md5)" "R" "R flag"
assert_match "$(prop /certificate d-md5 revoked)" '^[0-9]{4}-' "revocation time kept"
pk /certificate issued-revoke sub
pk /certificate add name=late common-name=late key-usage=digital-signature
rc=0; pk /certificate sign late ca=sub 2>/dev/null || rc=$?
[ $rc -ne 0 ] || fail "a revoked CA signed"
ok "issued-revoke: R flag, time kept, revoked CA refused"

# What a local CA issued is never removed alone (RouterOS): revoked, it stays
# listed with R; it goes with its CA, which takes everything below it.
expect_error '^pkiman: numbers: "sub" was issued by the local CA "root": it can only be revoked' /certificate remove sub
expect_error '^pkiman: numbers: "d-md5" was issued by the local CA "rsaroot"' /certificate remove d-md5
keys_before=$(dump | grep -c '^key' || true)
pk /certificate remove root
left=$(pk /certificate print)
assert_not_contains "$left" "web2-signed" "issued by sub removed"
assert_not_contains "$left" " sub " "sub removed"
names=$(pk --json /certificate print | python3 -c 'import json,sys; print(" ".join(i["name"] for i in json.load(sys.stdin)))')
assert_not_contains " $names " " root " "root removed"
assert_contains "$left" "d-md5" "issued by rsaroot kept"
assert_contains "$(flags_of d-md5)" "R" "a revoked certificate stays listed with R"
keys_after=$(dump | grep -c '^key' || true)
assert_eq $((keys_before - 3)) "$keys_after" "keys of removed certificates removed"
pk /certificate remove late
assert_not_contains "$(pk /certificate print)" "late" "template removed"
ok "remove: CA cascade, keys go with their certificates"

# The audit log: every change, with actor, and no secret.
pk /certificate export-certificate rsaroot export-passphrase=TopSecret123
log=$(pk /log print)
for m in 'template "root" added' '"root" self-signed' '"sub" signed by CA "root"' '"d-md5" revoked' \
         '"root" removed with the 2 certificates it issued' '"rsaroot" exported to'; do
  assert_contains "$log" "$m" "log message"
done
assert_contains "$log" "cli:" "log actor"
assert_not_contains "$(dump | grep '^log')" "TopSecret123" "passphrase in the log"
ok "the audit log records every change with its actor"
