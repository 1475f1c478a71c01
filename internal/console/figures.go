package console

import (
	"math"
	"strconv"
	"time"

	"github.com/jodo-org/jodo/internal/drive"
)

// The figures of a metric as the page writes them: Indian grouping in
// both languages, "—" where there is nothing to show.
const none = "—"

func percentText(p *float64) string {
	if p == nil {
		return none
	}
	return strconv.FormatFloat(*p, 'f', 1, 64) + "%"
}

func targetText(t *int64) string {
	if t == nil {
		return none
	}
	return indian(*t)
}

// neededText is the needed daily pace, rounded up: a pace that falls
// short by a fraction would still miss the target.
func neededText(p *float64) string {
	if p == nil {
		return none
	}
	return indian(int64(math.Ceil(*p)))
}

func recentText(p *float64) string {
	if p == nil {
		return none
	}
	return indian(int64(math.Round(*p)))
}

// statusWord is a metric's mark in words: the colour's meaning, or for
// grey the reason nothing is judged.
func (t tr) statusWord(m drive.MetricProgress) string {
	if m.Status == drive.StatusGrey {
		return t.T("status." + m.StatusReason)
	}
	return t.T("status." + m.Status)
}

// monthsHi are the months' short Hindi names.
var monthsHi = [12]string{"जन", "फ़र", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अग", "सित", "अक्टू", "नव", "दिस"}

// date writes a day "2026-02-12" as "12 Feb" (Hindi "12 फ़र").
func (t tr) date(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	if t.Lang == "hi" {
		return strconv.Itoa(d.Day()) + " " + monthsHi[d.Month()-1]
	}
	return d.Format("2 Jan")
}
