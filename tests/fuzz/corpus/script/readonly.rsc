/certificate print
/certificate print detail
/certificate print as-value where name=fuzz-ca
/certificate print terse proplist=name,fingerprint where not template
/system plugin print
/system store dump
/log print count-only
/file print
