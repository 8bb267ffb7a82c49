# SPDX-License-Identifier: LGPL-2.1-or-later
# pkiman-conformance-store against modules it must not pass:
#   run.sh breaks PROGRAM MODULE CHECK   a store breaking one rule: exit 1, a
#                                        not ok line naming CHECK, every check run
#   run.sh refuses PROGRAM (MODULE TEXT)...  not a store: exit 1, one line naming
#                                        the module and the reason
set -euo pipefail

fail () { echo "FAIL: $*" >&2; exit 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/pkiman-conformance-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

breaks () {
  local program=$1 module=$2 check=$3 out rc=0 plan ran line
  out=$("$program" --plugin "$module" --scratch "$scratch" 2>/dev/null) || rc=$?
  printf '%s\n' "$out"
  [ "$rc" -eq 1 ] || fail "$module: exit status $rc, expected 1 (a check failed)"
  line=$(grep -E "^not ok [0-9]+ - $check: " <<<"$out") || fail "$module: no not ok line for $check"
  plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' <<<"$out")
  ran=$(grep -cE '^(not )?ok [0-9]+ - ' <<<"$out")
  [ -n "$plan" ] && [ "$ran" -eq "$plan" ] || fail "$module: $ran of ${plan:-?} checks reported"
  grep -qE '^ok [0-9]+ - ' <<<"$out" || fail "$module: no check passed, so the others did not run to the end"
  echo "PASS: $module is reported: $line"
}

refuses () {
  local program=$1 module err rc
  shift
  while [ $# -ge 2 ]; do
    module=$1
    rc=0
    err=$("$program" --plugin "$module" 2>&1 >/dev/null) || rc=$?
    [ "$rc" -eq 1 ] || fail "$module: exit status $rc, expected 1"
    [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "$module: the error is not one line: $err"
    grep -qF -- "pkiman-conformance-store: $(basename "$module" .so) ($module): $2" <<<"$err" \
      || fail "$module: [$err] does not name the module and \"$2\""
    echo "PASS: $err"
    shift 2
  done
}

case ${1:-} in
  breaks) shift; breaks "$@" ;;
  refuses) shift; refuses "$@" ;;
  *) fail "usage: run.sh breaks PROGRAM MODULE CHECK | run.sh refuses PROGRAM (MODULE TEXT)..." ;;
esac
