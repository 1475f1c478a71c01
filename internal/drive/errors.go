package drive

import (
	"fmt"
	"strings"
)

// Error lists every problem found in a drive file or in a target expansion, so
// an admin can fix them all in one edit instead of one per attempt.
type Error struct {
	Problems []string
}

// shownProblems caps the message: a rule that conflicts on every booth would
// otherwise produce a message thousands of lines long. Problems keeps them all.
const shownProblems = 10

func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return "drive: " + e.Problems[0]
	}
	shown := e.Problems[:min(len(e.Problems), shownProblems)]
	msg := fmt.Sprintf("drive: %d problems: %s", len(e.Problems), strings.Join(shown, "; "))
	if hidden := len(e.Problems) - len(shown); hidden > 0 {
		msg += fmt.Sprintf("; and %d more", hidden)
	}
	return msg
}

// problems collects findings while validation goes on past the first one.
type problems []string

func (p *problems) add(format string, args ...any) {
	*p = append(*p, fmt.Sprintf(format, args...))
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Problems: p}
}
