# SPDX-License-Identifier: LGPL-2.1-or-later
# meson install puts binaries, plugins, headers, pkiman.pc and data in place,
# and the installed pkiman runs from them.
. "$(dirname "$0")/lib.sh"
: "${BUILD_ROOT:?}"

dest="$WORK/dest"
DESTDIR="$dest" meson install -C "$BUILD_ROOT" --no-rebuild >/dev/null 2>&1 || fail "meson install"
prefix=$(meson introspect "$BUILD_ROOT" --buildoptions | python3 -c '
import json, sys
print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')
root="$dest$prefix"
bin="$root/bin/pkiman"
[ -x "$bin" ] || fail "no installed pkiman at $bin"
for f in pkiman.h pkm-plugin.h pkm-crypto.h pkm-store.h pkm-menu.h pkm-events.h pkm-loop.h; do
  [ -f "$root/include/pkiman/$f" ] || fail "header $f not installed"
done
pc=$(find "$root" -name pkiman.pc | head -1)
[ -n "$pc" ] || fail "pkiman.pc not installed"
grep -q '^plugindir=' "$pc" || fail "pkiman.pc has no plugindir"
plugindir=$(find "$root" -type d -path '*pkiman/plugins' | head -1)
[ -f "$plugindir/crypto-gnutls.so" ] && [ -f "$plugindir/store-sqlite.so" ] || fail "plugins not installed in $plugindir"
[ -f "$dest$prefix/etc/pkiman/pkiman.conf" ] || [ -n "$(find "$dest" -name pkiman.conf)" ] || fail "pkiman.conf not installed"
ok "installed: binary, headers, pkiman.pc (plugindir), plugins, config"

# The installed binary, pointed at the installed tree (it lives under DESTDIR here).
libdir=$(dirname "$(find "$root" -name 'libpkiman.so*' | head -1)")
out=$(LD_LIBRARY_PATH="$libdir" PKIMAN_PLUGIN_PATH="$plugindir" "$bin" /system plugin print)
assert_contains "$out" "$plugindir/crypto-gnutls.so" "installed crypto plugin loaded"
LD_LIBRARY_PATH="$libdir" PKIMAN_PLUGIN_PATH="$plugindir" "$bin" /certificate add name=i common-name=installed \
  key-size=prime256v1
LD_LIBRARY_PATH="$libdir" PKIMAN_PLUGIN_PATH="$plugindir" "$bin" /certificate sign i
assert_eq "KAT" "$(LD_LIBRARY_PATH="$libdir" PKIMAN_PLUGIN_PATH="$plugindir" "$bin" --json /certificate print \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["flags"])')" "installed pkiman signs"
ok "the installed pkiman runs on its installed plugins"
