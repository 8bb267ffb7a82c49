#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# usage: abi-compat.sh BASELINE LIB HEADERS_DIR
# Compares LIB with the ABI recorded in BASELINE (scripts/abi-baseline), counting
# only types defined in HEADERS_DIR and in the glib headers it uses (gint64 and
# gsize are glib typedefs: without them a changed parameter type is filtered out).
# Added functions are printed and pass; any other change to the ABI fails.
set -euo pipefail
baseline=${1:?usage: abi-compat.sh BASELINE LIB HEADERS_DIR}
lib=${2:?usage: abi-compat.sh BASELINE LIB HEADERS_DIR}
headers=${3:?usage: abi-compat.sh BASELINE LIB HEADERS_DIR}

if [ ! -f "$baseline" ]; then
  echo "abi-compat: skipped: no baseline $baseline yet (scripts/abi-baseline takes one)"
  exit 77
fi
# Without DWARF abidiff compares symbol names only and finds nothing to report
# (libabigail 2.2's --fail-no-debug-info does not catch it); without the
# headers every type counts as private and every change is filtered out.
[ -f "$lib" ] || { echo "abi-compat: no library $lib"; exit 1; }
[[ $(readelf -S "$lib") == *.debug_info* ]] ||
  { echo "abi-compat: $lib has no debug info: build with -g (buildtype debugoptimized)"; exit 1; }
[ -d "$headers" ] || { echo "abi-compat: no headers directory $headers"; exit 1; }
opts=(--exported-interfaces-only --headers-dir2 "$headers")
for dir in $(pkg-config --cflags-only-I glib-2.0); do
  opts+=(--headers-dir2 "${dir#-I}")
done

# abidiff's exit status is a bit field: 1 error, 2 usage error, 4 ABI
# changed, 8 incompatible change (set by libabigail 2.x only for a removed symbol).
rc=0
abidiff "${opts[@]}" "$baseline" "$lib" || rc=$?
if (( rc & 3 )); then
  echo "abi-compat: abidiff could not compare $baseline with $lib (exit $rc)"
  exit 1
fi
if (( rc & 8 )); then
  echo "abi-compat: $lib breaks the ABI of $baseline (above): a removed function or variable"
  exit 1
fi
if (( rc & 4 )); then
  # A removed struct member or a changed parameter sets only bit 4, as an
  # added function does: run again ignoring additions to tell them apart.
  rc=0
  abidiff --no-added-syms "${opts[@]}" "$baseline" "$lib" >/dev/null || rc=$?
  if (( rc != 0 )); then
    echo "abi-compat: $lib changes interfaces that $baseline has (above; exit $rc):" \
      "an incompatible change, or, once reviewed as compatible, a new baseline (scripts/abi-baseline)"
    exit 1
  fi
  echo "abi-compat: only additions to the ABI of $baseline (above): compatible;" \
    "scripts/abi-baseline records them"
  exit 0
fi
echo "abi-compat: $lib has the ABI of $baseline"
