package drive

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"testing"
)

func FuzzParse(f *testing.F) {
	example, err := os.ReadFile("testdata/example_drive.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	f.Add([]byte(`{"version":1,"slug":"ab","name":"x","starts_on":"2026-01-01","ends_on":"2026-01-01","timezone":"UTC","root_area":"IN"}`))
	f.Add([]byte(`{"channels":[{"kind":"sms","number":"+1 202 555 0100","secret":"x"}],"targets":["each ac: share members by population"]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) || len(perr.Problems) == 0 {
				t.Fatalf("Parse error %v is not an *Error with problems", err)
			}
			return
		}
		out, err := d.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal(f)): %v\n%s", err, out)
		}
		if !reflect.DeepEqual(d, again) {
			t.Fatalf("Parse(Marshal(f)) = %+v, want %+v", again, d)
		}
		if out2, _ := again.Marshal(); !bytes.Equal(out, out2) {
			t.Fatalf("Marshal is not stable:\n%s\n%s", out, out2)
		}
		start, end := d.Window()
		if left := d.DaysLeft(start); left != d.DaysTotal() {
			t.Fatalf("DaysLeft at the start = %d, want DaysTotal %d", left, d.DaysTotal())
		}
		if left := d.DaysLeft(end); left != 0 {
			t.Fatalf("DaysLeft at the end = %d, want 0", left)
		}
	})
}

func FuzzParseRule(f *testing.F) {
	for _, s := range []string{
		"state JH: 500000 members",
		"each pc: 1 volunteer",
		"each ac: share members equally",
		"each ac: share members by population",
		"groups: 10 per volunteer target",
		"EACH AC : SHARE Member BY Pop",
		"booth JH-AC-063-B-0001A: 0 active",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRule(s)
		if err != nil {
			return
		}
		text := r.String()
		again, err := ParseRule(text)
		if err != nil {
			t.Fatalf("ParseRule(%q) = %+v, whose String %q does not parse: %v", s, r, text, err)
		}
		if again != r {
			t.Fatalf("ParseRule(%q) = %+v, but its String %q parses to %+v", s, r, text, again)
		}
		if again.String() != text {
			t.Fatalf("String is not stable: %q then %q", text, again.String())
		}
	})
}
