// Package exports writes the organisers' lists as spreadsheets: the
// people, volunteers, office bearers and groups of a drive at an area of
// the actor's scope, with the filters the console's lists take, as CSV or
// XLSX. An export is checked and counted first (scope, the row cap of the
// actor's role, a reason to reveal numbers), audited before its first
// byte, then streamed a page at a time, each page its own short read
// transaction. Numbers are masked unless revealed; group invites are never
// written; every cell a spreadsheet could run is neutralised (sheet).
package exports

import (
	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/store"
)

// Kind is what an export lists.
type Kind string

// The kinds.
const (
	People     Kind = "people"     // participations in the drive, every stage
	Volunteers Kind = "volunteers" // volunteering now
	Posts      Kind = "posts"      // posts held now, with their holders
	Groups     Kind = "groups"     // volunteers' groups, never their invites
)

// Kinds lists the kinds in the order the docs and the CLI name them.
var Kinds = []Kind{People, Volunteers, Posts, Groups}

// Format is the file an export writes.
type Format string

// The formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Request is an export as staff ask for it.
type Request struct {
	Kind   Kind
	Format Format // "": CSV
	Drive  string // a drive's slug; "": the first drive in scope
	Area   string // an area code; "": the drive's root if the scope covers it, else the actor's first area in it
	Lang   string // "hi" or "en": the headers and the areas' names

	Stage, Channel     string // people
	Platform, Language string // volunteers (Language: groups too)
	State, GroupKind   string // groups
	Post               string // posts: one post's code

	Reveal bool   // whole numbers, for an actor holding people.reveal there
	Reason string // why, when Reveal
}

// Caps are the most rows one export may hold, by role; a role absent or
// at 0 exports no lists (it may still download the dashboard's counts).
type Caps map[access.Role]int

// DefaultCaps are the caps when configuration names none: a coordinator
// exports up to two lakh rows at once (a district's volunteers, a
// constituency's members), an admin up to a crore.
var DefaultCaps = Caps{access.Admin: 1_00_00_000, access.Coordinator: 2_00_000}

// Exports writes exports from one database.
type Exports struct {
	db   *store.DB
	dir  *directory.Directory // where a list's drive and area are, and its filters
	caps Caps
	// revealADay is the most rows one staff member may export with whole
	// numbers in a day (India time); 0: no limit. The command line's
	// actor holds the database and is not limited.
	revealADay int
	page       int // rows a read transaction: store.MaxExportPage, fewer in tests
}

// New returns the exports of db, placed and filtered as dir's lists are,
// capped by caps (nil: DefaultCaps).
func New(db *store.DB, dir *directory.Directory, caps Caps) *Exports {
	if caps == nil {
		caps = DefaultCaps
	}
	return &Exports{db: db, dir: dir, caps: caps, page: store.MaxExportPage}
}

// RevealRowsADay limits the rows one staff member may export with whole
// numbers in a day (JODO_REVEAL_EXPORT_DAILY_ROWS; 0: no limit), as
// JODO_REVEAL_DAILY_CAP limits their reveals one by one.
func (e *Exports) RevealRowsADay(n int) *Exports {
	e.revealADay = n
	return e
}

// capOf is the most rows actor may export: the largest cap of the roles
// they hold that may read people.
func (e *Exports) capOf(actor access.Actor) int {
	most := 0
	for _, g := range actor.Grants {
		if g.Role.Has(access.PeopleRead) {
			most = max(most, e.caps[g.Role])
		}
	}
	return most
}

// ErrNoExports is an actor whose roles export no lists.
var ErrNoExports = apperr.New(apperr.Forbidden, "Your role does not allow exporting lists of people; the dashboard's tables can be downloaded as counts.")
