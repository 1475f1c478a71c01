package config

import (
	"io"
	"testing"
	"time"
)

func TestBenchIntakeFlags(t *testing.T) {
	cfg, err := Parse([]string{"bench", "intake"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if b := cfg.Bench; b.Load != "go" || b.Proxy || b.Nodes != 1 || b.Followups != "both" || b.Conns != 64 || b.Server != "" {
		t.Fatalf("defaults: %+v", b)
	}
	cfg, err = Parse([]string{"bench", "intake", "--load", "wrk", "--latency", "0s", "--nodes", "3", "--followups", "off", "--server-binary", "/tmp/old"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if b := cfg.Bench; b.Load != "wrk" || !b.Proxy || b.Latency != 0 || b.Nodes != 3 || b.Followups != "off" || b.Server != "/tmp/old" {
		t.Fatalf("--latency 0s still asks for the proxy, and the rest as given: %+v", b)
	}
	cfg, err = Parse([]string{"bench", "intake", "--latency", "500us"}, envOf(nil), io.Discard)
	if err != nil || cfg.Bench.Latency != 500*time.Microsecond {
		t.Fatalf("--latency 500us: %+v, %v", cfg, err)
	}
	for _, bad := range [][]string{{"--load", "ab"}, {"--followups", "some"}, {"--nodes", "0"}, {"--latency", "-1ms"}, {"--nodes", "9", "--conns", "4"}} {
		if _, err := Parse(append([]string{"bench", "intake"}, bad...), envOf(nil), io.Discard); err == nil {
			t.Errorf("bench intake %v: accepted", bad)
		}
	}
}
