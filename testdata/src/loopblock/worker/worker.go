// Package worker holds worker loops that stop on ctx.Done() but make
// calls that cannot see ctx, beside look-alikes that stay silent.
package worker

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"os/exec"
	"sync"
	"time"
)

type Job struct{ URL, Cmd string }

func Notify(ctx context.Context, jobs <-chan Job) {
	for {
		select {
		case j := <-jobs:
			resp, err := http.Post(j.URL, "text/plain", nil) // want `http.Post without a timeout or context can block without bound in the worker loop in Notify, which stops on ctx.Done\(\): the call cannot see the context`
			if err == nil {
				resp.Body.Close()
			}
		case <-ctx.Done():
			return
		}
	}
}

func Run(ctx context.Context, jobs <-chan Job, db *sql.DB) {
	for {
		select {
		case j := <-jobs:
			out, _ := exec.Command("sh", "-c", j.Cmd).CombinedOutput() // want `in the worker loop in Run, which stops on ctx.Done\(\)`
			db.Exec("insert into log values (?)", out)                 // want `in the worker loop in Run, which stops on ctx.Done\(\)`
			conn, err := net.Dial("tcp", j.URL)                        // want `in the worker loop in Run, which stops on ctx.Done\(\)`
			if err == nil {
				conn.Close()
			}
		case <-ctx.Done():
			return
		}
	}
}

// ok: every call sees ctx.
func RunOK(ctx context.Context, jobs <-chan Job, db *sql.DB) {
	for {
		select {
		case j := <-jobs:
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.URL, nil)
			if err != nil {
				continue
			}
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
			out, _ := exec.CommandContext(ctx, "sh", "-c", j.Cmd).CombinedOutput()
			db.ExecContext(ctx, "insert into log values (?)", out)
			var d net.Dialer
			if conn, err := d.DialContext(ctx, "tcp", j.URL); err == nil {
				conn.Close()
			}
		case <-ctx.Done():
			return
		}
	}
}

// ok: a worker that stops on a quit channel, not a context, keeps its
// blocking its own business.
func RunQuit(quit <-chan struct{}, jobs <-chan Job) {
	for {
		select {
		case j := <-jobs:
			if resp, err := http.Post(j.URL, "text/plain", nil); err == nil {
				resp.Body.Close()
			}
		case <-quit:
			return
		}
	}
}

// ok: a ctx.Done() case that does not leave the loop declares nothing.
func RunLog(ctx context.Context, jobs <-chan Job) {
	for {
		select {
		case j := <-jobs:
			if resp, err := http.Post(j.URL, "text/plain", nil); err == nil {
				resp.Body.Close()
			}
		case <-ctx.Done():
			println("cancelled")
		}
	}
}

// ok: waits and sleeps in a worker are not its I/O.
func RunWait(ctx context.Context, jobs <-chan Job, wg *sync.WaitGroup) {
	for {
		select {
		case <-jobs:
			time.Sleep(time.Millisecond)
			wg.Wait()
		case <-ctx.Done():
			return
		}
	}
}

// ok: a client with a timeout bounds the call.
var client = &http.Client{Timeout: 5 * time.Second}

func RunTimeout(ctx context.Context, jobs <-chan Job) {
	for {
		select {
		case j := <-jobs:
			if resp, err := client.Post(j.URL, "text/plain", nil); err == nil {
				resp.Body.Close()
			}
		case <-ctx.Done():
			return
		}
	}
}
