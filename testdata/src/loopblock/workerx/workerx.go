// Package workerx runs a worker loop that calls another package's
// helpers.
package workerx

import (
	"context"

	"loopblock/workerlib"
)

func Run(ctx context.Context, urls <-chan string) {
	for {
		select {
		case u := <-urls:
			workerlib.Fetch(u)         // want `call of workerlib.Fetch can block without bound \(it reaches http.Get at workerlib.go:\d+\) in the worker loop in Run, which stops on ctx.Done\(\)`
			workerlib.FetchCtx(ctx, u) // ok: it passes the worker's context
			workerlib.Pause()          // ok: a worker's sleep is its own business
		case <-ctx.Done():
			return
		}
	}
}
