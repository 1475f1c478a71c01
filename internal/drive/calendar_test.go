package drive

import (
	"testing"
	"time"
)

func exampleFile(t *testing.T) *File {
	t.Helper()
	f, err := Parse(readTestdata(t, "example_drive.json"))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Asia/Kolkata is UTC+05:30 all year, so every drive day turns at 18:30 UTC.
func TestDaysLeftKolkata(t *testing.T) {
	f := exampleFile(t)
	if got := f.DaysTotal(); got != 29 {
		t.Fatalf("DaysTotal = %d, want 29 (12 Feb to 12 Mar 2026, both included)", got)
	}
	cases := []struct {
		now  string
		want int
	}{
		{"2025-12-31T00:00:00Z", 29},
		{"2026-02-11T18:29:59Z", 29}, // 23:59:59 on 11 Feb in India: not started
		{"2026-02-11T18:30:00Z", 29}, // midnight of 12 Feb: the first day counts
		{"2026-02-12T18:29:59Z", 29},
		{"2026-02-12T18:30:00Z", 28},
		{"2026-03-11T18:30:00Z", 1}, // 12 Mar, the last day
		{"2026-03-12T18:29:59Z", 1},
		{"2026-03-12T18:30:00Z", 0}, // 13 Mar: over
		{"2027-01-01T00:00:00Z", 0},
	}
	for _, c := range cases {
		if got := f.DaysLeft(utc(c.now)); got != c.want {
			t.Errorf("DaysLeft(%s) = %d, want %d", c.now, got, c.want)
		}
	}
}

func TestWindowKolkata(t *testing.T) {
	f := exampleFile(t)
	start, end := f.Window()
	if !start.Equal(utc("2026-02-11T18:30:00Z")) || !end.Equal(utc("2026-03-12T18:30:00Z")) {
		t.Errorf("Window = %v, %v", start, end)
	}
	if start.Location().String() != "Asia/Kolkata" {
		t.Errorf("Window in %v, want the drive's zone", start.Location())
	}
	inside := map[string]bool{
		"2026-02-11T18:29:59Z": false,
		"2026-02-11T18:30:00Z": true,
		"2026-03-12T18:29:59Z": true,
		"2026-03-12T18:30:00Z": false,
	}
	for now, want := range inside {
		if got := !utc(now).Before(start) && utc(now).Before(end); got != want {
			t.Errorf("%s within the window: %v, want %v", now, got, want)
		}
	}
}

func TestDayOf(t *testing.T) {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		at   string
		loc  *time.Location
		want string
	}{
		{"2026-02-11T18:29:59Z", kolkata, "2026-02-11"},
		{"2026-02-11T18:30:00Z", kolkata, "2026-02-12"},
		{"2026-02-11T18:30:00Z", time.UTC, "2026-02-11"},
		{"2026-02-12T01:00:00+05:30", time.UTC, "2026-02-11"},
	}
	for _, c := range cases {
		if got := DayOf(utc(c.at), c.loc); got != c.want {
			t.Errorf("DayOf(%s, %v) = %s, want %s", c.at, c.loc, got, c.want)
		}
	}
	if got := exampleFile(t).Day(utc("2026-02-11T18:30:00Z")); got != "2026-02-12" {
		t.Errorf("Day = %s, want the drive-local day", got)
	}
}

// A drive across a DST change still counts calendar days, not 24-hour spans.
func TestCalendarAcrossDST(t *testing.T) {
	f := &File{StartsOn: "2026-03-28", EndsOn: "2026-03-30", Timezone: "Europe/Berlin"}
	if got := f.DaysTotal(); got != 3 {
		t.Errorf("DaysTotal = %d, want 3", got)
	}
	start, end := f.Window()
	if got := end.Sub(start); got != 71*time.Hour {
		t.Errorf("window lasts %v, want 71h (clocks go forward on 29 Mar)", got)
	}
	if got := f.DaysLeft(utc("2026-03-29T22:30:00Z")); got != 1 { // 00:30 CEST on 30 Mar
		t.Errorf("DaysLeft = %d, want 1", got)
	}
}

func TestLongDriveDays(t *testing.T) {
	f := &File{StartsOn: "2000-01-01", EndsOn: "2399-12-31", Timezone: "UTC"}
	if got := f.DaysTotal(); got != 146097 {
		t.Errorf("DaysTotal = %d, want 146097 (400 Gregorian years)", got)
	}
}

func TestLocationFallsBackToUTC(t *testing.T) {
	if loc := (&File{Timezone: "Nowhere/Else"}).Location(); loc != time.UTC {
		t.Errorf("Location = %v, want UTC", loc)
	}
}

func TestDays(t *testing.T) {
	f := exampleFile(t)
	days := f.Days()
	if len(days) != 29 || days[0] != "2026-02-12" || days[16] != "2026-02-28" || days[17] != "2026-03-01" || days[28] != "2026-03-12" {
		t.Errorf("days: %d from %s to %s, 28 Feb then %s", len(days), days[0], days[len(days)-1], days[17])
	}
}
