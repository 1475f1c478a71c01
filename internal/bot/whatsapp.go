package bot

import (
	"github.com/jodo-org/jodo/internal/graph"
)

// WhatsApp's limits on what a reply shows (PROVIDERS.md §1.6), in runes.
const (
	maxButtons     = 3
	maxButtonTitle = 20
	maxRows        = 10
	maxRowTitle    = 24
	maxRowDesc     = 72
	maxMenu        = 20
	maxButtonsBody = 1024
)

// Outgoing is r as a WhatsApp message: text alone; up to 3 choices as
// reply buttons, unless r names a Menu; more (at most 10: the flows page
// longer lists) as a list behind the Menu button. Titles too long for
// WhatsApp are cut, never refused.
func Outgoing(r Reply, replyTo string) graph.Outgoing {
	o := graph.Outgoing{Kind: graph.KindText, Text: r.Text, ReplyTo: replyTo}
	switch {
	case len(r.Choices) == 0:
	case len(r.Choices) <= maxButtons && r.Menu == "":
		o.Kind, o.Text = graph.KindButtons, cut(r.Text, maxButtonsBody)
		for _, c := range r.Choices {
			o.Buttons = append(o.Buttons, graph.Button{ID: c.ID, Title: cut(c.Title, maxButtonTitle)})
		}
	default:
		menu := r.Menu
		if menu == "" {
			menu = "…"
		}
		o.Kind, o.ListButton = graph.KindList, cut(menu, maxMenu)
		var rows []graph.Row
		for _, c := range r.Choices[:min(len(r.Choices), maxRows)] {
			rows = append(rows, graph.Row{ID: c.ID, Title: cut(c.Title, maxRowTitle), Description: cut(c.Description, maxRowDesc)})
		}
		o.Sections = []graph.Section{{Rows: rows}}
	}
	return o
}

// cut shortens s to n runes, ending with "…" when it had to.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
