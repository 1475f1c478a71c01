package console

import (
	"strconv"

	"github.com/jodo-org/jodo/internal/dashboard"
)

// funnelStep is one stage of the funnel: its count, bar against the
// largest stage, and share of the stage before.
type funnelStep struct {
	Name, Count, Share string
	Bar                *bar
}

func (t tr) funnel(steps []dashboard.Step) []funnelStep {
	var most int64
	for _, s := range steps {
		most = max(most, s.Count)
	}
	out := make([]funnelStep, 0, len(steps))
	for _, s := range steps {
		out = append(out, funnelStep{Name: t.T("metric." + s.Metric), Count: indian(s.Count), Share: percentText(s.Share), Bar: newBar(s.Count, most)})
	}
	return out
}

// channelMix is how one metric's people came.
type channelMix struct {
	Name   string
	Shares []channelShare
}

type channelShare struct {
	Name, Count, Percent string
	Bar                  *bar // out of a thousand: a tenth of a percent
}

func (t tr) channels(b dashboard.Board) []channelMix {
	var out []channelMix
	for _, metric := range []string{"leads", "members"} {
		mix := channelMix{Name: t.T("metric." + metric)}
		for _, s := range b.Channels[metric] {
			mix.Shares = append(mix.Shares, channelShare{Name: t.T("channel." + s.Channel), Count: indian(s.Count),
				Percent: strconv.FormatFloat(s.Percent, 'f', 1, 64) + "%", Bar: newBar(int64(s.Percent*10), 1000)})
		}
		out = append(out, mix)
	}
	return out
}
