package drive

import "time"

// Status marks whether a metric is on course: the pace of its recent
// days against the pace now needed to reach its target by the last day.
const (
	StatusGreen = "green" // target reached, or the recent pace meets the needed one
	StatusAmber = "amber" // the recent pace is at least amberShare of the needed one
	StatusRed   = "red"   // further behind
	StatusGrey  = "grey"  // no judgement: see the reason
)

// Reasons a metric is grey.
const (
	NoTarget   = "no_target"
	NotStarted = "not_started"
	FirstDay   = "first_day" // a day's first hours say little of its pace
	Ended      = "ended"
)

// amberShare is how much of the needed pace still counts as nearly there.
const amberShare = 0.75

// recentDays is how many whole days the recent pace is taken over.
const recentDays = 7

// RecentWindow is the days the recent pace is averaged over at now: the
// last recentDays whole days (yesterday and the ones before it), clipped
// to the drive's dates; on its first day, that day so far. ok is false
// before the drive starts. After it ends, its last recentDays days.
func (f *File) RecentWindow(now time.Time) (days DayWindow, ok bool) {
	today := f.Day(now)
	if today < f.StartsOn { // YYYY-MM-DD strings order like the dates
		return DayWindow{}, false
	}
	if today == f.StartsOn {
		return DayWindow{From: today, To: today, Days: 1}, true
	}
	last := min(dayAfter(today, -1), f.EndsOn)
	first := max(dayAfter(last, -(recentDays-1)), f.StartsOn)
	return DayWindow{From: first, To: last, Days: daysBetween(first, last) + 1}, true
}

// DayWindow is a range of drive-local days, both ends included.
type DayWindow struct {
	From, To string
	Days     int
}

// dayAfter is the date n days after date (n may be negative).
func dayAfter(date string, n int) string {
	d, err := parseDate(date)
	if err != nil {
		return date
	}
	return d.AddDate(0, 0, n).Format(time.DateOnly)
}

// status judges a metric: grey without a target or outside the drive's
// days, else by the recent pace against the needed one.
func status(target *int64, sofar int64, recent, needed *float64, phase string) (string, string) {
	switch {
	case target == nil:
		return StatusGrey, NoTarget
	case phase != "":
		return StatusGrey, phase
	case sofar >= *target || needed == nil || *needed == 0:
		return StatusGreen, ""
	case recent == nil: // a caller that judged no recent days: nothing to judge by
		return StatusGrey, NotStarted
	case *recent >= *needed:
		return StatusGreen, ""
	case *recent >= amberShare**needed:
		return StatusAmber, ""
	}
	return StatusRed, ""
}

// phase is "" while the drive runs at now, else why no metric is judged.
func (f *File) phase(now time.Time) string {
	today := f.Day(now)
	switch {
	case today < f.StartsOn:
		return NotStarted
	case today == f.StartsOn:
		return FirstDay
	case today > f.EndsOn:
		return Ended
	}
	return ""
}
