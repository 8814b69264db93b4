package panics // want `internal error: check panicky panicked on package report/panics: boom on Trigger \(at passes/internal/report/report_test.go:\d+\)`

func Trigger() {}
