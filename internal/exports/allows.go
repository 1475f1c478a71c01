package exports

import "github.com/jodo-org/jodo/internal/access"

// Allows reports whether actor may export lists at all: they read people
// somewhere and a role of theirs has a row cap. Where, and how many rows,
// is Prepare's to say; a page uses this to offer the downloads or not.
func (e *Exports) Allows(actor access.Actor) bool {
	return len(actor.Scope(access.PeopleRead)) > 0 && e.capOf(actor) > 0
}
