package rules

func OnA() {} // want "rule on"

func OffA() {} // ok: the off rule is opt-in, not selected by default

func OffB() {} // ok: same

//asynclint:ignore ruled an ignored finding of an unselected rule keeps its directive in use
func OffC() {}
