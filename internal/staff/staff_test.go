package staff_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/signin"
	"github.com/jodo-org/jodo/internal/staff"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var key = []byte("0123456789abcdef0123456789abcdef")

// world is Jharkhand, Staff and sign-in on one database, run as the
// command line.
type world struct {
	t     *testing.T
	db    *store.DB
	clock *storetest.Clock
	s     *staff.Staff
	in    *signin.Signin
	cli   access.Actor
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, clock: storetest.NewClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)), s: staff.New(key)}
	w.db = storetest.Open(t, w.clock)
	areas, err := geo.Jharkhand()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.ImportAreas(context.Background(), geo.Importer(areas)); err != nil {
		t.Fatal(err)
	}
	roots, err := w.db.RootAreas(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w.cli = access.CLI("root", roots)
	if w.in, err = signin.New(w.db, signin.Config{SecretKey: key}, nil); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) update(fn func(ctx context.Context, tx *store.Tx) error) error {
	return w.db.Update(context.Background(), func(tx *store.Tx) error { return fn(context.Background(), tx) })
}

func (w *world) add(g staff.Grant) (staff.Added, error) {
	var out staff.Added
	err := w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		out, err = w.s.Add(ctx, tx, w.cli, g)
		return err
	})
	return out, err
}

func (w *world) mustAdd(g staff.Grant) staff.Added {
	w.t.Helper()
	out, err := w.add(g)
	if err != nil {
		w.t.Fatalf("add %+v: %v", g, err)
	}
	return out
}

func (w *world) link(phone string) (string, error) {
	var token string
	err := w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		token, err = w.s.Link(ctx, tx, w.cli, phone)
		return err
	})
	return token, err
}

func (w *world) remove(phone, role string) ([]string, error) {
	var out []string
	err := w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		out, err = w.s.Remove(ctx, tx, w.cli, phone, role)
		return err
	})
	return out, err
}

// session signs person in and returns a request carrying the cookie.
func (w *world) session(person int64) *http.Request {
	w.t.Helper()
	rec := httptest.NewRecorder()
	if err := w.in.Start(context.Background(), rec, person, "by test"); err != nil {
		w.t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/console", nil)
	for _, c := range rec.Result().Cookies() {
		r.AddCookie(c)
	}
	return r
}

func (w *world) signedIn(r *http.Request) bool {
	w.t.Helper()
	_, ok, err := w.in.Person(r)
	if err != nil {
		w.t.Fatal(err)
	}
	return ok
}

// roles are the person's roles and areas as the next request reads them.
func (w *world) roles(person int64) []string {
	w.t.Helper()
	a, err := access.ForPerson(context.Background(), w.db, person)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, g := range a.Grants {
		out = append(out, string(g.Role)+":"+strings.Join(g.Areas, ","))
	}
	return out
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Errorf("%s: %v, want %s", what, err, code)
	}
}

// Add makes a person new to Jodo with their phone as a contact point, and
// gives a known person a role without a second person; adding a role held
// already replaces its areas; a bad role, area or name changes nothing.
func TestAddCreatesThePersonOnceAndReplacesAreas(t *testing.T) {
	w := newWorld(t)
	first := w.mustAdd(staff.Grant{Phone: "098765 00001", Name: " Asha Kumari ", Role: "coordinator", Areas: []string{"JH-AC-063", " ", "JH-AC-063"}})
	if !first.NewPerson || first.Replaced || first.PersonID == 0 {
		t.Fatalf("first add: %+v", first)
	}
	if n := storetest.ContactCount(t, w.db, storetest.Contacts{Kind: store.ContactPhone, Value: "+919876500001"}); n != 1 {
		t.Errorf("%d phone contact points for the new staff member, want 1", n)
	}
	again := w.mustAdd(staff.Grant{Phone: "+919876500001", Role: "coordinator", Areas: []string{"JH-AC-064", "JH-D-RANCHI"}})
	if again.NewPerson || !again.Replaced || again.PersonID != first.PersonID {
		t.Errorf("second add: %+v, want the same person, areas replaced", again)
	}
	w.mustAdd(staff.Grant{Phone: "9876500001", Role: "viewer", Areas: []string{"JH"}})
	if got := w.roles(first.PersonID); !slices.Equal(got, []string{"coordinator:JH-AC-064,JH-D-RANCHI", "viewer:JH"}) {
		t.Errorf("roles %q", got)
	}
	if n := storetest.PeopleCount(t, w.db); n != 1 {
		t.Errorf("%d people, want 1", n)
	}
	for what, g := range map[string]staff.Grant{
		"unknown role":    {Phone: "9876500002", Name: "Ravi", Role: "god", Areas: []string{"JH"}},
		"no area":         {Phone: "9876500002", Name: "Ravi", Role: "admin", Areas: []string{" "}},
		"unknown area":    {Phone: "9876500002", Name: "Ravi", Role: "admin", Areas: []string{"JH-AC-999"}},
		"no name":         {Phone: "9876500002", Role: "admin", Areas: []string{"JH"}},
		"no letter":       {Phone: "9876500002", Name: "42", Role: "admin", Areas: []string{"JH"}},
		"not a number":    {Phone: "12", Name: "Ravi", Role: "admin", Areas: []string{"JH"}},
		"a hidden letter": {Phone: "9876500002", Name: "Ra\u200bvi", Role: "admin", Areas: []string{"JH"}},
	} {
		_, err := w.add(g)
		if c := apperr.CodeOf(err); c != apperr.Invalid && c != apperr.NotFound {
			t.Errorf("%s: %v, want invalid or not_found", what, err)
		}
		if err != nil && strings.Contains(err.Error(), "9876500002") {
			t.Errorf("%s: the error shows the number: %v", what, err)
		}
	}
	if n := storetest.PeopleCount(t, w.db); n != 1 {
		t.Errorf("%d people after the refused adds, want 1", n)
	}
}

// A number erased at its owner's request, or refused as under 18, cannot
// be made staff: it comes back only by its owner's act. Nothing is made.
func TestAddRefusesErasedAndUnder18Numbers(t *testing.T) {
	w := newWorld(t)
	p := people.New(key)
	for phone, forget := range map[string]func(context.Context, *store.Tx, int64) error{
		"+919876500003": func(ctx context.Context, tx *store.Tx, id int64) error { return p.Erase(ctx, tx, id, "on /me") },
		"+919876500004": p.RefuseUnder18,
	} {
		err := w.update(func(ctx context.Context, tx *store.Tx) error {
			id, err := store.CreatePerson(ctx, tx, store.Person{Name: "Sunita"})
			if err != nil {
				return err
			}
			if err := store.AddContact(ctx, tx, id, store.ContactPhone, phone); err != nil {
				return err
			}
			return forget(ctx, tx, id)
		})
		if err != nil {
			t.Fatal(err)
		}
		before := storetest.PeopleCount(t, w.db)
		_, err = w.add(staff.Grant{Phone: phone, Name: "Sunita Devi", Role: "coordinator", Areas: []string{"JH"}})
		wantCode(t, "add "+phone, err, apperr.Conflict)
		if err != nil && strings.Contains(err.Error(), phone[3:]) {
			t.Errorf("the refusal shows the number: %v", err)
		}
		if storetest.PeopleCount(t, w.db) != before || storetest.ContactCount(t, w.db, storetest.Contacts{Value: phone}) != 0 {
			t.Errorf("refusing %s made a person or a contact point", phone)
		}
	}
}

// Remove takes one role or all, ends every session of the person at once,
// and takes effect on the next request; a role not held is not_found.
func TestRemoveEndsSessionsAndTakesEffectAtOnce(t *testing.T) {
	w := newWorld(t)
	id := w.mustAdd(staff.Grant{Phone: "9876500001", Name: "Asha Kumari", Role: "coordinator", Areas: []string{"JH-AC-063"}}).PersonID
	w.mustAdd(staff.Grant{Phone: "9876500001", Role: "viewer", Areas: []string{"JH"}})
	phone, laptop := w.session(id), w.session(id)
	if !w.signedIn(phone) || !w.signedIn(laptop) {
		t.Fatal("sessions did not start")
	}
	pending, err := w.link("9876500001")
	if err != nil {
		t.Fatal(err)
	}
	removed, err := w.remove("9876500001", "viewer")
	if err != nil || !slices.Equal(removed, []string{"viewer"}) {
		t.Fatalf("remove viewer: %q %v", removed, err)
	}
	if err := w.update(func(ctx context.Context, tx *store.Tx) error { _, err := signin.UseLink(ctx, tx, pending); return err }); err == nil {
		t.Error("a sign-in link made before a role was removed still signs in")
	}
	if w.signedIn(phone) || w.signedIn(laptop) {
		t.Error("a session outlived the removal of a role")
	}
	if got := w.roles(id); !slices.Equal(got, []string{"coordinator:JH-AC-063"}) {
		t.Errorf("roles on the next request: %q", got)
	}
	_, err = w.remove("9876500001", "viewer")
	wantCode(t, "remove a role not held", err, apperr.NotFound)
	_, err = w.remove("9876500001", "god")
	wantCode(t, "remove an unknown role", err, apperr.Invalid)
	_, err = w.remove("9876500009", "")
	wantCode(t, "remove from a number nobody has", err, apperr.NotFound)
	if removed, err := w.remove("9876500001", ""); err != nil || !slices.Equal(removed, []string{"coordinator"}) {
		t.Fatalf("remove all: %q %v", removed, err)
	}
	if got := w.roles(id); len(got) != 0 {
		t.Errorf("roles after removing all: %q", got)
	}
}

// A sign-in link is made only for someone holding a role; it signs in
// once, within 15 minutes, and only its hash is kept.
func TestLinkOnlyForRoleHolders(t *testing.T) {
	w := newWorld(t)
	err := w.update(func(ctx context.Context, tx *store.Tx) error {
		id, err := store.CreatePerson(ctx, tx, store.Person{Name: "Member"})
		if err == nil {
			err = store.AddContact(ctx, tx, id, store.ContactPhone, "+919876500002")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.link("9876500002")
	wantCode(t, "a link for a member", err, apperr.Invalid)
	_, err = w.link("9876500009")
	wantCode(t, "a link for nobody", err, apperr.NotFound)

	id := w.mustAdd(staff.Grant{Phone: "9876500001", Name: "Asha Kumari", Role: "admin", Areas: []string{"JH"}}).PersonID
	token, err := w.link("9876500001")
	if err != nil || len(token) != 43 {
		t.Fatalf("link: %q %v", token, err)
	}
	if live, _ := signin.LinkLive(context.Background(), w.db, token); !live {
		t.Fatal("a new link is not live")
	}
	use := func() (int64, error) {
		var who int64
		err := w.update(func(ctx context.Context, tx *store.Tx) (err error) {
			who, err = signin.UseLink(ctx, tx, token)
			return err
		})
		return who, err
	}
	if who, err := use(); err != nil || who != id {
		t.Fatalf("use the link: %d %v", who, err)
	}
	if _, err := use(); err != store.ErrLinkUsed {
		t.Errorf("a second use: %v", err)
	}
	late, err := w.link("9876500001")
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(signin.LinkTTL)
	if live, _ := signin.LinkLive(context.Background(), w.db, late); live {
		t.Error("a link is live 15 minutes on")
	}
	lateErr := w.update(func(ctx context.Context, tx *store.Tx) error { _, err := signin.UseLink(ctx, tx, late); return err })
	if lateErr != store.ErrLinkUsed {
		t.Errorf("an expired link: %v", lateErr)
	}
}

// Erasing a staff member ends their roles and deletes their sign-in
// links; the audit keeps their id, never their name or number.
func TestErasureEndsRolesAndLinks(t *testing.T) {
	w := newWorld(t)
	id := w.mustAdd(staff.Grant{Phone: "9876500001", Name: "Asha Kumari", Role: "admin", Areas: []string{"JH"}}).PersonID
	token, err := w.link("9876500001")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.update(func(ctx context.Context, tx *store.Tx) error { return people.New(key).Erase(ctx, tx, id, "on /me") }); err != nil {
		t.Fatal(err)
	}
	if got := w.roles(id); len(got) != 0 {
		t.Errorf("an erased person holds %q", got)
	}
	if live, _ := signin.LinkLive(context.Background(), w.db, token); live {
		t.Error("an erased person's sign-in link is live")
	}
	if n := storetest.SigninLinkCount(t, w.db, id); n != 0 {
		t.Errorf("%d sign-in links of the erased person kept", n)
	}
	entries, err := w.db.AuditLog(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
		for _, personal := range []string{"Asha", "9876500001", "98xxxxxx01"} {
			if strings.Contains(e.Detail+e.Reason+e.Scope+e.Actor, personal) {
				t.Errorf("audit entry %+v holds %q", e, personal)
			}
		}
	}
	if !slices.Equal(actions, []string{"erase", "signin_link", "role_grant"}) {
		t.Errorf("audit of the erased staff member: %q", actions)
	}
}
