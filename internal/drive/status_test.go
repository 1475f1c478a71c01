package drive

import "testing"

// The example drive runs 12 Feb – 12 Mar 2026 in Asia/Kolkata.
func TestRecentWindow(t *testing.T) {
	f := exampleFile(t)
	for _, c := range []struct {
		now      string
		from, to string
		days     int
		ok       bool
	}{
		{"2026-02-11T12:00:00Z", "", "", 0, false},                    // before the start
		{"2026-02-12T09:00:00Z", "2026-02-12", "2026-02-12", 1, true}, // first day: that day so far
		{"2026-02-13T09:00:00Z", "2026-02-12", "2026-02-12", 1, true}, // second day: the first, whole
		{"2026-02-22T03:30:00Z", "2026-02-15", "2026-02-21", 7, true}, // day 11: the seven before it
		{"2026-02-21T18:30:00Z", "2026-02-15", "2026-02-21", 7, true}, // midnight in Kolkata starts 22 Feb
		{"2026-04-01T09:00:00Z", "2026-03-06", "2026-03-12", 7, true}, // long after: the last seven days
		{"2026-03-13T09:00:00Z", "2026-03-06", "2026-03-12", 7, true}, // the day after the end
		{"2026-02-14T09:00:00Z", "2026-02-12", "2026-02-13", 2, true}, // clipped to the start
	} {
		w, ok := f.RecentWindow(utc(c.now))
		if ok != c.ok || w.From != c.from || w.To != c.to || w.Days != c.days {
			t.Errorf("at %s: %+v %v, want %s..%s (%d days) %v", c.now, w, ok, c.from, c.to, c.days, c.ok)
		}
	}
}

func TestStatus(t *testing.T) {
	n := func(v float64) *float64 { return &v }
	target := int64(1000)
	for _, c := range []struct {
		name           string
		target         *int64
		sofar          int64
		recent, needed *float64
		phase          string
		want, reason   string
	}{
		{"no target", nil, 10, n(5), nil, "", StatusGrey, NoTarget},
		{"not begun", &target, 0, nil, n(50), NotStarted, StatusGrey, NotStarted},
		{"ended", &target, 10, n(5), nil, Ended, StatusGrey, Ended},
		{"reached", &target, 1000, n(0), n(0), "", StatusGreen, ""},
		{"meets the pace", &target, 400, n(60), n(60), "", StatusGreen, ""},
		{"three quarters", &target, 400, n(45), n(60), "", StatusAmber, ""},
		{"just under three quarters", &target, 400, n(44.99), n(60), "", StatusRed, ""},
		{"nothing lately", &target, 400, n(0), n(60), "", StatusRed, ""},
	} {
		got, reason := status(c.target, c.sofar, c.recent, c.needed, c.phase)
		if got != c.want || reason != c.reason {
			t.Errorf("%s: %s %q, want %s %q", c.name, got, reason, c.want, c.reason)
		}
	}
}
