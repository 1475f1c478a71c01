package imports

import "github.com/jodo-org/jodo/internal/store"

// What a row with no role column, or an import's --as, makes of a person.
const (
	AsMember    = "member"
	AsVolunteer = "volunteer"
)

// Problem is what is wrong with one line of a people file.
type Problem struct {
	Line   int64  // 1 is the header
	Column string // "": the line as a whole
	Reason string // plain English, for the organiser at the terminal
}

// MaxProblems is how many problems a refused file lists; the rest are
// only counted.
const MaxProblems = 100

// Check is what reading a whole people file found.
type Check struct {
	Rows     int64     // good rows
	Problems []Problem // the first MaxProblems, in line order
	Bad      int64     // every problem, listed or not
	SHA256   string    // hex, of the bytes read
}

// Areas finds an area by its code among all areas (any tree, retired
// ones too), so a problem can say why a code is refused: false when no
// area has it.
type Areas func(code string) (store.Area, bool)

// InDrive reports whether an area lies under the drive's root (its path
// starts with the root's path).
type InDrive func(a store.Area) bool
