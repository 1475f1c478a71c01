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
	d, area, err := AreaIn(ctx, db, scope, req.Slug, req.Area)
	if err != nil {
		return Report{}, err
	}
	q := ProgressQuery{Area: area, Days: req.Days, Now: db.Now()}
	if req.Children {
		if q.Children, err = db.ListAreas(ctx, store.AreaFilter{Parent: area.Code}); err != nil {
			return Report{}, err
		}
	}
	return Progress(ctx, db, d, q)
}

// AreaIn is the drive with slug and its area code ("" for the drive's
// root), for an actor whose scope is scope: an area the scope does not
// cover is forbidden, an area outside the drive's root invalid. Every
// read of a drive's figures starts here, so the checks live in one place.
func AreaIn(ctx context.Context, db *store.DB, scope []store.Area, slug, code string) (store.Drive, store.Area, error) {
	d, err := db.DriveBySlug(ctx, slug)
	if err != nil {
		return store.Drive{}, store.Area{}, err
	}
	if code == "" {
		code = d.RootArea
	}
	area, err := db.GetArea(ctx, code)
	if err != nil {
		return store.Drive{}, store.Area{}, err
	}
	ok, err := access.CanSee(ctx, db, scope, area)
	if err != nil {
		return store.Drive{}, store.Area{}, err
	}
	if !ok {
		return store.Drive{}, store.Area{}, apperr.New(apperr.Forbidden, "%s is outside your scope.", area.Code)
	}
	if in, err := Holds(ctx, db, d, area); err != nil {
		return store.Drive{}, store.Area{}, err
	} else if !in {
		return store.Drive{}, store.Area{}, apperr.New(apperr.Invalid, "%s is not part of drive %s, which covers %s.", area.Code, d.Slug, d.RootArea)
	}
	return d, area, nil
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
