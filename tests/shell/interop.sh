# SPDX-License-Identifier: LGPL-2.1-or-later
# The interop matrix, both ways, each cell checking content (subject, serial,
# key match, chain), not only an exit status. Peers: openssl and certtool.
. "$(dirname "$0")/lib.sh"

peer () { "$@" >/dev/null 2>&1 || fail "peer command failed: $*"; }
pubkey_of_cert () { openssl x509 -in "$1" -noout -pubkey; }
counters () { pk /certificate import "$@" | tr -d ' ' | tr '\n' ' '; }

# --- peers make, pkiman imports -------------------------------------------------------------
# An openssl CA and a leaf with SAN, as PEM and DER, and keys in every format.
peer openssl req -x509 -newkey rsa:2048 -nodes -keyout os-ca.key -out os-ca.crt -days 30 -subj "/O=Peer/CN=OpenSSL CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
peer openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout leaf.key -out leaf.csr \
  -subj "/CN=leaf.example" -addext subjectAltName=DNS:leaf.example
peer openssl x509 -req -in leaf.csr -CA os-ca.crt -CAkey os-ca.key -set_serial 0x1234ABCD -days 10 -out leaf.crt \
  -copy_extensions copy
peer openssl x509 -in leaf.crt -outform DER -out leaf.der

# Certificate first, then its key (SEC1 PEM): K appears, counters as RouterOS.
out=$(counters file-name=os-ca.crt)
assert_contains "$out" "certificates-imported:1" "CA import counter"
assert_eq "os-ca.crt_0" "$(pk --json /certificate print | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["name"])')" "RouterOS name <file>_0"
assert_eq "AT" "$(flags_of os-ca.crt_0 | tr -d ' ')" "imported CA: A T (trusted=yes by default)"
pk /certificate import file-name=leaf.der name=leaf
assert_eq "1234ABCD" "$(prop /certificate leaf serial-number)" "DER import serial"
assert_eq "valid" "$(prop /certificate leaf chain-status)" "leaf chain to the trusted openssl CA"
openssl ec -in leaf.key -out leaf-sec1.pem 2>/dev/null
out=$(counters file-name=leaf-sec1.pem passphrase="")
assert_contains "$out" "private-keys-imported:1" "SEC1 key counter"
assert_contains "$(flags_of leaf)" "K" "key attached after the certificate"
pk /certificate export-certificate leaf export-passphrase=pw12345678
assert_eq "$(pubkey_of_cert leaf.crt)" "$(openssl pkey -in cert_export_leaf.key -passin pass:pw12345678 -pubout)" \
  "re-exported key matches"
ok "openssl PEM CA, DER leaf, SEC1 key: names, flags, serial, chain, key match"

# The same certificate again is reported, not added twice.
out=$(pk /certificate import file-name=os-ca.crt)
assert_contains "$out" 'already in the store as "os-ca.crt_0"' "duplicate reported"
assert_contains "$out" "certificates-imported: 0" "duplicate not counted"
assert_eq 1 "$(pk /certificate print count-only where common-name="OpenSSL CA")" "duplicate not added"

# Key first (in the same file), then certificate: PKCS#1 RSA + cert in one PEM.
peer openssl req -x509 -newkey rsa:2048 -nodes -keyout k1.key -out k1.crt -days 5 -subj "/CN=one-file"
openssl rsa -in k1.key -traditional -out k1-pkcs1.pem 2>/dev/null
head -1 k1-pkcs1.pem | grep -q "BEGIN RSA PRIVATE KEY" || fail "openssl did not write PKCS#1"
cat k1-pkcs1.pem k1.crt > bundle.pem
out=$(counters file-name=bundle.pem)
assert_contains "$out" "certificates-imported:1" "bundle cert"
assert_contains "$out" "private-keys-imported:1" "bundle key before its certificate"
assert_contains "$(flags_of bundle.pem_0)" "K" "K on the bundle cert"
ok "PKCS#1 key before its certificate in one PEM"

# Every key format: PKCS#8 plain and encrypted, PEM and DER.
for fmt in p8 p8enc p8der p8encder; do
  peer openssl req -x509 -newkey rsa:2048 -nodes -keyout $fmt.key -out $fmt.crt -days 5 -subj "/CN=$fmt"
  case $fmt in
    p8) cp $fmt.key $fmt.in; pass="" ;;
    p8enc) openssl pkcs8 -topk8 -v2 aes256 -in $fmt.key -out $fmt.in -passout pass:secret1 2>/dev/null; pass=secret1 ;;
    p8der) openssl pkcs8 -topk8 -nocrypt -in $fmt.key -outform DER -out $fmt.in 2>/dev/null; pass="" ;;
    p8encder) openssl pkcs8 -topk8 -v2 aes256 -in $fmt.key -outform DER -out $fmt.in -passout pass:secret2 2>/dev/null; pass=secret2 ;;
  esac
  pk /certificate import file-name=$fmt.crt name=$fmt >/dev/null
  out=$(counters file-name=$fmt.in passphrase="$pass")
  assert_contains "$out" "private-keys-imported:1" "$fmt key"
  assert_contains "$(flags_of $fmt)" "K" "$fmt K flag"
done
ok "PKCS#8 plain/encrypted, PEM/DER keys attach"

# PKCS#12: openssl default (AES-256), openssl -legacy (3DES/RC2), certtool's; with chain.
peer openssl pkcs12 -export -in leaf.crt -inkey leaf.key -certfile os-ca.crt -out aes.p12 -passout pass:p12pass \
  -name leaf-aes
export PKIMAN_STATE_DIR="$WORK/p12state"
out=$(counters file-name=aes.p12 passphrase=p12pass)
assert_contains "$out" "certificates-imported:2" "p12 with chain: two certificates"
assert_contains "$out" "private-keys-imported:1" "p12 key"
assert_eq 1 "$(pk /certificate print count-only where private-key and common-name=leaf.example)" "p12 key on the leaf"
if openssl pkcs12 -export -legacy -in leaf.crt -inkey leaf.key -out legacy.p12 -passout pass:p12pass 2>/dev/null; then
  legacy=legacy.p12
else
  peer openssl pkcs12 -export -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 -in leaf.crt -inkey leaf.key \
    -out legacy.p12 -passout pass:p12pass
  legacy=legacy.p12
fi
export PKIMAN_STATE_DIR="$WORK/p12legacy"
assert_contains "$(counters file-name=$legacy passphrase=p12pass)" "private-keys-imported:1" "legacy p12"
certtool --to-p12 --load-privkey leaf.key --load-certificate leaf.crt --p12-name certtool --password p12pass \
  --outder --outfile certtool.p12 >/dev/null 2>&1 || fail "certtool --to-p12"
export PKIMAN_STATE_DIR="$WORK/p12certtool"
assert_contains "$(counters file-name=certtool.p12 passphrase=p12pass)" "private-keys-imported:1" "certtool p12"
assert_eq "1234ABCD" "$(prop /certificate certtool.p12_0 serial-number)" "certtool p12 certificate"
ok "PKCS#12 from openssl (AES-256 and legacy) and certtool, with chain and key"

# CSRs from openssl and certtool, signed by a pkiman CA, verified by both peers.
export PKIMAN_STATE_DIR="$WORK/state"
pk /certificate add name=ca common-name="pkiman CA" key-usage=key-cert-sign,crl-sign key-size=prime256v1
pk /certificate sign ca
pk /certificate export-certificate ca
certtool --generate-privkey --key-type rsa --bits 2048 --outfile ct.key >/dev/null 2>&1
printf 'cn = certtool.example\ndns_name = certtool.example\nip_address = 10.1.2.3\ntls_www_client\nsigning_key\n' > ct.tmpl
peer certtool --generate-request --load-privkey ct.key --template ct.tmpl --outfile ct.csr
for csr in leaf.csr ct.csr; do
  pk /certificate sign-certificate-request ca=ca file-name=$csr name=from-$csr days-valid=42 >/dev/null
  pk /certificate export-certificate from-$csr
  openssl verify -CAfile cert_export_ca.crt cert_export_from-$csr.crt | grep -q OK || fail "$csr: openssl verify"
  certtool --verify --load-ca-certificate cert_export_ca.crt --infile cert_export_from-$csr.crt 2>&1 \
    | grep -q "Chain verification output: Verified" || fail "$csr: certtool --verify"
  # leaf.csr's key was imported above (leaf-sec1.pem), so that one is K L I (L: its CA's CRL is here);
  # certtool's key is not here.
  [ $csr = ct.csr ] && expected=LI || expected=KLI
  assert_eq "$expected" "$(flags_of from-$csr | tr -d ' ')" "$csr: issued; K only when its key is here"
  assert_eq "$(openssl req -in $csr -noout -pubkey)" "$(pubkey_of_cert cert_export_from-$csr.crt)" "$csr: key"
  assert_contains "$(openssl x509 -in cert_export_from-$csr.crt -noout -text)" "CA:FALSE" "$csr: not a CA"
done
# A request that asks to be a CA gets one only with allow-ca=yes.
peer openssl req -new -newkey rsa:2048 -nodes -keyout subca.key -out subca.csr -subj "/CN=Sub from CSR" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
pk /certificate sign-certificate-request ca=ca file-name=subca.csr name=subca-no >/dev/null
pk /certificate sign-certificate-request ca=ca file-name=subca.csr name=subca-yes allow-ca=yes >/dev/null
assert_eq "no" "$(prop /certificate subca-no authority)" "a CSR does not make a CA by itself"
assert_eq "yes" "$(prop /certificate subca-yes authority)" "allow-ca=yes issues the CA asked for"

assert_contains "$(openssl x509 -in cert_export_from-ct.csr.crt -noout -text)" "IP Address:10.1.2.3" "certtool CSR SAN"
assert_contains "$(openssl x509 -in cert_export_from-ct.csr.crt -noout -text)" "TLS Web Client Authentication" "CSR EKU"
assert_contains "$(openssl x509 -in cert_export_from-leaf.csr.crt -noout -subject)" "CN = leaf.example" "CSR subject"
expect_error 'numbers: "from-ct.csr" was issued by the local CA "ca": it can only be revoked' \
  /certificate remove from-ct.csr
pk /certificate issued-revoke from-ct.csr
assert_contains "$(flags_of from-ct.csr)" "R" "revoked"
ok "openssl and certtool CSRs signed by pkiman, verified by both; I flag, not removable, revocable"

# certtool's own certificate and key (EC, PKCS#8 from certtool --to-p8 with a password).
certtool --generate-privkey --key-type ecdsa --curve secp384r1 --outfile ct-ec.key >/dev/null 2>&1
printf 'cn = certtool-made\nserial = 4242\ndns_name = ct.example\nexpiration_days = 30\n' > ct-ee.tmpl
peer certtool --generate-self-signed --load-privkey ct-ec.key --template ct-ee.tmpl --outfile ct-ee.crt
certtool --to-p8 --load-privkey ct-ec.key --password ctpass --outfile ct-ec.p8 >/dev/null 2>&1 || fail "certtool --to-p8"
pk /certificate import file-name=ct-ee.crt name=ct-made >/dev/null
assert_contains "$(counters file-name=ct-ec.p8 passphrase=ctpass)" "private-keys-imported:1" "certtool PKCS#8 key"
assert_eq "K T" "$(flags_of ct-made | sed 's/\(.\)/\1 /g; s/ *$//')" "certtool cert with its key: K T"
assert_eq "1092" "$(prop /certificate ct-made serial-number)" "certtool serial 4242 = 0x1092"
assert_eq "secp384r1" "$(prop /certificate ct-made key-size)" "certtool EC P-384 key"
ok "certtool's certificate and encrypted PKCS#8 key"

# --- pkiman makes, peers read ---------------------------------------------------------------
pk /certificate add name=srv common-name=srv.example subject-alt-name=DNS:srv.example key-usage=digital-signature,tls-server
pk /certificate sign srv ca=ca
pk /certificate export-certificate srv type=pkcs12 export-passphrase=exportpass
info=$(openssl pkcs12 -info -in cert_export_srv.p12 -passin pass:exportpass -nodes 2>&1)
assert_contains "$info" "PBES2, PBKDF2, AES-256-CBC" "p12 AES-256"
assert_contains "$info" "MAC: sha256" "p12 SHA-256 MAC"
assert_contains "$info" "subject=CN = srv.example" "p12 leaf"
assert_contains "$info" "subject=CN = pkiman CA" "p12 carries the CA chain"
openssl pkcs12 -in cert_export_srv.p12 -passin pass:exportpass -nocerts -nodes 2>/dev/null > srv-key.pem
openssl pkcs12 -in cert_export_srv.p12 -passin pass:exportpass -clcerts -nokeys 2>/dev/null > srv-crt.pem
assert_eq "$(pubkey_of_cert srv-crt.pem)" "$(openssl pkey -in srv-key.pem -pubout)" "p12 key matches"
pk /certificate export-certificate srv
certtool --verify --load-ca-certificate cert_export_ca.crt --infile cert_export_srv.crt 2>&1 \
  | grep -q "Chain verification output: Verified" || fail "certtool --verify of a pkiman chain"
certtool --p12-info --inder --infile cert_export_srv.p12 --password exportpass 2>&1 | grep -q "BEGIN CERTIFICATE" \
  || fail "certtool --p12-info"
if openssl pkcs12 -info -in cert_export_srv.p12 -passin pass:wrong -noout 2>/dev/null; then fail "p12 wrong pass"; fi
ok "pkiman PKCS#12 read by openssl and certtool: AES-256, SHA-256 MAC, chain, key match"

# pkiman CSR -> openssl x509 -req -> imported back, key attached.
pk /certificate add name=req common-name=csr.example subject-alt-name=DNS:csr.example key-size=secp384r1 \
  key-usage=digital-signature,tls-client
pk /certificate create-certificate-request template=req key-passphrase=csrpass1 challenge-passphrase=chal
openssl req -in certificate-request.pem -noout -verify 2>&1 | grep -q "verify OK" || fail "openssl req -verify"
assert_contains "$(openssl req -in certificate-request.pem -noout -text)" "DNS:csr.example" "CSR SAN"
assert_eq 600 "$(stat -c %a certificate-request_key.pem)" "CSR key mode"
assert_eq "$(openssl req -in certificate-request.pem -noout -pubkey)" \
  "$(openssl pkey -in certificate-request_key.pem -passin pass:csrpass1 -pubout)" "CSR key file matches"
assert_not_contains "$(pk /certificate print)" " req " "template consumed"
peer openssl x509 -req -in certificate-request.pem -CA os-ca.crt -CAkey os-ca.key -set_serial 77 -days 9 -out signed.crt
assert_contains "$(counters file-name=signed.crt name=back)" "certificates-imported:1" "signed CSR back"
assert_contains "$(flags_of back)" "K" "the CSR's key attaches to the signed certificate"
ok "pkiman CSR signed by openssl x509 -req and imported back with its key"

# --- chain states ----------------------------------------------------------------------------
export PKIMAN_STATE_DIR="$WORK/chains"
pk /certificate import file-name=os-ca.crt trusted=no name=untrusted-ca >/dev/null
pk /certificate import file-name=leaf.crt name=leaf2 trusted=no >/dev/null
assert_eq "untrusted-root" "$(prop /certificate untrusted-ca chain-status)" "untrusted root"
assert_eq "untrusted-root" "$(prop /certificate leaf2 chain-status)" "leaf under an untrusted root"
pk /certificate set untrusted-ca trusted=yes
assert_eq "valid" "$(prop /certificate leaf2 chain-status)" "valid once the root is trusted"
pk /certificate import file-name=cert_export_from-ct.csr.crt name=orphan trusted=no >/dev/null
assert_eq "missing-issuer" "$(prop /certificate orphan chain-status)" "missing issuer"
printf 'cn = old\nactivation_date = "2001-01-01 00:00:00"\nexpiration_date = "2002-01-01 00:00:00"\n' > old.tmpl
printf 'cn = future\nactivation_date = "2099-01-01 00:00:00"\nexpiration_date = "2100-01-01 00:00:00"\n' > new.tmpl
certtool --generate-privkey --key-type ecdsa --outfile t.key >/dev/null 2>&1
peer certtool --generate-self-signed --load-privkey t.key --template old.tmpl --outfile old.crt
peer certtool --generate-self-signed --load-privkey t.key --template new.tmpl --outfile new.crt
pk /certificate import file-name=old.crt name=old >/dev/null
pk /certificate import file-name=new.crt name=new >/dev/null
assert_eq "expired" "$(prop /certificate old chain-status)" "expired"
assert_contains "$(flags_of old)" "E" "E flag"
assert_eq "not-yet-valid" "$(prop /certificate new chain-status)" "not yet valid"
# A flipped bit in the signature: parses, but its link does not verify.
peer openssl req -x509 -newkey rsa:2048 -nodes -keyout bad.key -out bad.crt -days 5 -subj "/CN=bad signature"
openssl x509 -in bad.crt -outform DER -out bad.der
python3 -c 'import sys; d=bytearray(open("bad.der","rb").read()); d[-5]^=1; open("bad.der","wb").write(d)'
pk /certificate import file-name=bad.der name=bad >/dev/null
assert_eq "bad-signature" "$(prop /certificate bad chain-status)" "bad signature"
assert_eq 1 "$(pk /certificate print count-only where chain-status=bad-signature)" "chain-status in where"
peer openssl req -x509 -newkey rsa:2048 -nodes -keyout pss.key -out pss.crt -days 5 -subj "/CN=pss" \
  -sigopt rsa_padding_mode:pss
peer openssl req -x509 -newkey rsa:2048 -nodes -keyout sha1.key -out sha1.crt -days 5 -subj "/CN=sha1" -sha1
pk /certificate import file-name=pss.crt name=pss >/dev/null
pk /certificate import file-name=sha1.crt name=sha1 >/dev/null
assert_match "$(prop /certificate pss signature-algorithm)" 'PSS' "RSA-PSS reported"
assert_match "$(prop /certificate sha1 signature-algorithm)" 'SHA1' "SHA-1 reported"
assert_eq "valid" "$(prop /certificate pss chain-status)" "an RSA-PSS self-signed root verifies"
ok "chain states: valid, untrusted-root, missing-issuer, expired, not-yet-valid, bad-signature; PSS and SHA-1 named"

# --- bad input: a clear error and an unchanged store ------------------------------------------
export PKIMAN_STATE_DIR="$WORK/state"
head -c 300 leaf.crt > truncated.pem
head -c 700 /dev/urandom > garbage.der
: > empty.pem
openssl req -in leaf.csr -outform DER -out broken.csr
python3 -c 'import sys; d=bytearray(open("broken.csr","rb").read()); d[-3]^=0xff; open("broken.csr","wb").write(d)'
peer openssl req -x509 -newkey rsa:2048 -nodes -keyout lonely.key -out lonely.crt -days 5 -subj "/CN=lonely"
openssl pkcs8 -topk8 -v2 aes256 -in leaf.key -out leaf-enc.key -passout pass:right 2>/dev/null
head -c $((50 * 1024 * 1024)) /dev/zero > big.pem
expect_error '^pkiman: file-name: truncated.pem: truncated PEM' /certificate import file-name=truncated.pem
expect_error '^pkiman: file-name: garbage.der: not a certificate' /certificate import file-name=garbage.der
expect_error '^pkiman: file-name: empty.pem: the file is empty' /certificate import file-name=empty.pem
expect_error '^pkiman: file-name: nosuch.pem: No such file' /certificate import file-name=nosuch.pem
expect_error '^pkiman: file-name: big.pem: 52428800 bytes is over' /certificate import file-name=big.pem
expect_error '^pkiman: passphrase: wrong passphrase for the private key in leaf-enc.key' \
  /certificate import file-name=leaf-enc.key passphrase=wrong
expect_error '^pkiman: passphrase: wrong passphrase for the PKCS#12 file aes.p12' \
  /certificate import file-name=aes.p12 passphrase=wrong
expect_error '^pkiman: file-name: broken.csr: CSR: signature does not verify$' /certificate sign-certificate-request \
  ca=ca file-name=broken.csr
before=$(dump)
out=$(counters file-name=lonely.key)
assert_contains "$out" "keys-with-no-certificate:1" "lonely key counted"
assert_contains "$out" "private-keys-imported:0" "lonely key not imported"
assert_eq "$(( $(grep -c '^key' <<<"$before" || true) + 1 ))" "$(dump | grep -c '^key' || true)" "lonely key kept, waiting"
ok "a key that matches no certificate is counted and kept waiting (tests/shell/key-order.sh)"

# --- no-key-export and the files directory ---------------------------------------------------
export PKIMAN_STATE_DIR="$WORK/nokey"
pk /certificate import file-name=k1.crt name=locked >/dev/null
pk /certificate import file-name=k1.key no-key-export=yes >/dev/null
expect_error 'no-key-export' /certificate export-certificate locked export-passphrase=whatever
expect_error 'no-key-export' /certificate export-certificate locked type=pkcs12 export-passphrase=whatever
pk /certificate export-certificate locked   # the certificate alone is fine
mkdir -p "$WORK/box"
printf '[files]\ndir=%s\n' "$WORK/box" > "$WORK/box.conf"
cp leaf.crt "$WORK/box/"
pk --config "$WORK/box.conf" /certificate import file-name=leaf.crt name=boxed >/dev/null
rc=0; pk --config "$WORK/box.conf" /certificate import file-name=../files/leaf.crt 2>"$WORK/err" || rc=$?
[ $rc -ne 0 ] && grep -q "leaves the files directory" "$WORK/err" || fail "../ accepted: $(cat "$WORK/err")"
rc=0; pk --config "$WORK/box.conf" /certificate import file-name=/etc/passwd 2>"$WORK/err" || rc=$?
[ $rc -ne 0 ] && grep -q "leaves the files directory" "$WORK/err" || fail "absolute path accepted"
assert_contains "$(pk --config "$WORK/box.conf" /file print)" "leaf.crt" "/file print"
pk --config "$WORK/box.conf" /file remove leaf.crt
[ ! -e "$WORK/box/leaf.crt" ] || fail "/file remove"
ok "no-key-export holds; a configured files directory is a boundary; /file print and remove"
