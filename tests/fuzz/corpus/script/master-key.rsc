/system master-key
export file-name=mk.pem passphrase=pkiman-fuzz
import file-name=mk.pem passphrase=pkiman-fuzz
/log print where topics~"system"
import mk.pem passphrase=not-the-passphrase
