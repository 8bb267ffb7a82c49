# SPDX-License-Identifier: LGPL-2.1-or-later
# print count-only where expired is answered from the invalid-after index
# (PkmFlag.count) without listing: it must count exactly what the listing
# and the condition count, and leave the numbers of the last print alone.
. "$(dirname "$0")/lib.sh"

count () { pk /certificate print count-only "$@"; }
listed () { # where... -> the number of items a listing shows
  pk /certificate print as-value "$@" | grep -c '^\.id=' || true
}

# Nothing yet: zero either way.
assert_eq "0" "$(count where expired)" "an empty store counts 0 expired"

# A local CA, two certificates it signs, a template; two expired
# certificates made by certtool (an old CA and a leaf it signed, both dated
# in the past).
pk /certificate add name=ca common-name=ca key-usage=key-cert-sign,crl-sign >/dev/null
pk /certificate sign ca >/dev/null
for n in a b; do
  pk /certificate add name=$n common-name=$n.example >/dev/null
  pk /certificate sign $n ca=ca >/dev/null
done
pk /certificate add name=tpl common-name=tpl >/dev/null
cat >old-ca.tmpl <<'EOF'
cn = "Old CA"
ca
cert_signing_key
activation_date = "2020-01-01 00:00:00 UTC"
expiration_date = "2021-01-01 00:00:00 UTC"
EOF
cat >old-leaf.tmpl <<'EOF'
cn = "old leaf"
activation_date = "2020-02-01 00:00:00 UTC"
expiration_date = "2020-06-01 00:00:00 UTC"
EOF
certtool --generate-privkey --key-type ecdsa --outfile old-ca.key 2>/dev/null
certtool --generate-self-signed --load-privkey old-ca.key --template old-ca.tmpl --outfile old-ca.crt 2>/dev/null
certtool --generate-privkey --key-type ecdsa --outfile leaf.key 2>/dev/null
certtool --generate-certificate --load-privkey leaf.key --load-ca-certificate old-ca.crt \
  --load-ca-privkey old-ca.key --template old-leaf.tmpl --outfile old-leaf.crt 2>/dev/null
pk /certificate import file-name=old-ca.crt name=old-ca >/dev/null
pk /certificate import file-name=old-leaf.crt name=old-leaf >/dev/null

assert_eq "2" "$(listed where expired)" "the listing shows two expired"
assert_eq "2" "$(count where expired)" "the index counts the same two"
assert_eq "4" "$(count where not expired)" "the rest (one template among them) by listing"
assert_eq "6" "$(count)" "all six"
assert_eq "$(listed where expired and name~\"old\")" "$(count where expired and name~\"old\")" \
  "a condition beyond the one flag is listed, and agrees"
ok "count-only where expired: the index and the listing agree"

# Numbers stay what the last print showed: print binds 0.., the indexed
# count binds nothing, and 3 still names the fourth item of that print.
fourth=$(pk --json /certificate print | python3 -c 'import json,sys; print(json.load(sys.stdin)[3]["name"])')
assert_eq "tpl" "$fourth" "the template is fourth"
pk <<'RSC' >/dev/null
/certificate print
/certificate print count-only where expired
/certificate set 3 common-name=renamed-by-number
RSC
assert_eq "renamed-by-number" "$(prop /certificate tpl common-name)" "set 3 after the count"
ok "the indexed count keeps the numbers of the last print"
