// Package internal holds what asynclint's checks share, in layers. A
// package may import the packages of the layers above it in this list,
// and of its own layer where the layer says so; never one below it.
// TestLayering (layering_test.go) enforces the list, and fails on a
// package under passes/ that has no layer, so that a new package is
// placed on purpose.
//
//  1. knowledge: tables of what the standard library does, keyed by
//     object or full name, with no analysis of their own
//     (knowledge, resources). They import nothing of asynclint's but each
//     other.
//  2. code: questions about syntax and types, and the reporting rules
//     every check goes through (code, mutation, report, lintdoc). They
//     know no analyzer's result.
//  3. index: per-package indexes that helper analyzers build once for
//     the others (index, the function declarations; assigns; locks, the
//     one model of mutexes, which Requires both). They export no facts.
//  4. fact analyzers: helper analyzers that export facts and answer
//     queries through a report.Result (blocking, chanflow with chanserve,
//     closes, mutation/detach). One may Require another of this layer.
//  5. checks: the analyzers users run (passes/loopblock, unclosed,
//     unjoined, halfupdate, sigstate). A check imports no other check.
//  6. the registry: package passes, which lists the checks.
//
// The helper contract, for layers 3 and 4: Run is report.WrapRun(run),
// so that a helper's failure reaches the checks as their internal error
// (report/helper.go); and a helper imports every fact it needs while
// Run runs and keeps no *analysis.Pass in its result, since the
// analysis API forbids using a pass once Run has returned.
//
// Test support (internal/checktest, internal/benchgen at the module
// root) sits outside these layers, and no analysis package imports it
// except from its tests.
package internal
