package drive

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// zones holds the zones loaded so far: time.LoadLocation reads tzdata on
// every call, and a drive's zone is asked for at every call and message.
var zones sync.Map // name → *time.Location

// Zone is the time zone a drive names. It refuses the zones that would make
// a drive's days depend on the host it runs on ("" and "Local") instead of
// on the drive file.
func Zone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	if name == "" || name == "Local" {
		return nil, errors.New("must name a zone like Asia/Kolkata")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%q is not a known time zone", name)
	}
	zones.Store(name, loc)
	return loc, nil
}

// Location is the drive's time zone. Parse guarantees it loads; for a File
// built without Parse and an unknown zone, it is UTC.
func (f *File) Location() *time.Location {
	loc, err := Zone(f.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Window gives the drive's first instant and the instant it ends (exclusive:
// midnight after ends_on), both in the drive's zone.
func (f *File) Window() (start, end time.Time) {
	loc := f.Location()
	return midnight(f.StartsOn, 0, loc), midnight(f.EndsOn, 1, loc)
}

// midnight is the start of the day `after` days past date, in loc. time.Date
// handles a zone whose midnight is skipped by DST by moving forward.
func midnight(date string, after int, loc *time.Location) time.Time {
	d, _ := parseDate(date)
	return time.Date(d.Year(), d.Month(), d.Day()+after, 0, 0, 0, 0, loc)
}

// DayOf returns the calendar date "YYYY-MM-DD" of t in loc. Counters are keyed
// by this day, so it must be the drive's zone, not the server's.
func DayOf(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(time.DateOnly)
}

// Day is DayOf in the drive's own zone.
func (f *File) Day(t time.Time) string {
	return DayOf(t, f.Location())
}

// RunsAt reports whether t falls within the drive's dates, in its own zone.
func (f *File) RunsAt(t time.Time) bool {
	today := f.Day(t)
	return f.StartsOn <= today && today <= f.EndsOn // YYYY-MM-DD strings order like the dates
}

// DaysTotal is the number of days in the drive, both ends included.
func (f *File) DaysTotal() int {
	return daysBetween(f.StartsOn, f.EndsOn) + 1
}

// DaysLeft counts the days from now's drive-local day to the last one, today
// included: the whole drive before it starts, 0 once it has ended.
func (f *File) DaysLeft(now time.Time) int {
	today := f.Day(now)
	switch {
	case today < f.StartsOn: // YYYY-MM-DD strings order like the dates
		return f.DaysTotal()
	case today > f.EndsOn:
		return 0
	}
	return daysBetween(today, f.EndsOn) + 1
}

// daysBetween counts calendar days on UTC dates, where every day has 24 hours
// whatever the drive's zone does with its clocks (and, unlike time.Duration,
// Unix seconds do not saturate after 292 years).
func daysBetween(from, to string) int {
	a, errA := parseDate(from)
	b, errB := parseDate(to)
	if errA != nil || errB != nil {
		return 0
	}
	return int((b.Unix() - a.Unix()) / (24 * 60 * 60))
}

// Days lists the drive's days, "2026-02-12" to its last, both included:
// the x axis of its charts.
func (f *File) Days() []string {
	out := make([]string, 0, f.DaysTotal())
	for day := f.StartsOn; day <= f.EndsOn && len(out) < f.DaysTotal(); day = dayAfter(day, 1) {
		out = append(out, day)
	}
	return out
}
