package store_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"testing"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

const searchDrives = `{"version": 1, "slug": "jh", "name": "JH", "starts_on": "2026-02-12", "ends_on": "2026-03-13",
  "timezone": "Asia/Kolkata", "root_area": "JH"}`

const ranchiDrive = `{"version": 1, "slug": "ranchi", "name": "Ranchi", "starts_on": "2026-02-12", "ends_on": "2026-03-13",
  "timezone": "Asia/Kolkata", "root_area": "JH-PC-08"}`

// searchWorld is Jharkhand with two drives (jh, rooted at the state, and
// ranchi, at the PC JH-PC-08) and people in Ranchi's and Dhanbad's ACs.
type searchWorld struct {
	db     *store.DB
	jh     int64
	ranchi int64
	areas  map[string]int64
	// ids of the participations, by a label of the person and the drive
	parts map[string]int64
	// ids of the people, by label
	people map[string]int64
}

type searchPerson struct {
	label, name, phone, ac, channel string
	stage                           store.Stage
	waID                            bool // the phone is their WhatsApp id too
	ranchi                          bool // in the ranchi drive as well
}

var searchPeople = []searchPerson{
	{label: "sunita", name: "Sunita Devi", phone: "+919800000001", ac: "JH-AC-063", channel: "web", stage: store.StageRegistered},
	{label: "sunita-hi", name: "सुनीता देवी", phone: "+919800000002", ac: "JH-AC-064", channel: "whatsapp", stage: store.StageVerified, waID: true},
	{label: "ravi", name: "Ravi Kumar", phone: "+919800000003", ac: "JH-AC-040", channel: "missed_call", stage: store.StageLead},
	{label: "lead", phone: "+919800000004", channel: "missed_call", stage: store.StageLead},
	{label: "sunil", name: "Sunil Sharma Sunar", phone: "+919800000005", ac: "JH-AC-063", channel: "web", stage: store.StageVolunteer, ranchi: true},
	{label: "amit", name: "अमित उरांव", phone: "+919800000006", ac: "JH-AC-058", channel: "sms", stage: store.StageActive},
}

func newSearchWorld(t *testing.T) *searchWorld {
	t.Helper()
	db := storetest.Open(t, storetest.NewClock(fixtureStart))
	drives := drivetest.Load(t, db, nil, searchDrives, ranchiDrive)
	w := &searchWorld{db: db, jh: drives["jh"].ID, ranchi: drives["ranchi"].ID, parts: map[string]int64{}, people: map[string]int64{},
		areas: storetest.AreaIDs(t, db, "JH-AC-063", "JH-AC-064", "JH-AC-040", "JH-AC-058")}
	for _, p := range searchPeople {
		w.add(t, p)
	}
	return w
}

func (w *searchWorld) update(t testing.TB, fn func(context.Context, *store.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := w.db.Update(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

// add stores the person, their contacts, and their participation in the
// jh drive (and the ranchi one), at their stage.
func (w *searchWorld) add(t testing.TB, p searchPerson) {
	t.Helper()
	w.update(t, func(ctx context.Context, tx *store.Tx) error {
		id, err := store.CreatePerson(ctx, tx, store.Person{Name: p.name, Language: "hi"})
		if err != nil {
			return err
		}
		if err := store.SetNameKeys(ctx, tx, id, names.SearchKeys(p.name)); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactPhone, p.phone); err != nil {
			return err
		}
		if p.waID {
			if err := store.AddContact(ctx, tx, id, store.ContactWAID, p.phone[1:]); err != nil {
				return err
			}
		}
		w.people[p.label] = id
		drives := map[string]int64{"jh": w.jh}
		if p.ranchi {
			drives["ranchi"] = w.ranchi
		}
		for label, drive := range drives {
			part, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: drive,
				Channel: p.channel, AreaID: w.areas[p.ac], Day: fixtureDay})
			if err != nil {
				return err
			}
			w.parts[p.label+"@"+label] = part
			for _, s := range []store.Stage{store.StageRegistered, store.StageVerified, store.StageVolunteer, store.StageActive} {
				if stageRank(s) > stageRank(p.stage) {
					break
				}
				if _, err := store.ReachStage(ctx, tx, part, s, w.areas[p.ac], p.channel, fixtureDay); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func stageRank(s store.Stage) int {
	return slices.Index([]store.Stage{store.StageLead, store.StageRegistered, store.StageVerified, store.StageVolunteer, store.StageActive}, s)
}

func (w *searchWorld) scope(t testing.TB, codes ...string) []store.Area {
	t.Helper()
	scope, err := w.db.ScopeAreas(context.Background(), codes)
	if err != nil {
		t.Fatal(err)
	}
	return scope
}

// search returns the labels of every row q finds, walking all its pages.
func (w *searchWorld) search(t testing.TB, q store.PeopleQuery) []string {
	t.Helper()
	var out []string
	for range 100 {
		rows, next, err := w.db.SearchPeople(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			out = append(out, w.label(r.ParticipationID))
		}
		if next.IsZero() {
			return out
		}
		q.After = next
	}
	t.Fatal("more than 100 pages")
	return nil
}

func (w *searchWorld) label(part int64) string {
	for l, id := range w.parts {
		if id == part {
			return l
		}
	}
	return fmt.Sprint("participation ", part)
}

func sorted(labels ...string) []string { return slices.Sorted(slices.Values(labels)) }

func TestSearchPeopleScope(t *testing.T) {
	w := newSearchWorld(t)
	for _, c := range []struct {
		name   string
		scope  []string
		rootOf []int64
		want   []string
	}{
		{"AC coordinator", []string{"JH-AC-063"}, nil, []string{"sunita@jh", "sunil@jh", "sunil@ranchi"}},
		{"a sibling AC", []string{"JH-AC-040"}, nil, []string{"ravi@jh"}},
		{"district: its ACs", []string{"JH-D-RANCHI"}, nil, []string{"sunita@jh", "sunita-hi@jh", "sunil@jh", "sunil@ranchi", "amit@jh"}},
		{"PC", []string{"JH-PC-08"}, []int64{w.ranchi}, []string{"sunita@jh", "sunita-hi@jh", "sunil@jh", "sunil@ranchi"}},
		{"state without the drive's root", []string{"JH"}, nil, []string{"sunita@jh", "sunita-hi@jh", "ravi@jh", "sunil@jh", "sunil@ranchi", "amit@jh"}},
		{"state with the drive's root", []string{"JH"}, []int64{w.jh, w.ranchi}, []string{"sunita@jh", "sunita-hi@jh", "ravi@jh", "lead@jh", "sunil@jh", "sunil@ranchi", "amit@jh"}},
	} {
		got := w.search(t, store.PeopleQuery{Scope: w.scope(t, c.scope...), RootOf: c.rootOf})
		if !slices.Equal(sorted(got...), sorted(c.want...)) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	for _, scope := range [][]store.Area{nil, {}, {{Code: "JH"}}} { // no scope, or areas not from the store
		if got := w.search(t, store.PeopleQuery{Scope: scope, RootOf: []int64{w.jh}, NameKey: "sun"}); got != nil {
			t.Errorf("scope %v: got %q", scope, got)
		}
	}
}

func TestSearchPeopleFilters(t *testing.T) {
	w := newSearchWorld(t)
	all := w.scope(t, "JH")
	ac := w.scope(t, "JH-AC-063")[0]
	for _, c := range []struct {
		name string
		q    store.PeopleQuery
		want []string
	}{
		{"drive", store.PeopleQuery{DriveID: w.ranchi}, []string{"sunil@ranchi"}},
		{"area", store.PeopleQuery{AreaPath: ac.Path}, []string{"sunita@jh", "sunil@jh", "sunil@ranchi"}},
		{"stage lead", store.PeopleQuery{Stage: store.StageLead}, []string{"ravi@jh", "lead@jh"}},
		{"stage registered", store.PeopleQuery{Stage: store.StageRegistered}, []string{"sunita@jh"}},
		{"stage verified", store.PeopleQuery{Stage: store.StageVerified}, []string{"sunita-hi@jh"}},
		{"stage volunteer", store.PeopleQuery{Stage: store.StageVolunteer}, []string{"sunil@jh", "sunil@ranchi"}},
		{"stage active", store.PeopleQuery{Stage: store.StageActive}, []string{"amit@jh"}},
		{"channel", store.PeopleQuery{Channel: "whatsapp"}, []string{"sunita-hi@jh"}},
		{"phone", store.PeopleQuery{Phone: "+919800000003"}, []string{"ravi@jh"}},
		{"phone of an area-less lead", store.PeopleQuery{Phone: "+919800000004"}, []string{"lead@jh"}},
		{"WhatsApp id", store.PeopleQuery{Phone: "+919800000002"}, []string{"sunita-hi@jh"}},
		{"unknown phone", store.PeopleQuery{Phone: "+919800000009"}, nil},
		{"Latin prefix finds both scripts", store.PeopleQuery{NameKey: names.SearchPrefix("Sunita")}, []string{"sunita@jh", "sunita-hi@jh"}},
		{"Devanagari prefix finds both scripts", store.PeopleQuery{NameKey: names.SearchPrefix("सुनीता")}, []string{"sunita@jh", "sunita-hi@jh"}},
		{"a later word", store.PeopleQuery{NameKey: names.SearchPrefix("devi")}, []string{"sunita@jh", "sunita-hi@jh"}},
		{"two words", store.PeopleQuery{NameKey: names.SearchPrefix("sunita de")}, []string{"sunita@jh", "sunita-hi@jh"}},
		{"Latin finds Devanagari", store.PeopleQuery{NameKey: names.SearchPrefix("Amit U")}, []string{"amit@jh"}},
		{"each participation once, matched twice", store.PeopleQuery{NameKey: names.SearchPrefix("su")}, []string{"sunita@jh", "sunita-hi@jh", "sunil@jh", "sunil@ranchi"}},
		{"name and drive", store.PeopleQuery{NameKey: "sunil", DriveID: w.ranchi}, []string{"sunil@ranchi"}},
		{"name and stage", store.PeopleQuery{NameKey: "sun", Stage: store.StageVerified}, []string{"sunita-hi@jh"}},
		{"name and phone", store.PeopleQuery{NameKey: "sun", Phone: "+919800000001"}, []string{"sunita@jh"}},
		{"a shorter prefix finds more", store.PeopleQuery{NameKey: names.SearchPrefix("सुनी")}, []string{"sunita@jh", "sunita-hi@jh", "sunil@jh", "sunil@ranchi"}},
		{"no name", store.PeopleQuery{NameKey: "zz"}, nil},
	} {
		c.q.Scope, c.q.RootOf = all, []int64{w.jh}
		got := w.search(t, c.q)
		if !slices.Equal(sorted(got...), sorted(c.want...)) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSearchPeopleRows(t *testing.T) {
	w := newSearchWorld(t)
	rows, _, err := w.db.SearchPeople(context.Background(), store.PeopleQuery{Scope: w.scope(t, "JH"), Phone: "+919800000002"})
	if err != nil {
		t.Fatal(err)
	}
	want := store.PersonRow{PersonID: w.people["sunita-hi"], ParticipationID: w.parts["sunita-hi@jh"], DriveID: w.jh,
		Name: "सुनीता देवी", AreaCode: "JH-AC-064", AreaName: "Hatia", AreaNameLocal: "हटिया", Stage: store.StageVerified, Channel: "whatsapp",
		FirstSeen: fixtureStart.UTC(), Phone: "+919800000002"}
	if len(rows) != 1 || rows[0] != want {
		t.Errorf("got %+v, want %+v", rows, want)
	}
}

// Pages walk every row once, in order, whatever the page size, by name
// and without one.
func TestSearchPeoplePages(t *testing.T) {
	w := newSearchWorld(t)
	for i := range 23 {
		w.add(t, searchPerson{label: fmt.Sprint("sunaina-", i), name: fmt.Sprintf("Sunaina %c", 'a'+i%5),
			phone: fmt.Sprintf("+9198100%05d", i), ac: "JH-AC-063", channel: "web", stage: store.StageLead})
	}
	scope := w.scope(t, "JH-AC-063")
	for _, name := range []string{"", "sun"} {
		whole := w.search(t, store.PeopleQuery{Scope: scope, NameKey: name, Limit: store.MaxPeopleLimit})
		if len(whole) != 26 {
			t.Fatalf("name %q: %d rows: %q", name, len(whole), whole)
		}
		for _, size := range []int{1, 5, 25, 26} {
			if got := w.search(t, store.PeopleQuery{Scope: scope, NameKey: name, Limit: size}); !slices.Equal(got, whole) {
				t.Errorf("name %q, pages of %d: %q, want %q", name, size, got, whole)
			}
		}
	}
	byID := w.search(t, store.PeopleQuery{Scope: scope, Limit: 7})
	if !slices.IsSortedFunc(byID, func(a, b string) int { return int(w.parts[b] - w.parts[a]) }) {
		t.Errorf("not newest first: %q", byID)
	}
}

func TestSearchPeopleCursor(t *testing.T) {
	w := newSearchWorld(t)
	ctx := context.Background()
	q := store.PeopleQuery{Scope: w.scope(t, "JH"), RootOf: []int64{w.jh}, NameKey: "sun", Limit: 1}
	_, next, err := w.db.SearchPeople(ctx, q)
	if err != nil || next.IsZero() {
		t.Fatalf("first page: %v, next %v", err, next)
	}
	parsed, err := store.ParsePeopleCursor(next.String())
	if err != nil || parsed != next {
		t.Fatalf("cursor %q parsed as %v, %v", next.String(), parsed, err)
	}
	for _, text := range []string{"i5", "n5:7:sun", "n5:7:", "n5:7:a:b"} {
		c, err := store.ParsePeopleCursor(base64.RawURLEncoding.EncodeToString([]byte(text)))
		if err != nil || base64Text(c.String()) != text {
			t.Errorf("%q: %v, %v", text, c, err)
		}
	}
	for _, text := range []string{"x", "i0", "i-1", "i5:", "i5:7:sun", "n5", "n5:7", "n0:7:sun", "n5:0:sun", "n5:x:sun", "i99999999999999999999", "n5:7:\xff"} {
		_, err := store.ParsePeopleCursor(base64.RawURLEncoding.EncodeToString([]byte(text)))
		wantCode(t, err, apperr.Invalid)
	}
	for _, bad := range []string{"!!!", "aTU=", "\xff"} {
		_, err := store.ParsePeopleCursor(bad)
		wantCode(t, err, apperr.Invalid)
	}
	q.NameKey, q.After = "", parsed // a name search's cursor in a search by date
	_, _, err = w.db.SearchPeople(ctx, q)
	wantCode(t, err, apperr.Invalid)
	_, _, err = w.db.SearchPeople(ctx, store.PeopleQuery{Scope: q.Scope, Stage: "member"})
	wantCode(t, err, apperr.Invalid)
}

func base64Text(s string) string {
	b, _ := base64.RawURLEncoding.DecodeString(s)
	return string(b)
}

// An erased person is found by nothing and leaves no keys; a corrected
// name is found by its new keys only.
func TestSearchPeopleAfterChanges(t *testing.T) {
	w := newSearchWorld(t)
	scope := w.scope(t, "JH")
	w.update(t, func(ctx context.Context, tx *store.Tx) error {
		_, err := store.ErasePersonalData(ctx, tx, w.people["sunita"], func(s string) string { return "k" + s })
		return err
	})
	if n := storetest.NameKeyCount(t, w.db, w.people["sunita"]); n != 0 {
		t.Errorf("the erased person has %d name keys", n)
	}
	if got := w.search(t, store.PeopleQuery{Scope: scope, AreaPath: w.scope(t, "JH-AC-063")[0].Path}); !slices.Equal(sorted(got...), sorted("sunil@jh", "sunil@ranchi")) {
		t.Errorf("after the erasure: %q", got)
	}
	w.update(t, func(ctx context.Context, tx *store.Tx) error {
		return store.UpdatePersonDetails(ctx, tx, w.people["ravi"], "Rakesh Mahto", "hi", w.areas["JH-AC-040"], names.SearchKeys("Rakesh Mahto"))
	})
	if got := w.search(t, store.PeopleQuery{Scope: scope, NameKey: "rabi"}); got != nil {
		t.Errorf("the old name finds %q", got)
	}
	if got := w.search(t, store.PeopleQuery{Scope: scope, NameKey: "mahto"}); !slices.Equal(got, []string{"ravi@jh"}) {
		t.Errorf("the new name finds %q", got)
	}
}

// Names stored before the keys existed get them once; later opens do nothing.
func TestBackfillNameKeys(t *testing.T) {
	w := newSearchWorld(t)
	ctx := context.Background()
	w.update(t, func(ctx context.Context, tx *store.Tx) error {
		for _, l := range []string{"sunita", "sunita-hi", "ravi"} {
			if err := store.SetNameKeys(ctx, tx, w.people[l], nil); err != nil {
				return err
			}
		}
		return nil
	})
	n, err := w.db.BackfillNameKeys(ctx, names.SearchKeys, 2)
	if err != nil || n != 3 {
		t.Fatalf("backfilled %d, %v; want 3", n, err)
	}
	if got := w.search(t, store.PeopleQuery{Scope: w.scope(t, "JH"), NameKey: "sunit"}); len(got) != 2 {
		t.Errorf("after the backfill: %q", got)
	}
	w.update(t, func(ctx context.Context, tx *store.Tx) error {
		return store.SetNameKeys(ctx, tx, w.people["ravi"], nil)
	})
	if n, err := w.db.BackfillNameKeys(ctx, names.SearchKeys, 2); err != nil || n != 0 {
		t.Errorf("second backfill: %d, %v", n, err)
	}
}

// Folding a person into another takes their keys with them; the other
// keeps their own.
func TestFoldPersonDropsTheirKeys(t *testing.T) {
	w := newSearchWorld(t)
	w.update(t, func(ctx context.Context, tx *store.Tx) error {
		return store.FoldPerson(ctx, tx, w.people["ravi"], w.people["sunita"], fixtureDay)
	})
	if n := storetest.NameKeyCount(t, w.db, w.people["ravi"]); n != 0 {
		t.Errorf("the folded person has %d name keys", n)
	}
	if n := storetest.NameKeyCount(t, w.db, w.people["sunita"]); n != 2 {
		t.Errorf("the person folded into has %d name keys, want 2", n)
	}
}
