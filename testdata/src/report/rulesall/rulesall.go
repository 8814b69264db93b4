package rulesall

func OnA() {} // want "rule on"

func OffA() {} // want "rule off"

func Other() {} // ok: no finding at all
