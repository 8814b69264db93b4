package chanflow

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/internal/blocking"
	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/locks"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// ServeAnalyzer finds the channels of a package that a serving loop
// receives from: a loop in a goroutine (started directly or through a
// wrapper that calls the function it is given) that receives from the
// channel and does nothing that can block without bound before it comes
// back to receive (coredns's zone reload goroutine, controller-runtime's
// runnableGroup.reconcile, amqp091's per-consumer buffer, sarama's
// retryHandler, robfig/cron's run loop). A plain send on
// such a channel waits for one turn of the loop at most, unless the
// sender holds a mutex that the loop takes: then it can deadlock. The
// loop's own blocking operations made under a mutex do not count: they
// are reported where they are.
//
// It exports a Served fact on each function whose only operations that
// can block are sends on served channels, so that a caller holding a
// lock in another package can ask through Serving.Func.
var ServeAnalyzer = &analysis.Analyzer{
	Name:       "chanserve",
	Doc:        "find the goroutine loops that always come back to receive from a channel (helper for asynclint checks)",
	URL:        "https://github.com/asynclint/asynclint",
	Requires:   []*analysis.Analyzer{index.Analyzer, blocking.Analyzer},
	Run:        report.WrapRun(runServe),
	FactTypes:  []analysis.Fact{new(Served)},
	ResultType: reflect.TypeFor[*report.Result[*Serving]](),
}

// Served describes the serving loops that receive from a channel, or,
// as a fact on a function, from every channel the function sends on.
type Served struct {
	// Locks are the mutexes the loops take, by key (see locks.Mutex).
	Locks []string
	// Needs, when not empty, are the mutexes under which the signal that
	// stops a loop is given: a sender holding one of them knows the loop
	// still runs (amqp091's consumers.close closes subs.closed and forgets
	// the buffers under subs's lock). Empty when the loops stop only when
	// their channel is closed or delivers.
	Needs []string
}

func (*Served) AFact() {}

func (s *Served) String() string {
	return "served(locks=" + strings.Join(s.Locks, ",") + " needs=" + strings.Join(s.Needs, ",") + ")"
}

// Bounded reports whether a sender holding the mutexes held (keys, see locks.Mutex;
// "" for one it cannot name) waits for one turn of the loops at most:
// the loops take none of them, and the sender holds one of Needs, if
// any.
func (s Served) Bounded(held ...string) bool {
	if len(held) == 0 {
		return false // no lock known: nothing to judge against.
	}
	for _, h := range held {
		if h == "" || slices.Contains(s.Locks, h) {
			return false // the loop may wait for the sender's lock.
		}
	}
	if len(s.Needs) == 0 {
		return true
	}
	for _, h := range held {
		if slices.Contains(s.Needs, h) {
			return true
		}
	}
	return false
}

// under returns what holds for a send made while the mutexes held are
// held by the sending function itself: nothing more is needed of its
// callers when one of them is in Needs. (A loop that takes one of them
// is the sender's own deadlock, reported at the send, not at callers.)
func (s Served) under(held []string) Served {
	for _, h := range held {
		if slices.Contains(s.Needs, h) {
			return Served{Locks: s.Locks}
		}
	}
	return s
}

// merge returns what holds for a channel served by both s and t: the
// loops take the locks of both and the sender must satisfy both needs.
func (s Served) merge(t Served) (Served, bool) {
	needs := s.Needs
	switch {
	case len(s.Needs) == 0:
		needs = t.Needs
	case len(t.Needs) > 0:
		needs = nil
		for _, n := range s.Needs {
			if slices.Contains(t.Needs, n) {
				needs = append(needs, n)
			}
		}
		if len(needs) == 0 {
			return Served{}, false // no single lock satisfies both.
		}
	}
	locks := slices.Clone(s.Locks)
	for _, l := range t.Locks {
		if !slices.Contains(locks, l) {
			locks = append(locks, l)
		}
	}
	sort.Strings(locks)
	return Served{Locks: locks, Needs: needs}, true
}

// Serving answers which sends go to serving loops.
type Serving struct {
	pkg      *types.Package
	info     *types.Info
	imported map[*types.Func]*Served // the facts of the functions of other packages the package refers to
	places   map[place]Served
	defs     map[types.Object][]ast.Expr // local channel variables: every value assigned
	funcs    map[*types.Func]Served      // this package's functions with a Served fact
	// replies maps a channel's place to the field of its requests on
	// which every sender awaits the reply ("" when some does not).
	replies map[place]string
	// answers maps a channel of requests to what its receivers do with
	// them (see reply.go).
	answers map[place]answer
}

// Send reports whether the plain send is on a channel of this package
// that serving loops receive from.
func (s *Serving) Send(send *ast.SendStmt) (Served, bool) {
	if s == nil {
		return Served{}, false
	}
	return s.served(send.Chan, 0)
}

// Func reports whether every operation of fn that can block is a send on
// a channel served by loops, in this package or (through its fact)
// another.
func (s *Serving) Func(fn *types.Func) (Served, bool) {
	if s == nil || fn == nil {
		return Served{}, false
	}
	fn = fn.Origin()
	if sv, ok := s.funcs[fn]; ok {
		return sv, true
	}
	if fact, ok := s.imported[fn]; ok && fn.Pkg() != s.pkg {
		return *fact, true
	}
	return Served{}, false
}

// A place is where a channel is kept: a variable or struct field, or the
// elements of a map or slice kept in one.
type place struct {
	obj  types.Object
	elem bool
}

// maxDepth bounds how far aliases of local variables are followed.
const maxDepth = 4

func runServe(pass *analysis.Pass) (*Serving, error) {
	s := &Serving{pkg: pass.Pkg, info: pass.TypesInfo, imported: code.ImportFuncFacts[Served](pass), places: make(map[place]Served), defs: make(map[types.Object][]ast.Expr),
		funcs: make(map[*types.Func]Served), replies: make(map[place]string), answers: make(map[place]answer)}
	res := report.HelperResult[*blocking.Result](pass, blocking.Analyzer)
	x := newServeIndex(pass, s, res.Locks())
	x.findAnswers(res)
	for _, g := range x.goroutines() {
		x.findLoops(res, g)
	}
	if len(s.places) == 0 {
		return s, nil // no serving loop.
	}
	exportServed(pass, res, s, x)
	return s, nil
}

// placeOf returns the place e names.
func placeOf(info *types.Info, e ast.Expr) (place, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		if v, ok := info.Uses[e.Sel].(*types.Var); ok {
			return place{obj: v}, true
		}
	case *ast.Ident:
		if v, ok := info.ObjectOf(e).(*types.Var); ok {
			return place{obj: v}, true
		}
	case *ast.IndexExpr:
		if p, ok := placeOf(info, e.X); ok && !p.elem {
			return place{obj: p.obj, elem: true}, true
		}
	}
	return place{}, false
}

// isLocal reports whether v is a local variable or parameter.
func isLocal(obj types.Object) bool {
	v, ok := obj.(*types.Var)
	return ok && !v.IsField() && v.Pkg() != nil && v.Parent() != v.Pkg().Scope()
}

// served resolves the channel e to the loops that serve it: its place, or
// every value of the local variable it names.
func (s *Serving) served(e ast.Expr, depth int) (Served, bool) {
	if depth > maxDepth {
		return Served{}, false
	}
	info := s.info
	if info.Types[e].IsNil() {
		return Served{}, false
	}
	p, ok := placeOf(info, e)
	if !ok {
		return Served{}, false
	}
	if sv, ok := s.places[p]; ok {
		return sv, true
	}
	if p.elem || !isLocal(p.obj) {
		return Served{}, false
	}
	defs := s.defs[p.obj]
	if len(defs) == 0 {
		return Served{}, false // a parameter, or a variable we cannot follow.
	}
	var out Served
	for i, def := range defs {
		if def == nil {
			return Served{}, false
		}
		sv, ok := s.served(def, depth+1)
		if !ok {
			return Served{}, false
		}
		if i == 0 {
			out = sv
		} else if out, ok = out.merge(sv); !ok {
			return Served{}, false
		}
	}
	return out, true
}

// A serveIndex holds what runServe gathers about the package. It lives
// only while runServe runs; the Serving it fills keeps no pass.
type serveIndex struct {
	pass  *analysis.Pass // transient: runServe's
	model *locks.Model
	s     *Serving
	decls map[*types.Func]*ast.FuncDecl
	// stores maps a local channel variable to the places it is stored
	// into (p.chans[tag] = in).
	stores map[types.Object][]place
	// closes maps a place to the mutexes held at each close of it and
	// each send on it (nil entries: none known), the signals that make a
	// loop's case receiving it deliver (robfig/cron's Stop sends on
	// c.stop under runningMu).
	closes  map[place][][]string
	locks   map[*types.Func][]string // memo of locksTaken; nil entry while in progress
	replies map[place]string         // the Serving's
}

func newServeIndex(pass *analysis.Pass, s *Serving, model *locks.Model) *serveIndex {
	x := &serveIndex{pass: pass, s: s, model: model, decls: make(map[*types.Func]*ast.FuncDecl),
		stores: make(map[types.Object][]place), closes: make(map[place][][]string),
		locks: make(map[*types.Func][]string), replies: s.replies}
	info := pass.TypesInfo
	assign := func(lhs, rhs ast.Expr) {
		if t := info.TypeOf(lhs); t == nil || !isChanType(t) {
			return
		}
		if p, ok := placeOf(info, lhs); ok && !p.elem && isLocal(p.obj) {
			s.defs[p.obj] = append(s.defs[p.obj], rhs)
		}
		if p, ok := placeOf(info, lhs); ok && rhs != nil {
			if v, ok := placeOf(info, rhs); ok && !v.elem && isLocal(v.obj) {
				x.stores[v.obj] = append(x.stores[v.obj], p)
			}
		}
	}
	for _, d := range report.HelperResult[*index.Index](pass, index.Analyzer).Decls() {
		x.decls[d.Fn] = d.Decl
		x.noteCloses(d.Decl.Body)
		x.noteRequests(d.Decl.Body)
	}
	for _, f := range pass.Files {
		code.ForEachStore(info, pass.Pkg, f, func(st code.Store) {
			switch {
			case st.Lhs != nil:
				assign(st.Lhs, st.Value()) // buffer, found := subs.chans[tag]
			case st.Obj.IsField():
				if r, ok := placeOf(info, st.Rhs); ok && !r.elem && isLocal(r.obj) {
					x.stores[r.obj] = append(x.stores[r.obj], place{obj: st.Obj})
				}
			} // parameters are not followed.
		})
	}
	return x
}

// noteCloses records, for every close(ch) and send on ch of body, the
// mutexes held there. A send in a func literal is recorded with none
// known: when it runs is out of reach.
func (x *serveIndex) noteCloses(body *ast.BlockStmt) {
	info := x.pass.TypesInfo
	ast.Inspect(body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok {
			ast.Inspect(lit.Body, func(n ast.Node) bool {
				if send, ok := n.(*ast.SendStmt); ok {
					if p, ok := placeOf(info, send.Chan); ok {
						x.closes[p] = append(x.closes[p], nil)
					}
				}
				return true
			})
			return false
		}
		if send, ok := n.(*ast.SendStmt); ok {
			if p, ok := placeOf(info, send.Chan); ok {
				x.closes[p] = append(x.closes[p], x.heldAt(body, send.Pos()))
			}
			return true
		}
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return true
		}
		if b, ok := info.Uses[code.IdentOf(call.Fun)].(*types.Builtin); !ok || b.Name() != "close" {
			return true
		}
		if p, ok := placeOf(info, call.Args[0]); ok {
			x.closes[p] = append(x.closes[p], x.heldAt(body, call.Pos()))
		}
		return true
	})
}

// heldAt returns the keys of the mutexes that body holds at pos (see
// locks.Mutex; a deferred Unlock does not count: it runs at the end).
// Local mutexes, which no loop can take, do not count.
func (x *serveIndex) heldAt(body *ast.BlockStmt, pos token.Pos) []string {
	var held []string
	for _, m := range x.model.HeldAt(body, pos) {
		if m.Key != "" && !slices.Contains(held, m.Key) {
			held = append(held, m.Key)
		}
	}
	return held
}

func isChanType(t types.Type) bool {
	_, ok := t.Underlying().(*types.Chan)
	return ok
}
