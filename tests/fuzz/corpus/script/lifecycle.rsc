# a CA, a server certificate and what print shows of them
/certificate
add name=root common-name="Root" organization=Example country=LV key-usage=key-cert-sign,crl-sign \
  days-valid=3650 key-size=prime256v1
sign root
add name=srv common-name=srv.example subject-alt-name=DNS:srv.example key-usage=digital-signature,tls-server
sign srv ca=root
print detail where name=srv
print count-only where authority or issued
set srv trusted=no
export-certificate srv type=pkcs12 export-passphrase=exportpass
import file-name=cert_export_srv.p12 passphrase=exportpass name=again
/log print
