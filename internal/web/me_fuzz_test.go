package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
	"github.com/jodo-org/jodo/internal/web"
)

// signedInAs is a session of one person.
type signedInAs struct {
	stubSessions
	person int64
}

func (s signedInAs) Person(*http.Request) (int64, bool, error) { return s.person, true, nil }
func (signedInAs) Codes() bool                                 { return true }

// Whatever a signed-in person posts as their details, what is stored is a
// name fit for PostgreSQL's text and for the card (valid UTF-8, no control
// character, 2 to 80 characters with a letter, spacing cleaned), a page
// language and a live AC; anything else is refused with 422 and changes
// nothing.
func FuzzMeDetails(f *testing.F) {
	f.Add("Sunita Devi", "en", "JH-AC-063")
	f.Add("  सुनीता \t देवी ", "hi", "JH-AC-064")
	f.Add("a\x00b", "hi", "JH-AC-063")
	f.Add("\xff\xfeab", "en", "JH-AC-063")
	f.Add("Sunita", "fr", "JH-AC-063\x00")
	f.Add("Su", "", "JH-D-RANCHI")
	f.Add(strings.Repeat("अ", 81), "hi", "JH-AC-063")
	f.Add("\u202eSunita", "en", "JH")
	ctx := context.Background()
	clock := storetest.NewClock(time.Date(2026, 2, 20, 6, 0, 0, 0, time.UTC))
	db := storetest.Open(f, clock)
	drivetest.Load(f, db, nil)
	var person int64
	err := db.Update(ctx, func(tx *store.Tx) error {
		var err error
		person, err = store.CreatePerson(ctx, tx, store.Person{Name: "Sunita Devi", Language: "hi"})
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	mux := server.NewMux()
	web.New(web.Deps{DB: db, SecretKey: []byte("key"), BaseURL: "https://jodo.example.in", Log: slog.New(slog.DiscardHandler),
		Sessions: signedInAs{person: person}}).Routes(mux)
	read := func(t *testing.T) store.Person {
		var p store.Person
		err := db.View(ctx, func(tx *store.Tx) error {
			var err error
			p, err = store.GetPerson(ctx, tx, person)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	f.Fuzz(func(t *testing.T, name, lang, ac string) {
		before := read(t)
		form := url.Values{"name": {name}, "language": {lang}, "ac": {ac}}
		req := httptest.NewRequest(http.MethodPost, "/me/details", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		after := read(t)
		switch rec.Code {
		case http.StatusSeeOther:
		case http.StatusUnprocessableEntity, http.StatusBadRequest: // 400: bytes that are not text
			if rec.Code == http.StatusBadRequest && utf8.ValidString(name+lang+ac) && !strings.ContainsRune(name+lang+ac, 0) {
				t.Fatalf("POST /me/details %q %q %q: 400 for readable text", name, lang, ac)
			}
			if after != before {
				t.Fatalf("refused details changed %+v to %+v", before, after)
			}
			return
		default:
			t.Fatalf("POST /me/details %q %q %q: %d", name, lang, ac, rec.Code)
		}
		n := utf8.RuneCountInString(after.Name)
		switch {
		case !utf8.ValidString(after.Name) || strings.ContainsFunc(after.Name, unicode.IsControl):
			t.Fatalf("stored name %q (posted %q)", after.Name, name)
		case n < 2 || n > 80 || !strings.ContainsFunc(after.Name, unicode.IsLetter):
			t.Fatalf("stored name %q of %d characters (posted %q)", after.Name, n, name)
		case strings.TrimSpace(after.Name) != after.Name || strings.Contains(after.Name, "  "):
			t.Fatalf("stored name %q is not cleaned", after.Name)
		case !slices.Contains(web.Languages, after.Language):
			t.Fatalf("stored language %q (posted %q)", after.Language, lang)
		case after.AreaID == 0:
			t.Fatalf("saved without an area (posted %q)", ac)
		}
	})
}
