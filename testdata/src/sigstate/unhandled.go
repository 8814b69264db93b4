
// statsOnly is fine: SIGTERM is handled by watchedContext's registration;
// this leftover registration drops nothing.
func statsOnly() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM) // ok: handled by another registration
	work()
}
