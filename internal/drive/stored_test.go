package drive

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// A drive as the store keeps it (the JSON of a parsed file) opens to the
// same file, and its days turn at the drive's midnight, not UTC's.
func TestOpenStoredFile(t *testing.T) {
	parsed := exampleFile(t)
	stored, err := json.Marshal(parsed)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Open(stored)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&f, parsed) {
		t.Fatalf("Open gave %+v, want %+v", f, parsed)
	}
	if got := f.Day(utc("2026-02-11T18:30:00Z")); got != "2026-02-12" {
		t.Errorf("Day at 18:30 UTC = %s, want 2026-02-12 in Asia/Kolkata", got)
	}
	for _, bad := range []string{`{"slug":`, strings.Replace(string(stored), parsed.Timezone, "Mars/Olympus", 1)} {
		if _, err := Open([]byte(bad)); err == nil {
			t.Errorf("Open(%.40q…) gave no error", bad)
		}
	}
}
