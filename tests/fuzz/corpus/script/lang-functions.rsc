:local add do={ :return ($1 + $2) }
:put [$add 2 3]
:global greet do={ :put "hello $who from $0"; :delay 0 }
$greet who=world
:global fact do={ :if ($1 <= 1) do={ :return 1 }; :return ($1 * [$fact ($1 - 1)]) }
:put [$fact 5]
:local f [:parse ":return [/certificate find where name~\"^fuzz\"]"]
:put [$f]
:local g do={ :do { :return 3 } on-error={ :return 4 } }
:put [:typeof [$g]]
