package directory

import (
	"context"
	"slices"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// Audit lists the audit log for an actor holding AuditRead, newest first,
// as f picks it, within their scope: an admin of the whole installation
// reads every entry, those with no
// area or person too (sign-ins, roles given); an admin of a part reads the
// entries about the areas and people inside it. area, if given, narrows
// the log to that area's subtree (a district: its ACs) and must lie in the
// scope.
func (d *Directory) Audit(ctx context.Context, actor access.Actor, f store.AuditFilter, area string) ([]store.AuditEntry, error) {
	scope := actor.Scope(access.AuditRead)
	if len(scope) == 0 {
		return nil, apperr.New(apperr.Forbidden, "Your role does not allow this (it needs %s).", access.AuditRead)
	}
	whole, err := d.coversInstallation(ctx, scope)
	if err != nil {
		return nil, err
	}
	f.Areas = nil
	if !whole {
		f.Areas = scope
	}
	if area != "" {
		areas, err := d.db.ScopeAreas(ctx, []string{area})
		if err != nil {
			return nil, err
		}
		if !whole && slices.ContainsFunc(areas, func(a store.Area) bool { return !store.InScope(scope, a) }) {
			return nil, apperr.New(apperr.Forbidden, "%s is outside your scope.", area)
		}
		f.Areas = areas
	}
	return d.db.AuditEntries(ctx, f)
}

// coversInstallation reports whether scope holds every root area, or every
// area just under one (a country holding one state: the state's admin runs
// the installation).
func (d *Directory) coversInstallation(ctx context.Context, scope []store.Area) (bool, error) {
	roots, err := d.db.RootAreas(ctx)
	if err != nil {
		return false, err
	}
	for _, r := range roots {
		if store.InScope(scope, r) {
			continue
		}
		children, err := d.db.ListAreas(ctx, store.AreaFilter{Parent: r.Code})
		if err != nil {
			return false, err
		}
		if len(children) == 0 || slices.ContainsFunc(children, func(c store.Area) bool { return !store.InScope(scope, c) }) {
			return false, nil
		}
	}
	return true, nil
}
