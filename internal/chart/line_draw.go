package chart

import (
	"html/template"
	"strconv"
	"strings"
)

// writeGrid draws a gridline and a right-aligned label per tick; the zero
// line is darker (class axis) since the cumulative counts start there.
func (f lineFrame) writeGrid(b *strings.Builder) {
	var ticks strings.Builder
	b.WriteString(`<g class="grid" stroke="#e3ded6">`)
	for i, t := range f.ticks {
		y := lineCoord(f.y(t))
		b.WriteString(`<line x1="` + lineCoord(f.left) + `" x2="` + lineCoord(f.right) + `" y1="` + y + `" y2="` + y + `"`)
		if t == 0 {
			b.WriteString(` class="axis" stroke="#999"`)
		}
		b.WriteString(`/>`)
		ticks.WriteString(`<text x="` + lineCoord(f.left-5) + `" y="` + lineCoord(f.y(t)+4) + `">` +
			template.HTMLEscapeString(f.labels[i]) + `</text>`)
	}
	b.WriteString(`</g><g class="ticks" fill="#666" text-anchor="end">` + ticks.String() + `</g>`)
}

// writeDays labels the first and the last day under the plot.
func (f lineFrame) writeDays(b *strings.Builder, l Line) {
	if len(l.Days) == 0 {
		return
	}
	y := `" y="` + strconv.Itoa(lineHeight-6) + `"`
	b.WriteString(`<g class="days" fill="#666"><text x="` + lineCoord(f.left) + y + `>` + template.HTMLEscapeString(lineDate(l, 0)) + `</text>`)
	if last := len(l.Days) - 1; last > 0 {
		b.WriteString(`<text x="` + lineCoord(f.right) + y + ` text-anchor="end">` + template.HTMLEscapeString(lineDate(l, last)) + `</text>`)
	}
	b.WriteString(`</g>`)
}

// writeToday marks the last actual day with a vertical line and its date
// above the plot, clear of the first and last day's labels below it.
func (f lineFrame) writeToday(b *strings.Builder, l Line, today int) {
	x := f.x(today)
	date := lineDate(l, today)
	half := lineTextWidth(date) / 2
	center := max(half+1, min(x, lineWidth-half-1))
	b.WriteString(`<g class="today"><line x1="` + lineCoord(x) + `" x2="` + lineCoord(x) +
		`" y1="` + strconv.Itoa(lineTop-4) + `" y2="` + strconv.Itoa(lineBottom) + `" stroke="#999" stroke-dasharray="2 3"/>` +
		`<text x="` + lineCoord(center) + `" y="` + strconv.Itoa(lineTop-8) + `" text-anchor="middle" fill="#333">` + template.HTMLEscapeString(date) + `</text></g>`)
}

// writeArea shades under the actual line down to zero.
func (f lineFrame) writeArea(b *strings.Builder, actual []int64) {
	zero := lineCoord(f.y(0))
	b.WriteString(`<polygon class="area" fill="#0b5cad" fill-opacity=".12" points="` +
		lineCoord(f.x(0)) + "," + zero + " " + f.points(actual) + " " +
		lineCoord(f.x(len(actual)-1)) + "," + zero + `"/>`)
}

func (f lineFrame) writeActual(b *strings.Builder, actual []int64) {
	b.WriteString(`<polyline class="actual" fill="none" stroke="#0b5cad" stroke-width="2.5" stroke-linejoin="round" points="` +
		f.points(actual) + `"/>`)
}

// points is one "x,y" per day of values.
func (f lineFrame) points(values []int64) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = lineCoord(f.x(i)) + "," + lineCoord(f.y(v))
	}
	return strings.Join(parts, " ")
}

func lineSegment(b *strings.Builder, class, attrs string, x1, y1, x2, y2 float64) {
	b.WriteString(`<line class="` + class + `" ` + attrs + ` x1="` + lineCoord(x1) + `" y1="` + lineCoord(y1) +
		`" x2="` + lineCoord(x2) + `" y2="` + lineCoord(y2) + `"/>`)
}

// lineDate is day i's label, not yet escaped.
func lineDate(l Line, i int) string {
	if l.Date == nil {
		return l.Days[i]
	}
	return l.Date(l.Days[i])
}
