package geo

import (
	"os"
	"strings"
	"testing"
)

// The worked example in docs/geography.md must be the testdata file, byte
// for byte, so the documentation cannot drift from what the code accepts.
func TestDocsExampleIsTheTestdataFile(t *testing.T) {
	example, err := os.ReadFile("testdata/example_areas.csv")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/geography.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "```csv\n"+string(example)+"```\n") {
		t.Error("docs/geography.md does not contain testdata/example_areas.csv inside a ```csv block")
	}
	areas := mustParse(t, string(example))
	stored := importAll(t, nil, areas)
	for code, want := range map[string]string{
		"XS":                "/XS/",
		"XS-D-HILLS":        "/XS/XS-D-HILLS/",
		"XS-AC-002":         "/XS/XS-PC-01/XS-AC-002/",
		"XS-AC-001-B-0002A": "/XS/XS-PC-01/XS-AC-001/XS-AC-001-B-0002A/",
	} {
		if got := pathOf(stored, code); got != want {
			t.Errorf("path of %s = %q, want %q (as the doc's table says)", code, got, want)
		}
		if !strings.Contains(string(doc), "`"+want+"`") {
			t.Errorf("doc does not show path %s", want)
		}
	}
}
