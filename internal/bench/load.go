// Package bench measures Jodo the way the issues ask: real webhooks over
// loopback against a real `jodo serve` process, next to a bare net/http
// handler driven by the same load generator in the same run, so that the
// ratio between them means something on a noisy shared machine.
package bench

import (
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Result is what one load run measured.
type Result struct {
	OK       int64 // requests answered 200
	Failed   int64
	Elapsed  time.Duration
	P50, P99 time.Duration
	LoadCPU  time.Duration // the wrk processes' user and system time (0: the Go loader, in this process)
}

// PerSecond is the rate of 200 answers.
func (r Result) PerSecond() float64 { return float64(r.OK) / r.Elapsed.Seconds() }

// load sends requests made by next from conns connections for d and
// measures the answers.
func load(ctx context.Context, conns int, d time.Duration, next func(i int64) *http.Request) Result {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true,
	}}
	defer client.CloseIdleConnections()
	var seq, ok, failed atomic.Int64
	lat := make([][]time.Duration, conns)
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for c := range conns {
		wg.Go(func() {
			for ctx.Err() == nil {
				req := next(seq.Add(1))
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body) // a drained body lets the connection be reused
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
					continue
				}
				ok.Add(1)
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	r := Result{OK: ok.Load(), Failed: failed.Load(), Elapsed: time.Since(start)}
	all := slices.Concat(lat...)
	slices.Sort(all)
	if n := len(all); n > 0 {
		r.P50, r.P99 = all[n/2], all[n*99/100]
	}
	return r
}
