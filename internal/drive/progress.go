package drive

import (
	"context"
	"math"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// MetricProgress is one metric of an area: target, what was reached, and
// the daily pace now needed to meet the target by the end.
type MetricProgress struct {
	Metric            string           `json:"metric"`
	Target            *int64           `json:"target"`
	Actual            int64            `json:"actual"`
	Percent           *float64         `json:"percent"`
	RequiredDailyPace *float64         `json:"required_daily_pace"`
	RecentDailyPace   *float64         `json:"recent_daily_pace"`
	Status            string           `json:"status"`
	StatusReason      string           `json:"status_reason,omitempty"`
	ByChannel         map[string]int64 `json:"by_channel"`
	// SoFar is the count over the whole drive, whatever days Actual covers.
	SoFar int64 `json:"-"`
}

// AreaProgress is the progress of one area.
type AreaProgress struct {
	Area    string           `json:"area"`
	Kind    string           `json:"kind"`
	Name    string           `json:"name"`
	Metrics []MetricProgress `json:"metrics"`
}

// Report is a drive's progress at an area, optionally with its children.
type Report struct {
	Drive     string `json:"drive"`
	Area      string `json:"area"`
	From      string `json:"from,omitempty"`
	To        string `json:"to,omitempty"`
	DaysTotal int    `json:"days_total"`
	DaysLeft  int    `json:"days_left"`
	// Phase is where the drive stands at the report's time: "" while it
	// runs past its first day, else NotStarted, FirstDay or Ended.
	Phase string `json:"-"`
	// Recent is the days the recent pace is averaged over (RecentWindow).
	Recent   *DayWindow       `json:"recent,omitempty"`
	Metrics  []MetricProgress `json:"metrics"`
	Children []AreaProgress   `json:"children,omitempty"`
}

// ProgressQuery says what to report.
type ProgressQuery struct {
	Area     store.Area
	Children []store.Area // empty unless children were asked for
	Days     store.DayRange
	Now      time.Time
}

// Progress reads counters and targets (never people) for the area and its
// children. A district has no counters of its own: it stands for its ACs,
// so its figures are theirs summed. Actual is counted over Days; the
// required pace always uses the whole drive so far, since it is about
// reaching the target by the last day, and the recent pace the days of
// RecentWindow. However many children there are, it reads the database at
// most five times: the districts' ACs, the counters (days and whole drive),
// the recent days' counters, the targets.
func Progress(ctx context.Context, db *store.DB, d store.Drive, q ProgressQuery) (Report, error) {
	f := Calendar(d)
	r := Report{Drive: d.Slug, Area: q.Area.Code, From: q.Days.From, To: q.Days.To, DaysTotal: f.DaysTotal(), DaysLeft: f.DaysLeft(q.Now)}
	if w, ok := f.RecentWindow(q.Now); ok {
		r.Recent = &w
	}
	areas := append([]store.Area{q.Area}, q.Children...)
	members, err := countedAreas(ctx, db, areas)
	if err != nil {
		return Report{}, err
	}
	var ids []int64
	for _, m := range members {
		ids = append(ids, m...)
	}
	inDays, allDays, err := db.CounterTotalsToDate(ctx, d.ID, ids, q.Days)
	if err != nil {
		return Report{}, err
	}
	var recent []store.CounterSum
	if r.Recent != nil {
		if recent, err = db.CounterTotals(ctx, d.ID, ids, store.DayRange{From: r.Recent.From, To: r.Recent.To}); err != nil {
			return Report{}, err
		}
	}
	targets, err := db.Targets(ctx, d.ID, ids)
	if err != nil {
		return Report{}, err
	}
	sums := sumsByArea(inDays, allDays, recent)
	r.Phase = f.phase(q.Now)
	judge := judging{daysLeft: r.DaysLeft, recent: r.Recent, phase: r.Phase}
	for i, a := range areas {
		metrics := judge.metricsOf(members[i], sums, targets)
		if i == 0 {
			r.Metrics = metrics
			continue
		}
		r.Children = append(r.Children, AreaProgress{Area: a.Code, Kind: a.Kind, Name: a.NameEN, Metrics: metrics})
	}
	return r, nil
}

// countedAreas maps each area to the areas whose counters and targets make
// up its figures: itself, or for a district its ACs, found for every
// district at once (a district in a scope stands for the same ACs).
func countedAreas(ctx context.Context, db *store.DB, areas []store.Area) ([][]int64, error) {
	var districts []string
	for _, a := range areas {
		if a.Kind == "district" {
			districts = append(districts, a.Code)
		}
	}
	acs := map[string][]int64{}
	if len(districts) > 0 {
		found, err := db.ScopeAreas(ctx, districts)
		if err != nil {
			return nil, err
		}
		for _, ac := range found {
			acs[ac.District] = append(acs[ac.District], ac.ID)
		}
	}
	out := make([][]int64, len(areas))
	for i, a := range areas {
		if a.Kind == "district" {
			out[i] = acs[a.Code]
		} else {
			out[i] = []int64{a.ID}
		}
	}
	return out, nil
}

type areaMetric struct {
	area   int64
	metric string
}

// metricSums is an area's counter for one metric: over the report's days
// by channel (a channel only if it had rows in them), over every day, and
// over the recent days.
type metricSums struct {
	byChannel map[string]int64
	allDays   int64
	recent    int64
}

func sumsByArea(inDays, allDays, recent []store.CounterSum) map[areaMetric]*metricSums {
	out := map[areaMetric]*metricSums{}
	at := func(s store.CounterSum) *metricSums {
		k := areaMetric{s.AreaID, s.Metric}
		if out[k] == nil {
			out[k] = &metricSums{byChannel: map[string]int64{}}
		}
		return out[k]
	}
	for _, s := range inDays {
		at(s).byChannel[s.Channel] += s.Value
	}
	for _, s := range allDays {
		at(s).allDays += s.Value
	}
	for _, s := range recent {
		at(s).recent += s.Value
	}
	return out
}

// judging is what every area's metrics of one report are judged by.
type judging struct {
	daysLeft int
	recent   *DayWindow
	phase    string
}

func (j judging) metricsOf(ids []int64, sums map[areaMetric]*metricSums, targets map[int64]map[string]int64) []MetricProgress {
	out := make([]MetricProgress, 0, len(Metrics))
	for _, metric := range Metrics {
		m := MetricProgress{Metric: metric, ByChannel: map[string]int64{}}
		var sofar, recent int64
		for _, id := range ids {
			s := sums[areaMetric{id, metric}]
			if s == nil {
				continue
			}
			for channel, v := range s.byChannel {
				m.Actual += v
				m.ByChannel[channel] += v
			}
			sofar += s.allDays
			recent += s.recent
		}
		m.SoFar = sofar
		m.Target = targetOf(ids, targets, metric)
		m.Percent, m.RequiredDailyPace = rates(m.Target, m.Actual, sofar, j.daysLeft)
		if j.recent != nil {
			pace := round2(float64(recent) / float64(j.recent.Days))
			m.RecentDailyPace = &pace
		}
		m.Status, m.StatusReason = status(m.Target, sofar, m.RecentDailyPace, m.RequiredDailyPace, j.phase)
		out = append(out, m)
	}
	return out
}

// targetOf sums the targets of ids for metric; nil when none has one.
func targetOf(ids []int64, targets map[int64]map[string]int64, metric string) *int64 {
	var sum int64
	found := false
	for _, id := range ids {
		if v, ok := targets[id][metric]; ok {
			sum += v
			found = true
		}
	}
	if !found {
		return nil
	}
	return &sum
}

func rates(target *int64, actual, sofar int64, daysLeft int) (percent, pace *float64) {
	if target == nil {
		return nil, nil
	}
	p := 100.0
	if *target > 0 {
		p = round2(float64(actual) * 100 / float64(*target))
	}
	if daysLeft == 0 {
		return &p, nil
	}
	need := round2(math.Max(0, float64(*target-sofar)) / float64(daysLeft))
	return &p, &need
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
