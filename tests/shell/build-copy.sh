# SPDX-License-Identifier: LGPL-2.1-or-later
# scripts/build in a copy of the tree that carries the original's build
# directory: it notices that ./build belongs to another source tree, sets it
# up anew for the copy, and the copy's pkiman runs.
. "$(dirname "$0")/lib.sh"
: "${BUILD_ROOT:?}"
src=$(cd "$(dirname "$0")/../.." && pwd -P)
# The copy is a build of its own: none of this build's libraries (meson test
# points LD_LIBRARY_PATH at them) nor its sanitizer settings.
unset LD_LIBRARY_PATH ASAN_OPTIONS UBSAN_OPTIONS

copy="$WORK/copy"
mkdir "$copy"
(cd "$src" && git ls-files -co --exclude-standard -z 2>/dev/null || find . -path ./build -prune -o -type f -print0) |
  (cd "$src" && xargs -0 cp --parents -t "$copy")
# The old build directory, as a copy of the tree would carry it.
cp -a "$BUILD_ROOT" "$copy/build"
out=$("$copy/scripts/build" 2>&1) || fail "scripts/build in the copy failed: $out"
assert_contains "$out" "belongs to $src" "the stale build directory is noticed"
now=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["directories"]["source"])' \
  "$copy/build/meson-info/meson-info.json")
assert_eq "$copy" "$(cd "$now" && pwd -P)" "the build directory now belongs to the copy"
"$copy/build/framework/pkiman" --version | grep -q '^pkiman ' || fail "the copy's pkiman does not run"
# A second run is a no-op build, with no message.
out=$("$copy/scripts/build" 2>&1) || fail "second scripts/build"
assert_eq "" "$out" "a build directory of this tree is kept"
ok "scripts/build reconfigures a build directory of another tree"
