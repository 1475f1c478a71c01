package access

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/store"
)

// Grant is a role held over a scope: the area codes as granted and the
// areas they stand for (store.ScopeAreas: a district is its ACs).
type Grant struct {
	Role  Role
	Areas []string
	Scope []store.Area
}

// Actor is who is asking: a signed-in person with their roles, an API
// token, or the command line.
type Actor struct {
	Label    string // the audit log's actor: "person:42", "token:ops", "cli:root"
	PersonID int64  // 0 for a token or the command line
	Grants   []Grant
}

// Can reports whether some role the actor holds carries p.
func (a Actor) Can(p Permission) bool {
	if p == Public {
		return true
	}
	return slices.ContainsFunc(a.Grants, func(g Grant) bool { return g.Role.Has(p) })
}

// Scope is where the actor may use p: the union of the scopes of the
// roles that carry it; nil where p is held nowhere.
func (a Actor) Scope(p Permission) []store.Area {
	var out []store.Area
	for _, g := range a.Grants {
		if g.Role.Has(p) {
			out = append(out, g.Scope...)
		}
	}
	return out
}

// Roots are the area codes as granted (a district as itself, not its
// ACs) of the roles that carry p, each once.
func (a Actor) Roots(p Permission) []string {
	var out []string
	for _, g := range a.Grants {
		if g.Role.Has(p) {
			for _, code := range g.Areas {
				if !slices.Contains(out, code) {
					out = append(out, code)
				}
			}
		}
	}
	return out
}

// Staff reports whether the actor holds any role.
func (a Actor) Staff() bool { return len(a.Grants) > 0 }

// ScopeLabel is the roles and scopes in force, for the audit log:
// "coordinator:JH-AC-063;viewer:JH".
func (a Actor) ScopeLabel() string {
	parts := make([]string, 0, len(a.Grants))
	for _, g := range a.Grants {
		parts = append(parts, string(g.Role)+":"+strings.Join(g.Areas, ","))
	}
	return strings.Join(parts, ";")
}

// PersonLabel is the audit log's name for a signed-in person.
func PersonLabel(personID int64) string { return "person:" + strconv.FormatInt(personID, 10) }

// ForPerson is a signed-in person as an actor, with the roles they hold
// now: roles are read for each request, never kept in the session.
func ForPerson(ctx context.Context, db *store.DB, personID int64) (Actor, error) {
	roles, err := db.LiveRoles(ctx, personID)
	if err != nil {
		return Actor{}, err
	}
	a := Actor{Label: PersonLabel(personID), PersonID: personID}
	for _, r := range roles {
		role, ok := ParseRole(r.Role)
		if !ok {
			continue // a role this binary does not know grants nothing
		}
		scope, err := db.ScopeAreas(ctx, r.Areas)
		if err != nil {
			return Actor{}, err
		}
		a.Grants = append(a.Grants, Grant{Role: role, Areas: r.Areas, Scope: scope})
	}
	return a, nil
}

// CLI is whoever runs a command: they hold the database, so the whole
// installation is in their scope.
func CLI(user string, everything []store.Area) Actor {
	if user == "" {
		user = "unknown"
	}
	codes := make([]string, 0, len(everything))
	for _, a := range everything {
		codes = append(codes, a.Code)
	}
	return Actor{Label: "cli:" + user, Grants: []Grant{{Role: Admin, Areas: codes, Scope: everything}}}
}

// CanSee reports whether scope covers area (a district is covered when
// every one of its live ACs is).
func CanSee(ctx context.Context, db *store.DB, scope []store.Area, area store.Area) (bool, error) {
	return db.Visible(ctx, scope, area)
}

// Meets reports whether a drive rooted at root is one a scope takes part
// in: its root lies inside the scope (a state coordinator sees an AC's
// drive), or one of the scope's areas lies inside its root (an AC
// coordinator sees the state's drive, and reads it for their own areas
// only). A district root stands for its ACs, as in a scope.
func Meets(ctx context.Context, db *store.DB, scope []store.Area, root string) (bool, error) {
	roots, err := db.ScopeAreas(ctx, []string{root})
	if err != nil {
		return false, err
	}
	for _, r := range roots {
		if store.InScope(scope, r) || slices.ContainsFunc(scope, func(s store.Area) bool { return store.InScope([]store.Area{r}, s) }) {
			return true, nil
		}
	}
	return false, nil
}
