package console

import (
	"context"
	"html/template"

	"github.com/jodo-org/jodo/internal/chart"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/store"
)

// mapArea is a child as the map shows it.
type mapArea struct {
	Area               store.Area
	Href, Title, Class string
}

// drawMap is the map of areas; ok is false when any of them has no shape
// (booths, a state without shapes), and then no map is drawn: a map with
// holes would read as areas with nothing in them.
func (c *Console) drawMap(ctx context.Context, areas []mapArea, label string) (template.HTML, bool, error) {
	shapes, ok, err := c.shapesOf(ctx, areas)
	if err != nil || !ok {
		return "", false, err
	}
	out := make([]chart.MapArea, len(areas))
	for i, a := range areas {
		out[i] = chart.MapArea{Code: a.Area.Code, Href: a.Href, Title: a.Title, Class: a.Class, Rings: shapes[a.Area.Code]}
	}
	svg := c.maps.draw(out, label)
	return svg, svg != "", nil
}

// shapesOf are the outlines of areas by code: PCs' and ACs' shipped
// shapes, a district's the union of its ACs.
func (c *Console) shapesOf(ctx context.Context, areas []mapArea) (map[string][][][2]float64, bool, error) {
	var codes []string
	for _, a := range areas {
		if a.Area.Kind != "district" {
			codes = append(codes, a.Area.Code)
		}
	}
	shapes, err := geo.Outlines(codes)
	if err != nil {
		return nil, false, err
	}
	for _, a := range areas {
		if a.Area.Kind != "district" {
			continue
		}
		rings, ok, err := c.districtShape(ctx, a.Area.Code)
		if err != nil || !ok {
			return nil, false, err
		}
		shapes[a.Area.Code] = rings
	}
	for _, a := range areas {
		if _, ok := shapes[a.Area.Code]; !ok {
			return nil, false, nil
		}
	}
	return shapes, true, nil
}

// districtShape is the union of a district's ACs. Only a union found is
// kept: the shipped shapes do not change while Jodo runs.
func (c *Console) districtShape(ctx context.Context, code string) ([][][2]float64, bool, error) {
	if rings, ok := c.maps.district(code); ok {
		return rings, true, nil
	}
	acs, err := c.db.ListAreas(ctx, store.AreaFilter{Parent: code})
	if err != nil || len(acs) == 0 {
		return nil, false, err
	}
	codes := make([]string, len(acs))
	for i, a := range acs {
		codes[i] = a.Code
	}
	rings, ok, err := geo.Union(codes)
	if err == nil && ok {
		c.maps.keepDistrict(code, rings)
	}
	return rings, ok, err
}
