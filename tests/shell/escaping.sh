# SPDX-License-Identifier: LGPL-2.1-or-later
# What is printed cannot spoof the screen: control bytes and other characters
# a terminal acts on come out escaped as RouterOS shows them (\n, \1B) in
# print, print detail, as-value, messages, errors and /log; --json stays JSON
# and decodes to the original bytes; table columns align by display width.
. "$(dirname "$0")/lib.sh"

# The number of bytes in $1 that a terminal acts on: C0 controls but the
# line ends, DEL, the C1 CSI (UTF-8 C2 9B) and a right-to-left override.
controls_in () {
  python3 -c '
import sys
data = sys.stdin.buffer.read()
n = sum(1 for b in data if (b < 0x20 and b != 0x0a) or b == 0x7f)
print(n + data.count(b"\xc2\x9b") + data.count(b"\xe2\x80\xae"))' <<<"$1"
}

assert_clean () { # output what
  assert_eq 0 "$(controls_in "$1")" "$2: raw control characters on the screen"
}

# The display column where $2 starts in each line of $1 that holds it: all
# must be the same. East Asian wide characters take two columns.
start_columns () { # text needle
  python3 -c '
import sys, unicodedata
text, needle = sys.stdin.read(), sys.argv[1]
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
cols = sorted({width(line[:line.index(needle)]) for line in text.splitlines()
             if needle in line and not line.startswith(("Flags:", "Columns:"))})
print(" ".join(map(str, cols)))' "$2" <<<"$1"
}

# An imported certificate whose subject a hostile CA wrote: colours, a clear
# screen, a bell, a newline, and an organization in CJK.
cn_raw=$'evil\x1b[31mred\nline2\x1b[2J\x07'
cn_shown='evil\1B[31mred\nline2\1B[2J\07'
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout evil.key -out evil.crt -days 5 \
  -utf8 -subj "/CN=$cn_raw/O=東京" 2>/dev/null
pk /certificate import file-name=evil.crt name=evil >/dev/null

table=$(pk /certificate print proplist=name,common-name)
assert_clean "$table" "print"
assert_contains "$table" "evil  $cn_shown" "print shows the common name escaped"
detail=$(pk /certificate print detail where name=evil)
assert_clean "$detail" "print detail"
assert_contains "$detail" "common-name=\"$cn_shown\"" "print detail"
assert_contains "$detail" 'organization="東京"' "print detail keeps printable UTF-8"
asvalue=$(pk /certificate print as-value proplist=common-name where name=evil)
assert_clean "$asvalue" "print as-value"
assert_match "$asvalue" "^\.id=\*[0-9A-F]+;common-name=evil\\\\1B\[31mred\\\\nline2\\\\1B\[2J\\\\07$" "print as-value"
ok "an imported common name with ESC, BEL and a newline prints escaped"

# JSON carries the same bytes, escaped by JSON's rules, and stays parseable.
json=$(pk --json /certificate print)
assert_clean "$json" "--json print"
python3 -c '
import json, sys
items = {i["name"]: i for i in json.loads(sys.stdin.read())}
assert items["evil"]["common-name"] == sys.argv[1], items["evil"]["common-name"]
assert items["evil"]["organization"] == "東京"' "$cn_raw" <<<"$json" || fail "--json print does not decode to the original"
assert_contains "$json" '\u001b[31m' "--json escapes ESC"
ok "--json is valid JSON and decodes to the original bytes"

# A template named in a script with the lexer's escapes, and one typed on the
# command line with raw bytes: a C1 CSI and a right-to-left override.
printf '%s\n' '/certificate add name="tpl\1B[1m\n" common-name="a\1B[31mb\nc\"q\""' | pk
pk /certificate add name=$'rtl\xe2\x80\xaegnp.exe' common-name=$'x\xc2\x9b2Jy'
detail=$(pk /certificate print detail where template)
assert_clean "$detail" "print detail of templates"
assert_contains "$detail" 'common-name="a\1B[31mb\nc\"q\""' "script escapes print back as they were typed"
assert_contains "$detail" 'name="rtl\E2\80\AEgnp.exe" common-name="x\C2\9B2Jy"' "bidi and C1 print as bytes"
json=$(pk --json /certificate print where template)
assert_clean "$json" "--json print of templates"
assert_contains "$json" '"rtl\u202egnp.exe"' "--json escapes a bidi override"
assert_contains "$json" '"x\u009b2Jy"' "--json escapes a C1 control"
python3 -c '
import json, sys
names = {i["name"]: i["common-name"] for i in json.loads(sys.stdin.read())}
assert names["rtl\u202egnp.exe"] == "x\u009b2Jy", names
assert names["tpl\x1b[1m\n"] == "a\x1b[31mb\nc\"q\"", names' <<<"$json" || fail "--json templates do not decode"
ok "script escapes, bidi overrides and C1 controls print escaped"

# /log: the messages quote the names.
log=$(pk /log print)
assert_clean "$log" "/log print"
assert_contains "$log" 'template "tpl\1B[1m\n" added' "/log print"
assert_contains "$log" 'template "rtl\E2\80\AEgnp.exe" added' "/log print"
log=$(pk /log print detail)
assert_clean "$log" "/log print detail"
assert_contains "$log" 'message="template \"tpl\1B[1m\n\" added"' "/log print detail"
ok "/log prints escaped"

# Messages of a command: the subject of a CSR is the requester's text. (The
# CA outlives the request by years, so no clamp note joins the message.)
pk /certificate add name=local-ca common-name="Local CA" key-size=prime256v1 key-usage=key-cert-sign,crl-sign \
  days-valid=3650
pk /certificate sign local-ca >/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout dev.key -out dev.csr \
  -utf8 -subj $'/CN=dev\x1b[2Jx\ny' 2>/dev/null
out=$(pk /certificate sign-certificate-request ca=local-ca file-name=dev.csr name=dev)
assert_clean "$out" "sign-certificate-request"
assert_eq 'issued "dev" for CN=dev\1B[2Jx\ny' "$out" "the message of sign-certificate-request"
out=$(pk --json /certificate sign-certificate-request ca=local-ca file-name=dev.csr name=dev2)
assert_clean "$out" "--json sign-certificate-request"
python3 -c '
import json, sys
assert json.loads(sys.stdin.read())["messages"] == ["issued \"dev2\" for CN=dev\x1b[2Jx\ny"]' <<<"$out" \
  || fail "--json messages do not decode: $out"
ok "command messages print escaped"

# Errors quote what was typed: escaped, one line (expect_error counts them).
expect_error '^pkiman: numbers: no such item: x\\1B\[2Jy\\nz$' /certificate sign $'x\x1b[2Jy\nz'
expect_error '^pkiman: /no\\1B\[2Jsuch\\FF: no such menu$' $'/no\x1b[2Jsuch\xff' print
err=$(pk /certificate sign $'x\x1b[2Jy\nz' 2>&1 >/dev/null) || true
assert_clean "$err" "an error"
ok "errors print escaped, on one line"

# Columns align by display width: CJK takes two columns, a combining accent none.
pk /certificate add name=証明書 common-name=東京
pk /certificate add name=$'cafe\xcc\x81-ca' common-name=accent
pk /certificate add name=router-tls-long common-name=rtr
table=$(pk /certificate print proplist=name,common-name where template)
assert_clean "$table" "print of templates"
for needle in 東京 accent rtr 'x\C2\9B2Jy' COMMON-NAME; do
  assert_contains "$table" "$needle" "print of templates"
done
cols=$(for needle in 東京 accent rtr 'x\C2\9B2Jy' COMMON-NAME; do start_columns "$table" "$needle"; done | sort -u)
assert_eq 1 "$(wc -l <<<"$cols")" "COMMON-NAME starts at one display column in every row (got columns: $cols)
$table"
ok "columns align by display width with CJK and combining characters"

# Progress notes name the template: escaped too.
pk /certificate add name=$'slow\x1b[2J' common-name=slow key-size=4096
pk /certificate sign $'slow\x1b[2J' 2>"$WORK/progress" >/dev/null
assert_clean "$(cat "$WORK/progress")" "progress note"
assert_contains "$(cat "$WORK/progress")" 'for "slow\1B[2J"' "the progress note names the template escaped"
ok "progress notes are escaped"

# Bytes that are not UTF-8 (and NULs) in a certificate are kept, written \XX,
# never dropped or cut short (the fuzzers' regression input).
cp "$(dirname "$0")/../fuzz/corpus/import/regress-issuer-not-utf8.der" bad-issuer.der
pk /certificate import file-name=bad-issuer.der name=bad-issuer >/dev/null
assert_contains "$(pk /certificate print detail proplist=issuer where name=bad-issuer)" 'ST=R\\FFg\01,C=LV' \
  "an issuer with an invalid byte and a control character"
ok "invalid bytes are kept as \\XX"

# A list of items in bytes that are not UTF-8: one error naming the parameter
# (fuzz-script found the list's split handing them to GVariant unchecked).
expect_error '^pkiman: numbers: is not valid UTF-8$' /certificate sign "$(printf '\xfa,\xfa')"
printf '/certificate sign \xfa,\xfa=x\n' >bad-list.rsc
expect_error 'numbers: is not valid UTF-8$' /import file-name=bad-list.rsc
ok "an item list that is not UTF-8 is refused, named"
