package chart

import (
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
)

// Every awkward input still draws valid SVG whose axis covers its values and
// whose actual points sit on that axis.
func TestLineEdges(t *testing.T) {
	days := testDays(30)
	for _, l := range []Line{
		{Label: "no days", Actual: []int64{4}, Target: ptr(9)},
		{Label: "not begun", Days: days, Target: ptr(1000), Projected: ptr(0)},
		{Label: "one day", Days: days[:1], Actual: []int64{5}, Target: ptr(10), Projected: ptr(12)},
		{Label: "all zeros", Days: days, Actual: make([]int64, 9), Target: ptr(0), Projected: ptr(0)},
		{Label: "no target, no projection", Days: days, Actual: []int64{1, 2, 3}},
		{Label: "above target", Days: days, Actual: testCumulative(20, 900), Target: ptr(5000), Projected: ptr(40000)},
		{Label: "dip below zero", Days: days, Actual: []int64{0, 3, 5, 4, -2, 2, 6}, Target: ptr(40), Projected: ptr(-7)},
		{Label: "ten crore", Days: days, Actual: testCumulative(15, 60_00_000), Target: ptr(10_00_00_000), Projected: ptr(19_00_00_000)},
		{Label: "ended", Days: days, Actual: testCumulative(30, 30), Target: ptr(500), Projected: ptr(1500)},
		{Label: "more actual than days", Days: days[:5], Actual: testCumulative(9, 3), Projected: ptr(90)},
	} {
		t.Run(l.Label, func(t *testing.T) {
			l.Number = testIndian
			root := parseSVG(t, l)
			ax := readAxis(t, root)
			values := append([]int64{0}, l.Actual[:min(len(l.Actual), len(l.Days))]...)
			for _, p := range []*int64{l.Target, l.Projected} {
				if p != nil {
					values = append(values, *p)
				}
			}
			for _, v := range values {
				if v < ax.values[0] || v > ax.values[len(ax.values)-1] {
					t.Errorf("value %d off the axis %v", v, ax.values)
				}
			}
			checkActual(t, root, ax, l)
			checkInside(t, root)
		})
	}
}

// checkActual: one point per shown day, each at its value's height; the
// target and the projection only when given (and a projection only before
// the last day).
func checkActual(t *testing.T, root svgNode, ax axis, l Line) {
	shown := l.Actual[:min(len(l.Actual), len(l.Days))]
	lines := root.all("polyline", "actual")
	if len(shown) == 0 {
		if len(lines) != 0 || len(root.all("g", "today")) != 0 {
			t.Errorf("no actual values, yet an actual line or today's marker")
		}
	} else {
		points := root.one(t, "polyline", "actual").points(t)
		if len(points) != len(shown) {
			t.Fatalf("%d points for %d days", len(points), len(shown))
		}
		for i, p := range points {
			if !near(p[1], ax.y(shown[i])) {
				t.Errorf("day %d at y %v, want %v for %d", i, p[1], ax.y(shown[i]), shown[i])
			}
		}
	}
	wantTarget := l.Target != nil && len(l.Days) > 0
	if got := len(root.all("line", "target")); got != map[bool]int{true: 1}[wantTarget] {
		t.Errorf("%d target lines, want it %v", got, wantTarget)
	}
	wantProj := l.Projected != nil && len(shown) > 0 && len(shown) < len(l.Days)
	if got := len(root.all("line", "projection")); got != map[bool]int{true: 1}[wantProj] {
		t.Errorf("%d projections, want it %v", got, wantProj)
	}
}

// checkInside: every coordinate lies in the 360×200 viewBox, and every tick
// label fits left of the plot at 0.6 em a digit and 0.3 em a comma (DejaVu
// Sans, the widest common sans, is 0.64 and 0.32).
func checkInside(t *testing.T, root svgNode) {
	for _, tag := range []string{"line", "text", "circle", "polyline", "polygon"} {
		for _, n := range root.all(tag, "") {
			for _, a := range n.Attrs {
				for _, v := range lineNumbers(a) {
					if v < 0 || v > 360 || strings.HasPrefix(a.Name.Local, "y") && v > 200 {
						t.Errorf("<%s %s=%q> outside the viewBox", tag, a.Name.Local, a.Value)
					}
				}
			}
		}
	}
	for _, label := range root.one(t, "g", "ticks").all("text", "") {
		commas := strings.Count(label.Text, ",")
		if right := label.num(t, "x"); right-(0.6*float64(len(label.Text)-commas)+0.3*float64(commas))*12 < 0 {
			t.Errorf("tick label %q ends at %v: cut off", label.Text, right)
		}
	}
}

// lineNumbers are an attribute's coordinates, if it holds any.
func lineNumbers(a xml.Attr) []float64 {
	switch a.Name.Local {
	case "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "points":
	default:
		return nil
	}
	var out []float64
	for _, f := range strings.FieldsFunc(a.Value, func(r rune) bool { return r == ' ' || r == ',' }) {
		v, _ := strconv.ParseFloat(f, 64)
		out = append(out, v)
	}
	return out
}
