# SPDX-License-Identifier: LGPL-2.1-or-later
# RouterOS's removal rules and revocation in chain state: what a local CA
# issued is never removed alone, only revoked; a revoked certificate stays
# listed with R until its CA goes; a revocation is never undone; a revoked
# certificate, and everything below a revoked CA, has chain-status=revoked.
. "$(dirname "$0")/lib.sh"

pk /certificate add name=root common-name=Root key-size=prime256v1 key-usage=key-cert-sign,crl-sign >/dev/null
pk /certificate sign root >/dev/null
pk /certificate add name=inter common-name=Inter key-size=prime256v1 key-usage=key-cert-sign,crl-sign >/dev/null
pk /certificate sign inter ca=root >/dev/null
for n in leaf1 leaf2; do
  pk /certificate add name=$n common-name=$n key-size=prime256v1 key-usage=digital-signature,tls-server >/dev/null
  pk /certificate sign $n ca=inter >/dev/null
done
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout dev.key -out dev.csr \
  -subj /CN=dev 2>/dev/null
pk /certificate sign-certificate-request ca=root file-name=dev.csr name=dev >/dev/null
status () { prop /certificate "$1" chain-status; }
for n in root inter leaf1 leaf2 dev; do assert_eq valid "$(status $n)" "$n before"; done

# Every certificate a local CA issued, with or without its key here, at any depth: not removable.
for n in inter leaf1 dev; do
  expect_error "^pkiman: numbers: \"$n\" was issued by the local CA \"(root|inter)\": it can only be revoked" \
    /certificate remove $n
done

# A revoked leaf: R, chain-status=revoked, found by where; still not removable; never undone.
pk /certificate issued-revoke leaf1
assert_contains "$(flags_of leaf1)" R "R after revoke"
assert_eq revoked "$(status leaf1)" "revoked leaf"
assert_eq valid "$(status leaf2)" "its sibling is untouched"
assert_eq leaf1 "$(pk --json /certificate print where chain-status!=valid | python3 -c 'import json,sys; print(" ".join(i["name"] for i in json.load(sys.stdin)))')" \
  "where chain-status!=valid finds it"
assert_eq 1 "$(pk /certificate print count-only where chain-status=revoked)" "where chain-status=revoked"
expect_error '^pkiman: numbers: "leaf1" was issued by the local CA "inter"' /certificate remove leaf1
expect_error '^pkiman: numbers: "leaf1" is already revoked' /certificate issued-revoke leaf1
pk /certificate set leaf1 trusted=yes name=leaf1-renamed
assert_contains "$(flags_of leaf1-renamed)" R "a set keeps the revocation"
assert_eq revoked "$(status leaf1-renamed)" "a trusted revoked certificate is still revoked"
expect_error '^pkiman: revoked: no such parameter' /certificate set leaf1-renamed revoked=no

# A revoked intermediate: everything below it is revoked too, and it signs nothing more.
pk /certificate issued-revoke inter
for n in inter leaf1-renamed leaf2; do assert_eq revoked "$(status $n)" "$n below a revoked CA"; done
assert_eq valid "$(status root)" "the root above is valid"
assert_eq valid "$(status dev)" "a sibling branch is valid"
pk /certificate add name=late common-name=late key-size=prime256v1 >/dev/null
expect_error '^pkiman: ca: "inter" is revoked' /certificate sign late ca=inter

# Templates and imported certificates remove as before.
pk /certificate remove late
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ext.key -out ext.crt -days 5 \
  -subj /CN=ext 2>/dev/null
pk /certificate import file-name=ext.crt name=ext >/dev/null
pk /certificate remove ext
assert_not_contains "$(pk /certificate print)" " ext " "an imported certificate is removed"
pk /certificate export-certificate leaf2 >/dev/null
pk /certificate export-certificate inter >/dev/null
pk /certificate export-certificate root >/dev/null

# Removing the root takes the whole tree, revoked ones included.
pk /certificate remove root
assert_eq 0 "$(pk /certificate print count-only)" "the tree went with its root"

# Re-importing what was removed gives imported certificates: no R, and no local CA.
pk /certificate import file-name=cert_export_root.crt name=root2 >/dev/null
pk /certificate import file-name=cert_export_inter.crt name=inter2 >/dev/null
pk /certificate import file-name=cert_export_leaf2.crt name=leaf2b >/dev/null
assert_eq valid "$(status leaf2b)" "imported chain, nothing revoked here"
pk /certificate remove leaf2b
ok "removal rules and revocation states"
