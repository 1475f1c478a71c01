package imports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// FuzzRead reads any bytes as a people file: it never panics, no line both
// comes out and has a problem, and every row it gives has an E.164 phone
// and an area of the drive.
func FuzzRead(f *testing.F) {
	files, err := filepath.Glob("testdata/*.csv")
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds in testdata: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("\xef\xbb\xbfphone,area\n9.19876E+11,JH-AC-063\n\"98765\"43210\",JH-AC-063\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		lines := int64(bytes.Count(b, []byte("\n")) + 1)
		given := map[int64]bool{}
		check, err := Read(bytes.NewReader(b), fakeArea, inFakeDrive, AsMember, func(r store.StagedRow) error {
			if !strings.HasPrefix(r.Phone, "+") || len(r.Phone) < 8 || len(r.Phone) > 16 || !digits(r.Phone[1:]) {
				t.Errorf("line %d: phone %q is not E.164", r.Line, r.Phone)
			}
			if a, ok := areaByID(r.AreaID); !ok || !inFakeDrive(a) || a.Retired || (a.Kind != "ac" && a.Kind != "booth") {
				t.Errorf("line %d: area %d is not an AC or booth of the drive", r.Line, r.AreaID)
			}
			if given[r.Line] {
				t.Errorf("line %d given twice", r.Line)
			}
			given[r.Line] = true
			return nil
		})
		if err != nil {
			t.Fatalf("Read of bytes in memory failed: %v", err)
		}
		bad := map[int64]bool{}
		for _, p := range check.Problems {
			bad[p.Line] = true
			if given[p.Line] {
				t.Errorf("line %d has a problem and was given as a row: %+v", p.Line, p)
			}
		}
		if check.Rows != int64(len(given)) {
			t.Errorf("Rows %d, given %d", check.Rows, len(given))
		}
		if check.Bad < int64(len(check.Problems)) {
			t.Errorf("Bad %d under the %d listed", check.Bad, len(check.Problems))
		}
		if check.Bad <= MaxProblems && check.Rows+int64(len(bad)) > lines {
			t.Errorf("%d rows and %d lines with problems in %d lines", check.Rows, len(bad), lines)
		}
	})
}

func areaByID(id int64) (store.Area, bool) {
	for _, a := range fakeAreas {
		if a.ID == id {
			return a, true
		}
	}
	return store.Area{}, false
}
