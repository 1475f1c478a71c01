package chart

import (
	"math"
	"strconv"
)

// The viewBox is sized for a phone: drawn 340 px wide, a 12-unit font is
// still 11.3 px.
const (
	lineWidth    = 360
	lineHeight   = 200
	lineFontSize = 12
	lineTop      = 22 // room for today's date above the plot
	lineBottom   = lineHeight - 22
	lineRight    = lineWidth - 8 // room for the dot on the last day
	lineLimit    = 1_000_000_000_000_000
)

// lineFrame maps days and values to viewBox coordinates.
type lineFrame struct {
	days        int
	left, right float64
	ticks       []int64 // the y axis's round values, lowest first
	labels      []string
}

func newLineFrame(l Line, actual []int64) lineFrame {
	lo, hi := int64(0), int64(0)
	for _, v := range lineExtent(l, actual) {
		lo, hi = min(lo, v), max(hi, v)
	}
	f := lineFrame{days: len(l.Days), right: lineRight, ticks: lineTicks(lo, hi)}
	number := l.Number
	if number == nil {
		number = func(n int64) string { return strconv.FormatInt(n, 10) }
	}
	widest := 0.0
	for _, t := range f.ticks {
		label := number(t)
		f.labels = append(f.labels, label)
		widest = max(widest, lineTextWidth(label))
	}
	// The left margin is the longest label's, so 10,00,00,000 fits whole.
	f.left = min(widest+9, lineWidth/2)
	return f
}

// lineExtent is every value the chart must show.
func lineExtent(l Line, actual []int64) []int64 {
	values := append([]int64(nil), actual...)
	for _, p := range []*int64{l.Target, l.Projected} {
		if p != nil {
			values = append(values, *p)
		}
	}
	for i, v := range values {
		values[i] = max(-lineLimit, min(v, lineLimit))
	}
	return values
}

// lineTicks picks the smallest round step (1, 2 or 5 × 10^k) that covers
// lo..hi (lo ≤ 0 ≤ hi) in at most four intervals, and never fewer than two,
// so the axis has three to five labels.
func lineTicks(lo, hi int64) []int64 {
	for mag := int64(1); ; mag *= 10 {
		for _, m := range []int64{1, 2, 5} {
			step := m * mag
			first, last := lineFloorDiv(lo, step), -lineFloorDiv(-hi, step)
			if last-first > 4 {
				continue
			}
			last = max(last, first+2)
			ticks := make([]int64, 0, last-first+1)
			for i := first; i <= last; i++ {
				ticks = append(ticks, i*step)
			}
			return ticks
		}
	}
}

func lineFloorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// x is day i's position; a one-day drive sits at the left.
func (f lineFrame) x(i int) float64 {
	if f.days < 2 {
		return f.left
	}
	return f.left + float64(i)*(f.right-f.left)/float64(f.days-1)
}

func (f lineFrame) y(v int64) float64 {
	v = max(-lineLimit, min(v, lineLimit))
	lo, hi := f.ticks[0], f.ticks[len(f.ticks)-1]
	return lineBottom - float64(v-lo)/float64(hi-lo)*(lineBottom-lineTop)
}

// lineTextWidth estimates a label's width at the chart's font size: digits
// are at most 0.64 em in common sans fonts (DejaVu Sans; Roboto 0.56),
// separators 0.32 em.
func lineTextWidth(s string) float64 {
	em := 0.0
	for _, r := range s {
		switch {
		case r == ',' || r == '.' || r == ' ':
			em += 0.32
		case r < 0x80:
			em += 0.64
		default:
			em += 0.72
		}
	}
	return em * lineFontSize
}

// lineCoord writes a coordinate with at most one decimal.
func lineCoord(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}
