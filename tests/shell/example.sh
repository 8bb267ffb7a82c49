# SPDX-License-Identifier: LGPL-2.1-or-later
# The out-of-tree proof: pkiman installed into a temporary prefix, the example
# plugin examples/check-expiry built against that prefix's pkiman.pc alone
# (a copy of its directory, outside pkiman's tree), installed into the
# prefix's plugindir, and its own test run with the installed pkiman.
. "$(dirname "$0")/lib.sh"
: "${BUILD_ROOT:?}"
source_root=$(cd "$(dirname "$0")/../.." && pwd)
prefix="$WORK/prefix"

meson setup "$WORK/pkiman-build" "$source_root" --prefix="$prefix" --libdir=lib -Dfuzzing=false >/dev/null \
  || fail "meson setup of pkiman with prefix $prefix"
meson install -C "$WORK/pkiman-build" >/dev/null 2>&1 || fail "meson install into $prefix"
ok "pkiman installed into $prefix"

cp -r "$source_root/examples/check-expiry" "$WORK/check-expiry"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
plugindir=$(pkg-config --variable=plugindir pkiman) || fail "pkg-config finds no pkiman in $prefix"
assert_eq "$prefix/lib/pkiman/plugins" "$plugindir" "plugindir of the installed pkiman.pc"
# Only the installed headers: no -I into pkiman's source tree.
meson setup "$WORK/example-build" "$WORK/check-expiry" >/dev/null || fail "meson setup of the example"
grep -q -- "$source_root" "$WORK/example-build/build.ninja" && fail "the example's build refers to pkiman's source tree"
meson install -C "$WORK/example-build" >/dev/null 2>&1 || fail "building and installing the example"
[ -f "$plugindir/feature-check-expiry.so" ] || fail "feature-check-expiry.so is not in $plugindir"
ok "the example built against the installed pkiman.pc and installed into its plugindir"

# The installed libpkiman, not the build tree's that meson test puts on LD_LIBRARY_PATH.
env -u LD_LIBRARY_PATH PKIMAN="$prefix/bin/pkiman" PLUGIN_DIR="$plugindir" bash "$WORK/check-expiry/test.sh" || fail "the example's test"
ok "the example's test passes with the installed pkiman"
