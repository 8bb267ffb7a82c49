:foreach c in=[/certificate find where name~"^fuzz"] do={ :local v [/certificate get $c]; :put ($v->"name" . " " . [:typeof ($v->"expires-after")]) }
:put [/system clock get date]
:log info "fuzz"
