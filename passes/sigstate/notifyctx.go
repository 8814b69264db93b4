package sigstate

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/asynclint/asynclint/passes/internal/code"
)

// notifyContextFix rewrites the simplest hand-rolled shutdown flag into
// signal.NotifyContext. It applies when one block holds all of
//
//	sigs := make(chan os.Signal, 1)
//	signal.Notify(sigs, SIGNALS)
//	stop := false                          // or var stop bool
//	go func() { <-sigs; stop = true }()
//
// and every other use of the flag reads it (stop or !stop). The channel,
// the registration, the flag and the goroutine become
//
//	ctx, stop := signal.NotifyContext(context.Background(), SIGNALS)
//	defer stop()
//
// and each read becomes ctx.Err() != nil (or == nil).
func (c *checker) notifyContextFix(h *handler, assign *ast.AssignStmt, flag *types.Var) (analysis.SuggestedFix, bool) {
	info := c.pass.TypesInfo
	reg := h.reg
	if !code.IsCallTo(info, reg.call, "os/signal.Notify") || reg.escapes || len(reg.handlers) != 1 || !isLocal(reg.ch) || !isLocal(flag) {
		return analysis.SuggestedFix{}, false
	}
	lit, ok := h.fn.Node().(*ast.FuncLit)
	if !ok || len(lit.Body.List) != 2 || lit.Body.List[1] != assign || len(assign.Lhs) != 1 || len(assign.Rhs) != 1 {
		return analysis.SuggestedFix{}, false
	}
	if es, ok := lit.Body.List[0].(*ast.ExprStmt); !ok || es.X != h.recv.Node() {
		return analysis.SuggestedFix{}, false
	}
	set, ok := boolConst(info, assign.Rhs[0])
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	goCur := h.fn.Parent().Parent()
	goStmt, ok := goCur.Node().(*ast.GoStmt)
	if !ok || len(goStmt.Call.Args) != 0 || goStmt.Call.Fun != lit {
		return analysis.SuggestedFix{}, false
	}
	block, ok := goCur.Parent().Node().(*ast.BlockStmt)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	mk, notify, decl := c.fixStatements(block, reg, flag, set)
	if mk == nil || notify == nil || decl == nil {
		return analysis.SuggestedFix{}, false
	}

	// The names the fix introduces must be free wherever they are used.
	positions := []token.Pos{mk.Pos()}
	var reads []inspector.Cursor
	for _, use := range c.usesOf(flag) {
		if use.Node() == assign.Lhs[0] {
			continue
		}
		if isWrite(use) {
			return analysis.SuggestedFix{}, false // written elsewhere too
		}
		if p, ok := use.Parent().Node().(*ast.BinaryExpr); ok && (p.Op == token.EQL || p.Op == token.NEQ) {
			return analysis.SuggestedFix{}, false // stop == true: leave it to a person
		}
		reads = append(reads, use)
		positions = append(positions, use.Node().Pos())
	}
	for _, pos := range positions {
		scope := c.pass.Pkg.Scope().Innermost(pos)
		if scope == nil {
			return analysis.SuggestedFix{}, false
		}
		for _, name := range []string{"ctx", "stop"} {
			if _, obj := scope.LookupParent(name, pos); obj != nil && obj != flag {
				return analysis.SuggestedFix{}, false
			}
		}
	}
	file := c.fileOf(mk.Pos())
	if file == nil {
		return analysis.SuggestedFix{}, false
	}
	ctxPkg, importEdit, ok := importName(file, "context")
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	signalPkg := "signal"
	if sel, ok := reg.call.Fun.(*ast.SelectorExpr); ok {
		if id, ok := sel.X.(*ast.Ident); ok {
			signalPkg = id.Name
		}
	}

	var args []string
	for _, s := range reg.signals {
		args = append(args, types.ExprString(s))
	}
	indent := strings.Repeat("\t", c.pass.Fset.Position(mk.Pos()).Column-1)
	edits := []analysis.TextEdit{{
		Pos: mk.Pos(), End: mk.End(),
		NewText: []byte("ctx, stop := " + signalPkg + ".NotifyContext(" + ctxPkg + ".Background(), " + strings.Join(args, ", ") + ")\n" + indent + "defer stop()"),
	}}
	if importEdit != nil {
		edits = append(edits, *importEdit)
	}
	for _, s := range []ast.Stmt{notify, decl, goStmt} {
		edits = append(edits, deleteStmt(block, s))
	}
	for _, r := range reads {
		node := r.Node().(ast.Expr)
		stopped := set // a read of the flag means "stopped"
		if u, ok := r.Parent().Node().(*ast.UnaryExpr); ok && u.Op == token.NOT {
			node, stopped = u, !set
		}
		text := "ctx.Err() == nil"
		if stopped {
			text = "ctx.Err() != nil"
		}
		edits = append(edits, analysis.TextEdit{Pos: node.Pos(), End: node.End(), NewText: []byte(text)})
	}
	return analysis.SuggestedFix{Message: "Use signal.NotifyContext and test ctx.Err() instead of a flag", TextEdits: edits}, true
}

// fixStatements finds, in block, the make of reg's channel, the Notify
// statement and the declaration of flag with the value the handler does
// not set.
func (c *checker) fixStatements(block *ast.BlockStmt, reg *registration, flag *types.Var, set bool) (mk, notify, decl ast.Stmt) {
	info := c.pass.TypesInfo
	for _, s := range block.List {
		switch s := s.(type) {
		case *ast.ExprStmt:
			if s.X == reg.call {
				notify = s
			}
		case *ast.AssignStmt:
			if s.Tok != token.DEFINE || len(s.Lhs) != 1 || len(s.Rhs) != 1 {
				continue
			}
			switch info.Defs[code.IdentOf(s.Lhs[0])] {
			case reg.ch:
				if isMakeChan(c.pass, s.Rhs[0]) != nil {
					mk = s
				}
			case flag:
				if v, ok := boolConst(info, s.Rhs[0]); ok && v != set {
					decl = s
				}
			}
		case *ast.DeclStmt:
			gen, ok := s.Decl.(*ast.GenDecl)
			if !ok || len(gen.Specs) != 1 {
				continue
			}
			spec, ok := gen.Specs[0].(*ast.ValueSpec)
			if !ok || len(spec.Names) != 1 || info.Defs[spec.Names[0]] != flag {
				continue
			}
			switch len(spec.Values) {
			case 0:
				if set {
					decl = s // var stop bool: false until the handler sets it
				}
			case 1:
				if v, ok := boolConst(info, spec.Values[0]); ok && v != set {
					decl = s
				}
			}
		}
	}
	return mk, notify, decl
}

// boolConst returns the value of a constant boolean expression.
func boolConst(info *types.Info, e ast.Expr) (bool, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.Bool {
		return false, false
	}
	return constant.BoolVal(tv.Value), true
}

// deleteStmt deletes s and the line break and indentation after it.
func deleteStmt(block *ast.BlockStmt, s ast.Stmt) analysis.TextEdit {
	for i, x := range block.List {
		if x == s && i+1 < len(block.List) {
			return analysis.TextEdit{Pos: s.Pos(), End: block.List[i+1].Pos()}
		}
		if x == s && i > 0 {
			return analysis.TextEdit{Pos: block.List[i-1].End(), End: s.End()}
		}
	}
	return analysis.TextEdit{Pos: s.Pos(), End: s.End()}
}

// importName returns the name under which file imports path, with an
// edit adding the import when the file lacks it.
func importName(file *ast.File, path string) (string, *analysis.TextEdit, bool) {
	for _, imp := range file.Imports {
		if strings.Trim(imp.Path.Value, `"`) != path {
			continue
		}
		if imp.Name != nil {
			if imp.Name.Name == "_" || imp.Name.Name == "." {
				return "", nil, false
			}
			return imp.Name.Name, nil, true
		}
		return path, nil, true
	}
	for _, d := range file.Decls {
		gen, ok := d.(*ast.GenDecl)
		if !ok || gen.Tok != token.IMPORT || !gen.Lparen.IsValid() || len(gen.Specs) == 0 {
			continue
		}
		first := gen.Specs[0].Pos()
		return path, &analysis.TextEdit{Pos: first, End: first, NewText: []byte(`"` + path + `"` + "\n\t")}, true
	}
	return "", nil, false
}
