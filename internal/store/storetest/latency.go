package storetest

import (
	"bufio"
	"fmt"
	"os"
	execpkg "os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/latproxy"
)

// The PostgreSQL pass can run as if the database were on another host:
// with JODO_TEST_PG_LATENCY set (a duration, e.g. 500us), the URLs tests
// get go through one latproxy per test process adding that delay each way.
// The proxy runs in a process of its own (latproxyd, built on first use),
// as a network would: inside the test process its goroutines took turns
// with the code measured, and a round trip through it cost ~5 ms under
// the bot's load instead of ~1.1 (docs/performance.md).
var latency struct {
	once sync.Once
	addr string // the proxy's, in front of JODO_TEST_DATABASE_URL's server
	err  error
}

// PostgresLatency is JODO_TEST_PG_LATENCY's one-way delay, or 0.
func PostgresLatency(tb testing.TB) time.Duration {
	tb.Helper()
	v := os.Getenv("JODO_TEST_PG_LATENCY")
	if v == "" {
		return 0
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		tb.Fatalf("JODO_TEST_PG_LATENCY=%q: want a duration such as 500us", v)
	}
	return d
}

// delayed returns u (a URL on JODO_TEST_DATABASE_URL's server) through the
// process's latency proxy when JODO_TEST_PG_LATENCY asks for one.
func delayed(tb testing.TB, u string) string {
	tb.Helper()
	d := PostgresLatency(tb)
	if d == 0 {
		return u
	}
	latency.once.Do(func() {
		target, err := latproxy.Target(PostgresURL())
		if err != nil {
			latency.err = err
			return
		}
		latency.addr, latency.err = startProxy(target, d)
	})
	if latency.err != nil {
		tb.Fatalf("JODO_TEST_PG_LATENCY: %v", latency.err)
	}
	u, err := latproxy.PostgresURL(u, latency.addr)
	if err != nil {
		tb.Fatalf("JODO_TEST_PG_LATENCY: %v", err)
	}
	return u
}

// startProxy builds latproxyd and starts it in front of target; it lives
// as long as the test process (it ends when its standard input, a pipe
// from this process, closes).
func startProxy(target string, d time.Duration) (string, error) {
	dir, err := os.MkdirTemp("", "jodo-latproxyd-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "latproxyd")
	if out, err := execpkg.Command("go", "build", "-o", bin, latproxy.DaemonPackage).CombinedOutput(); err != nil {
		return "", fmt.Errorf("build latproxyd: %w\n%s", err, out)
	}
	cmd := execpkg.Command(bin, "-target", target, "-delay", d.String())
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe() // kept open, never closed: the proxy's lifeline
	if err != nil {
		return "", err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	keep = append(keep, stdin)
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("latproxyd printed no address: %w", err)
	}
	os.RemoveAll(dir) // the running binary needs no name
	return strings.TrimSpace(addr), nil
}

// keep holds the proxy's standard input open for the test process's life.
var keep []any
