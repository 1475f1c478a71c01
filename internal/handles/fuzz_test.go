package handles_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/handles"
)

// maxNormal is the longest normal form of any platform: a LinkedIn name.
const maxNormal = 100

// FuzzNormalise: Normalise never panics; it either refuses with an *Error
// and no output, or gives a normal form that is valid UTF-8, has no space,
// control or invisible character, fits the bounds and is its own normal
// form.
func FuzzNormalise(f *testing.F) {
	for i, p := range handles.Platforms {
		for _, c := range accepted[p.Code] {
			f.Add(uint8(i), c[0])
		}
		for _, c := range refused[p.Code] {
			f.Add(uint8(i), c[0])
		}
	}
	f.Fuzz(func(t *testing.T, pi uint8, input string) {
		p := handles.Platforms[int(pi)%len(handles.Platforms)].Code
		out, err := handles.Normalise(p, input)
		if err != nil {
			if _, ok := errors.AsType[*handles.Error](err); !ok || out != "" {
				t.Fatalf("%s %q: %q, %v (%T)", p, input, out, err, err)
			}
			return
		}
		if out == "" || len(out) > maxNormal || !utf8.ValidString(out) {
			t.Fatalf("%s %q: normal form %q out of bounds", p, input, out)
		}
		if strings.IndexFunc(out, func(c rune) bool { return !unicode.IsPrint(c) || unicode.IsSpace(c) }) >= 0 {
			t.Fatalf("%s %q: normal form %q has a space or an invisible character", p, input, out)
		}
		if again, err := handles.Normalise(p, out); again != out || err != nil {
			t.Fatalf("%s %q: Normalise(%q) = %q, %v", p, input, out, again, err)
		}
	})
}
