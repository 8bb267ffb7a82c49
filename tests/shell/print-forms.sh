# SPDX-License-Identifier: LGPL-2.1-or-later
# print's forms beside the table: brief, show-ids, value-list, and file=
# into the files directory (RouterOS's print arguments, §1.4).
. "$(dirname "$0")/lib.sh"

for n in alpha beta gamma; do
  pk /certificate add name=$n common-name=$n.example key-size=prime256v1 >/dev/null
done
table=$(pk /certificate print)

assert_eq "$table" "$(pk /certificate print brief)" "brief is the table"
ok "print brief"

ids=$(pk --json /certificate print | python3 -c 'import json, sys; print(" ".join(i[".id"] for i in json.load(sys.stdin)))')
shown=$(pk /certificate print show-ids | awk 'NR > 2 { print $1 }' | tr '\n' ' ' | sed 's/ $//')
assert_eq "$ids" "$shown" "show-ids shows each item's id where the number was"
assert_match "$(pk /certificate print show-ids | sed -n 2p)" '^ID +NAME' "the first column is headed ID"
ok "print show-ids"

list=$(pk /certificate print value-list proplist=name,common-name)
assert_eq "       name: alpha         beta         gamma
common-name: alpha.example beta.example gamma.example" "$list" "a row per property, a column per item"
ok "print value-list"

pk /certificate print file=listing
assert_eq "$table" "$(cat listing.txt)" "file= writes what print shows, .txt added"
pk /certificate print detail file=detail.out
assert_eq "$(pk /certificate print detail)" "$(cat detail.out)" "a name with an extension is kept"
assert_eq "" "$(pk /certificate print file=quiet)" "nothing on standard output"
expect_error 'file: \.\./outside\.txt leaves the files directory' /certificate print file=../outside
[ ! -e ../outside.txt ] || fail "file= wrote outside the files directory"
ok "print file= writes to the files directory, and only there"

printf '/certificate print\n/certificate print from=0,2 proplist=name\n' | pk >from.txt
assert_eq "alpha gamma" "$(awk 'NR > 7 && $2 != "" { print $2 }' from.txt | tr '\n' ' ' | sed 's/ $//')" "from=0,2: the items print numbered 0 and 2"
assert_match "$(sed -n '8,$p' from.txt)" '^0 +alpha' "and they keep their numbers"
assert_eq 2 "$(pk /certificate print from=alpha,beta count-only)" "from= names, counted"
expect_error 'from: no such item: nosuch' /certificate print from=alpha,nosuch
ok "print from="

# One rule for empty properties, in every menu and every form: a property
# an item has is shown even when empty (detail name="", as-value name=,
# JSON "name": ""), one it does not have is left out of all three.
pk /certificate add name=ca common-name=ca key-usage=key-cert-sign,crl-sign >/dev/null
pk /certificate sign ca >/dev/null
pk /certificate unset alpha common-name
pk /certificate crl add url=http://crl.example/x.crl >/dev/null
pk /user add name=op group=read password=long-enough-pass >/dev/null
for menu in /certificate "/certificate crl" "/ip service" /user; do
  pk --json $menu print >forms.json
  pk $menu print as-value >forms.value
  pk $menu print detail >forms.detail
  python3 - forms.json forms.value forms.detail "$menu" <<'PY' || fail "$menu: the forms disagree on which properties an item has"
import json, re, sys
items = json.load(open(sys.argv[1]))
values = [l for l in open(sys.argv[2]).read().split("\n") if l]
details = [b for b in re.split(r"\n(?=\s*\d+ )", open(sys.argv[3]).read()) if re.match(r"\s*\d+ ", b)]
assert len(items) == len(values) == len(details) > 0, (sys.argv[4], len(items), len(values), len(details))
for item, value, detail in zip(items, values, details):
    in_json = {k for k in item if not k.startswith(".") and k != "flags"}
    in_value = {p.split("=", 1)[0] for p in value.split(";")} - {".id"}
    in_detail = set(re.findall(r'(?:^|\s)([a-z][a-z0-9-]*)=(?:"(?:[^"\\]|\\.)*"|\S*)', detail))
    assert in_json == in_value == in_detail, (sys.argv[4], item.get("name"), in_json ^ in_value, in_json ^ in_detail)
    for k, v in item.items():
        if v == "" and k != "flags":
            assert k + '=""' in detail and (";" + k + "=;" in ";" + value + ";"), (k, detail, value)
print("ok - %s: JSON, as-value and detail show the same properties, empty ones as empty" % sys.argv[4])
PY
done
ok "empty properties: one rule in every menu and form"

# A print that is not paged goes out in pieces as it is made (64 KiB each);
# file= gets the whole text at once. The two must be the same bytes (so
# nothing that moves with the clock: the signed CA, whose expires-after
# would change between the two prints, goes first).
pk /certificate remove ca
long=$(printf 'x%.0s' $(seq 1 200))
{ echo /certificate
  for i in $(seq 1 300); do echo "add name=bulk$i.$long common-name=bulk$i.example"; done; } | pk >/dev/null
for form in "" detail as-value terse; do
  pk /certificate print $form >stream.out
  pk /certificate print $form file=whole.txt
  [ "$(wc -c <stream.out)" -gt 65536 ] || fail "print $form: too short to go out in pieces ($(wc -c <stream.out) bytes)"
  cmp -s stream.out whole.txt || { diff stream.out whole.txt | head -20 >&2; fail "print $form: written in pieces, it differs from file="; }
done
pk --json /certificate print >stream.out
pk --json /certificate print file=whole.txt
cmp -s stream.out whole.txt || fail "--json print: written in pieces, it differs from file="
python3 -c 'import json, sys; assert len(json.load(open(sys.argv[1]))) == int(sys.argv[2])' stream.out \
  "$(pk /certificate print count-only)" || fail "--json print in pieces is not the JSON of every item"
ok "a long print written in pieces is the text file= gets"
