package bench

import (
	"bytes"
	"context"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// TestIntakeRunsEveryTarget runs `jodo bench intake` as an operator would,
// briefly: the bare handler, SQLite without and with follow-ups, and in the
// PostgreSQL pass PostgreSQL both ways, straight and through the proxy, on
// one database as the command does. Every target must answer calls with
// no errors, and the runs with follow-ups must send SMS. (A drive file
// that changed at the same version once stopped the second PostgreSQL run.)
func TestIntakeRunsEveryTarget(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and serves jodo")
	}
	dir := t.TempDir()
	o := IntakeOptions{Binary: buildJodo(t, dir), Conns: 4, Duration: 400 * time.Millisecond, Load: "go", Followups: "both", Out: new(bytes.Buffer)}
	targets := []string{"jodo serve, SQLite", "jodo serve, SQLite + SMS"}
	if pg := storetest.PostgresURL(); pg != "" {
		o.Postgres, o.Proxy, o.Latency = storetest.NewSchema(t, pg), true, 0
		targets = append(targets, "jodo serve, PostgreSQL", "jodo serve, PostgreSQL + SMS",
			"jodo serve, PostgreSQL +0s each way", "jodo serve, PostgreSQL +0s each way + SMS")
	}
	// Every target right after its own bare run.
	var want []string
	for _, target := range targets {
		want = append(want, "bare net/http (200)", target)
	}
	if err := Intake(context.Background(), o); err != nil {
		t.Fatalf("bench intake: %v\n%s", err, o.Out)
	}
	out := o.Out.(*bytes.Buffer).String()
	row := regexp.MustCompile(`(?m)^(\S.*?)\s+(\d+)\s+([\d.]+)\s+\S+\s+\S+\s+(?:-|\d+ MB)\s+(\d+)$`)
	var got []string
	bare := 0
	for _, m := range row.FindAllStringSubmatch(out, -1) {
		got = append(got, m[1])
		calls, _ := strconv.Atoi(m[2])
		if calls == 0 {
			t.Errorf("%s answered no calls", m[1])
		}
		if m[4] != "0" {
			t.Errorf("%s: %s errors", m[1], m[4])
		}
		if m[1] == "bare net/http (200)" {
			bare = calls
			continue
		}
		// The ratio is against the bare run just above, not another.
		// (Both figures are printed rounded: a hundredth's slack.)
		if ratio, _ := strconv.ParseFloat(m[3], 64); bare > 0 && math.Abs(float64(calls)/float64(bare)-ratio) > 0.006 {
			t.Errorf("%s: ratio %s, want %d calls/s over the bare run's %d", m[1], m[3], calls, bare)
		}
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("targets %q, want %q\n%s", got, want, out)
	}
	// Each server run says what a call cost each process, from procfs: the
	// server always, PostgreSQL (on this machine) in its runs.
	cpu := regexp.MustCompile(`(?m)^(jodo serve, .*?): CPU a call: server (\d+) µs(?:, PostgreSQL (\d+) µs)?`)
	costs := cpu.FindAllStringSubmatch(out, -1)
	if len(costs) != len(targets) {
		t.Errorf("%d notes of CPU a call, want %d\n%s", len(costs), len(targets), out)
	}
	for _, m := range costs {
		if m[2] == "0" {
			t.Errorf("%s: the server's CPU a call reads 0\n%s", m[1], out)
		}
		// (A SQLite run may show PostgreSQL busy too: other tests use it.)
		if strings.Contains(m[1], "PostgreSQL") && (m[3] == "" || m[3] == "0") {
			t.Errorf("%s: PostgreSQL's CPU a call %q\n%s", m[1], m[3], out)
		}
	}
	// Each server run says what its call writers committed, read from the
	// servers' /metrics: batches, and calls in them (a call repeated by the
	// load is in a batch too, so never fewer than the run answered).
	answered := map[string]int{}
	for _, m := range row.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[2])
		answered[m[1]] = n
	}
	batches := regexp.MustCompile(`(?m)^(jodo serve, .*?): call batches: (\d+) \(\d+ a node\), ([\d.]+) calls and ([\d.]+) ms each`)
	bs := batches.FindAllStringSubmatch(out, -1)
	if len(bs) != len(targets) {
		t.Errorf("%d notes of call batches, want %d\n%s", len(bs), len(targets), out)
	}
	for _, m := range bs {
		n, _ := strconv.Atoi(m[2])
		each, _ := strconv.ParseFloat(m[3], 64)
		if n == 0 || each < 1 || float64(n)*each < float64(answered[m[1]])*o.Duration.Seconds()*0.9 {
			t.Errorf("%s: %s batches of %s calls for %d calls/s over %s\n%s", m[1], m[2], m[3], answered[m[1]], o.Duration, out)
		}
	}
	sms := regexp.MustCompile(`(?m)^(.*\+ SMS): (\d+) follow-up SMS sent`)
	ms := sms.FindAllStringSubmatch(out, -1)
	if len(ms) != len(targets)/2 {
		t.Errorf("%d notes of SMS sent, want %d\n%s", len(ms), len(targets)/2, out)
	}
	// A run sends its follow-ups while it lasts and as its server stops: a
	// brief run on a loaded machine may stop before its sender's first
	// batch, but the runs together must have sent some.
	sent := 0
	for _, m := range ms {
		n, _ := strconv.Atoi(m[2])
		sent += n
	}
	if sent == 0 {
		t.Errorf("no run with follow-ups sent an SMS\n%s", out)
	}
}
