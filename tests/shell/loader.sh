# SPDX-License-Identifier: LGPL-2.1-or-later
# The plugin loader: what is loaded and from where, and one exact one-line
# error for each way a module can be broken (fixtures built in tests/fixtures).
. "$(dirname "$0")/lib.sh"
: "${FIXTURE_DIR:?}"

out=$(pk /system plugin print)
assert_match "$out" 'crypto-gnutls +crypto +[0-9.]+ +/.*crypto-gnutls\.so' "crypto plugin listed"
assert_match "$out" "$STORE_PLUGIN +store +[0-9.]+ +/.*$STORE_PLUGIN\\.so" "store plugin listed"
ok "/system plugin print lists the loaded plugins from the build tree, with no environment variable"

conf () { printf '[plugins]\ncrypto=gnutls\nstore=sqlite\nfeatures=%s\n' "$1" > "$WORK/$1.conf"; echo "$WORK/$1.conf"; }

# A working third-party feature plugin adds a menu.
export PKIMAN_PLUGIN_PATH="$FIXTURE_DIR"
c=$(conf feature-hello)
assert_eq "hello, admin" "$(pk --config "$c" /hello greet admin)" "plugin command"
assert_match "$(pk --config "$c" /system plugin print)" 'feature-hello +feature +1\.0' "feature plugin listed"
ok "a feature plugin registers a menu and its command runs"

broken () { # fixture regex
  local c err rc=0
  c=$(conf "$1")
  pk --config "$c" /system plugin print >/dev/null 2>"$WORK/err" || rc=$?
  err=$(cat "$WORK/err")
  [ $rc -ne 0 ] || fail "$1 loaded although broken"
  [ "$(wc -l < "$WORK/err")" -eq 1 ] || fail "$1: error is not one line: $err"
  grep -qE -- "$2" <<<"$err" || fail "$1: [$err] does not match /$2/"
  ok "$1 -> $err"
}
broken feature-badabi '^pkiman: feature-badabi \(.*feature-badabi\.so\): built for plugin ABI 99, this pkiman has ABI 1$'
# The running minor, as the installed header says it.
api_minor=$(sed -n 's/^#define PKM_API_MINOR \([0-9]*\)$/\1/p' "$(dirname "$0")/../../include/pkiman/pkm-version.h")
broken feature-newapi "^pkiman: feature-newapi \\(.*\\): built for API 1\\.99, newer than this pkiman.s 1\\.$api_minor\$"
broken feature-nosymbol '^pkiman: feature-nosymbol \(.*\): no pkm_plugin_query symbol: not a pkiman plugin$'
broken feature-misnamed '^pkiman: feature-misnamed \(.*\): the module calls itself "feature-other"; its name must match its file name$'
broken feature-initfail '^pkiman: feature-initfail \(.*\): init failed: the fixture refuses to start$'
broken store-second "^pkiman: store-second \\(.*\\): a store plugin is already active \\($STORE_PLUGIN\\); exactly one may be\$"
broken feature-absent '^pkiman: feature-absent: module not found in '
broken token-oldvtable '^pkiman: token-oldvtable \(.*\): built for token vtable version 99, this pkiman has version 1$'
broken token-novtable '^pkiman: token-novtable \(.*\): a token plugin without a vtable$'

# A crypto plugin of vtable version 1 took no instance: it is refused, not called wrongly.
printf '[plugins]\ncrypto=v1\nstore=sqlite\n' > "$WORK/v1.conf"
rc=0; pk --config "$WORK/v1.conf" /system plugin print 2>"$WORK/err" >/dev/null || rc=$?
[ $rc -ne 0 ] && grep -qE '^pkiman: crypto-v1 \(.*\): built for crypto vtable version 1, this pkiman has version 2$' "$WORK/err" ||
  fail "crypto vtable 1: $(cat "$WORK/err")"
ok "crypto-v1 -> $(cat "$WORK/err")"

# Token plugins are any number, listed with their kind.
printf '[plugins]\ncrypto=gnutls\nstore=sqlite\nfeatures=token-fixture\n' > "$WORK/token.conf"
assert_match "$(pk --config "$WORK/token.conf" /system plugin print)" 'token-fixture +token +1\.0' "token plugin listed"
ok "a token plugin loads from features="

# A plugin that calls an internal libpkiman function is refused when it loads,
# not killed at the call: libpkiman exports only its public API.
broken feature-internal '^pkiman: feature-internal \(.*feature-internal\.so\): uses pkm_keyring_open, which libpkiman does not export \(a plugin may use only what include/pkiman declares\)$'

printf '[plugins]\ncrypto=sqlite\n' > "$WORK/swapped.conf"
rc=0; pk --config "$WORK/swapped.conf" /system plugin print 2>"$WORK/err" >/dev/null || rc=$?
[ $rc -ne 0 ] && grep -qE 'crypto-sqlite: module not found' "$WORK/err" || fail "crypto=sqlite: $(cat "$WORK/err")"
printf '[plugins]\ncrypto=gnutls\nstore=gnutls\n' > "$WORK/kind.conf"
unset PKIMAN_PLUGIN_PATH
# The config's own store= is what is under test here, not $PKIMAN_STORE's.
rc=0; PKIMAN_STORE= pk --config "$WORK/kind.conf" /system plugin print 2>"$WORK/err" >/dev/null || rc=$?
[ $rc -ne 0 ] || fail "store=gnutls loaded"
ok "misconfigured slots are refused: $(cat "$WORK/err")"
