package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/latproxy"
)

// server is one server run: an engine's database, with or without
// follow-ups, on one node or several, straight or through the proxy.
type server struct {
	name     string
	db       string // the URL prepare and the sampler use
	whatsapp bool   // the drive has a WhatsApp number: calls get follow-ups
	nodes    int
	delay    time.Duration // the proxy's one-way delay when proxied
	proxied  bool
}

// servers lists the runs the options ask for: SQLite, then PostgreSQL,
// then PostgreSQL through the proxy, each without and with follow-ups.
func (b *intakeRun) servers() []server {
	var follow []bool
	switch b.o.Followups {
	case "off":
		follow = []bool{false}
	case "on":
		follow = []bool{true}
	default:
		follow = []bool{false, true}
	}
	var out []server
	add := func(s server) {
		for _, f := range follow {
			s := s
			s.whatsapp = f
			if f {
				s.name += " + SMS"
				if strings.HasPrefix(s.db, "sqlite:") {
					s.db = "sqlite:" + filepath.Join(b.dir, "bench-sms.db")
				}
			}
			out = append(out, s)
		}
	}
	add(server{name: "jodo serve, SQLite", db: "sqlite:" + filepath.Join(b.dir, "bench.db"), nodes: 1})
	if b.o.Postgres == "" {
		return out
	}
	pg := "jodo serve, PostgreSQL"
	if b.o.Nodes > 1 {
		pg += fmt.Sprintf(" ×%d", b.o.Nodes)
	}
	add(server{name: pg, db: b.o.Postgres, nodes: b.o.Nodes})
	if b.o.Proxy {
		add(server{name: fmt.Sprintf("%s +%s each way", pg, b.o.Latency), db: b.o.Postgres, nodes: b.o.Nodes, proxied: true, delay: b.o.Latency})
	}
	return out
}

// served is what a server run measured.
type served struct {
	Result
	rss   int64 // the largest node's peak RSS
	sent  int   // follow-up SMS the nodes sent
	waits WaitSample
	cpu   cpuUse
	batch callBatches // the call writers' batches during the load
}

// serverRun prepares s's database with Jharkhand and a drive owning the
// toll-free number, starts its nodes (through a latency proxy when
// proxied), loads them while sampling PostgreSQL's waits, and reads their
// peak RSS and the SMS they sent before stopping them.
func (b *intakeRun) serverRun(ctx context.Context, s server) (served, error) {
	var r served
	if err := prepare(b.o.Binary, b.dir, s.db, s.whatsapp); err != nil {
		return r, err
	}
	serveURL := s.db
	if s.proxied {
		p, u, err := latproxy.ForPostgres(s.db, s.delay)
		if err != nil {
			return r, err
		}
		defer p.Close()
		serveURL = u
	}
	var bases, logs []string
	var pids []int
	var stops []func()
	stopAll := func() {
		for _, stop := range stops {
			stop()
		}
	}
	defer stopAll()
	for n := range s.nodes {
		logPath := filepath.Join(b.dir, fmt.Sprintf("server-%d-%d.log", b.runs+1, n))
		base, pid, stop, err := startServe(b.o.Binary, b.dir, serveURL, logPath)
		if err != nil {
			return r, err
		}
		stops = append(stops, stop)
		bases, logs, pids = append(bases, base), append(logs, logPath), append(pids, pid)
	}
	batchesBefore, err := scrapeAll(ctx, bases)
	if err != nil {
		return r, err
	}
	var stopSampling func() (WaitSample, error)
	if strings.HasPrefix(s.db, "postgres") {
		var err error
		if stopSampling, err = sampleWaits(ctx, s.db); err != nil {
			return r, err
		}
	}
	before := takeCPU(pids)
	res, err := b.load(ctx, bases)
	r.cpu = cpuBetween(before, takeCPU(pids), res.LoadCPU)
	if err == nil {
		var after callBatches
		after, err = scrapeAll(ctx, bases)
		r.batch = after.sub(batchesBefore)
	}
	if stopSampling != nil {
		w, werr := stopSampling()
		if err == nil {
			r.waits, err = w, werr
		}
	}
	if err != nil {
		return r, err
	}
	r.Result = res
	for _, pid := range pids {
		r.rss = max(r.rss, peakRSS(pid))
	}
	stopAll()
	for _, logPath := range logs {
		r.sent += countSMS(logPath)
	}
	return r, nil
}

// bareRun loads a net/http handler that answers 200, split like the
// server runs' load (one wrk a node).
func (b *intakeRun) bareRun(ctx context.Context) (Result, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Result{}, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })}
	go srv.Serve(ln)
	defer srv.Close()
	bases := make([]string, b.o.Nodes)
	for i := range bases {
		bases[i] = "http://" + ln.Addr().String()
	}
	return b.load(ctx, bases)
}
