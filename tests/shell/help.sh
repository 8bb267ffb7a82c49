# SPDX-License-Identifier: LGPL-2.1-or-later
# The shell as RouterOS administrators type it: any unique prefix of a menu
# word, a command, a parameter, a flag word or a choice names it (the whole
# name wins; an ambiguous prefix is one error listing the candidates), and
# `?` or --help explains what may come next, from the tables, plugin menus
# included. Interactive ? and Tab: complete.sh.
. "$(dirname "$0")/lib.sh"

# -- abbreviations --
pk /cert add na=ca common-n="Local CA" key-usage=key-c,crl key-size=prime >/dev/null
assert_eq "Local CA" "$(prop /certificate ca common-name)" "common-n= is common-name="
assert_eq "key-cert-sign,crl-sign" "$(prop /certificate ca key-usage)" "choices of a list by their prefixes"
assert_eq "prime256v1" "$(prop /certificate ca key-size)" "a choice by its prefix"
assert_eq "$(pk /certificate print detail where name~"ca")" "$(pk /cert pri det wh name~"ca")" \
  "/cert pri det wh is /certificate print detail where"
assert_contains "$(pk /cert pri det wh name~"ca")" 'common-name="Local CA"' "the abbreviated print shows the item"
assert_eq "1" "$(pk /cert/pri cou)" "a v7 path of prefixes, and a flag word by its prefix"
assert_eq "$(pk /system plugin print)" "$(pk /sys pl pri)" "menu words by their prefixes"
assert_eq "1" "$(printf '/cert\npri count-o\n' | pk)" "prefixes in a script, the menu changed by one"
ok "unique prefixes name menus, commands, parameters, flag words and choices"

# An exact name wins over the longer names it begins: sign, not sign-certificate-request.
pk /certificate sign ca >/dev/null
assert_eq "KAT" "$(flags_of ca | tr -d ' ')" "sign is sign, though sign-certificate-request begins with it"
ok "an exact name wins over prefixes"

expect_error '^pkiman: s: ambiguous, could be: set, sign, sign-certificate-request, settings$' /certificate s x
expect_error '^pkiman: s: ambiguous, could be: set, sign, sign-certificate-request, settings$' /cert/s
expect_error '^pkiman: key: ambiguous, could be: key-size, key-usage, key-uri$' /certificate add name=y key=2048
expect_error '^pkiman: key-usage: d: ambiguous, could be: digital-signature, data-encipherment, decipher-only, dvcs$' \
  /certificate add name=y key-usage=d
expect_error '^pkiman: /nosuch: no such menu$' /nosuch print
expect_error '^pkiman: frob: no such command in /certificate$' /cert frob
ok "ambiguous prefixes are one error that lists the candidates"

# -- ? and --help, not interactive --
help=$(pk /certificate add --help)
assert_contains "$help" "/certificate add -- add a template" "the command's help"
assert_contains "$help" "  key-size               <one of 1024 | 1536 | 2048 | 4096 | 8192 | prime256v1 | secp384r1 | secp521r1> (default 2048) -- RSA bits or EC curve" "an enum with its values"
assert_contains "$help" "  days-valid             <integer 0..4294967295> (default 365) -- validity in days" "an integer with its range and default"
assert_contains "$help" "  common-name            <string> -- CN of the subject" "a string"
assert_contains "$help" "  trusted                <yes | no>" "a yes/no"
assert_contains "$help" "  key-usage              <comma list of digital-signature | " "a list of choices"
assert_contains "$help" "  copy-from              <item of /certificate: a name or a number>" "an item"
assert_eq "$help" "$(pk /certificate add '?')" "a line ending in ? is --help"
assert_eq "$help" "$(pk /cert ad '?')" "? after abbreviations"
out=$(pk /certificate add '?' 2>&1 >/dev/null)
assert_eq "" "$out" "help writes nothing on stderr"
assert_contains "$(pk /certificate '?')" "  settings               -- how CRLs are downloaded and used" "a menu lists its submenus"
assert_contains "$(pk /certificate '?')" "  sign-certificate-request -- issue a certificate from a CSR file" "a menu lists its commands"
assert_contains "$(pk /certificate print where '?')" "common-name" "where ? lists the properties"
assert_contains "$(pk /certificate print '?')" "  count-only             <flag: the word alone> -- only the number of items" "print's flag words"
out=$(printf '/certificate add ?\n/certificate print count-only\n' | pk)
assert_contains "$out" "  key-size " "? in a script"
assert_eq "1" "$(tail -n 1 <<<"$out")" "the script goes on after ?"
expect_error '^pkiman: frob: no such command in /certificate$' /certificate frob '?'
ok "--help and ? print the tables' help on stdout and exit 0"

# A plugin's menu is explained from its own tables.
crl=$(pk /certificate crl add '?')
assert_contains "$crl" "/certificate crl add -- download a CRL from url=" "the plugin's command help"
assert_contains "$crl" "  url                    <string of 1..2048 characters> (required) -- where the CRL is (http or https)" \
  "the plugin's parameter, its type and range"
assert_contains "$(pk /certificate crl --help)" "  download               -- download the CRLs (or one) now" "the plugin's menu"
ok "a plugin menu's help comes from its tables"
