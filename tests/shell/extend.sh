# SPDX-License-Identifier: LGPL-2.1-or-later
# A plugin extends another's menu: the fixture feature-extend adds a command,
# a property (from decorate), a column and a flag to /certificate, and
# registers a menu whose tables are wider than the core's structs. Broken
# tables are refused with one line naming the menu.
. "$(dirname "$0")/lib.sh"
: "${FIXTURE_DIR:?}"

export PKIMAN_PLUGIN_PATH="$FIXTURE_DIR"
conf () { printf '[plugins]\ncrypto=gnutls\nstore=sqlite\nfeatures=feature-extend\n%s\n' "$1" > "$WORK/extend.conf"; }
pkx () { pk --config "$WORK/extend.conf" "$@"; }
conf ""

pkx /certificate add name=xray common-name=xray >/dev/null
pkx /certificate add name=alpha common-name=alpha >/dev/null
assert_eq "hello from feature-extend;  extended: true;" "$(pkx /certificate hello-ext | tr "\n" ";")" "an added command"
assert_eq "true" "$(pkx --json /certificate hello-ext | python3 -c 'import json,sys; print(str(json.load(sys.stdin)["extended"]).lower())')" "its result values"

# The decorated property: in detail, in where, in JSON, in the table's columns.
pkx /certificate print detail | grep -q 'name-length=4' || fail "detail lacks name-length: $(pkx /certificate print detail)"
assert_eq "alpha" "$(pkx /certificate print as-value where name-length=5 | sed 's/.*;name=\([^;]*\).*/\1/')" "where on an added property"
assert_eq "4 5" "$(pkx --json /certificate print | python3 -c 'import json,sys; print(*[i["name-length"] for i in json.load(sys.stdin)])')" "JSON"
pkx /certificate print | grep -q 'NAME-LENGTH' || fail "the added column is missing: $(pkx /certificate print)"
# The added flag: X for the item whose name starts with x, in the legend and the slots.
out=$(pkx /certificate print)
echo "$out" | grep -q 'X - X-NAMED' || fail "legend lacks the added flag: $out"
echo "$out" | grep -Eq '^ *0 .*X.* xray' || fail "xray is not flagged X: $out"
echo "$out" | grep -Eq '^ *1 [^X]* alpha' || fail "alpha is flagged X: $out"
# The menu itself is unchanged for plugins that did not extend it: sign still works.
pkx /certificate sign alpha >/dev/null

# Wide tables: read at the plugin's sizes, so each parameter is where the plugin put it.
assert_eq "hi;hi;" "$(pkx /extend wide echo text=hi times=2 | tr '\n' ';')" "a command from wide tables"
expect_error '^pkiman: times: 9 is out of range 1\.\.3$' --config "$WORK/extend.conf" /extend wide echo text=hi times=9
expect_error '^pkiman: text: required$' --config "$WORK/extend.conf" /extend wide echo
pkx /extend wide noop >/dev/null
# An asynchronous command through the CLI: it waits on its own main context, then reads the store.
assert_eq "  waited: true;  certificates: 2;" "$(pkx /extend wide wait ms=30 | tr '\n' ';')" "an asynchronous command"

# Mistakes: one line each, naming the menu, and pkiman stops.
for case in "sizeless:init failed: menu (unnamed): its table sizes are missing or too small (initialise it with PKM_MENU_SIZES)" \
            "clash:menu /certificate already has a command sign" \
            "no-menu:menu /nowhere: no such menu to extend"; do
  conf "[feature-extend]
mistake=${case%%:*}"
  out=$(pkx /certificate print 2>&1) && fail "mistake ${case%%:*} was accepted"
  echo "$out" | grep -qF "${case#*:}" || fail "mistake ${case%%:*}: $out"
  assert_eq 1 "$(echo "$out" | wc -l)" "mistake ${case%%:*} is one line"
done
echo "extend: ok"
