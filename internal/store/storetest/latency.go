package storetest

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/latproxy"
)

// The PostgreSQL pass can run as if the database were on another host:
// with JODO_TEST_PG_LATENCY set (a duration, e.g. 500us), the URLs tests
// get go through one latproxy per test process adding that delay each way.
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
		p, err := latproxy.New(target, d) // lives as long as the test process
		if err != nil {
			latency.err = err
			return
		}
		latency.addr = p.Addr()
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
