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
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/ist"
)

// IntakeOptions configures `jodo bench intake`.
type IntakeOptions struct {
	Binary    string        // the jodo binary to run as the server and to prepare with
	Postgres  string        // a PostgreSQL URL for the PostgreSQL runs; "" skips them
	Conns     int           // concurrent connections (64)
	Duration  time.Duration // per run
	Load      string        // "go" (this process) or "wrk" (one wrk -t1 a node)
	Proxy     bool          // PostgreSQL also through a latproxy adding Latency each way
	Latency   time.Duration //
	Nodes     int           // jodo serve processes on the PostgreSQL database (1)
	Followups string        // "both", "off" or "on"
	Out       io.Writer
}

const benchSecret = "bench-hook-secret-0123456789abcdef"

// Intake runs the missed-call benchmark: Exotel webhooks against a real
// server on SQLite (and PostgreSQL: through the latency proxy too, on
// several nodes), each right after a run against a bare handler with the
// same load generator, which its ratio is taken against: on a shared
// machine the bare handler's figure moves by a third from one minute to
// the next, so a ratio against a bare run minutes older says as much
// about the neighbours as about Jodo.
func Intake(ctx context.Context, o IntakeOptions) error {
	o.Nodes = max(o.Nodes, 1)
	dir, err := os.MkdirTemp("", "jodo-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	b := &intakeRun{o: o, dir: dir}
	fmt.Fprintf(o.Out, "jodo bench intake: %d connections, %s a run, load %s, Exotel Passthru GETs, ~90%% new callers\n\n", o.Conns, o.Duration, b.loadName())
	fmt.Fprintf(o.Out, "%-46s %10s %7s %8s %8s %9s %7s\n", "target", "calls/s", "ratio", "p50", "p99", "peak RSS", "errors")
	var notes []string
	for _, s := range b.servers() {
		bare, err := b.bareRun(ctx)
		if err != nil {
			return err
		}
		report(o.Out, "bare net/http (200)", bare, bare, 0)
		r, err := b.serverRun(ctx, s)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		report(o.Out, s.name, r.Result, bare, r.rss)
		if s.whatsapp {
			notes = append(notes, fmt.Sprintf("%s: %d follow-up SMS sent (log provider) during and right after the run", s.name, r.sent))
		}
		notes = append(notes, fmt.Sprintf("%s: %s", s.name, r.cpu.perCall(r.OK)))
		notes = append(notes, fmt.Sprintf("%s: %s", s.name, r.batch.describe(o.Duration, s.nodes)))
		if r.waits.Ticks > 0 {
			notes = append(notes, fmt.Sprintf("%s: %s", s.name, r.waits))
		}
	}
	fmt.Fprintf(o.Out, "\nEach ratio is against the bare run on the line above it, made just before.\n")
	fmt.Fprintf(o.Out, "\"+ SMS\": drives with a WhatsApp number, so each new caller's call also queues a follow-up (join link + outbox row)\nin its transaction, and the sender (JODO_SMS_RATE=0, log provider) sends them meanwhile.\n")
	if o.Nodes > 1 {
		fmt.Fprintf(o.Out, "×%d: %d jodo serve processes on the one PostgreSQL database, the load split between them; peak RSS is the largest node's\n", o.Nodes, o.Nodes)
	}
	if o.Load == "wrk" && o.Nodes > 1 {
		fmt.Fprintf(o.Out, "p50 and p99 with several wrk processes: the worst process's\n")
	}
	for _, n := range notes {
		fmt.Fprintln(o.Out, n)
	}
	return nil
}

// intakeRun is one `jodo bench intake`: its options, its temporary directory
// and the runs made so far (each run's calls are tagged with its number).
type intakeRun struct {
	o    IntakeOptions
	dir  string
	runs int
}

func (b *intakeRun) loadName() string {
	if b.o.Load == "wrk" {
		return "wrk -t1 (one a node)"
	}
	return "go (in the bench process)"
}

// load sends the run's calls to bases (one per node; the same base
// repeated for a bare run split like one) with the chosen generator.
func (b *intakeRun) load(ctx context.Context, bases []string) (Result, error) {
	b.runs++
	tag := b.runs % 10
	if b.o.Load == "wrk" {
		return wrkLoad(ctx, b.dir, b.o.Conns, b.o.Duration, bases, tag)
	}
	return load(ctx, b.o.Conns, b.o.Duration, func(i int64) *http.Request {
		return exotelCall(bases[int(i)%len(bases)], i, tag*10)
	}), nil
}

func report(w io.Writer, name string, r, bare Result, rss int64) {
	mem := "-"
	if rss > 0 {
		mem = fmt.Sprintf("%d MB", rss>>20)
	}
	fmt.Fprintf(w, "%-46s %10.0f %7.2f %8s %8s %9s %7d\n", name, r.PerSecond(), r.PerSecond()/bare.PerSecond(),
		r.P50.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), mem, r.Failed)
}

// exotelCall makes call i: nine in ten are new calls from new numbers, the
// tenth repeats an earlier call (providers deliver twice). Each tag (0-99:
// a run on one database, and its load process) has its own call ids and
// numbers; wrk.lua makes the same calls.
func exotelCall(base string, i int64, tag int) *http.Request {
	id := i
	if i%10 == 0 && i > 10 {
		id = i - 7
	}
	now := time.Now().In(ist.Zone).Format(time.DateTime)
	q := url.Values{
		"CallSid": {fmt.Sprintf("bench%02d-%023d", tag, id)}, "CallFrom": {fmt.Sprintf("09%02d%07d", tag, id)}, "CallTo": {"18000000000"},
		"Direction": {"incoming"}, "Created": {now}, "DialCallDuration": {"0"}, "StartTime": {now},
		"CallType": {"call-attempt"}, "digits": {`"1"`}, "CurrentTime": {now},
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/hooks/exotel/"+benchSecret+"?"+q.Encode(), nil)
	return req
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
	// The file with a WhatsApp number is version 2: a PostgreSQL database
	// gets the drive without it first, then with it, and a drive that
	// changes must raise its version (docs/drives.md).
	wa, version := "", 1
	if whatsapp {
		wa, version = `,{"kind":"whatsapp","number":"+91 70000 00000"}`, 2
	}
	return fmt.Appendf(nil, `{"version":%d,"slug":"bench","name":"Bench","sms_name":"JH Bench","starts_on":%q,"ends_on":%q,"timezone":"Asia/Kolkata",
		"root_area":"JH","channels":[{"kind":"missed_call","number":"1800 000 0000"}%s],"targets":["state JH: 500000 members"]}`, version,
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
