# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared by the tests that run pkimand: a free loopback port, the status
# of a request, waiting for a service, and a pkimand stopped at the end.
: "${PKIMAND:?PKIMAND must name the pkimand binary}"
free_port () { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
code () { curl -s -o /dev/null -w '%{http_code}' "$@" || true; }
wait_for () { # [curl options] url: until it answers, at most 10 s
  for _ in $(seq 100); do
    [ "$(code "$@")" != 000 ] && return 0
    sleep 0.1
  done
  fail "nothing answers at ${*: -1}"
}
pid=
stop () { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" || true; }
# A failed test shows the end of pkimand's log: its directory goes with it.
finish () {
  local rc=$?
  stop
  if [ "$rc" != 0 ] && [ -f "$WORK/pkimand.log" ]; then
    echo "--- the last lines of pkimand.log:" >&2
    tail -n 60 "$WORK/pkimand.log" >&2
  fi
  rm -rf "$WORK"
}
trap finish EXIT
# Until a request answers EXPECTED (at most 5 s), then asserts it.
await_code () { # expected what [curl options] url
  local expected=$1 what=$2
  shift 2
  for _ in $(seq 50); do [ "$(code "$@")" = "$expected" ] && break; sleep 0.1; done
  assert_eq "$expected" "$(code "$@")" "$what"
}
# SIGTERM: pkimand exits 0 and leaves a store that reads back.
stop_checked () { # what
  local rc=0
  kill -TERM "$pid"
  wait "$pid" || rc=$?
  pid=
  assert_eq 0 "$rc" "$1: exit 0"
  store_integrity "$PKIMAN_STATE_DIR" "$1"
}
