package bot

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/store"
)

// stateSamples are states as the flows store them.
var stateSamples = []string{
	`{}`,
	`{"flow":"join","step":"lang"}`,
	`{"flow":"join","step":"notice","lang":"hi"}`,
	`{"flow":"join","step":"name","lang":"en","optin":true}`,
	`{"flow":"join","step":"ac","lang":"hi","name":"सुनीता देवी","district":"JH-D-RANCHI","optin":true,"page":2}`,
	`{"flow":"join","step":"booth","lang":"en","name":"Sunita","district":"JH-D-RANCHI","ac":"JH-AC-063"}`,
	`{"flow":"delete","lang":"hi"}`,
	`{"flow":"volunteer","step":"handles","lang":"en","ac":"JH-AC-063","work":"JH-AC-063-B-0012","langs":"hi,en","handles":"facebook:ravi\nwhatsapp:+919811100101"}`,
	`{"flow":"volunteer","step":"langs","lang":"hi","langs":"hi,klingon,","page":7}`,
}

// A stored state is read back as written, anything unreadable starts
// afresh, and what is read can be stored (valid UTF-8, no NUL byte for
// PostgreSQL's text) and prompted with: the page it names lists a
// drive's districts without panicking.
func FuzzParseState(f *testing.F) {
	for _, s := range stateSamples {
		f.Add(s)
	}
	f.Add(`{"page":1e3}`)
	f.Add(`{"page":-1}`)
	f.Add(`{"page":-9223372036854775808}`)
	f.Add(`{"name":"a\u0000b","lang":"\ud800"}`)
	f.Add(`{"flow":"join","flow":"delete"}`)
	f.Add(`[]`)
	f.Add("{\"name\":\"\xff\"}")
	f.Add(``)
	districts := make([]store.Area, 24) // Jharkhand's: more than one list page
	for i := range districts {
		districts[i] = store.Area{Code: fmt.Sprintf("JH-D-%02d", i), Kind: "district", NameEN: "District", NameLocal: "ज़िला"}
	}
	f.Fuzz(func(t *testing.T, s string) {
		st := ParseState(s)
		if !json.Valid([]byte(s)) && st != (State{}) {
			t.Fatalf("unreadable %q gave %+v, want a fresh state", s, st)
		}
		stored := st.String()
		if !utf8.ValidString(stored) || strings.ContainsRune(stored, 0) {
			t.Fatalf("state %+v is stored as %q", st, stored)
		}
		if again := ParseState(stored); again != st {
			t.Fatalf("state %+v read back as %+v", st, again)
		}
		for _, field := range []string{st.Flow, st.Step, st.Lang, st.Name, st.District, st.AC} {
			if !utf8.ValidString(field) {
				t.Fatalf("state %+v has a field that is not UTF-8", st)
			}
		}
		rows := areaList("en", "d:", districts, st.Page)
		if len(rows) == 0 || len(rows) > maxRows {
			t.Fatalf("page %d lists %d rows", st.Page, len(rows))
		}
	})
}

// A tapped "More" row is a page turn only when it names a page a list can
// have: a forged one (Meta delivers whatever id a client sends) is not,
// however many digits it has.
func FuzzPageOf(f *testing.F) {
	for _, s := range []string{"more:0", "more:2", "more:999", "more:1000", "more:10000000000000000000", "more:-1", "more:", "d:JH-D-01"} {
		f.Add(s)
	}
	districts := make([]store.Area, 24)
	for i := range districts {
		districts[i] = store.Area{Code: fmt.Sprintf("JH-D-%02d", i), Kind: "district"}
	}
	f.Fuzz(func(t *testing.T, choice string) {
		page, ok := pageOf(choice)
		if ok && (page < 0 || page >= 1000) {
			t.Fatalf("pageOf(%q) = %d", choice, page)
		}
		if rows := areaList("en", "d:", districts, page); len(rows) == 0 || len(rows) > maxRows {
			t.Fatalf("page %d lists %d rows", page, len(rows))
		}
	})
}

// A state the flows build is stored and read back unchanged.
func FuzzStateRoundTrip(f *testing.F) {
	f.Add("join", stepAC, "hi", "सुनीता देवी", "JH-D-RANCHI", "JH-AC-063", true, 3)
	f.Add("", "", "", "", "", "", false, 0)
	f.Add("delete", "", "en", "O'Brien \"Jr\" <b>", "", "", false, 999)
	f.Fuzz(func(t *testing.T, flow, step, lang, name, district, ac string, optin bool, page int) {
		st := State{Flow: flow, Step: step, Lang: lang, Name: name, District: district, AC: ac, Optin: optin, Page: page}
		got := ParseState(st.String())
		valid := true
		for _, field := range []string{flow, step, lang, name, district, ac} {
			valid = valid && utf8.ValidString(field)
		}
		if valid && got != st {
			t.Fatalf("state %+v read back as %+v", st, got)
		}
		if again := ParseState(got.String()); again != got {
			t.Fatalf("state %+v read back as %+v", got, again)
		}
	})
}
