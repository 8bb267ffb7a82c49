/certificate
..
/system plugin
print
/
/certificate/print count-only
/log print where topics~"certificate"
/file remove cert_export_leaf.key
/file print
