:local a {1;2;"k"=3}
:put (($a->"k") * 2 + -1 . "x" = "5x" && !false || 3w > 1d2h)
:put "v=$a and $[:len $a]"
