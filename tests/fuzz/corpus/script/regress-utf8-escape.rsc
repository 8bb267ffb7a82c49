/certificate add name=ok common-name="\ff"
