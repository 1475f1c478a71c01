package storetest

import (
	"context"
	"net/url"
	"testing"
	"time"
)

// With JODO_TEST_PG_LATENCY set, a test's database is reached through the
// proxy, and a query's round trip costs at least twice the delay.
func TestPostgresLatencyGoesThroughTheProxy(t *testing.T) {
	base := RequirePostgres(t)
	if PostgresLatency(t) == 0 {
		t.Setenv("JODO_TEST_PG_LATENCY", "3ms")
	}
	delay := PostgresLatency(t)
	u := URL(t)
	got, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := url.Parse(base)
	if got.Host == want.Host {
		t.Fatalf("the test's URL %s goes straight to the server", u)
	}
	db := openAt(t, u, nil)
	t0 := time.Now()
	if _, err := db.SampleWaits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(t0); took < 2*delay {
		t.Fatalf("a query through the proxy took %s, less than %s each way", took, delay)
	}
}
