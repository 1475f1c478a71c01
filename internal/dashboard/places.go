package dashboard

import (
	"context"
	"slices"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
)

// Places are the areas of d a scope is offered: the root when the scope
// covers it, then the areas as granted (roots: a district as the district,
// not its ACs; none inside another) that lie inside the drive, or else (a
// scope wider than part of the drive, a PC holding some of a district's
// ACs) the drive's areas inside the scope.
func Places(ctx context.Context, db *store.DB, scope []store.Area, roots []string, d store.Drive) ([]store.Area, error) {
	root, err := db.GetArea(ctx, d.RootArea)
	if err != nil {
		return nil, err
	}
	granted := make([]store.Area, 0, len(roots))
	for _, code := range roots {
		a, err := db.GetArea(ctx, code)
		if err != nil {
			return nil, err
		}
		granted = append(granted, a)
	}
	var out []store.Area
	if ok, err := access.CanSee(ctx, db, scope, root); err != nil {
		return nil, err
	} else if ok {
		out = append(out, root)
	}
	for _, s := range outermost(granted) {
		if s.Code == root.Code {
			continue
		}
		if in, err := drive.Holds(ctx, db, d, s); err != nil {
			return nil, err
		} else if in {
			out = append(out, s)
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	covered, err := db.ScopeAreas(ctx, []string{d.RootArea})
	if err != nil {
		return nil, err
	}
	for _, a := range covered {
		if store.InScope(scope, a) {
			out = append(out, a)
		}
	}
	return out, nil
}

// outermost is areas without repeats and without any that lies inside
// another of them (a PC's AC granted beside the PC), in their order.
func outermost(areas []store.Area) []store.Area {
	var out []store.Area
	for i, a := range areas {
		inside := slices.ContainsFunc(areas, func(b store.Area) bool {
			return b.Code != a.Code && strings.HasPrefix(a.Path, b.Path)
		})
		repeated := slices.ContainsFunc(areas[:i], func(b store.Area) bool { return b.Code == a.Code })
		if !inside && !repeated {
			out = append(out, a)
		}
	}
	return out
}

// Card is one area of a scope of several, with its figures: a coordinator
// of two ACs gets a card for each, never an invented parent of both.
type Card struct {
	Area   store.Area
	Report drive.Report // its metrics, days left and recent window
}

// Cards are the figures of each of places (Places' answer) in d.
func Cards(ctx context.Context, db *store.DB, d store.Drive, places []store.Area) ([]Card, error) {
	out := make([]Card, 0, len(places))
	for _, a := range places {
		r, err := drive.Progress(ctx, db, d, drive.ProgressQuery{Area: a, Now: db.Now()})
		if err != nil {
			return nil, err
		}
		out = append(out, Card{Area: a, Report: r})
	}
	return out, nil
}
