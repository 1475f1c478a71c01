package exports

import (
	"context"
	"strings"

	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/store"
)

// places finds the constituencies an area lies in, from its path, keeping
// the areas it has looked up: an export's rows share a few hundred ACs and
// their booths.
type places struct {
	db     *store.DB
	byCode map[string]store.Area
}

// maxPlaces bounds the areas kept (a national drive's booths); past it the
// cache starts again.
const maxPlaces = 200_000

func newPlaces(db *store.DB) *places { return &places{db: db, byCode: map[string]store.Area{}} }

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
func (pl *places) place(ctx context.Context, a store.Area, lang string) ([]any, error) {
	if a.Code == "" {
		return []any{"", "", "", ""}, nil
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
	return []any{pc, ac, a.Code, locale.Name(lang, a.NameEN, a.NameLocal)}, nil
}
