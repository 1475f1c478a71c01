package chart

import (
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
	"time"
)

// svgNode is a parsed SVG element: the tests read the chart back as XML.
type svgNode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []svgNode  `xml:",any"`
	Text    string     `xml:",chardata"`
}

func parseSVG(t *testing.T, l Line) svgNode {
	t.Helper()
	var root svgNode
	if err := xml.Unmarshal([]byte(LineSVG(l)), &root); err != nil {
		t.Fatalf("%s: not XML: %v\n%s", l.Label, err, LineSVG(l))
	}
	return root
}

func (n svgNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n svgNode) num(t *testing.T, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.XMLName.Local, name, n.attr(name), err)
	}
	return v
}

// all is every element below n (n included) with the tag and class given
// ("" for any class).
func (n svgNode) all(tag, class string) []svgNode {
	var out []svgNode
	if n.XMLName.Local == tag && (class == "" || n.attr("class") == class) {
		out = append(out, n)
	}
	for _, c := range n.Nodes {
		out = append(out, c.all(tag, class)...)
	}
	return out
}

func (n svgNode) one(t *testing.T, tag, class string) svgNode {
	t.Helper()
	found := n.all(tag, class)
	if len(found) != 1 {
		t.Fatalf("%d <%s class=%q>, want 1", len(found), tag, class)
	}
	return found[0]
}

// points reads a polyline's "x,y x,y" list.
func (n svgNode) points(t *testing.T) [][2]float64 {
	t.Helper()
	var out [][2]float64
	for _, p := range strings.Fields(n.attr("points")) {
		x, y, _ := strings.Cut(p, ",")
		fx, err1 := strconv.ParseFloat(x, 64)
		fy, err2 := strconv.ParseFloat(y, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("point %q", p)
		}
		out = append(out, [2]float64{fx, fy})
	}
	return out
}

// axis is the y axis as drawn: each tick's value (read back from its
// Indian-grouped label) and y, lowest value first.
type axis struct {
	values []int64
	ys     []float64
}

func readAxis(t *testing.T, root svgNode) axis {
	t.Helper()
	var a axis
	for _, label := range root.one(t, "g", "ticks").all("text", "") {
		v, err := strconv.ParseInt(strings.ReplaceAll(label.Text, ",", ""), 10, 64)
		if err != nil {
			t.Fatalf("tick label %q", label.Text)
		}
		a.values = append(a.values, v)
		a.ys = append(a.ys, label.num(t, "y")-4)
	}
	if len(a.values) < 3 || len(a.values) > 5 {
		t.Fatalf("%d ticks %v, want 3 to 5", len(a.values), a.values)
	}
	return a
}

// y is where value v lies on the axis, interpolated from its first and last
// ticks.
func (a axis) y(v int64) float64 {
	lo, hi := a.values[0], a.values[len(a.values)-1]
	return a.ys[0] + float64(v-lo)*(a.ys[len(a.ys)-1]-a.ys[0])/float64(hi-lo)
}

func near(a, b float64) bool { return a-b < 0.11 && b-a < 0.11 }

// testIndian groups like the console: 5,00,000.
func testIndian(n int64) string {
	s := strconv.FormatInt(max(n, -n), 10)
	var groups []string
	for len(s) > 3 && len(groups) == 0 || len(s) > 2 && len(groups) > 0 {
		size := 2
		if len(groups) == 0 {
			size = 3
		}
		groups = append([]string{s[len(s)-size:]}, groups...)
		s = s[:len(s)-size]
	}
	out := strings.Join(append([]string{s}, groups...), ",")
	if n < 0 {
		return "-" + out
	}
	return out
}

func TestIndianHelper(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 500000: "5,00,000", 100000000: "10,00,00,000", -150000: "-1,50,000"} {
		if got := testIndian(n); got != want {
			t.Errorf("testIndian(%d) = %q, want %q", n, got, want)
		}
	}
}

func testDays(n int) []string {
	start := time.Date(2026, 2, 12, 0, 0, 0, 0, time.UTC)
	days := make([]string, n)
	for i := range days {
		days[i] = start.AddDate(0, 0, i).Format(time.DateOnly)
	}
	return days
}

// testCumulative is n days of a running total growing by about perDay.
func testCumulative(n int, perDay int64) []int64 {
	out := make([]int64, n)
	total := int64(0)
	for i := range out {
		total += perDay + perDay*int64(i%3)/4
		out[i] = total
	}
	return out
}
