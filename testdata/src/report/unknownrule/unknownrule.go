package unknownrule // want `internal error: check ruled panicked on package report/unknownrule: ruled reported a finding of unknown rule "bogus"`

func BogusA() {}
