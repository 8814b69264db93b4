
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
