package report

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
)

// The helper contract (nilaway's WrapRun shape). A helper analyzer is
// one that checks Require for its Result and that reports nothing
// (blocking, chanflow, closes, detach, assigns, ...). It sets
//
//	Run:        report.WrapRun(run),
//	ResultType: reflect.TypeFor[*report.Result[*T]](),
//
// so that its result always reaches the analyzers that Require it, with
// the error that kept it from computing one: a panic of the helper is
// recovered into that error, naming the helper, the package and the
// place, and a helper whose own prerequisite failed passes that error on
// without running. Guard, on each check, turns the first such error of
// the check's prerequisites into the check's internal-error finding, so
// every driver prints it and the command exits 4, instead of the check
// silently seeing no result (a driver also reports "failed
// prerequisites" and drops the panic text when a helper's Run returns an
// error or a result of the wrong type).

// Result is what a helper analyzer returns: its own result Res, or Err
// when it failed on the package (Res is then the zero value).
type Result[T any] struct {
	Res T
	Err error
}

func (r *Result[T]) helperError() error { return r.Err }

// A HelperError says that a helper analyzer failed on a package.
type HelperError struct {
	Helper string // the helper's Analyzer.Name
	Pkg    string // the package's import path
	Cause  string // "panic: VALUE (at passes/...:LINE)", or the error Run returned
}

func (e *HelperError) Error() string {
	return fmt.Sprintf("helper %s failed on package %s: %s", e.Helper, e.Pkg, e.Cause)
}

// WrapRun wraps a helper analyzer's run function into the helper
// contract (see Result).
func WrapRun[T any](run func(*analysis.Pass) (T, error)) func(*analysis.Pass) (any, error) {
	return func(pass *analysis.Pass) (result any, err error) {
		res := new(Result[T])
		if err := upstreamError(pass); err != nil {
			res.Err = err // pass the first failure on: it names the helper that failed.
			return res, nil
		}
		defer func() {
			if p := recover(); p != nil {
				var zero T
				res.Res = zero
				res.Err = &HelperError{Helper: pass.Analyzer.Name, Pkg: pass.Pkg.Path(),
					Cause: fmt.Sprintf("panic: %v (at %s)", p, panicSite())}
				result, err = res, nil
			}
		}()
		injectPanic(pass.Analyzer.Name)
		r, runErr := run(pass)
		if runErr != nil {
			res.Err = &HelperError{Helper: pass.Analyzer.Name, Pkg: pass.Pkg.Path(), Cause: runErr.Error()}
			return res, nil
		}
		res.Res = r
		return res, nil
	}
}

// HelperResult returns the result of the helper h that pass's analyzer
// Requires. Under Guard or WrapRun it is never called when h failed.
func HelperResult[T any](pass *analysis.Pass, h *analysis.Analyzer) T {
	return pass.ResultOf[h].(*Result[T]).Res
}

// upstreamError returns the error of the first of pass's prerequisites
// that is a helper and failed, or nil.
func upstreamError(pass *analysis.Pass) error {
	for _, req := range pass.Analyzer.Requires {
		if h, ok := pass.ResultOf[req].(interface{ helperError() error }); ok {
			if err := h.helperError(); err != nil {
				return err
			}
		}
	}
	return nil
}

// helperFailed describes, as the check's internal-error finding, that a
// helper it requires failed on the package, so the check did not run.
func helperFailed(pass *analysis.Pass, herr error) analysis.Diagnostic {
	var pos token.Pos
	if len(pass.Files) > 0 {
		pos = pass.Files[0].Package
	}
	helper, cause := "?", herr.Error()
	if he, ok := herr.(*HelperError); ok {
		helper, cause = he.Helper, he.Cause
	}
	return analysis.Diagnostic{
		Pos:      pos,
		Category: InternalErrorCategory,
		Message: fmt.Sprintf("internal error: helper %s failed on package %s, so check %s did not run: %s; please report this at %s/issues",
			helper, pass.Pkg.Path(), pass.Analyzer.Name, cause, "https://github.com/asynclint/asynclint"),
	}
}
