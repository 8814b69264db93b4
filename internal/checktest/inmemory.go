package checktest

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// RunSource parses and type-checks one file of Go source as a package
// and runs the analyzers (with everything they require) on it, in memory,
// the way a driver would: analyzers that do not tolerate type errors are
// skipped on ill-typed code, as go vet and gopls skip them. Facts about
// other packages are absent (their import always fails), as for a
// package whose dependencies were not analysed. It returns the
// diagnostics and the first error an analyzer returned.
//
// It is meant for fuzzing and benchmarks, where analysistest's package
// loading would dominate.
func RunSource(src string, analyzers []*analysis.Analyzer) ([]analysis.Diagnostic, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "input.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, nil // the go command would not get this far either
	}
	info := &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Instances:    make(map[*ast.Ident]types.Instance),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:       make(map[ast.Node]*types.Scope),
		FileVersions: make(map[*ast.File]string),
	}
	var typeErrors []types.Error
	importMu.Lock()
	defer importMu.Unlock()
	conf := types.Config{
		Importer: sharedImporter(),
		// go/types reports only types.Error values to Config.Error.
		Error: func(err error) { typeErrors = append(typeErrors, err.(types.Error)) }, //nolint:errorlint // never wrapped
	}
	pkg, _ := conf.Check("input", fset, []*ast.File{file}, info)
	r := &runner{fset: fset, files: []*ast.File{file}, pkg: pkg, info: info,
		typeErrors: typeErrors, results: make(map[*analysis.Analyzer]any)}
	for _, a := range analyzers {
		if _, err := r.run(a); err != nil {
			return r.diags, err
		}
	}
	return r.diags, nil
}

// The importer reads export data of the standard library through the go
// command; sharing it (and its cache) across calls makes a fuzzing
// iteration cost microseconds instead of a go list run. It is not safe for
// concurrent use, hence the mutex.
var (
	importMu       sync.Mutex
	sharedImporter = sync.OnceValue(importer.Default)
)

// runner runs an analyzer graph on one package.
type runner struct {
	fset       *token.FileSet
	files      []*ast.File
	pkg        *types.Package
	info       *types.Info
	typeErrors []types.Error
	results    map[*analysis.Analyzer]any
	skipped    map[*analysis.Analyzer]bool
	diags      []analysis.Diagnostic
}

// run runs a after its requirements; it reports whether a ran.
func (r *runner) run(a *analysis.Analyzer) (bool, error) {
	if _, done := r.results[a]; done {
		return true, nil
	}
	if r.skipped[a] {
		return false, nil
	}
	if len(r.typeErrors) > 0 && !a.RunDespiteErrors {
		r.skip(a)
		return false, nil
	}
	resultOf := make(map[*analysis.Analyzer]any)
	for _, req := range a.Requires {
		ran, err := r.run(req)
		if err != nil {
			return false, err
		}
		if !ran {
			r.skip(a)
			return false, nil
		}
		resultOf[req] = r.results[req]
	}
	pass := &analysis.Pass{
		Analyzer: a, Fset: r.fset, Files: r.files, Pkg: r.pkg, TypesInfo: r.info,
		TypesSizes: types.SizesFor("gc", "amd64"), TypeErrors: r.typeErrors, ResultOf: resultOf,
		Report:            func(d analysis.Diagnostic) { r.diags = append(r.diags, d) },
		ImportObjectFact:  func(types.Object, analysis.Fact) bool { return false },
		ImportPackageFact: func(*types.Package, analysis.Fact) bool { return false },
		ExportObjectFact:  func(types.Object, analysis.Fact) {},
		ExportPackageFact: func(analysis.Fact) {},
		AllObjectFacts:    func() []analysis.ObjectFact { return nil },
		AllPackageFacts:   func() []analysis.PackageFact { return nil },
		ReadFile:          func(string) ([]byte, error) { return nil, fmt.Errorf("no files") },
		Module:            &analysis.Module{GoVersion: "go1.26"},
	}
	res, err := a.Run(pass)
	if err != nil {
		return false, fmt.Errorf("%s: %w", a.Name, err)
	}
	if a.ResultType != nil && res != nil && reflect.TypeOf(res) != a.ResultType {
		return false, fmt.Errorf("%s: result of type %T, want %v", a.Name, res, a.ResultType)
	}
	r.results[a] = res
	return true, nil
}

func (r *runner) skip(a *analysis.Analyzer) {
	if r.skipped == nil {
		r.skipped = make(map[*analysis.Analyzer]bool)
	}
	r.skipped[a] = true
}
