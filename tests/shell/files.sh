# SPDX-License-Identifier: LGPL-2.1-or-later
# Files stay in the files directory: every command that reads or writes a
# file refuses "..", absolute paths and symlinks that lead outside, with one
# line naming the parameter; subdirectories work but are never created;
# writes are atomic and replace a symlink instead of following it.
. "$(dirname "$0")/lib.sh"

OUT="$WORK/outside"
mkdir -p "$OUT"
pk /certificate add name=ca common-name=ca key-size=prime256v1 key-usage=key-cert-sign,crl-sign >/dev/null
pk /certificate sign ca >/dev/null
pk /certificate add name=tpl common-name=tpl key-size=prime256v1 >/dev/null
pk /certificate export-certificate ca >/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$OUT/dev.key" \
  -out "$OUT/dev.csr" -subj /CN=dev 2>/dev/null
cp cert_export_ca.crt "$OUT/ca.crt"
printf '/certificate print\n' > "$OUT/evil.rsc"
ln -s "$OUT/ca.crt" link-out.crt
ln -s "$OUT/dev.csr" link-out.csr
ln -s "$OUT/evil.rsc" link-out.rsc
ln -s "$OUT" outdir
mkdir sub

# Reads: import, sign-certificate-request, /import.
for name in ../outside/ca.crt "$OUT/ca.crt" link-out.crt outdir/ca.crt sub/../../outside/ca.crt; do
  expect_error "^pkiman: file-name: .* leaves the files directory$" /certificate import file-name="$name"
done
for name in ../outside/dev.csr "$OUT/dev.csr" link-out.csr outdir/dev.csr; do
  expect_error "^pkiman: file-name: .* leaves the files directory$" \
    /certificate sign-certificate-request ca=ca file-name="$name"
done
for name in ../outside/evil.rsc "$OUT/evil.rsc" link-out.rsc outdir/evil.rsc; do
  expect_error "^pkiman: file-name: .* leaves the files directory$" /import file-name="$name"
done

# Writes: export-certificate, also through a directory symlink and the default name.
for name in ../outside/x "$OUT/x" outdir/x; do
  expect_error "^pkiman: file-name: .* leaves the files directory$" /certificate export-certificate ca file-name="$name"
done
[ -z "$(ls "$OUT" | grep -v -e '^ca.crt$' -e '^dev' -e '^evil.rsc$')" ] || fail "something was written outside: $(ls "$OUT")"
# /file lists nothing behind a symlinked directory, and removes nothing through a link.
expect_error "^pkiman: numbers: no such item: outdir/ca.crt$" /file remove outdir/ca.crt
expect_error "^pkiman: numbers: link-out.crt leaves the files directory$" /file remove link-out.crt
[ -f "$OUT/ca.crt" ] || fail "/file remove reached outside"
ok "nothing outside was read, written or removed"

# Subdirectories inside work; a missing one is an error, and is not created.
cp cert_export_ca.crt sub/again.crt
cp "$OUT/dev.csr" sub/dev.csr
out=$(pk /certificate import file-name=sub/again.crt)
assert_contains "$out" "already in the store" "a file in a subdirectory is read"
pk /certificate sign-certificate-request ca=ca file-name=sub/dev.csr name=dev >/dev/null
pk /certificate export-certificate dev file-name=sub/dev-out >/dev/null
openssl x509 -in sub/dev-out.crt -noout || fail "export into a subdirectory"
expect_error "^pkiman: file-name: nosuchdir: no such directory$" /certificate export-certificate dev file-name=nosuchdir/x
[ ! -e nosuchdir ] || fail "a directory was created"
printf '/certificate print count-only\n' > sub/ok.rsc
assert_match "$(pk /import file-name=sub/ok.rsc)" '^[0-9]+$' "/import of a script in a subdirectory"
ok "subdirectories inside work, none is created"

# A symlink that stays inside is fine; a symlink at a written name is replaced, not followed.
ln -s sub/again.crt link-in.crt
assert_contains "$(pk /certificate import file-name=link-in.crt)" "already in the store" "symlink inside"
echo precious > "$OUT/target"
ln -s "$OUT/target" cert_export_tpl2.crt
pk /certificate add name=tpl2 common-name=tpl2 key-size=prime256v1 >/dev/null
pk /certificate sign tpl2 ca=ca >/dev/null
pk /certificate export-certificate tpl2 >/dev/null
assert_eq "precious" "$(cat "$OUT/target")" "the symlink's target is untouched"
[ ! -L cert_export_tpl2.crt ] && openssl x509 -in cert_export_tpl2.crt -noout || fail "the link was not replaced"
ok "symlinks inside are followed for reading; at a written name they are replaced"

# Writes are atomic: no temporary file is left, the key is created 0600 (never wider).
pk /certificate export-certificate tpl2 export-passphrase=longenough1 >/dev/null
assert_eq "600" "$(stat -c %a cert_export_tpl2.key)" "key file mode"
[ -z "$(ls -a | grep -E '\.(tmp|[A-Z0-9]{6})$')" ] || fail "temporary files left: $(ls -a)"
# LeakSanitizer cannot run under ptrace: off for this one traced run (scripts/sanitize).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
  strace -f -e trace=openat,rename,renameat,renameat2,fsync,fdatasync -o "$WORK/trace" \
  "$PKIMAN" /certificate export-certificate tpl2 export-passphrase=longenough1 >/dev/null
grep -qE 'rename.*cert_export_tpl2\.key' "$WORK/trace" || fail "the key file was not renamed into place"
grep -qE 'f(data)?sync' "$WORK/trace" || fail "no fsync before the rename"
! grep -E 'openat\(.*"[^"]*cert_export_tpl2\.key", .*O_TRUNC' "$WORK/trace" || fail "the key file was rewritten in place"
ok "export writes a temporary file, fsyncs and renames it"

# A configured files directory is the boundary too.
mkdir "$WORK/box"
printf '[files]\ndir=%s\n' "$WORK/box" > "$WORK/box.conf"
cp cert_export_ca.crt "$WORK/box/ca.crt"
expect_error "^pkiman: file-name: \.\./files/cert_export_ca.crt leaves the files directory$" \
  --config "$WORK/box.conf" /certificate import file-name=../files/cert_export_ca.crt
pk --config "$WORK/box.conf" /certificate export-certificate ca file-name=boxed >/dev/null
[ -f "$WORK/box/boxed.crt" ] || fail "export did not go to the configured directory"

# No error echoes the content of a file that is not a script.
printf -- '-----BEGIN SECRET-TOKEN-1234-----\nAAAA\n' > leaky.pem
err=$(pk /certificate import file-name=leaky.pem 2>&1 || true)
assert_not_contains "$err" "SECRET-TOKEN" "a PEM label is not echoed"
head -c 3000 /dev/urandom > noise.der
err=$(pk /certificate sign-certificate-request ca=ca file-name=noise.der 2>&1 || true)
[ "$(printf '%s' "$err" | wc -l)" -le 1 ] && ! printf '%s' "$err" | grep -q '[^[:print:]]' \
  || fail "binary content echoed: $err"
ok "errors name the file, not its content"
