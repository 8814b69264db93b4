package locks

// This file knows the func values that release a mutex when called (see
// the package comment).

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// unlockerOf returns the mutex that calling the func value def releases:
// def is the method value mu.Unlock, a literal that releases mu, or a
// call of a function of the package that returns such a literal for a
// mutex it is given.
func (m *Model) unlockerOf(def ast.Expr, depth int) (Mutex, bool) {
	if def == nil || depth > 1 {
		return Mutex{}, false
	}
	switch def := ast.Unparen(def).(type) {
	case *ast.SelectorExpr:
		return unlockMethodValue(m.info, def)
	case *ast.FuncLit:
		return literalUnlocks(m.info, def)
	case *ast.CallExpr:
		fn := typeutil.StaticCallee(m.info, def)
		if fn == nil || fn.Pkg() != m.pkg {
			return Mutex{}, false
		}
		decl := m.funcs.Decl(fn)
		if decl == nil {
			return Mutex{}, false
		}
		param, ok := unlockedParam(m.info, decl)
		if !ok || param >= len(def.Args) {
			return Mutex{}, false
		}
		arg := ast.Unparen(def.Args[param])
		if u, isAddr := arg.(*ast.UnaryExpr); isAddr && u.Op == token.AND {
			arg = u.X
		}
		return Mutex{Key: keyOf(m.info, arg, []int{0}), Text: types.ExprString(arg)}, true
	}
	return Mutex{}, false
}

// unlockedParam returns the index of the parameter of decl that every
// return of decl gives a literal releasing.
func unlockedParam(info *types.Info, decl *ast.FuncDecl) (int, bool) {
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
			i := paramIndex(decl, mutex.Text)
			if !unlocks || i < 0 || param >= 0 && param != i {
				ok = false
				return false
			}
			param = i
		}
		return true
	})
	return param, ok && param >= 0
}

// onceRelease returns the mutex that call, once.Do(f) on a sync.Once,
// releases: f is the method value mu.Unlock or a literal that releases
// mu.
func onceRelease(info *types.Info, call *ast.CallExpr) (Mutex, bool) {
	if len(call.Args) != 1 {
		return Mutex{}, false
	}
	if fn, ok := typeutil.Callee(info, call).(*types.Func); !ok || fn.FullName() != "(*sync.Once).Do" {
		return Mutex{}, false
	}
	switch arg := ast.Unparen(call.Args[0]).(type) {
	case *ast.SelectorExpr:
		return unlockMethodValue(info, arg)
	case *ast.FuncLit:
		return literalUnlocks(info, arg)
	}
	return Mutex{}, false
}

// literalUnlocks returns the mutex that lit releases when it is called:
// one of its statements is mu.Unlock(), or once.Do(mu.Unlock), or
// once.Do(func() { mu.Unlock() }).
func literalUnlocks(info *types.Info, lit *ast.FuncLit) (Mutex, bool) {
	for _, stmt := range lit.Body.List {
		es, ok := stmt.(*ast.ExprStmt)
		if !ok {
			continue
		}
		if c, ok := CallOf(info, es.X); ok && !c.Op.Takes() {
			return c.Mutex, true
		}
		if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
			if mutex, ok := onceRelease(info, call); ok {
				return mutex, true
			}
		}
	}
	return Mutex{}, false
}

// unlockMethodValue returns mu when sel is the method value mu.Unlock or
// mu.RUnlock of a mutex.
func unlockMethodValue(info *types.Info, sel *ast.SelectorExpr) (Mutex, bool) {
	s := info.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal {
		return Mutex{}, false
	}
	fn, ok := s.Obj().(*types.Func)
	if !ok || !isLockMethod(fn) || opNames[fn.Name()].Takes() {
		return Mutex{}, false
	}
	return mutexOf(info, sel), true
}

// paramIndex returns the index of the parameter of decl named by the
// mutex expression mutex ("mu", or "*mu"), or -1.
func paramIndex(decl *ast.FuncDecl, mutex string) int {
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
