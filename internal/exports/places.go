package exports

import (
	"context"
	"strings"

	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/store"
)

// places finds the constituencies an area lies in, from its path, keeping
// the areas it has looked up and the cells it made: an export's rows share
// a few hundred ACs and their booths.
type places struct {
	db     *store.DB
	byCode map[string]store.Area
	cells  map[string][]any // by area code, in the export's one language
}

// maxPlaces bounds the areas kept (a national drive's booths); past it the
// cache starts again.
const maxPlaces = 200_000

func newPlaces(db *store.DB) *places {
	return &places{db: db, byCode: map[string]store.Area{}, cells: map[string][]any{}}
}

func (pl *places) get(ctx context.Context, code string) (store.Area, error) {
	if a, ok := pl.byCode[code]; ok {
		return a, nil
	}
	a, err := pl.db.GetArea(ctx, code)
	if err != nil {
		return store.Area{}, err
	}
	if len(pl.byCode) >= maxPlaces {
		clear(pl.byCode)
	}
	pl.byCode[code] = a
	return a, nil
}

// place is an area's cells: the PC and AC codes it lies in (or is), its
// code and its name in lang. An area without a code (a lead's) is empty.
// The cells are shared between rows: callers copy them, never change them.
func (pl *places) place(ctx context.Context, a store.Area, lang string) ([]any, error) {
	if a.Code == "" {
		return []any{"", "", "", ""}, nil
	}
	if c, ok := pl.cells[a.Code]; ok {
		return c, nil
	}
	if a.Path == "" {
		full, err := pl.get(ctx, a.Code)
		if err != nil {
			return nil, err
		}
		a.Path = full.Path
	}
	var pc, ac string
	for code := range strings.SplitSeq(strings.Trim(a.Path, "/"), "/") {
		up, err := pl.get(ctx, code)
		if err != nil {
			return nil, err
		}
		switch up.Kind {
		case "pc":
			pc = code
		case "ac":
			ac = code
		}
	}
	c := []any{pc, ac, a.Code, locale.Name(lang, a.NameEN, a.NameLocal)}
	if len(pl.cells) >= maxPlaces {
		clear(pl.cells)
	}
	pl.cells[a.Code] = c
	return c, nil
}
