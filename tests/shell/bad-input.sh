# SPDX-License-Identifier: LGPL-2.1-or-later
# Bad input: a one-line error naming the parameter and why, a non-zero exit,
# nothing on stdout, and a store identical to before (a full dump compared).
. "$(dirname "$0")/lib.sh"

pk /certificate add name=local-ca common-name="Local CA" key-usage=key-cert-sign,crl-sign
pk /certificate sign local-ca
pk /certificate add name=router-tls common-name=router key-size=prime256v1 key-usage=digital-signature,tls-server
pk /certificate sign router-tls ca=local-ca
pk /certificate add name=tpl common-name=t

expect_error 'frobnicate.*(no such|unknown) command' /certificate frobnicate
expect_error 'bogus.*(no such|unknown) parameter' /certificate add name=x bogus=1
expect_error '^pkiman: key-size: 1000 is not one of 1024, 1536, 2048, 4096, 8192, prime256v1, secp384r1, secp521r1$' \
  /certificate add name=x key-size=1000
expect_error '^pkiman: days-valid: -1 ' /certificate add name=x days-valid=-1
expect_error '^pkiman: days-valid: ' /certificate add name=x days-valid=4294967296
expect_error '^pkiman: trusted: ' /certificate add name=x trusted=maybe
expect_error '^pkiman: key-usage: ' /certificate add name=x key-usage=digital-signature,teleport
expect_error '^pkiman: subject-alt-name: ' /certificate add name=x subject-alt-name=DNS:ok,IP:300.1.2.3
expect_error '^pkiman: subject-alt-name: ' /certificate add name=x subject-alt-name=URI:http://x
expect_error '^pkiman: numbers: .*nosuch' /certificate sign nosuch
expect_error '^pkiman: ca: .*nosuch' /certificate sign tpl ca=nosuch
expect_error '^pkiman: ca: "router-tls" is not a CA' /certificate sign tpl ca=router-tls
expect_error '^pkiman: ca: "tpl" is a template' /certificate sign tpl ca=tpl
expect_error '^pkiman: numbers: "local-ca" is already signed' /certificate sign local-ca
expect_error '^pkiman: name: a certificate named "local-ca" already exists' /certificate add name=local-ca
expect_error '^pkiman: name: a certificate named "router-tls" already exists' /certificate sign tpl name=router-tls
expect_error '^pkiman: name: a certificate named "tpl" already exists' /certificate set router-tls name=tpl
expect_error '^pkiman: common-name: a signed certificate keeps its content' /certificate set router-tls common-name=x
expect_error '^pkiman: name: required' /certificate add common-name=x
expect_error '^pkiman: numbers: "tpl" was not issued by a local CA' /certificate issued-revoke tpl
expect_error '^pkiman: numbers: "local-ca" was not issued by a local CA' /certificate issued-revoke local-ca
expect_error '^pkiman: /nosuch: no such menu' /nosuch print
expect_error '^pkiman: "tpl" is a template' /certificate export-certificate tpl
expect_error '^pkiman: numbers: no such item: 99$' /certificate remove 99

# A CA certificate whose key is not here cannot sign; a certificate issued here
# whose key is elsewhere cannot be removed.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ext.key -out ext-ca.crt \
  -days 5 -subj "/CN=External CA" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign 2>/dev/null
pk /certificate import file-name=ext-ca.crt name=ext-ca >/dev/null
expect_error '^pkiman: ca: "ext-ca" has no private key here$' /certificate sign tpl ca=ext-ca
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout dev.key -out dev.csr \
  -subj "/CN=device" 2>/dev/null
pk /certificate sign-certificate-request ca=local-ca file-name=dev.csr name=device >/dev/null
expect_error '^pkiman: numbers: "device" was issued by the local CA "local-ca": it can only be revoked \(issued-revoke\)' \
  /certificate remove device
expect_error '^pkiman: numbers: "router-tls" was issued by the local CA "local-ca"' /certificate remove router-tls

pk /certificate issued-revoke router-tls
expect_error '^pkiman: numbers: "router-tls" is already revoked' /certificate issued-revoke router-tls

# With --json an error is one JSON object on stderr naming the parameter.
expect_error '^\{"error":"key-size: 1000 is not one of [^"]*","parameter":"key-size"\}$' --json /certificate add name=x key-size=1000
expect_error '^\{"error":"/nosuch: no such menu"\}$' --json /nosuch print
err=$(pk --json /certificate export-certificate router-tls export-passphrase=short 2>&1 >/dev/null || true)
python3 -c 'import json,sys; e=json.loads(sys.argv[1]); assert e["parameter"]=="export-passphrase", e; assert "short" not in e["error"], e' "$err" \
  || fail "--json error: $err"
ok "--json errors are JSON objects with the parameter, and never echo a secret"

# One passphrase rule for every command that writes a key: at least 8 characters.
expect_error '^pkiman: export-passphrase: at least 8 characters$' /certificate export-certificate router-tls export-passphrase=1234567
expect_error '^pkiman: export-passphrase: at least 8 characters$' /certificate export-certificate router-tls type=pkcs12 export-passphrase=abc
expect_error '^pkiman: key-passphrase: at least 8 characters$' /certificate create-certificate-request tpl key-passphrase=x
expect_error '^pkiman: key-passphrase: required' /certificate create-certificate-request tpl key-passphrase=""

# RFC 5280's bounds at add and set, and names that would spoof the screen:
# escaped, the error stays one line.
expect_error '^pkiman: common-name: 65 characters, more than 64 \(RFC 5280\)$' \
  /certificate add name=x common-name=$(printf 'x%.0s' {1..65})
expect_error '^pkiman: country: "USA" is not two letters \(ISO 3166\)$' /certificate set tpl country=USA
expect_error '^pkiman: subject-alt-name: "DNS:a\.\*\.example" is not a host name' \
  /certificate set tpl subject-alt-name=DNS:a.*.example
expect_error '^pkiman: numbers: no such item: two\\nlines\\1B\[2J$' /certificate sign $'two\nlines\x1b[2J'

# A where pattern that would backtrack for minutes stops at once with an error.
pk /certificate add name=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab common-name=long >/dev/null
expect_error '^pkiman: where: the regular expression takes too long to match' /certificate print where 'name~"^(a|a)*$"'
pk /certificate remove aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab
