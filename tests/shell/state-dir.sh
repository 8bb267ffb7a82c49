# SPDX-License-Identifier: LGPL-2.1-or-later
# The state directory and the master key are this user's alone: pkiman refuses
# them, in one line naming the path and its mode or owner, when others can
# read or write them. [keys] master-key= keeps the key apart from the database,
# and the README's backup and restore steps work as written.
. "$(dirname "$0")/lib.sh"

state=$PKIMAN_STATE_DIR
pk /certificate add name=k common-name=k key-size=prime256v1
pk /certificate sign k >/dev/null
assert_eq 700 "$(stat -c %a "$state")" "a new state directory is 0700"
good_dump=$(dump)

# expect_error itself reads the store, which a refused state directory
# forbids: here the refusal is checked, then the store compared once the
# mode is back.

for mode in 755 705 701 770 720 777; do
  chmod "$mode" "$state"
  expect_refused "^pkiman: state directory $state: mode 0$mode lets others in; chmod 700 it\$" /certificate print
  expect_refused "^pkiman: state directory $state: mode 0$mode " /certificate add name=new common-name=new
  chmod 700 "$state"
  assert_eq "$good_dump" "$(dump)" "the store after a refusal with mode $mode"
done
chmod 750 "$state"
assert_contains "$(pk /certificate print)" "k" "a state directory its group may read is used"
chmod 700 "$state"
ok "a state directory others can enter, or its group write, is refused"

if [ "$(id -u)" -eq 0 ]; then
  chown 4242 "$state"
  expect_refused "^pkiman: state directory $state: owned by uid 4242, not by uid 0 that runs pkiman\$" /certificate print
  chown 0 "$state"
  ok "a state directory of another user is refused"
fi

# The master key: no bit for group or others, and ours. (Before, pkiman
# quietly chmod-ed it and used a key that had been readable.)
key=$state/master.key
assert_eq 600 "$(stat -c %a "$key")" "a new master key is 0600"
for mode in 640 604 660 644 601; do
  chmod "$mode" "$key"
  expect_error "^pkiman: master key $key: mode 0$mode lets others read it; chmod 600 it\$" \
    /certificate export-certificate k export-passphrase=pass1234
  assert_eq "$mode" "$(stat -c %a "$key")" "pkiman leaves a refused key's mode alone"
done
chmod 600 "$key"
if [ "$(id -u)" -eq 0 ]; then
  chown 4242 "$key"
  expect_error "^pkiman: master key $key: owned by uid 4242, not by uid 0 that runs pkiman\$" \
    /certificate export-certificate k export-passphrase=pass1234
  chown 0 "$key"
fi
pk /certificate export-certificate k export-passphrase=pass1234 >/dev/null
ok "a master key others can read, or of another user, is refused"

# [keys] master-key=: the key apart from the database.
export PKIMAN_STATE_DIR=$WORK/apart
keys=$WORK/keys
conf=$WORK/apart.conf
printf '[keys]\nmaster-key=%s/master.key\n' "$keys" >"$conf"
pk --config "$conf" /certificate add name=a common-name=a key-size=prime256v1
expect_error "^pkiman: master key directory $keys: does not exist\$" --config "$conf" /certificate sign a
mkdir -m 755 "$keys"
pk --config "$conf" /certificate sign a >/dev/null
assert_eq 600 "$(stat -c %a "$keys/master.key")" "the configured master key is 0600"
[ ! -e "$PKIMAN_STATE_DIR/master.key" ] || fail "a master key was made in the state directory too"
expect_error "^pkiman: master key $PKIMAN_STATE_DIR/master.key is missing" /certificate export-certificate a export-passphrase=pass1234
# Nor is one made when a key needs sealing: the store holds keys sealed with the missing one.
pk /certificate add name=b common-name=b key-size=prime256v1
expect_error "^pkiman: master key $PKIMAN_STATE_DIR/master.key is missing, and the store holds 1 key sealed with it: restore the master key \(a new one is not made\)\$" /certificate sign b
[ ! -e "$PKIMAN_STATE_DIR/master.key" ] || fail "a new master key was made although sealed keys exist"
ok "no second master key while keys sealed with the first are stored"
pk --config "$conf" /certificate export-certificate a export-passphrase=pass1234 >/dev/null
for mode in 775 757 777; do
  chmod "$mode" "$keys"
  expect_error "^pkiman: master key directory $keys: mode 0$mode lets others replace the key; chmod go-w it\$" \
    --config "$conf" /certificate export-certificate a export-passphrase=pass1234
done
chmod 700 "$keys"
chmod 644 "$keys/master.key"
expect_error "^pkiman: master key $keys/master.key: mode 0644 lets others read it; chmod 600 it\$" \
  --config "$conf" /certificate export-certificate a export-passphrase=pass1234
chmod 600 "$keys/master.key"
printf '[keys]\nmaster-key=keys/master.key\n' >"$WORK/relative.conf"
pk --config "$WORK/relative.conf" /certificate add name=r common-name=r key-size=prime256v1
expect_error '^pkiman: \[keys\] master-key: keys/master.key is not an absolute path$' \
  --config "$WORK/relative.conf" /certificate sign r
ok "[keys] master-key= keeps the key apart, checked the same way"

# The README's Backups: the database by sqlite3 .backup (store-files: its
# directory copied while no writer holds its lock), the key apart; restored
# into a new state directory, the keys open again.
mkdir -m 700 "$WORK/backup-db" "$WORK/backup-key"
data=$(store_path)
case $STORE in
  sqlite) sqlite3 "$data" ".backup '$WORK/backup-db/pkiman.db'" ;;
  files) flock -s "$(store_lock_file)" cp -a "$data" "$WORK/backup-db/" ;;
esac
cp "$keys/master.key" "$WORK/backup-key/master.key"
export PKIMAN_STATE_DIR=$WORK/restored
mkdir -m 700 "$PKIMAN_STATE_DIR" "$WORK/restored-keys"
case $STORE in
  sqlite) install -m 600 "$WORK/backup-db/pkiman.db" "$(store_path)" ;;
  files) cp -a "$WORK/backup-db/$(basename "$data")" "$(store_path)" ;;
esac
install -m 600 "$WORK/backup-key/master.key" "$WORK/restored-keys/master.key"
printf '[keys]\nmaster-key=%s/restored-keys/master.key\n' "$WORK" >"$WORK/restored.conf"
assert_match "$(pk --config "$WORK/restored.conf" /certificate print)" "^0 K .* a " "the restored store lists the certificate"
pk --config "$WORK/restored.conf" /certificate export-certificate a type=pkcs12 export-passphrase=pass1234 \
  file-name=restored >/dev/null
openssl pkcs12 -in restored.p12 -passin pass:pass1234 -nodes 2>/dev/null | grep -q "BEGIN PRIVATE KEY" \
  || fail "the restored key does not export"
ok "a backup restored as the README says opens its keys"
