#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Prints, sorted, every function and extern variable the public headers declare.

usage: public-symbols.py [HEADER...]   (default: include/pkiman/*.h)

Each header goes through the C preprocessor (so macros are expanded and
comments gone); only the text the line markers attribute to a public header
is kept, so glib's own declarations drop out. What is left is split into
top-level declarations: typedefs, static (inline) functions, struct bodies
(and so their function-pointer members) are skipped; every other prototype
or variable declaration names one exported symbol.
"""
import glob
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRCROOT = os.path.dirname(os.path.dirname(HERE))
IDENT = re.compile(r"[A-Za-z_]\w*")


def preprocess(header, include_dir):
    """The header's own text after cpp, line markers used to drop the rest."""
    cc = shlex.split(os.environ.get("CC", "cc"))
    cflags = shlex.split(subprocess.run(["pkg-config", "--cflags", "glib-2.0"], check=True,
                                        capture_output=True, text=True).stdout)
    name = os.path.relpath(header, include_dir)
    out = subprocess.run(cc + ["-E", "-x", "c", "-I", include_dir] + cflags + ["-"],
                         input=f"#include <{name}>\n", check=True, capture_output=True, text=True).stdout
    public = os.path.realpath(os.path.dirname(header))
    keep, text = False, []
    for line in out.splitlines():
        marker = re.match(r'# \d+ "([^"]*)"', line)
        if marker:
            keep = os.path.dirname(os.path.realpath(marker.group(1))) == public
        elif keep and not line.startswith("#"):  # pragmas
            text.append(line)
    return "\n".join(text)


def strip_attributes(text):
    """Removes __attribute__ ((...)) and __asm__ (...), whose parens would look like a call."""
    out, i = [], 0
    for m in re.finditer(r"\b(__attribute__|__asm__|__asm)\s*\(", text):
        if m.start() < i:
            continue
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return re.sub(r"\b(__extension__|__restrict|__inline)\b", " ", "".join(out))


def declarations(text):
    """Top-level statements; brace bodies are reduced to '{}', function definitions dropped."""
    stmt, depth = [], 0
    for ch in text:
        if depth == 0 and ch == ";":
            yield "".join(stmt).strip()
            stmt = []
        elif ch == "{":
            depth += 1
            if depth == 1:
                stmt.append("{")
        elif ch == "}":
            depth -= 1
            if depth == 0:
                if re.search(r"\)\s*\{$", "".join(stmt)):  # a function body: a definition
                    stmt = []
                else:
                    stmt.append("}")
        elif depth == 0:
            stmt.append(ch)


def split_top(stmt):
    """Splits `int a, *b` / `void f (int x), g (void)` at commas outside parens."""
    parts, cur, depth = [], [], 0
    for ch in stmt:
        depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def declared_name(part):
    """The symbol one declarator declares, or None."""
    part = re.sub(r"=.*", "", part)  # an initialiser (a definition in a header: still a symbol)
    pointer_to_function = re.search(r"\(\s*\*\s*([A-Za-z_]\w*)\s*\)", part)
    if pointer_to_function:  # `extern void (*hook) (void)` is a variable
        return pointer_to_function.group(1)
    if "(" in part:
        m = re.search(r"([A-Za-z_]\w*)\s*\(", part)
        return m.group(1) if m else None
    names = IDENT.findall(re.sub(r"\[[^]]*\]", "", part))  # `extern const char *names[]`
    return names[-1] if names else None


def symbols(text):
    for stmt in declarations(strip_attributes(text)):
        words = IDENT.findall(stmt)
        if not words or words[0] == "typedef" or "static" in words:
            continue
        body = stmt.split("}")[-1]  # after a struct body: its declarators, if any
        if "{" in stmt and not body.strip():
            continue  # `struct foo { ... };` declares a type only
        for part in split_top(body if "{" in stmt else stmt):
            name = declared_name(part)
            if name is not None:
                yield name


def main(argv):
    include_dir = os.path.join(SRCROOT, "include")
    headers = argv or sorted(glob.glob(os.path.join(include_dir, "pkiman", "*.h")))
    names = set()
    for header in headers:
        include_dir = os.path.dirname(os.path.dirname(os.path.abspath(header)))
        names.update(symbols(preprocess(os.path.abspath(header), include_dir)))
    for name in sorted(names):
        print(name)


if __name__ == "__main__":
    main(sys.argv[1:])
