package blocking

// This file knows the calls that release a mutex: its Unlock or RUnlock
// method, and a call of a func value that does, such as the unlock func
// that a sync.Once makes idempotent (unlock := func() {
// once.Do(mu.Unlock) }, or unlock := onceUnlock(&mu) where onceUnlock
// returns such a literal for the mutex it is given), or the method value
// mu.Unlock itself. A lock region ends at a call of it.

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// UnlockCall reports whether e releases a mutex, and returns the call
// and the mutex as written ("s.mu"): a call of its Unlock or RUnlock
// method, or of a local func value every call of which does (see the
// file comment).
func (r *Result) UnlockCall(info *types.Info, e ast.Expr) (*ast.CallExpr, string, bool) {
	if call, mutex, ok := MutexCall(info, e, "Unlock", "RUnlock"); ok {
		return call, mutex, true
	}
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 || r == nil {
		return nil, "", false
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return nil, "", false
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok {
		return nil, "", false
	}
	r.index()
	if mutex, ok := r.unlockerOf(info, r.defs[v], 0); ok {
		return call, mutex, true
	}
	return nil, "", false
}

// unlockerOf returns the mutex that calling the func value def releases:
// def is the method value mu.Unlock, a literal that releases mu, or a
// call of a function of the package that returns such a literal for a
// mutex it is given.
func (r *Result) unlockerOf(info *types.Info, def ast.Expr, depth int) (string, bool) {
	if def == nil || depth > 1 {
		return "", false
	}
	switch def := ast.Unparen(def).(type) {
	case *ast.SelectorExpr:
		return unlockMethodValue(info, def)
	case *ast.FuncLit:
		return literalUnlocks(info, def)
	case *ast.CallExpr:
		fn := typeutil.StaticCallee(info, def)
		if fn == nil || fn.Pkg() != r.pkg {
			return "", false
		}
		decl := r.funcDecl(fn)
		if decl == nil || decl.Body == nil {
			return "", false
		}
		// Every return gives a literal that unlocks the same parameter.
		param := -1
		ok := true
		ast.Inspect(decl.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				if len(n.Results) != 1 {
					ok = false
					return false
				}
				lit, isLit := ast.Unparen(n.Results[0]).(*ast.FuncLit)
				if !isLit {
					ok = false
					return false
				}
				mutex, unlocks := literalUnlocks(info, lit)
				i := paramIndex(info, decl, mutex)
				if !unlocks || i < 0 || param >= 0 && param != i {
					ok = false
					return false
				}
				param = i
			}
			return true
		})
		if !ok || param < 0 || param >= len(def.Args) {
			return "", false
		}
		arg := ast.Unparen(def.Args[param])
		if u, isAddr := arg.(*ast.UnaryExpr); isAddr && u.Op == token.AND {
			arg = u.X
		}
		return types.ExprString(arg), true
	}
	return "", false
}

// literalUnlocks returns the mutex that lit releases when it is called:
// one of its statements is mu.Unlock(), or once.Do(mu.Unlock), or
// once.Do(func() { mu.Unlock() }).
func literalUnlocks(info *types.Info, lit *ast.FuncLit) (string, bool) {
	for _, stmt := range lit.Body.List {
		es, ok := stmt.(*ast.ExprStmt)
		if !ok {
			continue
		}
		if _, mutex, ok := MutexCall(info, es.X, "Unlock", "RUnlock"); ok {
			return mutex, true
		}
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			continue
		}
		if fn, ok := typeutil.Callee(info, call).(*types.Func); !ok || fn.FullName() != "(*sync.Once).Do" {
			continue
		}
		switch arg := ast.Unparen(call.Args[0]).(type) {
		case *ast.SelectorExpr:
			if mutex, ok := unlockMethodValue(info, arg); ok {
				return mutex, true
			}
		case *ast.FuncLit:
			if mutex, ok := literalUnlocks(info, arg); ok {
				return mutex, true
			}
		}
	}
	return "", false
}

// unlockMethodValue returns mu when sel is the method value mu.Unlock or
// mu.RUnlock of a sync.Mutex or RWMutex.
func unlockMethodValue(info *types.Info, sel *ast.SelectorExpr) (string, bool) {
	s := info.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal {
		return "", false
	}
	fn, ok := s.Obj().(*types.Func)
	if !ok || fn.Name() != "Unlock" && fn.Name() != "RUnlock" {
		return "", false
	}
	switch fn.FullName() {
	case "(*sync.Mutex).Unlock", "(*sync.RWMutex).Unlock", "(*sync.RWMutex).RUnlock":
		return types.ExprString(sel.X), true
	}
	return "", false
}

// paramIndex returns the index of the parameter of decl named by the
// mutex expression mutex ("mu", or "*mu"), or -1.
func paramIndex(info *types.Info, decl *ast.FuncDecl, mutex string) int {
	i := 0
	for _, field := range decl.Type.Params.List {
		for _, name := range field.Names {
			if name.Name == mutex || "*"+name.Name == mutex || "(*"+name.Name+")" == mutex {
				return i
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
	return -1
}

// funcDecl returns the declaration of fn, a function of the package.
func (r *Result) funcDecl(fn *types.Func) *ast.FuncDecl {
	fn = fn.Origin()
	for _, f := range r.files {
		if f.FileStart > fn.Pos() || fn.Pos() >= f.FileEnd {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && r.info.Defs[fd.Name] == fn {
				return fd
			}
		}
	}
	return nil
}
