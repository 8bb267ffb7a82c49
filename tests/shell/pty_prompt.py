# SPDX-License-Identifier: LGPL-2.1-or-later
"""pkiman's interactive prompt on a real terminal (a pty), for the shell
tests that type at it (complete.sh, paging.sh): start it at a known size,
type, and wait for what should appear, with a timeout, never for a fixed
time. The screen is kept as text, control sequences removed."""
import fcntl, os, pty, re, select, struct, sys, termios, time


class Prompt:
    def __init__(self, pkiman, rows, columns):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            # The same terminal whatever runs the test: no inputrc, a known kind.
            os.environ.update(TERM="dumb", INPUTRC="/dev/null")
            os.execv(pkiman, [pkiman])
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.screen = ""  # everything shown so far
        self.seen = 0     # where the next wait starts looking

    def wait_for(self, marker, timeout=10):
        """The text shown since the last wait, up to and including @marker."""
        end = time.time() + timeout
        while marker not in self.screen[self.seen:]:
            left = end - time.time()
            if left <= 0:
                sys.exit("timed out waiting for %r; the screen since the last step: %r"
                         % (marker, self.screen[self.seen:]))
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                self.screen += re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]|[\x07\x08]", "",
                                      chunk.decode(errors="replace")).replace("\r", "")
        at = self.screen.index(marker, self.seen) + len(marker)
        shown, self.seen = self.screen[self.seen:at], at
        return shown

    def type(self, text):
        os.write(self.fd, text.encode())

    def quit(self):
        self.type("quit\r")
        os.waitpid(self.pid, 0)
