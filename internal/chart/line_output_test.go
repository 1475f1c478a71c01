package chart

import (
	"strconv"
	"strings"
	"testing"
)

// A label, number or date with markup stays text.
func TestLineEscapes(t *testing.T) {
	hostile := `Leads "><script>alert(1)</script>&amp;'`
	l := Line{Days: testDays(5), Actual: []int64{1, 2}, Target: ptr(10), Label: hostile,
		Number: func(n int64) string { return "<b>" + strconv.FormatInt(n, 10) },
		Date:   func(d string) string { return `<img src=x onerror="` + d + `">` }}
	root := parseSVG(t, l)
	if len(root.all("script", "")) != 0 || len(root.all("img", "")) != 0 || len(root.all("b", "")) != 0 {
		t.Fatalf("markup got through:\n%s", LineSVG(l))
	}
	if got := root.attr("aria-label"); got != hostile {
		t.Errorf("aria-label %q, want %q", got, hostile)
	}
	if got := root.one(t, "title", "").Text; got != hostile {
		t.Errorf("title %q, want %q", got, hostile)
	}
	if got := root.one(t, "g", "today").one(t, "text", "").Text; got != `<img src=x onerror="2026-02-13">` {
		t.Errorf("today's date %q, want the text as given", got)
	}
	if got := tickLabels(t, root)[0]; got != "<b>0" {
		t.Errorf("tick label %q, want <b>0 as text", got)
	}
}

// The chart is the same bytes for the same input, small, scales to its
// container and is readable on a phone: no fixed size, no style attribute
// (the console's policy forbids them), text ≥ 11 px when drawn 340 px wide.
func TestLineOutput(t *testing.T) {
	l := Line{Days: testDays(30), Actual: testCumulative(30, 1_23_456), Target: ptr(50_00_000), Projected: ptr(40_00_000),
		Label: "Members in Jharkhand", Number: testIndian, Date: shortDate}
	out := string(LineSVG(l))
	if again := string(LineSVG(l)); again != out {
		t.Fatal("two renderings differ")
	}
	if len(out) > 4096 {
		t.Errorf("a 30-day chart is %d bytes, want at most 4 KB", len(out))
	}
	if strings.Contains(out, "style") || strings.Contains(out, "height=") || strings.Contains(out, "px") {
		t.Errorf("a style or a fixed size in %s", out)
	}
	root := parseSVG(t, l)
	if root.attr("width") != "100%" || root.attr("role") != "img" {
		t.Errorf("svg width %q role %q, want 100%% and img", root.attr("width"), root.attr("role"))
	}
	box := strings.Fields(root.attr("viewBox"))
	width, _ := strconv.ParseFloat(box[2], 64)
	if px := root.num(t, "font-size") * 340 / width; px < 11 {
		t.Errorf("text is %.1f px on a 340 px chart, want at least 11", px)
	}
	t.Logf("30-day chart: %d bytes", len(out))
}
