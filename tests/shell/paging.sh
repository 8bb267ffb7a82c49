# SPDX-License-Identifier: LGPL-2.1-or-later
# print at the interactive prompt as RouterOS shows it, on a real terminal
# (a pty) of 60 columns and 12 rows: a table wider than the terminal cuts
# its widest columns with "..", a listing longer than the screen stops at
# "-- [Q quit|D dump|down]" (space: a screen more, Enter: a line, D: the
# rest, Q: back to the prompt), and without-paging, a pipe or a script get
# every line and every value whole. Every step waits for what it expects.
. "$(dirname "$0")/lib.sh"

{ echo /certificate
  for i in $(seq 1 30); do echo "add name=c$i common-name=host-$i.a-rather-long-domain-name.example key-size=prime256v1"; done; } >fill.rsc
pk <fill.rsc >/dev/null
whole=$(pk /certificate print)
assert_contains "$whole" "host-30.a-rather-long-domain-name.example" "a pipe gets every value whole"
assert_not_contains "$whole" "-- [Q quit" "and no pager"
ok "not a terminal: everything, uncut"

PYTHONPATH="$(dirname "$0")" python3 - "$PKIMAN" <<'PY'
import re, sys
from pty_prompt import Prompt

prompt = Prompt(sys.argv[1], 12, 60)
wait_for = prompt.wait_for
PROMPT = "[pkiman] /> "
PAGER = "-- [Q quit|D dump|down]"

def rows(text):
    return [l for l in text.split("\n") if re.match(r"^ *\d+ ", l)]

wait_for(PROMPT)
prompt.type("/certificate print\n")
first = wait_for(PAGER)
lines = first.split("\n")
assert len(lines) - 2 <= 11, "a screen is 11 lines and the pager's: %r" % lines
assert "host-1.a-rather-long-domain-name.example" not in first, "the long common names are cut: %r" % first
assert re.search(r"host-1\.a-rather\S*\.\.", first), "cut with '..': %r" % first
assert all(len(l) <= 60 for l in lines), "no line is wider than the terminal: %r" % first
print("ok - a table wider than the terminal is cut with '..' to fit")

numbers = [int(l.split()[0]) for l in rows(first)]
prompt.type(" ")
second = wait_for(PAGER)
more = [int(l.split()[0]) for l in rows(second)]
assert more and more[0] == numbers[-1] + 1 and len(more) == 11, "space: the next screen: %r then %r" % (numbers, more)
prompt.type("\n")
line = wait_for(PAGER)
assert [int(l.split()[0]) for l in rows(line)] == [more[-1] + 1], "Enter: one line more: %r" % line
print("ok - the pager stops after each screen; space gives a screen, Enter a line")

prompt.type("d")
rest = wait_for(PROMPT)
assert PAGER not in rest and rows(rest)[-1].split()[0] == "29", "D writes the rest: %r" % rest
prompt.type("/certificate print\n")
wait_for(PAGER)
prompt.type("q")
back = wait_for(PROMPT)
assert not rows(back), "Q stops: nothing more is written: %r" % back
print("ok - D writes the rest, Q goes back to the prompt")

prompt.type("/certificate print without-paging\n")
all_ = wait_for(PROMPT)
assert PAGER not in all_ and rows(all_)[-1].split()[0] == "29", "without-paging: every line at once: %r" % all_
prompt.quit()
PY
ok "the prompt pages and cuts; without-paging does not page"
