package drive

import (
	"context"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// ProgressRequest is a progress report someone asks for: a drive by slug,
// an area of it ("" is the drive's root), optionally with the area's
// children, over a day range.
type ProgressRequest struct {
	Slug, Area string
	Children   bool
	Days       store.DayRange
}

// ProgressIn is the report req asks for, read for an actor holding
// ProgressRead over scope: an area the scope does not cover is forbidden,
// an area outside the drive's root invalid. The API and the console both
// answer through it, so the checks live in one place.
func ProgressIn(ctx context.Context, db *store.DB, scope []store.Area, req ProgressRequest) (Report, error) {
	d, err := db.DriveBySlug(ctx, req.Slug)
	if err != nil {
		return Report{}, err
	}
	if req.Area == "" {
		req.Area = d.RootArea
	}
	area, err := db.GetArea(ctx, req.Area)
	if err != nil {
		return Report{}, err
	}
	ok, err := access.CanSee(ctx, db, scope, area)
	if err != nil {
		return Report{}, err
	}
	if !ok {
		return Report{}, apperr.New(apperr.Forbidden, "%s is outside your scope.", area.Code)
	}
	if in, err := Holds(ctx, db, d, area); err != nil {
		return Report{}, err
	} else if !in {
		return Report{}, apperr.New(apperr.Invalid, "%s is not part of drive %s, which covers %s.", area.Code, d.Slug, d.RootArea)
	}
	q := ProgressQuery{Area: area, Days: req.Days, Now: db.Now()}
	if req.Children {
		if q.Children, err = db.ListAreas(ctx, store.AreaFilter{Parent: area.Code}); err != nil {
			return Report{}, err
		}
	}
	return Progress(ctx, db, d, q)
}

// Holds reports whether area is part of drive d: it lies under the drive's
// root, or inside it as a district's ACs lie under the PCs (a district
// root stands for its ACs).
func Holds(ctx context.Context, db *store.DB, d store.Drive, area store.Area) (bool, error) {
	covered, err := db.ScopeAreas(ctx, []string{d.RootArea})
	if err != nil {
		return false, err
	}
	if area.Code == d.RootArea {
		return true, nil
	}
	return store.InScope(covered, area), nil
}

// ForScope lists the drives a scope takes part in (access.Meets): the
// drive pickers of the API and the console.
func ForScope(ctx context.Context, db *store.DB, scope []store.Area) ([]store.Drive, error) {
	drives, err := db.Drives(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.Drive
	for _, d := range drives {
		meets, err := access.Meets(ctx, db, scope, d.RootArea)
		if err != nil {
			return nil, err
		}
		if meets {
			out = append(out, d)
		}
	}
	return out, nil
}
