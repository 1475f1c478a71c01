package geo

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// LineError is one problem in an area file. Line is 1-based (line 1 is the
// header); 0 means the problem is not tied to one line.
type LineError struct {
	Line   int
	Reason string
}

func (e LineError) String() string {
	if e.Line == 0 {
		return e.Reason
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
}

// FileError collects every problem found in an area file, so a person can fix
// them all in one pass instead of one upload per mistake.
type FileError struct {
	Errors []LineError
}

// maxListed caps Error() so a file that is wrong on every line still gives a
// readable message; Errors keeps the full list.
const maxListed = 20

func (e *FileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "area file has %d problem(s):", len(e.Errors))
	for i, le := range e.Errors {
		if i == maxListed {
			fmt.Fprintf(&b, "\n… and %d more", len(e.Errors)-maxListed)
			break
		}
		b.WriteString("\n")
		b.WriteString(le.String())
	}
	return b.String()
}

// problemList gathers LineErrors while a file is checked.
type problemList []LineError

func (p *problemList) add(line int, format string, args ...any) {
	*p = append(*p, LineError{Line: line, Reason: fmt.Sprintf(format, args...)})
}

func (p *problemList) addAll(line int, reasons []string) {
	for _, r := range reasons {
		*p = append(*p, LineError{Line: line, Reason: r})
	}
}

// err returns nil when nothing was found, else a *FileError ordered by line
// (stable, so problems on one line keep the order they were found in).
func (p problemList) err() error {
	if len(p) == 0 {
		return nil
	}
	slices.SortStableFunc(p, func(a, b LineError) int { return cmp.Compare(a.Line, b.Line) })
	return &FileError{Errors: p}
}
