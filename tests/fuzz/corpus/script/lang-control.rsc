:for i from=1 to=3 do={ :if ($i = 2) do={ :put two } else={ :put $i } }
:do { :error "e" } on-error={ :put caught }
:onerror e in={ :tonum "x" } do={ :put $e }
:local i 0; :while ($i < 2) do={ :set i ($i + 1) }
