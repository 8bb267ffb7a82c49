# SPDX-License-Identifier: LGPL-2.1-or-later
# ? and Tab at the interactive prompt, on a real terminal (a pty): Tab
# completes a command, name= and a choice, a double Tab lists what may come
# (commands and menus, parameters and item names), ? prints the help of
# what may come and gives the line back, ? inside "..." is a character,
# and a completed line runs. Every step waits for what it expects, with a
# timeout, never for a fixed time.
. "$(dirname "$0")/lib.sh"

pk /certificate add name=local-ca common-name="Local CA" key-size=prime256v1 >/dev/null
pk /certificate add name="my ca" common-name=mine key-size=prime256v1 >/dev/null

PYTHONPATH="$(dirname "$0")" python3 - "$PKIMAN" <<'PY'
import re, sys
from pty_prompt import Prompt

prompt = Prompt(sys.argv[1], 50, 200)
wait_for, type_ = prompt.wait_for, prompt.type

def shown_until_redisplay(marker, line):
    """What ? or a double Tab showed: through @marker, which only it shows,
    to the prompt and @line drawn again after it."""
    return wait_for(marker) + wait_for(PROMPT + line)

CLEAR = "\x15"  # ^U: the line is emptied
PROMPT = "[pkiman] /> "

wait_for(PROMPT)
# Tab completes a command, then a parameter to name= (no blank after it).
type_("/certificate a\t")
wait_for("/certificate add ")
type_("na\t")
wait_for("name=")
type_("x ?")
shown = shown_until_redisplay("/certificate add -- ", "/certificate add name=x ")
assert "/certificate add -- add a template" in shown, shown
assert "key-size" in shown and "<one of 1024 | 1536" in shown, shown
print("ok - Tab completes add and name=, ? lists the parameters and gives the line back")

# A double Tab on an ambiguous word lists the candidates.
type_(CLEAR + "/certificate s\t\t")
shown = shown_until_redisplay("sign-certificate-request", "/certificate s")
for word in ("set", "settings", "sign", "sign-certificate-request"):
    assert re.search(r"(^|\s)%s(\s|$)" % re.escape(word), shown), (word, shown)
assert "add" not in shown, shown
print("ok - a double Tab lists the commands and menus that begin so")

# After a command: its parameters and the items the positional value names.
type_(CLEAR + "/certificate sign \t\t")
shown = shown_until_redisplay("template=", "/certificate sign ")
for word in ("local-ca", '"my ca"', "ca=", "name="):
    assert word in shown, (word, shown)
print("ok - a double Tab after sign lists the certificates and the parameters")

# A v7 path and a choice.
type_(CLEAR + "/cert/pri\t")
wait_for("/cert/print ")
type_(CLEAR + "/certificate add key-size=pr\t")
wait_for("key-size=prime256v1 ")
type_(CLEAR + "/certificate add key-size=?")
shown = shown_until_redisplay("key-size -- ", "/certificate add key-size=")
assert "values:" in shown and "secp384r1" in shown, shown
print("ok - Tab completes a v7 path and a choice; ? after name= lists the values")

# ? inside a string is typed, not help: the help comes at the ? outside it.
type_(CLEAR + '/certificate add name="why?')
wait_for('name="why?')
type_('" ?')
shown_until_redisplay("/certificate add -- ", '/certificate add name="why?" ')
print("ok - ? inside quotes is a character")

# A line made with Tab runs.
type_(CLEAR + "/certificate sign loc\t")
wait_for("/certificate sign local-ca ")
type_("\r")
wait_for(PROMPT)
type_("/certificate print count-only where name=local-ca and authority\r")
shown = wait_for(PROMPT)
assert "\n1\n" in shown, shown
prompt.quit()
print("ok - a completed line runs")
PY
assert_eq "KAT" "$(flags_of local-ca | tr -d ' ')" "the certificate signed by a completed line"
ok "? and Tab at the prompt"
