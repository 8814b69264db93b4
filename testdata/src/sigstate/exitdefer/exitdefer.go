// Package exitdefer holds issue 17's exits in a signal handler that skip
// the deferred cleanup of the function that started the handler.
package exitdefer

import (
	"bufio"
	"context"
	"database/sql"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func openDB() *sql.DB { return nil }

// textbook: defer db.Close(); go func(){ <-sigs; os.Exit(0) }()
func textbook() {
	db := openDB()
	defer db.Close()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sigs
		os.Exit(0) // want `os.Exit in the signal handler skips the deferred db.Close in textbook`
	}()
	select {}
}

// shutdownThenExit: the handler stops the server, but the exit still
// skips the deferred db.Close.
func shutdownThenExit(srv *http.Server) {
	db := openDB()
	defer db.Close()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		log.Fatal("server stopped") // want `log.Fatal in the signal handler skips the deferred db.Close in shutdownThenExit`
	}()
	_ = srv.ListenAndServe()
}

// cancelThenExit: cancelling the workers' context does not flush the writer.
func cancelThenExit(w *bufio.Writer) {
	defer w.Flush()
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		cancel()
		log.Printf("got %v", sig)
		os.Exit(1) // want `os.Exit in the signal handler skips the deferred w.Flush in cancelThenExit`
	}()
	run(ctx)
}

func run(ctx context.Context) { <-ctx.Done() }

// namedHandler: the handler is a function that main starts with go.
func namedHandler() {
	db := openDB()
	defer db.Close()
	go handleSignals()
	select {}
}

func handleSignals() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	os.Exit(0) // want `os.Exit in the signal handler skips the deferred db.Close in namedHandler`
}

// closesFirst: ok: the handler closes the database itself.
func closesFirst() {
	db := openDB()
	defer db.Close()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		_ = db.Close()
		os.Exit(0) // ok: cleaned up first
	}()
	select {}
}

// helperCleans: ok: a function of this package may run the cleanup.
func helperCleans(db *sql.DB) {
	defer db.Close()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		shutdownAll()
		os.Exit(0) // ok: shutdownAll may close it
	}()
	select {}
}

func shutdownAll() {}

// returns: ok: the handler returns so the defers run.
func returns() {
	db := openDB()
	defer db.Close()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	log.Println("shutting down") // ok: returning runs db.Close
}

// cancels: ok: the handler cancels and main returns.
func cancels() {
	db := openDB()
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		cancel() // ok: main returns and db.Close runs
	}()
	run(ctx)
}

// notifyContext: ok: signal.NotifyContext and a return.
func notifyContext() {
	db := openDB()
	defer db.Close()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	log.Println("bye") // ok: returns
}

// fileOnly: ok: closing a file is done by the kernel at exit.
func fileOnly(f *os.File) {
	defer f.Close()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		os.Exit(0) // ok: the kernel closes the file
	}()
	select {}
}

// startedThenReturns: ok: the starter has no deferred cleanup.
func startedThenReturns() {
	go handleQuiet()
}

func handleQuiet() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT)
	<-sigs
	os.Exit(130) // ok: no cleanup pending in any caller
}
