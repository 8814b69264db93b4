// Command asynclint reports the concurrency pitfalls of network services.
package main

import (
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/asynclint/asynclint/passes"
)

func main() {
	unitchecker.Main(passes.Analyzers()...)
}
