# SPDX-License-Identifier: LGPL-2.1-or-later
# Item lists as RouterOS takes them: `remove 0,2,5` (numbers of the last
# print), names and ids joined by commas, and `remove [find where ...]`,
# whose find runs in the command's menu. Every item is resolved before the
# first runs: a wrong one changes nothing.
. "$(dirname "$0")/lib.sh"

names () { pk --json /certificate print | python3 -c 'import json, sys; print(" ".join(i["name"] for i in json.load(sys.stdin)))'; }
for n in a b c d e f g h; do
  pk /certificate add name=$n common-name=$n.example key-size=prime256v1 >/dev/null
done

printf '/certificate print\n/certificate remove 0,2,5\n' | pk >/dev/null
assert_eq "b d e g h" "$(names)" "remove 0,2,5 removes the items print numbered 0, 2 and 5"
ok "a list of numbers"

pk /certificate remove d,h
assert_eq "b e g" "$(names)" "remove d,h: a list of names"
id=$(pk --json /certificate print | python3 -c 'import json, sys; print(json.load(sys.stdin)[0][".id"])')
pk /certificate remove "$id,g"
assert_eq "e" "$(names)" "an id and a name"
ok "lists of names and ids"

for n in x1 x2 y1; do pk /certificate add name=$n common-name=$n.example key-size=prime256v1 >/dev/null; done
printf '/certificate remove [find where name~"^x"]\n:put [/certificate print count-only]\n' >find.rsc
assert_eq "2" "$(pk <find.rsc)" "[find] in a /certificate command finds in /certificate"
assert_eq "e y1" "$(names)" "the two it found are gone"
printf '/certificate\n:put [find where name=e]\n' >menu.rsc
assert_match "$(pk <menu.rsc)" '^\*[0-9A-F]+$' "find in the current menu gives an id"
ok "remove [find where ...]"

printf '/certificate print\n/certificate remove 0,7\n' >bad.rsc
if pk <bad.rsc >/dev/null 2>err.txt; then fail "remove 0,7 succeeded with no item 7"; fi
assert_match "$(cat err.txt)" 'numbers: no such item: 7' "the wrong number is named"
assert_eq "e y1" "$(names)" "a wrong number in the list: nothing removed"
expect_error 'numbers: an empty item in the list "e,"' /certificate remove e,
ok "a bad list changes nothing"
