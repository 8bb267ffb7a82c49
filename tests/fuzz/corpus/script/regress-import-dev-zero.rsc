/import file-name=/dev/zero
