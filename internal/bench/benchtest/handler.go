// Package benchtest times HTTP handlers in Go benchmarks the way the
// issues state their goals: every iteration's server time, reported as
// the mean and the 95th percentile, since a dashboard's slowest answers
// are the ones people wait on.
package benchtest

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

// Handler serves a fresh request from newReq on h each iteration, fails b
// on any answer but 200, and reports mean_ms and p95_ms (the handler's
// time alone, not the request's making) and resp_bytes.
func Handler(b *testing.B, h http.Handler, newReq func() *http.Request) {
	b.Helper()
	var times []time.Duration
	size := 0
	for b.Loop() {
		rec, req := httptest.NewRecorder(), newReq()
		start := time.Now()
		h.ServeHTTP(rec, req)
		times = append(times, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %.500s", rec.Code, rec.Body)
		}
		size = rec.Body.Len()
	}
	Report(b, times)
	b.ReportMetric(float64(size), "resp_bytes")
}

// Report reports the mean and the 95th percentile of times, in ms.
func Report(b *testing.B, times []time.Duration) {
	b.ReportMetric(ms(Mean(times)), "mean_ms")
	b.ReportMetric(ms(Quantile(times, 0.95)), "p95_ms")
}

// Quantile is the q-quantile of times (nearest rank): the smallest that
// at least q of them do not exceed.
func Quantile(times []time.Duration, q float64) time.Duration {
	if len(times) == 0 {
		return 0
	}
	sorted := slices.Sorted(slices.Values(times))
	rank := int(q*float64(len(sorted))+0.999999999) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

// Mean is the average of times.
func Mean(times []time.Duration) time.Duration {
	if len(times) == 0 {
		return 0
	}
	var sum time.Duration
	for _, t := range times {
		sum += t
	}
	return sum / time.Duration(len(times))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
