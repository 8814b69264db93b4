package exit

import (
	"bufio"
	"context"
	"database/sql"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

// exitInGoroutine: os.Exit skips main's deferred db.Close.
func exitInGoroutine(db *sql.DB, srv *http.Server) {
	defer db.Close()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		log.Println("terminating")
		os.Exit(0) // want `os.Exit in the signal handler skips the deferred db.Close in exitInGoroutine`
	}()
	_ = srv.ListenAndServe()
}

// fatalInline: log.Fatal after the receive skips the deferred Flush.
func fatalInline(w *bufio.Writer) {
	defer w.Flush()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	<-sigs
	log.Fatal("interrupted") // want `log.Fatal in the signal handler skips the deferred w.Flush`
}

// deferredFunc: the cleanup is a deferred function literal.
func deferredFunc(srv *http.Server) {
	defer func() {
		_ = srv.Shutdown(context.Background())
	}()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		os.Exit(1) // want `os.Exit in the signal handler skips the deferred cleanup function`
	}()
	_ = srv.ListenAndServe()
}

// logOnly: SIGTERM is caught, logged and dropped.
func logOnly() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		for {
			<-sigs // want `signal handler only logs the termination signal and waits for the next`
			log.Println("received SIGTERM")
		}
	}()
}

// logOnlyRange: the range form, with slog.
func logOnlyRange() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() {
		for sig := range sigs { // want `only logs the termination signal`
			slog.Info("signal", "sig", sig)
		}
	}()
}

// logOnlyCase: a switch case for SIGTERM that only logs.
func logOnlyCase() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		for sig := range sigs {
			switch sig {
			case syscall.SIGHUP:
				reload()
			case syscall.SIGTERM: // want `signal handler only logs SIGTERM and waits for the next`
				log.Printf("got %v", sig)
			}
		}
	}()
}

func reload() {}

// cleanupThenExit is fine: the handler runs the cleanup itself.
func cleanupThenExit(db *sql.DB) {
	defer db.Close()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		db.Close()
		os.Exit(0) // ok: cleaned up first
	}()
	select {}
}

// reraise is fine: the handler restores the default and re-raises.
func reraise(db *sql.DB) {
	defer db.Close()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		signal.Reset(syscall.SIGTERM)
		_ = syscall.Kill(os.Getpid(), syscall.SIGTERM) // ok: re-raised
	}()
	select {}
}

// noCleanup is fine: nothing is deferred but signal.Stop.
func noCleanup() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	defer signal.Stop(sigs)
	<-sigs
	os.Exit(1) // ok: no cleanup is skipped
}

// deferAfter is fine: the deferred call is registered after the exit.
func deferAfter(db *sql.DB) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	if db == nil {
		os.Exit(1) // ok: nothing deferred yet
	}
	defer db.Close()
}

// returnAfterLog is fine: the handler logs and returns to run the defers.
func returnAfterLog(db *sql.DB) {
	defer db.Close()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	for {
		<-sigs
		log.Println("shutting down")
		return // ok: not log-only, and the defers run
	}
}

// hupLogOnly is fine: SIGHUP is not a termination signal.
func hupLogOnly() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP)
	go func() {
		for range sigs {
			log.Println("SIGHUP ignored") // ok: not a termination signal
		}
	}()
}

// secondSignal is fine: the loop ends after the second interrupt.
func secondSignal() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	for i := 0; i < 2; i++ {
		<-sigs // ok: the loop ends and shutdown follows
		log.Println("press ^C again to stop")
	}
}

// logBesideContext is fine: the same SIGTERM also cancels ctx, which
// drives the shutdown; this channel only logs it.
func logBesideContext(srv *http.Server) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		for range sigs {
			log.Println("SIGTERM: draining") // ok: ctx handles the shutdown
		}
	}()
	<-ctx.Done()
	_ = srv.Shutdown(context.Background())
}

// ginStyle is fine: the common graceful shutdown, with log.Fatal only
// after the server's own Shutdown.
func ginStyle() {
	srv := &http.Server{Addr: ":8080"}
	go func() {
		if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
			log.Fatalf("listen: %s", err)
		}
	}()
	quit := make(chan os.Signal, 1)
	signal.Notify(quit, syscall.SIGINT, syscall.SIGTERM)
	<-quit
	log.Println("shutting down server")
	ctx, cancel := context.WithTimeout(context.Background(), 5e9)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Fatal("server forced to shut down: ", err) // ok: Shutdown ran first
	}
}

// oneSignalPerCall registers each signal in its own call (as
// letsencrypt/pebble's CatchSignals does): the handler is reported once.
func oneSignalPerCall() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP)
	signal.Notify(sigs, syscall.SIGTERM)
	for {
		<-sigs // want `only logs the termination signal`
		log.Println("signal")
	}
}

// contextLoop is not a log-only handler: once ctx is done it stays done.
func contextLoop(jobs <-chan int) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	for {
		select {
		case <-ctx.Done():
			log.Println("context done") // ok: not a signal that comes again
		case j := <-jobs:
			log.Println(j)
		}
	}
}

// connClose is fine: the kernel closes the connection when the process
// exits (the shape of gorilla/websocket's echo client).
func connClose(conn net.Conn) {
	defer conn.Close()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() {
		<-sigs
		os.Exit(1) // ok: only a connection is left open
	}()
	select {}
}

// alreadyShuttingDown is fine: the first receive starts the shutdown and
// the loop only reassures the user (the shape of btcd's interruptListener).
func alreadyShuttingDown() <-chan struct{} {
	c := make(chan struct{})
	go func() {
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, os.Interrupt)
		sig := <-sigs
		log.Printf("received %s: shutting down", sig)
		close(c)
		for {
			sig := <-sigs // ok: the shutdown is already under way
			log.Printf("received %s: already shutting down", sig)
		}
	}()
	return c
}

func drain[T any](c chan os.Signal, v T) {
	for range c { // want `only logs the termination signal`
		log.Println("signal", v)
	}
}

// logOnlyGeneric: the handler is in a generic helper.
func logOnlyGeneric() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go drain(sigs, "x")
}

// setupSignals starts a handler that exits; its caller has cleanup
// deferred.
func setupSignals() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		os.Exit(1) // want `os.Exit in the signal handler skips the deferred db.Close in withSetup`
	}()
}

func withSetup(db *sql.DB) {
	defer db.Close()
	setupSignals()
	select {}
}

// enclosingAfter defers its cleanup after starting the handler, which is
// still pending when the signal comes.
func enclosingAfter(w *bufio.Writer) {
	go func() {
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGTERM)
		<-sigs
		log.Fatal("terminated") // want `log.Fatal in the signal handler skips the deferred w.Flush in enclosingAfter`
	}()
	defer w.Flush()
	select {}
}

// waitThenExit blocks its caller until the signal and exits.
func waitThenExit() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	os.Exit(0) // ok: the caller defers its cleanup only afterwards
}

func callsFirst(db *sql.DB) {
	waitThenExit()
	defer db.Close()
}
