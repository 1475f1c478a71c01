package chart

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func ptr(v int64) *int64 { return &v }

func shortDate(day string) string {
	d, _ := time.Parse(time.DateOnly, day)
	return d.Format("2 Jan")
}

// The lines lie where the axis's own labels say their values are.
func TestLineGeometry(t *testing.T) {
	days := testDays(30)
	l := Line{Days: days, Actual: testCumulative(18, 25000), Target: ptr(10_00_000), Projected: ptr(8_50_000),
		Label: "Members", Number: testIndian, Date: shortDate}
	root := parseSVG(t, l)
	ax := readAxis(t, root)
	grid := root.one(t, "g", "grid").all("line", "")
	left, right := grid[0].num(t, "x1"), grid[0].num(t, "x2")

	actual := root.one(t, "polyline", "actual").points(t)
	if len(actual) != 18 {
		t.Fatalf("%d actual points, want 18", len(actual))
	}
	last := actual[17]
	if !near(last[1], ax.y(l.Actual[17])) || !near(actual[0][0], left) {
		t.Errorf("actual runs %v..%v, want from x %v to y %v", actual[0], last, left, ax.y(l.Actual[17]))
	}
	target := root.one(t, "line", "target")
	if !near(target.num(t, "x1"), left) || !near(target.num(t, "y1"), ax.y(0)) ||
		!near(target.num(t, "x2"), right) || !near(target.num(t, "y2"), ax.y(10_00_000)) {
		t.Errorf("target line %v, want (%v,%v)→(%v,%v)", target.Attrs, left, ax.y(0), right, ax.y(10_00_000))
	}
	proj := root.one(t, "line", "projection")
	if !near(proj.num(t, "x1"), last[0]) || !near(proj.num(t, "y1"), last[1]) ||
		!near(proj.num(t, "x2"), right) || !near(proj.num(t, "y2"), ax.y(8_50_000)) {
		t.Errorf("projection %v, want %v→(%v,%v)", proj.Attrs, last, right, ax.y(8_50_000))
	}
	now := root.one(t, "circle", "now")
	if !near(now.num(t, "cx"), last[0]) || !near(now.num(t, "cy"), last[1]) {
		t.Errorf("today's dot at %v, want %v", now.Attrs, last)
	}
	today := root.one(t, "g", "today")
	if marker := today.one(t, "line", ""); !near(marker.num(t, "x1"), last[0]) {
		t.Errorf("today's marker at x %v, want %v", marker.attr("x1"), last[0])
	}
	if got := today.one(t, "text", "").Text; got != "1 Mar" {
		t.Errorf("today labelled %q, want 1 Mar", got)
	}
	var dates []string
	for _, d := range root.one(t, "g", "days").all("text", "") {
		dates = append(dates, d.Text)
	}
	if strings.Join(dates, "|") != "12 Feb|13 Mar" {
		t.Errorf("day labels %q, want the first and the last day", dates)
	}
	if strings.Join(tickLabels(t, root), "|") != "0|5,00,000|10,00,000" {
		t.Errorf("tick labels %q, want Indian grouping", tickLabels(t, root))
	}
}

func tickLabels(t *testing.T, root svgNode) []string {
	var out []string
	for _, label := range root.one(t, "g", "ticks").all("text", "") {
		out = append(out, label.Text)
	}
	return out
}

func TestLineTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi int64
		want   string
	}{
		{0, 0, "[0 1 2]"},
		{0, 1, "[0 1 2]"},
		{0, 7, "[0 2 4 6 8]"},
		{0, 500000, "[0 200000 400000 600000]"},
		{0, 1000000, "[0 500000 1000000]"},
		{-3, 40, "[-20 0 20 40]"},
		{0, 100000000, "[0 50000000 100000000]"},
	} {
		if got := fmt.Sprint(lineTicks(c.lo, c.hi)); got != c.want {
			t.Errorf("lineTicks(%d, %d) = %s, want %s", c.lo, c.hi, got, c.want)
		}
	}
}
