package bench

import (
	"context"
	"fmt"
	"net/http"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// benchMetricsToken is the servers' JODO_METRICS_TOKEN: the bench reads
// their group-commit histograms from /metrics before and after the load.
const benchMetricsToken = "bench-metrics-token-0123456789abcdef"

// callBatches is what the call writers of a run's nodes committed during
// its load: how many batches, how many calls in them, and how long they
// took (from the sort to the last reply: the writer's busy time).
type callBatches struct {
	Batches int64
	Calls   float64
	Busy    time.Duration
}

// sub is b less what was counted before the load.
func (b callBatches) sub(before callBatches) callBatches {
	return callBatches{Batches: b.Batches - before.Batches, Calls: b.Calls - before.Calls, Busy: b.Busy - before.Busy}
}

// add is b and o's batches together (two nodes').
func (b callBatches) add(o callBatches) callBatches {
	return callBatches{Batches: b.Batches + o.Batches, Calls: b.Calls + o.Calls, Busy: b.Busy + o.Busy}
}

// describe says, for a run of length d on nodes writers, how large and how
// long the batches were and how much of the run each writer was busy:
// what bounds a node whose machine is not.
func (b callBatches) describe(d time.Duration, nodes int) string {
	if b.Batches <= 0 || d <= 0 || nodes <= 0 {
		return "no call batches counted"
	}
	return fmt.Sprintf("call batches: %d (%d a node), %.1f calls and %.2f ms each; each node's writer committing %.0f%% of the run",
		b.Batches, b.Batches/int64(nodes), b.Calls/float64(b.Batches),
		float64(b.Busy.Microseconds())/1000/float64(b.Batches),
		100*b.Busy.Seconds()/float64(nodes)/d.Seconds())
}

// scrapeCallBatches reads a node's missed-call group-commit histograms
// (jodo_group_commit_batch_rows and _seconds, name="missed_calls").
func scrapeCallBatches(ctx context.Context, base string) (callBatches, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	if err != nil {
		return callBatches{}, err
	}
	req.Header.Set("Authorization", "Bearer "+benchMetricsToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return callBatches{}, fmt.Errorf("metrics: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return callBatches{}, fmt.Errorf("metrics: %s", res.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		return callBatches{}, fmt.Errorf("metrics: %w", err)
	}
	var b callBatches
	if h := callHistogram(families["jodo_group_commit_batch_rows"]); h != nil {
		b.Batches, b.Calls = int64(h.GetSampleCount()), h.GetSampleSum()
	}
	if h := callHistogram(families["jodo_group_commit_batch_seconds"]); h != nil {
		b.Busy = time.Duration(h.GetSampleSum() * float64(time.Second))
	}
	return b, nil
}

// callHistogram is the missed calls' histogram of family f, or nil.
func callHistogram(f *dto.MetricFamily) *dto.Histogram {
	for _, m := range f.GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "name" && l.GetValue() == "missed_calls" {
				return m.GetHistogram()
			}
		}
	}
	return nil
}

// scrapeAll is every node's batches added up.
func scrapeAll(ctx context.Context, bases []string) (callBatches, error) {
	var all callBatches
	for _, base := range bases {
		b, err := scrapeCallBatches(ctx, base)
		if err != nil {
			return callBatches{}, err
		}
		all = all.add(b)
	}
	return all, nil
}
