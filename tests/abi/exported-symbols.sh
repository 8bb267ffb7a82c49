#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# usage: exported-symbols.sh LIB [HEADER...]
# libpkiman must export exactly what include/pkiman declares: compares the
# functions and data LIB defines in its dynamic symbol table with the names
# public-symbols.py finds in the headers, and names every difference.
set -euo pipefail
export LC_ALL=C
here=$(dirname "$0")
lib=${1:?usage: exported-symbols.sh LIB [HEADER...]}
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$here/public-symbols.py" "$@" | sort -u > "$tmp/declared"
[ -s "$tmp/declared" ] || { echo "no declarations found in the public headers" >&2; exit 1; }
nm -D --defined-only "$lib" > "$tmp/nm"
# Type A is absolute: version nodes (PKIMAN_1) and, with older linkers,
# _edata/_end/__bss_start; the rest of the toolchain's own are named.
# An @VERSION suffix goes: names are what is compared.
awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' "$tmp/nm" |
  awk '!/^(_init|_fini|__bss_start|_edata|_end|_ITM_.*|__gmon_start__)$/' |
  sort -u > "$tmp/exported"

comm -23 "$tmp/exported" "$tmp/declared" | sed 's/$/: exported but not declared in include\/pkiman/' > "$tmp/report"
comm -13 "$tmp/exported" "$tmp/declared" | sed 's/$/: declared but not exported/' >> "$tmp/report"
if [ -s "$tmp/report" ]; then
  cat "$tmp/report"
  exit 1
fi
echo "$(wc -l < "$tmp/exported") symbols: $(basename "$lib") exports exactly what include/pkiman declares"
