package drive

import (
	"strings"
	"testing"
)

// name_local is the drive's name in Hindi: kept through export, shown in
// Hindi only, and a drive without it shows its name in both.
func TestNameLocal(t *testing.T) {
	f, err := Parse(exampleWith(t, func(m map[string]any) { m["name_local"] = "सोशल मीडिया योद्धा" }))
	if err != nil {
		t.Fatal(err)
	}
	if f.NameIn("hi") != "सोशल मीडिया योद्धा" || f.NameIn("en") != f.Name {
		t.Errorf("hi %q, en %q", f.NameIn("hi"), f.NameIn("en"))
	}
	out, err := f.Marshal()
	if err != nil || !strings.Contains(string(out), `"name_local": "सोशल मीडिया योद्धा"`) {
		t.Errorf("export %s (%v) lost name_local", out, err)
	}
	f.NameLocal = ""
	if f.NameIn("hi") != f.Name {
		t.Errorf("no name_local: hi %q, want the name", f.NameIn("hi"))
	}
}
