// Command latproxyd runs internal/latproxy in a process of its own: the
// tests' and benchmarks' PostgreSQL "on another host" (JODO_TEST_PG_LATENCY)
// without the proxy's goroutines sharing the measured process's cores.
//
//	latproxyd -target 127.0.0.1:5432 -delay 500us
//
// It prints the address it listens on, then proxies until its standard
// input closes (the process that started it ended).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/jodo-org/jodo/internal/latproxy"
)

func main() {
	target := flag.String("target", "127.0.0.1:5432", "host:port to forward to")
	delay := flag.Duration("delay", latproxy.DefaultDelay, "delay added each way")
	flag.Parse()
	p, err := latproxy.New(*target, *delay)
	if err != nil {
		fmt.Fprintln(os.Stderr, "latproxyd:", err)
		os.Exit(1)
	}
	fmt.Println(p.Addr())
	io.Copy(io.Discard, os.Stdin)
	p.Close()
}
