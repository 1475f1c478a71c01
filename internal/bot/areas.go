package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jodo-org/jodo/internal/areamatch"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/store"
)

// areaSet is what the join flow offers and matches under a drive's root:
// its districts and ACs, and matchers over them.
type areaSet struct {
	at        time.Time
	rootPath  string       // where the root is in the geography, for its shapes
	districts []store.Area // by English name
	acs       []store.Area // by number
	byCode    map[string]store.Area
	acsOf     map[string][]store.Area // district code → its ACs, by number
	districtM *areamatch.Matcher
	acM       map[string]*areamatch.Matcher // district code ("" for all) → matcher

	mu     sync.Mutex
	booths map[string][]store.Area // AC code → its booths, as first asked for
}

// boothsOf returns the booths of an AC of the set, cached with it.
func (e *Engine) boothsOf(ctx context.Context, set *areaSet, ac string) ([]store.Area, error) {
	set.mu.Lock()
	booths, ok := set.booths[ac]
	set.mu.Unlock()
	if ok {
		return booths, nil
	}
	booths, err := e.db.Descendants(ctx, ac, "booth")
	if err != nil {
		return nil, err
	}
	set.mu.Lock()
	set.booths[ac] = booths
	set.mu.Unlock()
	return booths, nil
}

// areasOf returns the areas under root, cached.
func (e *Engine) areasOf(ctx context.Context, root string) (*areaSet, error) {
	e.mu.Lock()
	a := e.areas[root]
	e.mu.Unlock()
	if a != nil && time.Since(a.at) < cacheFor {
		return a, nil
	}
	acs, err := e.db.Descendants(ctx, root, "ac")
	if err != nil {
		return nil, err
	}
	r, rootErr := e.db.GetArea(ctx, root)
	if rootErr == nil && r.Kind == "ac" {
		acs = append(acs, r)
	}
	slices.SortFunc(acs, func(x, y store.Area) int { return geo.CompareNumbers(x.Number, y.Number) })
	a = &areaSet{at: time.Now(), rootPath: r.Path, acs: acs, byCode: map[string]store.Area{}, acsOf: map[string][]store.Area{},
		acM: map[string]*areamatch.Matcher{}, booths: map[string][]store.Area{}}
	var codes []string
	for _, ac := range acs {
		a.byCode[ac.Code] = ac
		if ac.District != "" {
			if len(a.acsOf[ac.District]) == 0 {
				codes = append(codes, ac.District)
			}
			a.acsOf[ac.District] = append(a.acsOf[ac.District], ac)
		}
	}
	if len(codes) > 0 {
		if a.districts, err = e.db.AreasByCodes(ctx, codes); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(a.districts, func(x, y store.Area) int { return strings.Compare(x.NameEN, y.NameEN) })
	for _, d := range a.districts {
		a.byCode[d.Code] = d
	}
	a.districtM = areamatch.New(a.districts)
	a.acM[""] = areamatch.New(acs)
	for d, list := range a.acsOf {
		a.acM[d] = areamatch.New(list)
	}
	e.mu.Lock()
	e.areas[root] = a
	e.mu.Unlock()
	return a, nil
}

// areaName is an area's name in lang: the local name in Hindi when known.
func areaName(a store.Area, lang string) string { return locale.Name(lang, a.NameEN, a.NameLocal) }

// pageSize is a list page's rows when the list needs a "More" row.
const pageSize = maxRows - 1

// areaList offers areas as list rows, page by page (pageRows).
func areaList(lang, prefix string, areas []store.Area, page int) []Option {
	rows := make([]Option, 0, len(areas))
	for _, a := range areas {
		rows = append(rows, Option{ID: prefix + a.Code, Title: areaName(a, lang), Description: altName(a, lang)})
	}
	return pageRows(lang, rows, page)
}

// pageRows is one page of a list: up to 10 rows fit on one; a longer list
// shows 9 and a "More" row that pages on (and round).
func pageRows(lang string, all []Option, page int) []Option {
	if len(all) <= maxRows {
		return all
	}
	start := page * pageSize
	if start < 0 || start >= len(all) { // a stored state is outside input too
		start = 0
	}
	end := min(start+pageSize, len(all))
	next := page + 1
	if end == len(all) {
		next = 0
	}
	return append(all[start:end:end], Option{ID: "more:" + strconv.Itoa(next), Title: tr(lang, "more"), Description: tr(lang, "more.desc")})
}

// altName is the area's name in the other script, as a row's description,
// with its number for an AC.
func altName(a store.Area, lang string) string {
	other := a.NameLocal
	if lang == "hi" && a.NameLocal != "" {
		other = a.NameEN
	}
	if a.Kind == "ac" && a.Number != "" {
		return strings.TrimSpace(a.Number + " · " + other)
	}
	return other
}

// candidates turns matcher candidates into list rows.
func candidates(lang, prefix string, set *areaSet, cands []areamatch.Candidate) []Option {
	var rows []Option
	for _, c := range cands {
		if a, ok := set.byCode[c.Area.Code]; ok {
			rows = append(rows, Option{ID: prefix + a.Code, Title: areaName(a, lang), Description: altName(a, lang)})
		}
	}
	return rows
}

// locate resolves a shared location to one of the drive's ACs.
func (e *Engine) locate(set *areaSet, lat, lon float64) (store.Area, bool) {
	shapes, err := geo.ACShapes(set.rootPath)
	if err != nil {
		return store.Area{}, false
	}
	code, ok := shapes.Locate(lat, lon)
	if !ok {
		return store.Area{}, false
	}
	a, ok := set.byCode[code]
	return a, ok && a.Kind == "ac"
}
