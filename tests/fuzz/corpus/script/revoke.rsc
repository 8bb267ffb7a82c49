/certificate issued-revoke leaf
/certificate remove tpl
/certificate add name=web copy-from=leaf common-name=www.example
/certificate set web key-size=1024 days-valid=30 digest-algorithm=sha1
/certificate sign web ca=fuzz-ca name=web-signed
/certificate remove web-signed
