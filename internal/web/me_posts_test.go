package web_test

import (
	"context"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/posts"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
	"github.com/jodo-org/jodo/internal/web"
)

// A volunteer picks a booth of their AC by its number (any case); a
// number the AC has not is refused beside the booth field. Their card on
// /me shows, in Hindi, the post they hold now with its Hindi title, and
// the history: two appointments and the vacancy of one.
func TestVolunteerCardShowsPosts(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, storetest.NewClock(time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)))
	booths := []geo.Area{{Code: "JH-AC-063-B-2A", Kind: "booth", Number: "2A", NameEN: "Booth 2A", Parent: "JH-AC-063"}}
	d := drivetest.Load(t, db, booths, drivetest.Reference)["jh-warriors"]
	var person int64
	err := db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if person, err = store.CreatePerson(ctx, tx, store.Person{Name: "Asha Oraon", Language: "hi"}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, person, store.ContactPhone, "+919876500111"); err != nil {
			return err
		}
		if _, err := store.VerifyContact(ctx, tx, store.ContactPhone, "+919876500111"); err != nil {
			return err
		}
		if _, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: person, DriveID: d.ID, Channel: "web", Day: "2026-02-20"}); err != nil {
			return err
		}
		ac, err := store.AreaByCode(ctx, tx, "JH-AC-063")
		if err != nil {
			return err
		}
		_, err = people.New([]byte("key")).Register(ctx, tx, people.Registration{PersonID: person, DriveID: d.ID, Name: "Asha Oraon",
			Language: "hi", AreaID: ac.ID, Consents: []string{store.PurposeMembership}, NoticeVersion: "v", Channel: "web", Evidence: "test",
			Day: "2026-02-20"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := server.NewMux()
	web.New(web.Deps{DB: db, SecretKey: []byte("key"), BaseURL: "https://jodo.example.in", Log: slog.New(slog.DiscardHandler),
		Sessions: signedInAs{person: person}}).Routes(mux)
	serve := func(method, path string, form url.Values) (int, string) {
		req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		return rec.Code, html.UnescapeString(rec.Body.String())
	}
	form := url.Values{"lang": {"hi"}, "drive": {"jh-warriors"}, "consent_volunteer": {"yes"}, "ac": {"JH-AC-063"}, "booth": {"99"},
		"language": {"hi"}}
	if code, page := serve(http.MethodPost, "/me/volunteer", form); code != http.StatusUnprocessableEntity || !strings.Contains(page, `id="err-booth"`) {
		t.Fatalf("a booth the AC has not: %d %.1500s", code, page)
	}
	if _, page := serve(http.MethodGet, "/me?lang=hi", nil); strings.Contains(page, `class="volunteer-card"`) {
		t.Fatal("a refused booth made a volunteer")
	}
	form.Set("handle.instagram", "instagram.com/p/abc")
	if code, page := serve(http.MethodPost, "/me/volunteer", form); code != http.StatusUnprocessableEntity ||
		!strings.Contains(page, `id="err-booth"`) || !strings.Contains(page, `id="err-handle-instagram"`) {
		t.Fatalf("a wrong booth and a wrong handle, not both said: %d %.1500s", code, page)
	}
	form.Del("handle.instagram")
	form.Set("booth", "2a")
	if code, page := serve(http.MethodPost, "/me/volunteer", form); code != http.StatusSeeOther {
		t.Fatalf("volunteering at booth 2a: %d %.1500s", code, page)
	}
	if _, page := serve(http.MethodGet, "/me/volunteer?drive=jh-warriors&lang=hi", nil); !strings.Contains(page, `name="booth" value="2A"`) {
		t.Errorf("the change form does not show booth 2A: %.3000s", page)
	}

	scope, err := db.ScopeAreas(ctx, []string{"JH-AC-063"})
	if err != nil {
		t.Fatal(err)
	}
	coordinator := access.Actor{Label: "test:coordinator", Grants: []access.Grant{{Role: access.Coordinator, Areas: []string{"JH-AC-063"}, Scope: scope}}}
	ps := posts.New(db)
	convenor, err := ps.Appoint(ctx, coordinator, posts.Request{Drive: "jh-warriors", Post: "ac-sm-convenor", Area: "JH-AC-063", PersonID: person})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ps.Appoint(ctx, coordinator, posts.Request{Drive: "jh-warriors", Post: "booth-digital-volunteer", Area: "JH-AC-063-B-2A", PersonID: person}); err != nil {
		t.Fatal(err)
	}
	if _, err := ps.Vacate(ctx, coordinator, convenor.ID); err != nil {
		t.Fatal(err)
	}

	_, me := serve(http.MethodGet, "/me?lang=hi", nil)
	held := between(me, `class="v-posts"`, "</dd>")
	if !strings.Contains(held, "बूथ डिजिटल कार्यकर्ता") || strings.Contains(held, "विधानसभा सोशल मीडिया संयोजक") {
		t.Errorf("posts held: %q", held)
	}
	history := between(me, `class="v-history"`, "</ul>")
	for _, want := range []string{"विधानसभा सोशल मीडिया संयोजक, रांची के पद पर नियुक्त", "बूथ डिजिटल कार्यकर्ता, Booth 2A के पद पर नियुक्त",
		"विधानसभा सोशल मीडिया संयोजक, रांची का पद ख़ाली किया गया"} {
		if !strings.Contains(history, want) {
			t.Errorf("the history lacks %q: %q", want, history)
		}
	}
}

// between is the part of s after from, up to to.
func between(s, from, to string) string {
	_, after, _ := strings.Cut(s, from)
	part, _, _ := strings.Cut(after, to)
	return part
}
