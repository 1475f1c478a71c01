package dashboard

import (
	"cmp"
	"slices"

	"github.com/jodo-org/jodo/internal/drive"
)

// funnelSteps are the stages a person passes, in order (DESIGN.md §4).
var funnelSteps = []string{"leads", "members", "verified", "volunteers", "active"}

// Step is one stage of the funnel: how many reached it, and what share of
// the stage before it that is (nil for the first, or when the one before
// has none). People can enter past the first stage (a web form makes a
// member without a missed call), so a share can pass 100.
type Step struct {
	Metric string
	Count  int64
	Share  *float64
}

func funnel(metrics []drive.MetricProgress) []Step {
	var out []Step
	for _, name := range funnelSteps {
		i := slices.IndexFunc(metrics, func(m drive.MetricProgress) bool { return m.Metric == name })
		if i < 0 {
			continue
		}
		s := Step{Metric: name, Count: metrics[i].Actual}
		if n := len(out); n > 0 && out[n-1].Count > 0 {
			share := percent(s.Count, out[n-1].Count)
			s.Share = &share
		}
		out = append(out, s)
	}
	return out
}

// Share is one channel's part of a metric.
type Share struct {
	Channel string
	Count   int64
	Percent float64
}

// channels is each named metric's count by channel, largest first.
func channels(metrics []drive.MetricProgress, names ...string) map[string][]Share {
	out := map[string][]Share{}
	for _, m := range metrics {
		if !slices.Contains(names, m.Metric) {
			continue
		}
		var shares []Share
		for ch, n := range m.ByChannel {
			if n != 0 {
				shares = append(shares, Share{Channel: ch, Count: n, Percent: percent(n, m.Actual)})
			}
		}
		slices.SortFunc(shares, func(a, b Share) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Channel, b.Channel))
		})
		out[m.Metric] = shares
	}
	return out
}

// percent is part of whole, to one decimal; 0 of nothing.
func percent(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return float64(int64(float64(part)*1000/float64(whole)+0.5)) / 10
}
