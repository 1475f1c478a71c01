package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// peopleWorld: Jharkhand, the reference drive, and people in it.
type peopleWorld struct {
	db    *store.DB
	base  string
	drive store.Drive
}

func newPeopleWorld(t *testing.T) *peopleWorld {
	t.Helper()
	db := storetest.Open(t, storetest.NewClock(time.Date(2026, 2, 22, 6, 30, 0, 0, time.UTC)))
	d := drivetest.Load(t, db, nil, referenceDrive)["jh-warriors"]
	return &peopleWorld{db: db, base: startAPI(t, db).URL, drive: d}
}

// person adds someone with a phone to the drive at area ("": a lead with
// no area yet, by missed call) and returns their id.
func (w *peopleWorld) person(t *testing.T, name, number, area string) int64 {
	t.Helper()
	ctx := context.Background()
	var areaID int64
	channel := "missed_call"
	if area != "" {
		areaID, channel = storetest.AreaIDs(t, w.db, area)[area], "web"
	}
	var id int64
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if id, err = store.CreatePerson(ctx, tx, store.Person{Name: name, Language: "hi"}); err != nil {
			return err
		}
		if err := store.SetNameKeys(ctx, tx, id, names.SearchKeys(name)); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactPhone, number); err != nil {
			return err
		}
		_, _, err = store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: w.drive.ID, Channel: channel,
			AreaID: areaID, Day: "2026-02-22"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *peopleWorld) token(t *testing.T, name string, role access.Role, areas ...string) string {
	t.Helper()
	tok, err := access.CreateToken(context.Background(), w.db, name, string(role), areas, false)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// get asks path with token ("": none) and returns the status, the body and
// the error code of a refusal.
func (w *peopleWorld) get(t *testing.T, token, path string, v any) (int, string) {
	t.Helper()
	resp := getAs(t, token, w.base+path)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	var e struct {
		Error struct{ Code, Message string }
	}
	json.Unmarshal(b, &e)
	if resp.StatusCode == http.StatusOK && v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	return resp.StatusCode, e.Error.Code + ": " + e.Error.Message
}

type personOut struct {
	ID             int64    `json:"id"`
	Name           string   `json:"name"`
	Language       string   `json:"language"`
	Phones         []string `json:"phones"`
	WhatsApp       []string `json:"whatsapp"`
	Participations []struct {
		Drive, Area, Stage, Channel string
		AreaName                    string    `json:"area_name"`
		FirstSeen                   time.Time `json:"first_seen"`
	} `json:"participations"`
	Consents []any `json:"consents"`
	Audit    []struct {
		Actor, Action string
	} `json:"audit"`
}

// A coordinator reads the people who take part in their scope, numbers
// masked; anyone else is not_found, exactly as an id nobody has, so the
// answer does not tell that a person exists elsewhere. People with no area
// yet belong to the scopes covering the drive's root. Every view is
// audited with the token and its scope.
func TestPersonIsScopedAndMasked(t *testing.T) {
	w := newPeopleWorld(t)
	ranchi := w.person(t, "Sunita Devi", "+919876543210", "JH-AC-063")
	dhanbad := w.person(t, "Ramesh Kumar", "+919812345678", "JH-AC-040")
	lead := w.person(t, "Missed Call", "+919800000001", "")
	ac := w.token(t, "ranchi", access.Coordinator, "JH-AC-063")
	state := w.token(t, "state", access.Coordinator, "JH")

	var p personOut
	status, _ := w.get(t, ac, "/api/v1/people/"+strconv.FormatInt(ranchi, 10), &p)
	if status != http.StatusOK {
		t.Fatalf("coordinator of JH-AC-063 reading a Ranchi person: %d", status)
	}
	if p.ID != ranchi || p.Name != "Sunita Devi" || p.Language != "hi" || len(p.Phones) != 1 || p.Phones[0] != "+91 98xxxxxx10" ||
		len(p.WhatsApp) != 0 || len(p.Participations) != 1 {
		t.Fatalf("person: %+v", p)
	}
	if pp := p.Participations[0]; pp.Drive != "jh-warriors" || pp.Area != "JH-AC-063" || pp.AreaName != "Ranchi" || pp.Stage != "lead" ||
		pp.Channel != "web" || pp.FirstSeen.IsZero() {
		t.Errorf("participation: %+v", pp)
	}

	_, nobody := w.get(t, ac, "/api/v1/people/987654321", nil)
	for _, id := range []int64{dhanbad, lead} {
		status, msg := w.get(t, ac, "/api/v1/people/"+strconv.FormatInt(id, 10), nil)
		if status != http.StatusNotFound || msg != nobody {
			t.Errorf("coordinator of JH-AC-063 reading person %d outside: %d %q, want 404 as for nobody (%q)", id, status, msg, nobody)
		}
	}
	p = personOut{}
	if status, _ := w.get(t, state, "/api/v1/people/"+strconv.FormatInt(lead, 10), &p); status != http.StatusOK ||
		len(p.Participations) != 1 || p.Participations[0].Area != "" || p.Participations[0].Channel != "missed_call" {
		t.Errorf("coordinator of JH reading the lead with no area: %d %+v", status, p)
	}

	entries, err := w.db.AuditLog(context.Background(), ranchi)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Action != "person_view" || entries[0].Actor != "token:ranchi" || entries[0].Scope != "coordinator:JH-AC-063" {
		t.Errorf("audit of the view: %+v", entries)
	}
	p = personOut{}
	w.get(t, ac, "/api/v1/people/"+strconv.FormatInt(ranchi, 10), &p)
	if len(p.Audit) != 1 || p.Audit[0].Action != "person_view" || p.Audit[0].Actor != "token:ranchi" {
		t.Errorf("the person's page shows the audit entries about them: %+v", p.Audit)
	}
}

// Reading people needs people.read: a viewer or fact-checker token is
// 403 whatever its scope, no token 401, and an id that is not a number 400.
func TestPersonNeedsPeopleRead(t *testing.T) {
	w := newPeopleWorld(t)
	id := strconv.FormatInt(w.person(t, "Sunita Devi", "+919876543210", "JH-AC-063"), 10)
	for _, tc := range []struct {
		token, path string
		status      int
	}{
		{w.token(t, "viewer", access.Viewer, "JH"), "/api/v1/people/" + id, http.StatusForbidden},
		{w.token(t, "checker", access.FactChecker, "JH"), "/api/v1/people/" + id, http.StatusForbidden},
		{"", "/api/v1/people/" + id, http.StatusUnauthorized},
		{"jodo_not-a-token", "/api/v1/people/" + id, http.StatusUnauthorized},
		{w.token(t, "admin", access.Admin, "JH"), "/api/v1/people/abc", http.StatusBadRequest},
		{w.token(t, "admin2", access.Admin, "JH"), "/api/v1/people/-1", http.StatusBadRequest},
	} {
		status, msg := w.get(t, tc.token, tc.path, nil)
		if status != tc.status {
			t.Errorf("GET %s with %.12q: %d %s, want %d", tc.path, tc.token, status, msg, tc.status)
		}
		if strings.Contains(msg, "Sunita") {
			t.Errorf("GET %s: a refusal names the person: %s", tc.path, msg)
		}
	}
	if entries, _ := w.db.AuditLog(context.Background(), mustID(t, id)); len(entries) != 0 {
		t.Errorf("refused reads were audited as views: %+v", entries)
	}
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
