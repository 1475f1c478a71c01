package bench

import (
	"slices"
	"testing"
	"time"
)

// The runs follow the flags: SQLite always, PostgreSQL when given, again
// through the proxy with --latency, each without and/or with follow-ups.
func TestServersFollowTheFlags(t *testing.T) {
	names := func(o IntakeOptions) []string {
		b := &intakeRun{o: o, dir: "/tmp/x"}
		var out []string
		for _, s := range b.servers() {
			out = append(out, s.name)
		}
		return out
	}
	got := names(IntakeOptions{Followups: "both", Nodes: 1})
	if want := []string{"jodo serve, SQLite", "jodo serve, SQLite + SMS"}; !slices.Equal(got, want) {
		t.Fatalf("SQLite only: %q", got)
	}
	got = names(IntakeOptions{Followups: "off", Nodes: 3, Postgres: "postgres://x/y", Proxy: true, Latency: 500 * time.Microsecond})
	want := []string{"jodo serve, SQLite", "jodo serve, PostgreSQL ×3", "jodo serve, PostgreSQL ×3 +500µs each way"}
	if !slices.Equal(got, want) {
		t.Fatalf("--followups off --nodes 3 --latency 500us: %q", got)
	}
	b := &intakeRun{o: IntakeOptions{Followups: "on", Nodes: 2, Postgres: "postgres://x/y", Proxy: true}, dir: "/tmp/x"}
	ss := b.servers()
	if len(ss) != 3 || !ss[0].whatsapp || ss[0].db != "sqlite:/tmp/x/bench-sms.db" || ss[1].nodes != 2 || ss[1].proxied || !ss[2].proxied || ss[2].delay != 0 {
		t.Fatalf("--followups on --nodes 2 --latency 0s: %+v", ss)
	}
}
