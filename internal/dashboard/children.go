package dashboard

import (
	"cmp"
	"context"
	"slices"

	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
)

// pickTree splits an area's children into its trees and gives the one
// asked for (the first there is, when it has none of that tree).
func pickTree(all []store.Area, want string) (trees []string, tree string, children []store.Area) {
	byTree := map[string][]store.Area{}
	for _, a := range all {
		t := Electoral
		if a.Kind == "district" {
			t = Districts
		}
		byTree[t] = append(byTree[t], a)
	}
	for _, t := range []string{Electoral, Districts} {
		if len(byTree[t]) > 0 {
			trees = append(trees, t)
		}
	}
	if len(trees) == 0 {
		return nil, "", nil
	}
	tree = trees[0]
	if len(byTree[want]) > 0 {
		tree = want
	}
	return trees, tree, byTree[tree]
}

// unplaced is, per metric, the area's count less its children's: in the
// district tree, what is counted at the area but in none of its districts.
// nil when it is nothing for every metric.
func unplaced(area []drive.MetricProgress, children []Child) []drive.MetricProgress {
	out := make([]drive.MetricProgress, len(area))
	some := false
	for i, m := range area {
		rest := m.Actual
		for _, c := range children {
			rest -= c.Metrics[i].Actual
		}
		out[i] = unjudged(m.Metric, rest, nil)
		some = some || rest != 0
	}
	if !some {
		return nil
	}
	return out
}

// own is, per metric, what was counted at the area itself (in the
// electoral tree, the area's count less all its children's); nil when
// nothing was.
func own(ctx context.Context, db *store.DB, d store.Drive, area store.Area) ([]drive.MetricProgress, error) {
	sums, err := db.OwnCounts(ctx, d.ID, area.ID)
	if err != nil || len(sums) == 0 {
		return nil, err
	}
	out := make([]drive.MetricProgress, len(drive.Metrics))
	for i, m := range drive.Metrics {
		out[i] = unjudged(m, 0, map[string]int64{})
	}
	for _, s := range sums {
		if i := slices.Index(drive.Metrics, s.Metric); i >= 0 {
			out[i].Actual += s.Value
			out[i].SoFar += s.Value
			out[i].ByChannel[s.Channel] += s.Value
		}
	}
	return out, nil
}

// unjudged is a count with no target to judge it by.
func unjudged(metric string, n int64, byChannel map[string]int64) drive.MetricProgress {
	return drive.MetricProgress{Metric: metric, Actual: n, SoFar: n, ByChannel: byChannel, Status: drive.StatusGrey, StatusReason: drive.NoTarget}
}

// sortChildren orders children by code, or by a metric (one of
// drive.Metrics): by percent of target where both have a target, then by
// count, then by code so the order is stable across pages. Areas without
// a target come after those with, whichever way.
func sortChildren(kids []Child, metric string, desc bool) {
	i := slices.Index(drive.Metrics, metric)
	slices.SortStableFunc(kids, func(a, b Child) int {
		if i < 0 {
			return cmp.Compare(a.Area.Code, b.Area.Code)
		}
		x, y := a.Metrics[i], b.Metrics[i]
		if (x.Percent == nil) != (y.Percent == nil) {
			return cmp.Compare(boolRank(x.Percent == nil), boolRank(y.Percent == nil))
		}
		by := compareMetric(x, y)
		if desc {
			by = -by
		}
		return cmp.Or(by, cmp.Compare(a.Area.Code, b.Area.Code))
	})
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// compareMetric orders two figures both with a target or both without.
func compareMetric(a, b drive.MetricProgress) int {
	if a.Percent != nil && b.Percent != nil {
		return cmp.Or(cmp.Compare(*a.Percent, *b.Percent), cmp.Compare(a.Actual, b.Actual))
	}
	return cmp.Compare(a.Actual, b.Actual)
}

// page is the n-th page of kids (from 1; out of range is the nearest page).
func page[T any](kids []T, n int) ([]T, int, int) {
	pages := max(1, (len(kids)+PageSize-1)/PageSize)
	n = min(max(n, 1), pages)
	from := (n - 1) * PageSize
	return kids[from:min(from+PageSize, len(kids))], n, pages
}
