package dashboard

import (
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
)

// Sorted by a metric either way, areas without a target come last.
func TestSortKeepsAreasWithoutTargetLast(t *testing.T) {
	pct := func(p float64) *float64 { return &p }
	child := func(code string, p *float64, n int64) Child {
		ms := make([]drive.MetricProgress, len(drive.Metrics))
		ms[1] = drive.MetricProgress{Metric: "members", Percent: p, Actual: n}
		return Child{Area: store.Area{Code: code}, Metrics: ms}
	}
	order := func(desc bool) string {
		kids := []Child{child("A", pct(10), 1), child("B", nil, 500), child("C", pct(90), 9), child("D", nil, 5)}
		sortChildren(kids, "members", desc)
		var codes []string
		for _, k := range kids {
			codes = append(codes, k.Area.Code)
		}
		return strings.Join(codes, " ")
	}
	if got := order(false); got != "A C D B" {
		t.Errorf("ascending: %s, want A C D B", got)
	}
	if got := order(true); got != "C A B D" {
		t.Errorf("descending: %s, want C A B D", got)
	}
}
