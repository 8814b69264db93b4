// Command goplsfixture is the file the gopls end-to-end test opens: gopls
// built with asynclint must report the unbuffered signal channel and offer
// the quick fix that gives it capacity 1.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal)
	signal.Notify(stop, syscall.SIGTERM)
	fmt.Println("stopping on", <-stop)
}
