package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/ist"
)

// IntakeOptions configures `jodo bench intake`.
type IntakeOptions struct {
	Binary   string        // the jodo binary to run as the server (os.Executable())
	Postgres string        // a PostgreSQL URL for the second run; "" skips it
	Conns    int           // concurrent connections (64)
	Duration time.Duration // per run
	Out      io.Writer
}

const benchSecret = "bench-hook-secret-0123456789abcdef"

// Intake runs the missed-call benchmark: Exotel webhooks against a real
// server on SQLite (and PostgreSQL), and against a bare handler.
func Intake(ctx context.Context, o IntakeOptions) error {
	dir, err := os.MkdirTemp("", "jodo-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bare, err := bareRun(ctx, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Out, "jodo bench intake: %d connections, %s a run, Exotel Passthru GETs, ~90%% new callers\n\n", o.Conns, o.Duration)
	fmt.Fprintf(o.Out, "%-26s %10s %7s %8s %8s %9s %7s\n", "target", "calls/s", "ratio", "p50", "p99", "peak RSS", "errors")
	report(o.Out, "bare net/http (200)", bare, bare, 0)
	engines := []struct{ name, url string }{{"jodo serve, SQLite", "sqlite:" + filepath.Join(dir, "bench.db")}}
	if o.Postgres != "" {
		engines = append(engines, struct{ name, url string }{"jodo serve, PostgreSQL", o.Postgres})
	}
	var notes []string
	for _, e := range engines {
		for variant, followups := range []bool{false, true} {
			name, url := e.name, e.url
			if followups {
				name += " + SMS"
				if strings.HasPrefix(url, "sqlite:") {
					url = "sqlite:" + filepath.Join(dir, "bench-sms.db")
				}
			}
			r, rss, sent, err := serverRun(ctx, o, dir, url, variant)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			report(o.Out, name, r, bare, rss)
			if followups {
				notes = append(notes, fmt.Sprintf("%s: %d follow-up SMS sent (log provider) during and right after the run", name, sent))
			}
		}
	}
	fmt.Fprintf(o.Out, "\n\"+ SMS\": drives with a WhatsApp number, so each new caller's call also queues a follow-up (join link + outbox row)\nin its transaction, and the sender (JODO_SMS_RATE=0, log provider) sends them meanwhile.\n")
	for _, n := range notes {
		fmt.Fprintln(o.Out, n)
	}
	return nil
}

func report(w io.Writer, name string, r, bare Result, rss int64) {
	mem := "-"
	if rss > 0 {
		mem = fmt.Sprintf("%d MB", rss>>20)
	}
	fmt.Fprintf(w, "%-26s %10.0f %7.2f %8s %8s %9s %7d\n", name, r.PerSecond(), r.PerSecond()/bare.PerSecond(),
		r.P50.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), mem, r.Failed)
}

// exotelCall makes call i: nine in ten are new calls from new numbers, the
// tenth repeats an earlier call (providers deliver twice). Each variant
// (a run on one database) has its own call ids and numbers.
func exotelCall(base string, i int64, variant int) *http.Request {
	id := i
	if i%10 == 0 && i > 10 {
		id = i - 7
	}
	now := time.Now().In(ist.Zone).Format(time.DateTime)
	q := url.Values{
		"CallSid": {fmt.Sprintf("bench%d-%025d", variant, id)}, "CallFrom": {fmt.Sprintf("09%d%08d", variant, id)}, "CallTo": {"18000000000"},
		"Direction": {"incoming"}, "Created": {now}, "DialCallDuration": {"0"}, "StartTime": {now},
		"CallType": {"call-attempt"}, "digits": {`"1"`}, "CurrentTime": {now},
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/hooks/exotel/"+benchSecret+"?"+q.Encode(), nil)
	return req
}

func bareRun(ctx context.Context, o IntakeOptions) (Result, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Result{}, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	return load(ctx, o.Conns, o.Duration, func(i int64) *http.Request { return exotelCall(base, i, 0) }), nil
}

// serverRun prepares a database with Jharkhand and a drive owning the
// toll-free number (variant 1: with a WhatsApp number, so calls get
// follow-ups), starts `jodo serve` on it, loads it, and reads its peak RSS
// and the SMS it sent before stopping it.
func serverRun(ctx context.Context, o IntakeOptions, dir, db string, variant int) (r Result, rss int64, sent int, err error) {
	if err := prepare(o.Binary, dir, db, variant == 1); err != nil {
		return r, 0, 0, err
	}
	logPath := filepath.Join(dir, fmt.Sprintf("server-%d.log", variant))
	base, pid, stop, err := startServe(o.Binary, dir, db, logPath)
	if err != nil {
		return r, 0, 0, err
	}
	defer stop()
	r = load(ctx, o.Conns, o.Duration, func(i int64) *http.Request { return exotelCall(base, i, variant) })
	rss = peakRSS(pid)
	stop()
	return r, rss, countSMS(logPath), nil
}

// countSMS counts the SMS the log provider wrote.
func countSMS(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n := 0
	for line := range strings.SplitSeq(string(data), "\n") {
		if strings.HasPrefix(line, "sms log-") {
			n++
		}
	}
	return n
}

func benchDrive(whatsapp bool) []byte {
	wa := ""
	if whatsapp {
		wa = `,{"kind":"whatsapp","number":"+91 70000 00000"}`
	}
	return fmt.Appendf(nil, `{"version":1,"slug":"bench","name":"Bench","sms_name":"JH Bench","starts_on":%q,"ends_on":%q,"timezone":"Asia/Kolkata",
		"root_area":"JH","channels":[{"kind":"missed_call","number":"1800 000 0000"}%s],"targets":["state JH: 500000 members"]}`,
		time.Now().In(ist.Zone).AddDate(0, 0, -1).Format(time.DateOnly), time.Now().In(ist.Zone).AddDate(0, 0, 29).Format(time.DateOnly), wa)
}

func jodo(bin, dir string, args ...string) error {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("jodo %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitReady(base string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("server at %s not ready after 60 s", base)
}

// peakRSS reads a process's peak resident set size (VmHWM) in bytes.
func peakRSS(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb << 10
		}
	}
	return 0
}
