/system master-key import file-name=cert_export_leaf.crt passphrase=pkiman-fuzz
