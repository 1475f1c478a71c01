package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
	"github.com/jodo-org/jodo/internal/web"
)

// /j/{token} answers a valid token 200, an expired one 410 and anything
// else 404, each with a page in Hindi and English that names no one.
func TestRegistrationLinkResolves(t *testing.T) {
	ctx := context.Background()
	clock := storetest.NewClock(time.Date(2026, 2, 20, 6, 0, 0, 0, time.UTC))
	db := storetest.Open(t, clock)
	areas, err := geo.Jharkhand()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportAreas(ctx, areas); err != nil {
		t.Fatal(err)
	}
	f, err := drive.Parse([]byte(`{"version":1,"slug":"jh","name":"JH","starts_on":"2026-02-12","ends_on":"2026-03-12",
		"timezone":"Asia/Kolkata","root_area":"JH","channels":[],"targets":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := drive.Apply(ctx, db, f, false); err != nil {
		t.Fatal(err)
	}
	d, err := db.DriveBySlug(ctx, "jh")
	if err != nil {
		t.Fatal(err)
	}
	l := links.New([]byte("key"), "https://jodo.example.in")
	link := l.Make(clock.Now())
	err = db.Update(ctx, func(tx *store.Tx) error {
		person, err := store.CreatePerson(ctx, tx, store.Person{Name: "Sunita Devi", Language: "hi"})
		if err != nil {
			return err
		}
		p, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: person, DriveID: d.ID, Channel: "missed_call", Day: "2026-02-20"})
		if err != nil {
			return err
		}
		return store.CreateJoinLink(ctx, tx, p, link.TokenHash, link.CodeHash, link.ExpiresAt)
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	web.New(db, l, slog.New(slog.DiscardHandler)).Routes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(token string) (int, string) {
		resp, err := http.Get(srv.URL + "/j/" + token)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("Referrer-Policy") != "no-referrer" || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("token page headers: %v", resp.Header)
		}
		return resp.StatusCode, string(b)
	}
	for _, c := range []struct {
		token  string
		status int
		mark   string
	}{
		{link.Token, http.StatusOK, `data-link="valid"`},
		{strings.ToUpper(link.Token), http.StatusOK, `data-link="valid"`}, // tapped links may change case
		{tampered(link.Token), http.StatusNotFound, `data-link="unknown"`},
		{link.Code, http.StatusNotFound, `data-link="unknown"`}, // a join code is not a token
	} {
		status, body := get(c.token)
		if status != c.status || !strings.Contains(body, c.mark) || !strings.Contains(body, "lang=\"hi\"") {
			t.Errorf("GET /j/%s: %d %s", c.token, status, body)
		}
		if strings.Contains(body, "Sunita") {
			t.Errorf("the link page shows the person's name")
		}
	}
	clock.Advance(links.TTL)
	if status, body := get(link.Token); status != http.StatusGone || !strings.Contains(body, `data-link="expired"`) {
		t.Errorf("an expired token: %d %s", status, body)
	}
}

// tampered changes a token's last character.
func tampered(token string) string {
	last := byte('z')
	if token[len(token)-1] == last {
		last = 'y'
	}
	return token[:len(token)-1] + string(last)
}
