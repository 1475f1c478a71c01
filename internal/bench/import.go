package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// StormOptions configures a missed-call storm against a real `jodo serve`
// while something else (an import, an export) uses the same database.
type StormOptions struct {
	Binary   string        // the jodo binary to run as the server
	Dir      string        // for the server's log and the drive file
	DB       string        // a fresh database URL (sqlite:PATH or postgres://…)
	Prepared bool          // DB already holds Jharkhand and the bench drive (Prepare)
	Rate     int           // calls a second, sent on a fixed schedule whatever the answers
	Baseline time.Duration // the storm alone, first
	Out      io.Writer
}

// Storm is what one stretch of a storm measured: calls sent, acknowledged
// (200), their latencies, and the call ids acknowledged.
type Storm struct {
	Sent, Failed int64
	Elapsed      time.Duration
	P50, P99     time.Duration
	Max          time.Duration
	Acked        []string // CallSid of every call answered 200 (repeats once)
}

// ImportStorm prepares DB as `jodo bench intake` does (Jharkhand and a
// drive "bench" owning the toll-free number) unless o.Prepared, starts
// `jodo serve` on it, runs the storm alone for o.Baseline, then again for
// as long as during runs (the import or the export, against DB), and stops
// the server. The storms' call ids differ, so the caller can count which
// acknowledged calls the database holds.
func ImportStorm(ctx context.Context, o StormOptions, during func(ctx context.Context) error) (alone, busy Storm, err error) {
	if !o.Prepared {
		if err := Prepare(o.Binary, o.Dir, o.DB); err != nil {
			return alone, busy, err
		}
	}
	base, _, stop, err := startServe(o.Binary, o.Dir, o.DB, filepath.Join(o.Dir, "server-storm.log"))
	if err != nil {
		return alone, busy, err
	}
	defer stop()
	alone = storm(ctx, base, o.Rate, 2, func(stop <-chan struct{}) {
		select {
		case <-time.After(o.Baseline):
		case <-stop:
		}
	})
	var duringErr error
	busy = storm(ctx, base, o.Rate, 3, func(<-chan struct{}) { duringErr = during(ctx) })
	stop()
	return alone, busy, duringErr
}

// Prepare migrates db and gives it Jharkhand and the bench drive "bench"
// (the storm's toll-free number, no WhatsApp number), as ImportStorm
// does.
func Prepare(bin, dir, db string) error { return prepare(bin, dir, db, false) }

// prepare migrates db and gives it Jharkhand and the bench drive (with a
// WhatsApp number when whatsapp).
func prepare(bin, dir, db string, whatsapp bool) error {
	if err := jodo(bin, dir, "migrate", "--db", db); err != nil {
		return err
	}
	if err := jodo(bin, dir, "import", "areas", "builtin:jharkhand", "--db", db); err != nil {
		return err
	}
	drive := filepath.Join(dir, "drive.json")
	if err := os.WriteFile(drive, benchDrive(whatsapp), 0o600); err != nil {
		return err
	}
	return jodo(bin, dir, "drive", "apply", drive, "--force", "--db", db)
}

// startServe starts `jodo serve` on db, logging to logPath, and waits
// until it is ready; stop ends it with SIGTERM (its graceful shutdown) and
// waits.
func startServe(bin, dir, db, logPath string) (base string, pid int, stop func(), err error) {
	addr, err := freeAddr()
	if err != nil {
		return "", 0, nil, err
	}
	logs, err := os.Create(logPath)
	if err != nil {
		return "", 0, nil, err
	}
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr)
	cmd.Env = append(os.Environ(), "JODO_SECRET_KEY="+StormSecretKey, "JODO_HOOK_SECRET="+benchSecret,
		"JODO_BASE_URL=http://"+addr, "JODO_SMS_PROVIDER=log", "JODO_SMS_RATE=0", "JODO_METRICS_TOKEN="+benchMetricsToken)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		logs.Close()
		return "", 0, nil, err
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
			logs.Close()
		})
	}
	base = "http://" + addr
	if err := waitReady(base); err != nil {
		stop()
		return "", 0, nil, err
	}
	return base, cmd.Process.Pid, stop, nil
}

// StormSecretKey is the server's JODO_SECRET_KEY, which an import into its
// database must share (it keys the suppressed numbers).
var StormSecretKey = strings.Repeat("b", 40)

// storm sends Exotel missed calls (variant's ids and numbers) at rate a
// second on a fixed schedule until run returns, each from its own
// goroutine, so a slow answer delays no later call; latency is from the
// call's scheduled time to its answer. run's channel closes if the
// context ends.
func storm(ctx context.Context, base string, rate, variant int, run func(stop <-chan struct{})) Storm {
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256, DisableCompression: true}}
	defer client.CloseIdleConnections()
	done := make(chan struct{})
	go func() {
		defer close(done)
		run(ctx.Done())
	}()
	var (
		mu     sync.Mutex
		lat    []time.Duration
		acked  []string
		failed int64
		wg     sync.WaitGroup
	)
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	var i int64
	for {
		i++
		n, at := i, start.Add(time.Duration(i-1)*interval)
		select {
		case <-done:
		case <-time.After(time.Until(at)):
			wg.Go(func() {
				req := exotelCall(base, n, variant)
				resp, err := client.Do(req)
				ok := err == nil && resp.StatusCode == http.StatusOK
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				took := time.Since(at)
				mu.Lock()
				defer mu.Unlock()
				if !ok {
					failed++
					return
				}
				lat = append(lat, took)
				acked = append(acked, req.URL.Query().Get("CallSid"))
			})
			continue
		}
		break
	}
	elapsed := time.Since(start)
	wg.Wait()
	s := Storm{Sent: i - 1, Failed: failed, Elapsed: elapsed, Acked: acked}
	slices.Sort(lat)
	if n := len(lat); n > 0 {
		s.P50, s.P99, s.Max = lat[n/2], lat[n*99/100], lat[n-1]
	}
	return s
}

// Report writes a storm's line of the table ReportHeader heads: lost is
// how many acknowledged calls the database does not hold.
func (s Storm) Report(w io.Writer, name string, lost int) {
	fmt.Fprintf(w, "%-34s %7.1f %7d %7d %9s %9s %9s %7d\n", name, s.Elapsed.Seconds(), s.Sent, len(s.Acked),
		s.P50.Round(100*time.Microsecond), s.P99.Round(100*time.Microsecond), s.Max.Round(time.Millisecond), lost)
}

// ReportHeader heads the storm table.
func ReportHeader(w io.Writer) {
	fmt.Fprintf(w, "%-34s %7s %7s %7s %9s %9s %9s %7s\n", "storm", "secs", "sent", "200", "p50", "p99", "max", "lost")
}
