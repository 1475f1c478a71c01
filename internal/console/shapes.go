package console

import (
	"context"
	"html/template"

	"github.com/jodo-org/jodo/internal/store"
)

// mapArea is a child as the map shows it.
type mapArea struct {
	Area               store.Area
	Href, Title, Class string
}

// drawMap is the map of areas; ok is false when any of them has no shape
// (booths, a state without shapes), and then no map is drawn.
func (c *Console) drawMap(ctx context.Context, areas []mapArea, label string) (template.HTML, bool, error) {
	return "", false, nil // the shapes (geo.Outlines, geo.Union) land with the map
}
