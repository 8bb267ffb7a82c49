# SPDX-License-Identifier: LGPL-2.1-or-later
# The interactive prompt on a real terminal (a pty): the prompt shows the
# menu, /certificate enters it, .. and / move, history recalls a line,
# an error is reported and the session goes on.
. "$(dirname "$0")/lib.sh"

python3 - "$PKIMAN" <<'PY'
import os, pty, re, select, sys, time

pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1]])

def read_until(marker, timeout=10):
    out = b""
    end = time.time() + timeout
    while marker.encode() not in out:
        left = end - time.time()
        if left <= 0:
            sys.exit("timed out waiting for %r; got %r" % (marker, out.decode(errors="replace")))
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    # Terminal control sequences (bracketed paste, redraws) are not text.
    return re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", out.decode(errors="replace"))

def send(line):
    os.write(fd, line.encode() + b"\r")

read_until("[pkiman] /> ")
send("/certificate")
read_until("[pkiman] /certificate> ")
send('add name=tty common-name="Typed at a prompt" key-size=prime256v1')
read_until("[pkiman] /certificate> ")
send("sign tty")
read_until("[pkiman] /certificate> ")
send("print count-only")
out = read_until("[pkiman] /certificate> ")
assert "\n1" in out.replace("\r", ""), out
send("\x1b[A")            # up arrow: the previous line again
out = read_until("[pkiman] /certificate> ")
assert "print count-only" in out and "\n1" in out.replace("\r", ""), "history did not recall: %r" % out
send("frobnicate")
out = read_until("[pkiman] /certificate> ")
assert "failure: frobnicate: no such command in /certificate" in out, out
send("add name=cont \\")    # a continuation line
read_until("[pkiman] /certificate\\ ")
send("common-name=continued")
read_until("[pkiman] /certificate> ")
# Numbers stay bound to what the last print showed (RouterOS).
for n in ("n-a", "n-b", "n-c", "n-d"):
    send("add name=%s common-name=%s" % (n, n))
    read_until("[pkiman] /certificate> ")
send("print where name~\"^n-\"")
out = read_until("[pkiman] /certificate> ")
numbers = {m.group(2): m.group(1) for m in re.finditer(r"\n\s*(\d+) +(n-[a-d])", out.replace("\r", ""))}
assert len(numbers) == 4, out
send("remove %s" % numbers["n-b"])
read_until("[pkiman] /certificate> ")
send("remove %s" % numbers["n-c"])
read_until("[pkiman] /certificate> ")
send("remove %s" % numbers["n-b"])
out = read_until("[pkiman] /certificate> ")
assert "(removed since the last print)" in out, out
send("..")
read_until("[pkiman] /> ")
send("/log")
read_until("[pkiman] /log> ")
send("/")
read_until("[pkiman] /> ")
send("quit")
os.waitpid(pid, 0)
PY
assert_eq "KAT" "$(flags_of tty | tr -d ' ')" "certificate signed at the prompt"
assert_eq "continued" "$(prop /certificate cont common-name)" "continuation line at the prompt"
assert_contains "$(pk /log print)" "shell:" "actor of prompt commands"
left=$(pk --json /certificate print | python3 -c 'import json,sys; print(" ".join(i["name"] for i in json.load(sys.stdin) if i["name"].startswith("n-")))')
assert_eq "n-a n-d" "$left" "the numbers of the prompt's print removed the items it showed"
ok "interactive prompt: menus, .. and /, history, errors, continuations"
