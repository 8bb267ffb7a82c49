/import file-name=loop.rsc
