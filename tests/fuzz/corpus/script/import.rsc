/import file-name=seed.rsc
/certificate import file-name=cert_export_leaf.crt name=leaf-again
/certificate import file-name=cert_export_leaf.key passphrase=pkiman-fuzz
/certificate import file-name=cert_export_fuzz-ca.crt trusted=no
/certificate sign-certificate-request ca=fuzz-ca file-name=certificate-request.pem name=issued allow-ca=yes
