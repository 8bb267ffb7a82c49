/import file-name=../../../../../../etc/hostname
