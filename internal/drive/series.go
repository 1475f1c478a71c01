package drive

import (
	"context"
	"slices"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// SeriesRequest asks for daily counts at an area of a drive ("" for its
// root): of one metric, or of every metric when Metric is "". Days are
// clipped to the drive's window; open bounds run from its first day to
// today (or its last day, once it is over).
type SeriesRequest struct {
	Slug, Area string
	Metric     string
	Days       store.DayRange
}

// Series is the daily counts of a drive's metrics at an area.
type Series struct {
	Drive   string                `json:"drive"`
	Area    string                `json:"area"`
	From    string                `json:"from,omitempty"` // "" with To: no day asked for lies in the window
	To      string                `json:"to,omitempty"`
	Metrics map[string][]DayCount `json:"metrics"`
}

// DayCount is one day of a metric: its count that day and the drive's
// count up to and including it.
type DayCount struct {
	Day        string `json:"day"`
	Value      int64  `json:"value"`
	Cumulative int64  `json:"cumulative"`
}

// SeriesIn is the series req asks for, read for an actor holding
// ProgressRead over scope, under the same checks as ProgressIn. Every day
// of the range is present, zero when nothing happened.
func SeriesIn(ctx context.Context, db *store.DB, scope []store.Area, req SeriesRequest) (Series, error) {
	metrics := Metrics
	if req.Metric != "" {
		if !slices.Contains(Metrics, req.Metric) {
			return Series{}, apperr.New(apperr.Invalid, "metric must be one of %v, not %q", Metrics, req.Metric)
		}
		metrics = []string{req.Metric}
	}
	d, area, err := AreaIn(ctx, db, scope, req.Slug, req.Area)
	if err != nil {
		return Series{}, err
	}
	return SeriesOf(ctx, db, d, area, metrics, req.Days)
}

// SeriesOf is the daily counts of metrics at area of d, for a caller that
// has checked the area (AreaIn).
func SeriesOf(ctx context.Context, db *store.DB, d store.Drive, area store.Area, metrics []string, days store.DayRange) (Series, error) {
	f := Calendar(d)
	s := Series{Drive: d.Slug, Area: area.Code, Metrics: map[string][]DayCount{}}
	s.From, s.To = f.clip(days, db.Now())
	for _, m := range metrics {
		s.Metrics[m] = []DayCount{}
	}
	if s.From == "" {
		return s, nil
	}
	ids, err := countedAreas(ctx, db, []store.Area{area})
	if err != nil {
		return Series{}, err
	}
	// From the beginning, not s.From: the cumulative counts start there.
	sums, err := db.CounterDays(ctx, d.ID, ids[0], metrics, store.DayRange{To: s.To})
	if err != nil {
		return Series{}, err
	}
	for _, m := range metrics {
		s.Metrics[m] = fillDays(sums, m, s.From, s.To)
	}
	return s, nil
}

// clip is the range of days to report: days within the drive's window
// up to today, open ends at its first day and at today (its last day
// once it is over). Both are "" when nothing of the range lies there, or
// when a bound is not a date.
func (f *File) clip(days store.DayRange, now time.Time) (from, to string) {
	// Days after today have no counts yet: zeros for them would read as
	// days when nothing happened.
	from, to = max(days.From, f.StartsOn), min(f.Day(now), f.EndsOn)
	if days.To != "" {
		to = min(days.To, to)
	}
	_, errFrom := parseDate(from)
	_, errTo := parseDate(to)
	if from > to || errFrom != nil || errTo != nil { // YYYY-MM-DD strings order like the dates
		return "", ""
	}
	return from, to
}

// fillDays is metric's days from..to out of sums (ordered by metric and
// day), zero-filled, with the count to date carried from any day before.
func fillDays(sums []store.DaySum, metric, from, to string) []DayCount {
	var out []DayCount
	var total int64
	i := 0
	for ; i < len(sums) && (sums[i].Metric != metric || sums[i].Day < from); i++ {
		if sums[i].Metric == metric {
			total += sums[i].Value
		}
	}
	for day := from; day <= to; day = dayAfter(day, 1) {
		var v int64
		for ; i < len(sums) && sums[i].Metric == metric && sums[i].Day <= day; i++ {
			v += sums[i].Value
		}
		total += v
		out = append(out, DayCount{Day: day, Value: v, Cumulative: total})
	}
	return out
}
