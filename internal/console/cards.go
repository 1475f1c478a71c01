package console

import (
	"context"

	"github.com/jodo-org/jodo/internal/dashboard"
	"github.com/jodo-org/jodo/internal/store"
)

// placeCard is one area of a scope of several, linking to its page.
type placeCard struct {
	Name, Href string
	Metrics    []metricCard
}

// fillCards gives each of places a card: a coordinator of two ACs sees
// both, never a parent invented to hold them.
func (c *Console) fillCards(ctx context.Context, p *dashboardPage, d store.Drive, places []store.Area, q dashQuery) error {
	cards, err := dashboard.Cards(ctx, c.db, d, places)
	if err != nil {
		return err
	}
	p.Heading = p.T("dash.cards")
	p.Title = p.T("progress.heading", "Area", p.Heading)
	for _, card := range cards {
		v := placeCard{Name: areaLabel(card.Area, p.Lang), Href: q.drill(card.Area.Code)}
		for _, m := range card.Report.Metrics {
			v.Metrics = append(v.Metrics, p.metricCard(m, card.Report))
		}
		p.Cards = append(p.Cards, v)
	}
	return nil
}
