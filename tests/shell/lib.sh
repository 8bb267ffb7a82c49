# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared by the shell-level tests: a private state directory, a files
# directory as the current directory, and small assertions that say what failed.
set -euo pipefail

: "${PKIMAN:?PKIMAN must name the pkiman binary}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pkiman-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export PKIMAN_STATE_DIR="$WORK/state"
unset PKIMAN_CONFIG PKIMAN_PLUGIN_PATH
mkdir -p "$WORK/files"
cd "$WORK/files"

pk () { "$PKIMAN" "$@"; }

# The store under test: meson runs every test once per store, PKIMAN_STORE
# naming it (it wins over any config's [plugins] store).
STORE=${PKIMAN_STORE:-sqlite}
STORE_PLUGIN=store-$STORE
# Where the store keeps its data, under a state directory.
store_path () { # [state-dir]
  case $STORE in
    sqlite) echo "${1:-$PKIMAN_STATE_DIR}/pkiman.db" ;;
    files) echo "${1:-$PKIMAN_STATE_DIR}/files-store" ;;
    *) fail "no store_path for store $STORE" ;;
  esac
}
# The file another writer locks to hold the store's write lock.
store_lock_file () { # [state-dir]
  case $STORE in
    sqlite) store_path "${1:-}" ;;
    files) echo "$(store_path "${1:-}")/lock" ;;
  esac
}
# The store opens and reads back every record (each store checks its own
# framing and checksums as it reads), and SQLite's own check passes.
store_integrity () { # state-dir what
  if [ "$STORE" = sqlite ]; then
    sqlite3 "$(store_path "$1")" 'PRAGMA integrity_check' | grep -qx ok || fail "$2: integrity_check"
  fi
  PKIMAN_STATE_DIR=$1 "$PKIMAN" /system store dump >/dev/null || fail "$2: the store does not read back"
}

fail () { echo "FAIL: $*" >&2; exit 1; }
ok () { echo "ok - $*"; }

assert_eq () { # expected actual what
  [ "$1" = "$2" ] || fail "$3: expected [$1], got [$2]"
}

assert_contains () { # haystack needle what
  grep -qF -- "$2" <<<"$1" || fail "$3: [$2] not in output:
$1"
}

assert_not_contains () {
  if grep -qF -- "$2" <<<"$1"; then fail "$3: [$2] unexpectedly in output:
$1"; fi
}

assert_match () { # haystack extended-regex what
  grep -qE -- "$2" <<<"$1" || fail "$3: /$2/ does not match:
$1"
}

# A property of one item of a menu, through --json print (python3 reads it).
prop () { # menu name property
  pk --json "$1" print | python3 -c '
import json, sys
items = json.load(sys.stdin)
for it in items:
    if it.get("name") == sys.argv[1]:
        v = it.get(sys.argv[2], "")
        print(("yes" if v else "no") if isinstance(v, bool) else ",".join(v) if isinstance(v, list) else v)
        break
else:
    sys.exit("no item named " + sys.argv[1])
' "$2" "$3"
}

flags_of () { prop /certificate "$1" flags; }

dump () { pk /system store dump; }

# The command must fail with exactly one line on stderr matching the regex
# and print nothing on stdout.
expect_refused () { # regex command...
  local pattern=$1; shift
  local out err rc=0
  out=$(pk "$@" 2>"$WORK/stderr") || rc=$?
  err=$(cat "$WORK/stderr")
  [ $rc -ne 0 ] || fail "'$*' succeeded; expected an error matching /$pattern/"
  [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "'$*': error is not one line: $err"
  grep -qE -- "$pattern" <<<"$err" || fail "'$*': error [$err] does not match /$pattern/"
  [ -z "$out" ] || fail "'$*': printed on stdout although it failed: $out"
  ok "refused: $(printf "%s " "$@" | cat -v)-> $err"
}

# The same, and the store must be exactly as it was (a full dump compared).
expect_error () { # regex command...
  local before after
  before=$(dump)
  expect_refused "$@"
  after=$(dump)
  [ "$before" = "$after" ] || fail "'${*:2}': the store changed although the command failed"
}
