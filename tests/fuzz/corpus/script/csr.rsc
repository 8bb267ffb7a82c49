/certificate add name=r common-name=req.example subject-alt-name=DNS:req.example,email:a@b.example key-size=secp384r1
/certificate create-certificate-request template=r key-passphrase=csrpass1 challenge-passphrase=chal
/certificate sign-certificate-request ca=fuzz-ca file-name=certificate-request.pem days-valid=42
