# SPDX-License-Identifier: LGPL-2.1-or-later
# Every example in the README runs as written: its setup script, the print
# output it shows, the openssl check it promises, and every command of the
# walk-through, in order. Input files that the README takes for granted
# (router.p12, device.csr, a CA to trust) are made here first.
. "$(dirname "$0")/lib.sh"

README="$(dirname "$0")/../../README.md"
[ -f "$README" ] || fail "README.md not found"
section () { # the "A walk through the main tasks" section
  python3 - "$README" <<'PY'
import sys
text = open(sys.argv[1]).read()
start = text.index("## A walk through the main tasks")
end = text.index("\n## ", start + 1)
print(text[start:end])
PY
}
WALK=$(section)
block () { # the Nth fenced block of the walk (1-based)
  python3 -c '
import sys
parts = sys.stdin.read().split("```")
print(parts[2 * int(sys.argv[1]) - 1].split("\n", 1)[1], end="")' "$1" <<<"$WALK"
}

# 1. The setup script, through stdin as the README says.
block 1 > setup-from-readme.rsc
pk < setup-from-readme.rsc >/dev/null || fail "the README's setup script failed"
ok "the README's setup script runs"

# 2. The print output shown: everything but fingerprints, serials and times matches.
shown=$(block 2)
actual=$(pk /certificate print)
while IFS= read -r line; do
  case $line in
    '$ '*|'...'*|'     '*) continue ;;
    [0-9]*) expect=$(sed -E 's/ +[0-9a-f]{64}$//' <<<"$line")
            assert_contains "$actual" "$expect" "README print row" ;;
    *) assert_contains "$actual" "$line" "README print header" ;;
  esac
done <<<"$(sed -n '/^\$ pkiman \/certificate print$/,/^\$ /p' <<<"$shown")"
detail=$(pk /certificate print detail where name=router-tls)
while IFS= read -r pair; do
  key=${pair%%=*}
  case $key in
    serial-number|invalid-before|invalid-after|expires-after) assert_contains "$detail" "$key=" "detail has $key" ;;
    *) assert_contains "$detail" "$pair" "detail shows $pair" ;;
  esac
done < <(grep -oE '[a-z-]+="[^"]*"' <<<"$shown")
ok "the README's print and print detail output is what pkiman prints"

# 3. The promised openssl check and key file.
verify=$(grep -oE '`openssl verify [^`]*`' <<<"$WALK" | tr -d '`')
[ -n "$verify" ] || fail "no openssl verify example found"
$verify | grep -q ': OK' || fail "$verify"
assert_eq "600" "$(stat -c %a cert_export_router-tls.key)" "the .key file mode"
openssl pkey -in cert_export_router-tls.key -passin pass:strong-passphrase -noout || fail "the .key does not open"
ok "$verify passes; the key is encrypted and 0600"

# 4. Every command in the rest of the walk-through, in order, as written.
openssl req -x509 -newkey rsa:2048 -nodes -keyout r.key -out r.crt -days 30 -subj /CN=router-import 2>/dev/null
openssl pkcs12 -export -in r.crt -inkey r.key -out router.p12 -passout pass:secret 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc -pass pass:secret -out router.key 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout device.key -out device.csr \
  -subj /CN=device 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout corp.key -out corp.crt -days 30 \
  -subj "/CN=Corp CA" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign 2>/dev/null
pk /certificate import file-name=corp.crt name=corp-ca trusted=no >/dev/null
pk /certificate add name=tpl common-name=tpl.example.com key-size=prime256v1 >/dev/null
printf '/certificate print count-only\n' > setup.rsc
make_inputs () { # what a command needs that comes from elsewhere: the external CA's answer to a CSR
  case $1 in
    *file-name=signed.crt*)
      openssl x509 -req -in certificate-request.pem -CA corp.crt -CAkey corp.key -CAcreateserial -days 30 \
        -out signed.crt 2>/dev/null || fail "the external CA could not sign the README's CSR" ;;
  esac
}
n=0
while IFS= read -r cmd; do
  make_inputs "$cmd"
  read -r -a words <<<"$cmd"
  [ "${words[0]}" = pkiman ] && words=("${words[@]:1}")
  pk "${words[@]}" >"$WORK/out" 2>"$WORK/err" || fail "README command failed: $cmd: $(cat "$WORK/err")"
  n=$((n + 1))
done < <(grep -oE '`(pkiman )?(--json )?/[a-z][^`]*`' <<<"$WALK" | tr -d '`' | grep -v '^/certificate>')
[ "$n" -ge 10 ] || fail "only $n commands found in the README"
ok "all $n commands of the README's walk-through run as written"

# 5. The script of the walk-through: what a local CA issued that expires
# within three weeks (a certificate of ten days made for it).
# (The walk removed local-ca: another CA issues the two.)
pk /certificate add name=walk-ca common-name="Walk CA" key-size=prime256v1 key-usage=key-cert-sign,crl-sign >/dev/null
pk /certificate sign walk-ca >/dev/null
pk /certificate add name=soon common-name=soon.example key-size=prime256v1 days-valid=10 key-usage=tls-server >/dev/null
pk /certificate sign soon ca=walk-ca >/dev/null
pk /certificate add name=later common-name=later.example key-size=prime256v1 key-usage=tls-server >/dev/null
pk /certificate sign later ca=walk-ca >/dev/null
block 3 > expiring.rsc
out=$(pk < expiring.rsc) || fail "the README's script failed"
assert_match "$out" '^renew soon, which expires after 1w[23]d' "the script names the certificate close to expiry"
assert_not_contains "$out" "later" "and not one valid for a year"
ok "the README's script runs and finds what expires"
