package chart

import (
	"html/template"
	"strconv"
	"strings"
)

// Line is one metric's daily chart.
type Line struct {
	Days      []string            // the drive's days "2026-02-12".."2026-03-13", start..end inclusive: the x axis
	Actual    []int64             // cumulative actual for Days[0..len(Actual)-1] (through today; may be empty before the start)
	Target    *int64              // nil: no target line; else a straight line from 0 at Days[0] to *Target at the last day
	Projected *int64              // nil: none; else dashed line from the last actual point to this value at the last day
	Label     string              // accessible name: role="img" aria-label=Label, plus <title>
	Number    func(int64) string  // axis numbers (the console passes Indian grouping: 5,00,000)
	Date      func(string) string // axis dates ("12 Feb" / Hindi); nil: the day as given
}

// LineSVG draws l as an inline SVG that takes its container's width. The
// console's stylesheet may restyle these classes (each also has fill/stroke
// attributes so the chart reads without it):
//
//	svg.chart.line        the whole chart (font-size 12 of a 360-unit-wide viewBox)
//	.chart .grid          y gridlines; .chart .axis the zero line
//	.chart .ticks         y tick labels; .chart .days the first and last day's labels
//	.chart .area          the light area under the actual line
//	.chart .actual        the cumulative actual (solid)
//	.chart .target        the target line, 0 at the first day to the target at the last
//	.chart .projection    the dashed projection from today to the last day
//	.chart .today         today's vertical marker and its date label
//	.chart .now           the dot on today's actual value
//
// Values beyond ±10^15 are drawn at that bound.
func LineSVG(l Line) template.HTML {
	actual := l.Actual
	if len(actual) > len(l.Days) {
		actual = actual[:len(l.Days)]
	}
	f := newLineFrame(l, actual)
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart line" viewBox="0 0 `)
	b.WriteString(strconv.Itoa(lineWidth) + " " + strconv.Itoa(lineHeight))
	b.WriteString(`" width="100%" font-size="` + strconv.Itoa(lineFontSize) + `" role="img" aria-label="`)
	b.WriteString(template.HTMLEscapeString(l.Label) + `"><title>` + template.HTMLEscapeString(l.Label) + `</title>`)
	f.writeGrid(&b)
	f.writeDays(&b, l)
	if len(l.Days) > 0 {
		f.writeData(&b, l, actual)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// writeData draws the series, target first so the actual line lies on top.
func (f lineFrame) writeData(b *strings.Builder, l Line, actual []int64) {
	if l.Target != nil {
		lineSegment(b, "target", `stroke="#b34700" stroke-width="1.5"`,
			f.left, f.y(0), f.right, f.y(*l.Target))
	}
	if len(actual) == 0 {
		return
	}
	today := len(actual) - 1
	tx, ty := f.x(today), f.y(actual[today])
	f.writeToday(b, l, today)
	if len(actual) > 1 {
		f.writeArea(b, actual)
	}
	f.writeActual(b, actual)
	if l.Projected != nil && today < len(l.Days)-1 {
		lineSegment(b, "projection", `stroke="#0b5cad" stroke-width="2" stroke-dasharray="5 4"`,
			tx, ty, f.right, f.y(*l.Projected))
	}
	b.WriteString(`<circle class="now" cx="` + lineCoord(tx) + `" cy="` + lineCoord(ty) + `" r="3.5" fill="#0b5cad"/>`)
}
