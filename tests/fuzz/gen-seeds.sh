#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Writes seed corpora of real files made by openssl and certtool into OUTDIR:
# crypto/ and import/ (certificates, keys in every format, PKCS#12, CSRs,
# bundles; PEM and DER), csr/ (requests), pem/ (every PEM file) and crl/
# (CRLs of an EC and an RSA CA by openssl ca and certtool, DER, and edge
# cases made from them: truncated, indefinite length, data after). Secrets
# use the passphrase the targets try (FUZZ_PASSPHRASE in fuzz-sandbox.h).
# Most use one iteration of the key derivation, so that a fuzzer's time goes
# to parsing, not to PBKDF2; one of each keeps the tools' default count.
set -euo pipefail
out=${1:?usage: gen-seeds.sh OUTDIR}
pass=pkiman-fuzz
mkdir -p "$out"/{crypto,import,csr,pem,crl}
work=$(mktemp -d "${TMPDIR:-/tmp}/pkiman-seeds.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
o () { openssl "$@" 2>/dev/null; }
der () { o "$1" -in "$2" -outform DER -out "${2%.*}.der"; } # kind file

# Keys: RSA (PKCS#1, PKCS#8 plain and PBES2 and PBES1, legacy PEM
# encryption), EC (SEC1 with and without parameters, PKCS#8); PEM and DER.
o genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa.p8.pem
o rsa -in rsa.p8.pem -traditional -out rsa.p1.pem
o rsa -in rsa.p8.pem -traditional -outform DER -out rsa.p1.der
o pkcs8 -topk8 -nocrypt -in rsa.p8.pem -outform DER -out rsa.p8.der
o pkcs8 -topk8 -in rsa.p8.pem -v2 aes-256-cbc -iter 1 -passout pass:$pass -out rsa.p8enc.pem
o pkcs8 -topk8 -in rsa.p8.pem -v2 aes-256-cbc -passout pass:$pass -out rsa.p8enc-default-iter.pem
o pkcs8 -topk8 -in rsa.p8.pem -v1 PBE-SHA1-3DES -iter 1 -passout pass:$pass -outform DER -out rsa.p8enc-v1.der
o rsa -in rsa.p8.pem -traditional -aes128 -passout pass:$pass -out rsa.legacy-enc.pem
o ecparam -name prime256v1 -genkey -out ec.sec1-params.pem
o ec -in ec.sec1-params.pem -out ec.sec1.pem
o ec -in ec.sec1.pem -outform DER -out ec.sec1.der
o pkcs8 -topk8 -nocrypt -in ec.sec1.pem -out ec.p8.pem
o pkcs8 -topk8 -in ec.sec1.pem -v2 aes-128-cbc -v2prf hmacWithSHA512 -iter 1 -passout pass:$pass -outform DER \
  -out ec.p8enc.der
o genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp384r1 -out ec384.pem
o genpkey -algorithm ED25519 -out ed25519.pem

# Certificates: a CA, a leaf with every extension pkiman reads, RSA-PSS,
# SHA-1, a v1 certificate; PEM and DER; a bundle of chain and key.
cat >leaf.ext <<'X'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth,codeSigning,emailProtection,timeStamping,OCSPSigning,1.3.6.1.5.5.7.3.10
subjectAltName=DNS:leaf.example,IP:192.0.2.1,IP:2001:db8::1,email:ops@leaf.example,URI:https://leaf.example/
crlDistributionPoints=URI:http://crl.example/ca.crl
authorityKeyIdentifier=keyid
subjectKeyIdentifier=hash
X
o req -x509 -key ec.sec1.pem -out ca.pem -days 3650 -subj "/C=LV/ST=Riga/L=Riga/O=Example/OU=PKI/CN=Seed CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
o req -new -key rsa.p8.pem -out leaf.csr.pem -subj "/CN=leaf.example/O=Example" \
  -addext "subjectAltName=DNS:leaf.example,IP:192.0.2.1,email:ops@leaf.example" \
  -addext "keyUsage=digitalSignature,keyEncipherment" -addext "extendedKeyUsage=serverAuth" \
  -addext "basicConstraints=CA:TRUE" -passin pass:x
o x509 -req -in leaf.csr.pem -CA ca.pem -CAkey ec.sec1.pem -CAcreateserial -days 365 -extfile leaf.ext -out leaf.pem
o x509 -req -in leaf.csr.pem -key rsa.p8.pem -days 30 -sigopt rsa_padding_mode:pss -sha384 -out pss.pem
o x509 -req -in leaf.csr.pem -key rsa.p8.pem -days 30 -sha1 -out sha1.pem
o req -x509 -key ed25519.pem -out ed25519.crt.pem -days 30 -subj "/CN=ed25519"
for c in ca leaf pss sha1; do der x509 $c.pem; done
cat leaf.pem ca.pem rsa.p1.pem >bundle.pem
cat rsa.p8enc.pem leaf.pem >bundle-enc-key-first.pem
cat ca.pem ca.pem >duplicate.pem

# PKCS#12: openssl's AES default, its legacy RC2/3DES, no MAC; certtool's.
o pkcs12 -export -in leaf.pem -inkey rsa.p8.pem -certfile ca.pem -name leaf -iter 1 -nomaciter -passout pass:$pass \
  -out leaf.p12
o pkcs12 -export -in leaf.pem -inkey rsa.p8.pem -passout pass:$pass -out leaf-default-iter.p12
o pkcs12 -export -legacy -in ca.pem -inkey ec.sec1.pem -iter 1 -nomaciter -passout pass:$pass -out ca-legacy.p12 ||
  o pkcs12 -export -in ca.pem -inkey ec.sec1.pem -iter 1 -nomaciter -passout pass:$pass -out ca-legacy.p12
o pkcs12 -export -in ca.pem -nokeys -nomac -iter 1 -passout pass:$pass -out ca-nomac.p12
certtool --to-p12 --load-certificate ca.pem --load-privkey ec.sec1.pem --p12-name ca --password $pass \
  --outder --outfile ca-certtool.p12 >/dev/null 2>&1

# certtool's own: a key, a self-signed certificate and a request from a template.
cat >ct.tmpl <<'X'
cn = "certtool seed"
organization = "Example"
dns_name = "ct.example"
ip_address = "198.51.100.7"
email = "ct@example.org"
challenge_password = "chal-pass"
tls_www_server
signing_key
encryption_key
ca
cert_signing_key
crl_dist_points = "http://crl.example/ct.crl"
expiration_days = 30
X
certtool --generate-privkey --key-type ecdsa --curve secp521r1 --outfile ct.key.pem >/dev/null 2>&1
certtool --generate-self-signed --load-privkey ct.key.pem --template ct.tmpl --outfile ct.crt.pem >/dev/null 2>&1
certtool --generate-request --load-privkey ct.key.pem --template ct.tmpl --outfile ct.csr.pem >/dev/null 2>&1
certtool --generate-privkey --key-type rsa --bits 1024 --pkcs8 --password $pass --outfile ct.p8enc.pem >/dev/null 2>&1

# Requests: with a challengePassword and requested extensions; DER too.
o req -new -key ec384.pem -out chal.csr.pem -subj "/CN=chal.example" \
  -addext "subjectAltName=DNS:chal.example" -passin pass:x \
  -config <(printf '[req]\ndistinguished_name=dn\nattributes=attr\n[dn]\n[attr]\nchallengePassword=secret-chal\n')
for r in leaf.csr chal.csr ct.csr; do o req -in $r.pem -outform DER -out $r.der; done

cp ./*.pem ./*.der ./*.p12 "$out/crypto/"
cp ./*.pem ./*.der ./*.p12 "$out/import/"
cp ./*.csr.* ca.pem leaf.der "$out/csr/"
cp ./*.pem "$out/pem/"

# CRLs: `openssl ca -gencrl` of an EC and an RSA CA from index.txt files of
# none, one and several revoked certificates (every reason openssl writes,
# an invalidity date, a hold instruction, serials with the high bit set and
# of 20 bytes), v1 (no extensions) and v2 (cRLNumber, authorityKeyIdentifier),
# UTCTime and GeneralizedTime (past 2049); a delta CRL, a critical unknown
# extension and a critical issuingDistributionPoint (refused); RSA-PSS (an
# unsupported algorithm); certtool's. All DER. Made after the other corpora
# are copied, which stay as they were.
o req -x509 -newkey rsa:1024 -nodes -keyout rsa-ca.key.pem -out rsa-ca.pem -days 3650 -subj "/O=Example/CN=RSA CRL CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
o x509 -in rsa-ca.pem -outform DER -out crl-rsa-ca.crt.der
crl () { # name CA-cert CA-key index-lines extensions-section [openssl ca options]
  local name=$1 cert=$2 key=$3 lines=$4 exts=$5
  shift 5
  mkdir -p "ca-$name"
  printf '%b' "$lines" >"ca-$name/index.txt"
  cat >"ca-$name/ca.cnf" <<X
[ca]
default_ca = dflt
[dflt]
database = ca-$name/index.txt
$([ "$exts" = none ] || echo "crlnumber = ca-$name/crlnumber")
certificate = $cert
private_key = $key
default_md = sha256
default_crl_days = 30
$([ "$exts" = none ] || echo "crl_extensions = $exts")
[full]
authorityKeyIdentifier = keyid:always
[delta]
authorityKeyIdentifier = keyid:always
2.5.29.27 = critical,ASN1:INTEGER:999
[unknown]
1.3.6.1.4.1.99999.1 = critical,ASN1:NULL
[idp]
issuingDistributionPoint = critical,@idp_section
[idp_section]
fullname = URI:http://crl.example/part1.crl
onlysomereasons = keyCompromise
X
  [ "$exts" = none ] || echo 1000 >"ca-$name/crlnumber"
  o ca -config "ca-$name/ca.cnf" -gencrl "$@" -out "ca-$name/crl.pem"
  o crl -in "ca-$name/crl.pem" -outform DER -out "crl-$name.der"
}
t='\t'
one="R${t}300101000000Z${t}250101120000Z${t}01${t}unknown${t}/CN=one\n"
several="V${t}300101000000Z${t}${t}10${t}unknown${t}/CN=valid\n$one"
serial=32
for r in unspecified keyCompromise CACompromise affiliationChanged superseded cessationOfOperation removeFromCRL; do
  several+="R${t}300101000000Z${t}250102000000Z,$r${t}$(printf '%02X' $serial)${t}unknown${t}/CN=$r\n"
  serial=$((serial + 29))
done
several+="R${t}300101000000Z${t}250103000000Z,keyTime,20241231000000Z${t}80AB${t}unknown${t}/CN=compromise\n"
several+="R${t}300101000000Z${t}250104000000Z,holdInstruction,holdInstructionReject${t}00FF${t}unknown${t}/CN=hold\n"
several+="R${t}300101000000Z${t}250105000000Z,superseded${t}7FEEDDCCBBAA99887766554433221100FFEEDDCC${t}unknown${t}/CN=long\n"
crl ec-empty ca.pem ec.sec1.pem "" full
crl ec-one ca.pem ec.sec1.pem "$one" full
crl ec-several ca.pem ec.sec1.pem "$several" full -md sha384
crl ec-v1 ca.pem ec.sec1.pem "$one" none
crl ec-delta ca.pem ec.sec1.pem "$one" delta
crl ec-critical-unknown ca.pem ec.sec1.pem "$one" unknown
crl ec-idp ca.pem ec.sec1.pem "$one" idp
crl rsa-empty rsa-ca.pem rsa-ca.key.pem "" full
crl rsa-several rsa-ca.pem rsa-ca.key.pem "$several" full -crldays 10000
crl rsa-pss rsa-ca.pem rsa-ca.key.pem "$one" full -sigopt rsa_padding_mode:pss
cat >crl.tmpl <<'X'
crl_number = 7
crl_next_update = 14
X
certtool --generate-crl --load-ca-privkey ec.sec1.pem --load-ca-certificate ca.pem --load-certificate leaf.pem \
  --template crl.tmpl --outder --outfile crl-certtool.der >/dev/null 2>&1
certtool --generate-crl --load-ca-privkey rsa-ca.key.pem --load-ca-certificate rsa-ca.pem --template crl.tmpl \
  --outder --outfile crl-certtool-empty.der >/dev/null 2>&1
# Made from them: cut short; the outer SEQUENCE with an indefinite length
# (0x80, BER, not DER) and end-of-contents; data after the CRL.
head -c 100 crl-ec-several.der >crl-truncated.der
n=$(od -An -tu1 -j1 -N1 crl-ec-several.der)
header=$((n < 128 ? 2 : 2 + (n & 127)))
{ printf '\060\200'; tail -c +$((header + 1)) crl-ec-several.der; printf '\000\000'; } >crl-indefinite.der
{ cat crl-ec-one.der; printf '\000'; } >crl-trailing.der
cp crl-*.der "$out/crl/"
echo "seeds: $(ls "$out/crypto" | wc -l) files in $out/{crypto,import,csr,pem}, $(ls "$out/crl" | wc -l) in $out/crl"
