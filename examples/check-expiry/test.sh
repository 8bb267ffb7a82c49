#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The example's own test: run with PKIMAN=<installed pkiman> and
# PLUGIN_DIR=<where feature-check-expiry.so is>. It needs openssl.
set -euo pipefail
: "${PKIMAN:?}" "${PLUGIN_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export PKIMAN_STATE_DIR="$work/state"
printf '[plugins]\ncrypto=gnutls\nstore=sqlite\nfeatures=feature-check-expiry\n' > pkiman.conf
pk () { "$PKIMAN" --config "$work/pkiman.conf" "$@"; }
fail () { echo "FAIL: $*" >&2; exit 1; }

# Nothing signed yet: nothing expires; the command succeeds.
pk /certificate add name=ca common-name=ca key-size=prime256v1 key-usage=key-cert-sign,crl-sign days-valid=365 >/dev/null
pk /certificate sign ca >/dev/null
pk /certificate check-expiry days=30 >/dev/null || fail "a CA valid for a year expires within 30 days?"

# A certificate valid for 10 days: check-expiry days=30 fails, names it, and leaves a log line.
pk /certificate add name=soon common-name=soon key-size=prime256v1 days-valid=10 >/dev/null
pk /certificate sign soon ca=ca >/dev/null
if pk /certificate check-expiry days=30 2>"$work/err"; then fail "check-expiry passed with soon expiring"; fi
grep -qx 'pkiman: check-expiry: 1 certificate expires within 30 days: soon' "$work/err" || fail "error: $(cat "$work/err")"
# Within 60 days with a second one: both named.
pk /certificate add name=later common-name=later key-size=prime256v1 days-valid=50 >/dev/null
pk /certificate sign later ca=ca >/dev/null
if pk /certificate check-expiry days=60 2>"$work/err"; then fail "check-expiry days=60 passed"; fi
grep -qx 'pkiman: check-expiry: 2 certificates expire within 60 days: soon, later' "$work/err" || fail "error: $(cat "$work/err")"
# When none expire, the command lists what it checked as values.
out=$(pk /certificate check-expiry days=1)
grep -qx '  expiring: 0' <<<"$out" && grep -qx '  checked: 3' <<<"$out" || fail "days=1: $out"
pk /log print | grep -q 'check-expiry: 1 of 2 certificates expire within 30 days' || fail "no log line: $(pk /log print)"
# Within 5 days nothing expires.
pk /certificate check-expiry 5 >/dev/null || fail "days=5 (positional) found something"
# Revoked certificates are not reported; revocations are counted through the event.
revoked=$(printf '/certificate issued-revoke soon\n/certificate check-expiry days=30\n' | pk)
grep -q '^  expiring: 0$' <<<"$revoked" && grep -q '^  revocations-seen: 1$' <<<"$revoked" ||
  fail "after a revocation: $revoked"
# Its parameter is checked by the core like any other.
if pk /certificate check-expiry days=lots 2>"$work/err"; then fail "days=lots accepted"; fi
grep -q '^pkiman: days: lots is not a whole number' "$work/err" || fail "days=lots: $(cat "$work/err")"
echo "check-expiry: ok"
