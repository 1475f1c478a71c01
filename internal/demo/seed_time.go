package demo

import (
	"math/rand/v2"
	"time"
)

// launch is the first days' weight against an ordinary day: the drive's
// announcement brings most people at once.
var launch = []float64{3.2, 2.2, 1.6, 1.25}

// weekday is each day of the week's weight: Sundays are quiet.
var weekday = [7]float64{time.Sunday: 0.65, time.Monday: 1.1, time.Tuesday: 1.05, time.Wednesday: 1,
	time.Thursday: 1, time.Friday: 0.95, time.Saturday: 0.85}

// hourly is each hour's weight of a day's arrivals: few at night, a peak
// in the evening.
var hourly = [24]float64{0.1, 0.05, 0.03, 0.03, 0.05, 0.2, 0.5, 0.9, 1.2, 1.3, 1.3, 1.2,
	1.1, 1.1, 1.0, 1.0, 1.1, 1.3, 1.6, 1.9, 2.0, 1.6, 0.9, 0.4}

// when is a moment a person first contacted the drive: a day by the
// launch spike and the weekday rhythm (today only for its hours gone),
// then an hour by the daily curve; a moment today still to come becomes
// one of today's so far. It takes three draws, whatever the moment.
func (g *planner) when(r *rand.Rand) time.Time {
	day, hour, within := pick(r.Float64(), g.dayWeights()), pick(r.Float64(), hourly[:]), r.Float64()
	start := g.w.Start.AddDate(0, 0, day)
	at := start.Add(time.Duration(hour)*time.Hour + time.Duration(within*float64(time.Hour)))
	if at.After(g.w.Now) {
		at = start.Add(time.Duration(within * float64(g.w.Now.Sub(start))))
	}
	return at.Truncate(time.Second)
}

// dayWeights is each day's weight from the first to today.
func (g *planner) dayWeights() []float64 {
	var out []float64
	for d := g.w.Start; !d.After(g.w.Now); d = d.AddDate(0, 0, 1) {
		w := weekday[d.Weekday()]
		if n := len(out); n < len(launch) {
			w *= launch[n]
		}
		if end := d.AddDate(0, 0, 1); end.After(g.w.Now) { // today: its hours gone
			w *= hoursGone(g.w.Now.Sub(d))
		}
		out = append(out, w)
	}
	return out
}

// hoursGone is the share of a day's arrivals that come in its first
// elapsed.
func hoursGone(elapsed time.Duration) float64 {
	var gone, all float64
	for h, w := range hourly {
		all += w
		if done := elapsed - time.Duration(h)*time.Hour; done > 0 {
			gone += w * min(1, done.Hours())
		}
	}
	return gone / all
}

// pick is the index u (in [0, 1)) falls on when weights share the line.
func pick(u float64, weights []float64) int {
	var sum float64
	for _, w := range weights {
		sum += w
	}
	u *= sum
	for i, w := range weights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(weights) - 1
}
