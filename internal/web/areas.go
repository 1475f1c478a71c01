package web

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/store"
)

// option is one entry of a picker.
type option struct {
	Code, Label string
	Selected    bool
}

// acGroup is one district's ACs.
type acGroup struct {
	Code, Label string
	Options     []option
}

// acGroups is the AC picker: the ACs grouped by district, the selected one
// marked. With district set, only that district's group is offered (what
// the page's script does in a browser), and the selected AC's wherever it is.
func acGroups(acs, districts []store.Area, lang, district, selected string) []acGroup {
	var out []acGroup
	for _, d := range districts {
		g := acGroup{Code: d.Code, Label: areaLabel(d, lang)}
		for _, a := range acs {
			if a.District == d.Code {
				g.Options = append(g.Options, option{Code: a.Code, Label: a.Number + " · " + areaLabel(a, lang), Selected: a.Code == selected})
			}
		}
		if district == "" || district == d.Code || slices.ContainsFunc(g.Options, func(o option) bool { return o.Selected }) {
			out = append(out, g)
		}
	}
	return out
}

// acCodeOf is the code of the AC an area is or lies in ("" if none).
func (h *Web) acCodeOf(ctx context.Context, tx *store.Tx, areaID int64) string {
	a, err := store.AreaByID(ctx, tx, areaID)
	switch {
	case err != nil:
		return ""
	case a.Kind == "ac":
		return a.Code
	case a.Kind == "booth":
		return a.Parent
	}
	return ""
}

// sortByNumber orders areas by their number, as electoral rolls do
// (an auxiliary booth "2A" after "2").
func sortByNumber(areas []store.Area) {
	slices.SortFunc(areas, func(a, b store.Area) int { return geo.CompareNumbers(a.Number, b.Number) })
}

// areaLabel is an area's name in lang: the local name in Hindi when known.
func areaLabel(a store.Area, lang string) string { return locale.Name(lang, a.NameEN, a.NameLocal) }

// areaChoices is the drive's ACs, by number, and their districts, by name;
// none under no root.
func (h *Web) areaChoices(ctx context.Context, root string) (acs, districts []store.Area, err error) {
	if root == "" {
		return nil, nil, nil
	}
	acs, err = h.db.Descendants(ctx, root, "ac")
	if err != nil {
		return nil, nil, err
	}
	if root, err := h.db.GetArea(ctx, root); err == nil && root.Kind == "ac" {
		acs = append(acs, root)
	}
	sortByNumber(acs)
	var codes []string
	for _, a := range acs {
		if a.District != "" && !slices.Contains(codes, a.District) {
			codes = append(codes, a.District)
		}
	}
	if len(codes) > 0 {
		if districts, err = h.db.AreasByCodes(ctx, codes); err != nil {
			return nil, nil, err
		}
	}
	slices.SortFunc(districts, func(a, b store.Area) int { return strings.Compare(a.NameEN, b.NameEN) })
	return acs, districts, nil
}

// geographyRoot is the area a member in no drive chooses their AC under:
// the loaded geography's state, when it holds one only ("" otherwise).
func (h *Web) geographyRoot(ctx context.Context) (string, error) {
	states, err := h.db.ListAreas(ctx, store.AreaFilter{Kind: "state", Limit: 2})
	if err != nil || len(states) != 1 {
		return "", err
	}
	return states[0].Code, nil
}

// locate resolves a posted location to one of the drive's ACs.
func (h *Web) locate(ctx context.Context, root string, f joinForm) (store.Area, bool) {
	lat, err1 := strconv.ParseFloat(f.Lat, 64)
	lon, err2 := strconv.ParseFloat(f.Lon, 64)
	if err1 != nil || err2 != nil {
		return store.Area{}, false
	}
	rootArea, err := h.db.GetArea(ctx, root)
	if err != nil {
		return store.Area{}, false
	}
	shapes, err := geo.ACShapes(rootArea.Path)
	if err != nil {
		return store.Area{}, false
	}
	code, ok := shapes.Locate(lat, lon)
	if !ok {
		return store.Area{}, false
	}
	acs, _, err := h.areaChoices(ctx, root)
	if err != nil {
		return store.Area{}, false
	}
	i := slices.IndexFunc(acs, func(a store.Area) bool { return a.Code == code })
	if i < 0 {
		return store.Area{}, false
	}
	return acs[i], true
}
