package directory_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

const stateDrive = `{"version": 1, "slug": "jh", "name": "Jharkhand drive", "starts_on": "2026-02-12", "ends_on": "2026-03-13",
  "timezone": "Asia/Kolkata", "root_area": "JH", "channels": [{"kind": "missed_call", "number": "1800 000 0000"}], "targets": []}`

const districtDrive = `{"version": 1, "slug": "ranchi", "name": "Ranchi district drive", "starts_on": "2026-02-12", "ends_on": "2026-03-13",
  "timezone": "Asia/Kolkata", "root_area": "JH-D-RANCHI", "channels": [{"kind": "missed_call", "number": "1800 000 0001"}], "targets": []}`

// searchWorld: Jharkhand, a drive over the state and one over the Ranchi
// district, and the directory over them.
type searchWorld struct {
	db     *store.DB
	dir    *directory.Directory
	drives map[string]store.Drive
}

func newSearchWorld(t *testing.T) *searchWorld {
	t.Helper()
	db := storetest.Open(t, storetest.NewClock(time.Date(2026, 2, 22, 6, 30, 0, 0, time.UTC)))
	drives := drivetest.Load(t, db, nil, stateDrive, districtDrive)
	dir, err := directory.New(db, directory.Config{SecretKey: []byte("directory test key, 32 bytes ok")})
	if err != nil {
		t.Fatal(err)
	}
	return &searchWorld{db: db, dir: dir, drives: drives}
}

// join adds a person with a phone to a drive at area ("": a missed call's
// lead with no area), at stage, and returns their id.
func (w *searchWorld) join(t *testing.T, slug, name, number, area string, stage store.Stage) int64 {
	t.Helper()
	ctx := context.Background()
	var areaID int64
	channel := "missed_call"
	if area != "" {
		areaID, channel = w.areaID(t, area), "web"
	}
	var id int64
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if id, err = store.CreatePerson(ctx, tx, store.Person{Name: name}); err != nil {
			return err
		}
		if err := store.SetNameKeys(ctx, tx, id, names.SearchKeys(name)); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactPhone, number); err != nil {
			return err
		}
		part, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: w.drives[slug].ID,
			Channel: channel, AreaID: areaID, Day: "2026-02-22"})
		if err != nil || stage == store.StageLead {
			return err
		}
		_, err = store.ReachStage(ctx, tx, part, stage, areaID, channel, "2026-02-22")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *searchWorld) slug(id int64) string {
	for slug, d := range w.drives {
		if d.ID == id {
			return slug
		}
	}
	return ""
}

func (w *searchWorld) areaID(t *testing.T, code string) int64 {
	t.Helper()
	return storetest.AreaIDs(t, w.db, code)[code]
}

// actor holds role over areas, as a token would.
func (w *searchWorld) actor(t *testing.T, role access.Role, areas ...string) access.Actor {
	t.Helper()
	scope, err := w.db.ScopeAreas(context.Background(), areas)
	if err != nil {
		t.Fatal(err)
	}
	return access.Actor{Label: "token:" + string(role) + "-" + strings.Join(areas, "-"), Grants: []access.Grant{{Role: role, Areas: areas, Scope: scope}}}
}

// names lists the names on every page of a search, in order.
func (w *searchWorld) names(t *testing.T, a access.Actor, q directory.Query) []string {
	t.Helper()
	var out []string
	for {
		page, err := w.dir.Search(context.Background(), a, q)
		if err != nil {
			t.Fatalf("search %+v as %s: %v", q, a.Label, err)
		}
		for _, r := range page.Rows {
			out = append(out, r.Name+"@"+w.slug(r.DriveID))
		}
		if page.Next == "" {
			return out
		}
		q.Cursor = page.Next
	}
}

func sorted(s []string) []string { slices.Sort(s); return s }

// The people a search finds are exactly those taking part in the scope:
// a PC's ACs, a district's ACs (not its PC's others), an AC alone. Leads
// with no area yet belong to a scope covering the drive's whole root: the
// state's to a state scope, the Ranchi drive's to the district's (every
// one of its ACs), never to one of its ACs or to a PC that covers some.
func TestSearchIsScoped(t *testing.T) {
	w := newSearchWorld(t)
	for i, p := range [][2]string{{"Ranchi Ram", "JH-AC-063"}, {"Hatia Hari", "JH-AC-064"}, {"Ichagarh Isha", "JH-AC-050"},
		{"Tamar Tara", "JH-AC-058"}, {"Dhanbad Dev", "JH-AC-040"}, {"State Lead", ""}} {
		w.join(t, "jh", p[0], fmt.Sprintf("+9198765000%02d", i), p[1], store.StageLead)
	}
	w.join(t, "ranchi", "District Lead", "+919876511111", "", store.StageLead)
	w.join(t, "ranchi", "District Kanke", "+919876511112", "JH-AC-065", store.StageLead)
	for _, tc := range []struct {
		area string
		want []string
	}{
		{"JH-AC-063", []string{"Ranchi Ram@jh"}},
		{"JH-PC-08", []string{"Ranchi Ram@jh", "Hatia Hari@jh", "Ichagarh Isha@jh", "District Kanke@ranchi"}},
		{"JH-D-RANCHI", []string{"Ranchi Ram@jh", "Hatia Hari@jh", "Tamar Tara@jh", "District Lead@ranchi", "District Kanke@ranchi"}},
		{"JH", []string{"Ranchi Ram@jh", "Hatia Hari@jh", "Ichagarh Isha@jh", "Tamar Tara@jh", "Dhanbad Dev@jh", "State Lead@jh",
			"District Lead@ranchi", "District Kanke@ranchi"}},
	} {
		got := sorted(w.names(t, w.actor(t, access.Coordinator, tc.area), directory.Query{}))
		if want := sorted(tc.want); !slices.Equal(got, want) {
			t.Errorf("coordinator of %s finds %v, want %v", tc.area, got, want)
		}
	}
	// Asking for an area narrows the scope to it, with the same rule for leads.
	admin := w.actor(t, access.Admin, "JH")
	for _, tc := range []struct {
		area string
		want []string
	}{
		{"JH-D-RANCHI", []string{"Ranchi Ram@jh", "Hatia Hari@jh", "Tamar Tara@jh", "District Lead@ranchi", "District Kanke@ranchi"}},
		{"JH-AC-064", []string{"Hatia Hari@jh"}},
	} {
		if got, want := sorted(w.names(t, admin, directory.Query{Area: tc.area})), sorted(tc.want); !slices.Equal(got, want) {
			t.Errorf("admin of JH asking for %s finds %v, want %v", tc.area, got, want)
		}
	}
	if got := w.names(t, admin, directory.Query{Drive: "ranchi", Area: "JH-PC-08"}); !slices.Equal(got, []string{"District Kanke@ranchi"}) {
		t.Errorf("admin of JH asking for the ranchi drive in JH-PC-08 finds %v", got)
	}
}

// A phone number in any common form finds that person exactly; anything
// else is the start of a name in either script. Numbers come back masked.
func TestSearchByPhoneOrName(t *testing.T) {
	w := newSearchWorld(t)
	w.join(t, "jh", "Sunita Devi", "+919876543210", "JH-AC-063", store.StageLead)
	w.join(t, "jh", "सुनीता कुमारी", "+919876543211", "JH-AC-064", store.StageLead)
	w.join(t, "jh", "Ramesh Devi", "+919812345678", "JH-AC-063", store.StageLead)
	a := w.actor(t, access.Coordinator, "JH-PC-08")
	for _, typed := range []string{"98765 43210", "+91 98765-43210", "098765 43210", "919876543210"} {
		page, err := w.dir.Search(context.Background(), a, directory.Query{Text: typed})
		if err != nil {
			t.Fatalf("%q: %v", typed, err)
		}
		if len(page.Rows) != 1 || page.Rows[0].Name != "Sunita Devi" || page.Rows[0].Phone != "+91 98xxxxxx10" {
			t.Errorf("%q finds %+v, want Sunita Devi with her number masked", typed, page.Rows)
		}
	}
	for typed, want := range map[string][]string{
		"sun":   {"Sunita Devi@jh", "सुनीता कुमारी@jh"},
		"सुनी":  {"Sunita Devi@jh", "सुनीता कुमारी@jh"},
		"SUNIT": {"Sunita Devi@jh", "सुनीता कुमारी@jh"},
		"devi":  {"Ramesh Devi@jh", "Sunita Devi@jh"},
		"kum":   {"सुनीता कुमारी@jh"},
		"xyz":   nil,
	} {
		if got := sorted(w.names(t, a, directory.Query{Text: typed})); !slices.Equal(got, sorted(want)) {
			t.Errorf("%q finds %v, want %v", typed, got, want)
		}
	}
}

// Filters by drive, stage and channel narrow; pages are keyset pages that
// together list each row once.
func TestSearchFiltersAndPages(t *testing.T) {
	w := newSearchWorld(t)
	w.join(t, "jh", "Asha One", "+919876500001", "JH-AC-063", store.StageRegistered)
	w.join(t, "jh", "Asha Two", "+919876500002", "JH-AC-063", store.StageLead)
	w.join(t, "jh", "Asha Three", "+919876500003", "", store.StageLead)
	w.join(t, "ranchi", "Asha Four", "+919876500004", "JH-AC-063", store.StageVerified)
	w.join(t, "ranchi", "Asha Five", "+919876500005", "JH-AC-064", store.StageLead)
	a := w.actor(t, access.Admin, "JH")
	for _, tc := range []struct {
		q    directory.Query
		want []string
	}{
		{directory.Query{Stage: "registered"}, []string{"Asha One@jh"}},
		{directory.Query{Stage: "verified"}, []string{"Asha Four@ranchi"}},
		{directory.Query{Channel: "missed_call"}, []string{"Asha Three@jh"}},
		{directory.Query{Drive: "ranchi"}, []string{"Asha Five@ranchi", "Asha Four@ranchi"}},
		{directory.Query{Drive: "jh", Stage: "lead", Text: "asha"}, []string{"Asha Three@jh", "Asha Two@jh"}},
	} {
		if got := sorted(w.names(t, a, tc.q)); !slices.Equal(got, sorted(tc.want)) {
			t.Errorf("%+v finds %v, want %v", tc.q, got, tc.want)
		}
	}
	for _, q := range []directory.Query{{Limit: 2}, {Limit: 2, Text: "asha"}} {
		all := w.names(t, a, q)
		if len(all) != 5 || len(slices.Compact(sorted(slices.Clone(all)))) != 5 {
			t.Errorf("pages of 2 (%+v) list %v, want the 5 rows once each", q, all)
		}
	}
	first, err := w.dir.Search(context.Background(), a, directory.Query{Limit: 2})
	if err != nil || len(first.Rows) != 2 || first.Next == "" {
		t.Fatalf("first page of 2: %+v %v", first, err)
	}
}

// What cannot be asked is refused before anything is read: a role without
// people.read, an area or drive outside the scope, a stage or cursor that
// means nothing.
func TestSearchRefuses(t *testing.T) {
	w := newSearchWorld(t)
	w.join(t, "jh", "Asha One", "+919876500001", "JH-AC-063", store.StageLead)
	ac := w.actor(t, access.Coordinator, "JH-AC-063")
	for _, tc := range []struct {
		actor access.Actor
		q     directory.Query
		code  string
	}{
		{w.actor(t, access.Viewer, "JH"), directory.Query{}, apperr.Forbidden},
		{w.actor(t, access.FactChecker, "JH"), directory.Query{Text: "asha"}, apperr.Forbidden},
		{ac, directory.Query{Area: "JH-AC-064"}, apperr.Forbidden},
		{ac, directory.Query{Area: "JH-PC-08"}, apperr.Forbidden},
		{ac, directory.Query{Area: "JH-D-RANCHI"}, apperr.Forbidden},
		{w.actor(t, access.Coordinator, "JH-AC-040"), directory.Query{Drive: "ranchi"}, apperr.Forbidden},
		{ac, directory.Query{Area: "JH-AC-999"}, apperr.NotFound},
		{ac, directory.Query{Drive: "nope"}, apperr.NotFound},
		{ac, directory.Query{Stage: "member"}, apperr.Invalid},
		{ac, directory.Query{Channel: "Web; DROP"}, apperr.Invalid},
		{ac, directory.Query{Cursor: "not-a-cursor"}, apperr.Invalid},
		{ac, directory.Query{Text: "!!!"}, apperr.Invalid},
		{ac, directory.Query{Text: strings.Repeat("a", 101)}, apperr.Invalid},
	} {
		page, err := w.dir.Search(context.Background(), tc.actor, tc.q)
		if apperr.CodeOf(err) != tc.code || len(page.Rows) != 0 {
			t.Errorf("%s searching %+v: %v (%d rows), want %s", tc.actor.Label, tc.q, err, len(page.Rows), tc.code)
		}
	}
	if entries, err := w.db.AuditEntries(context.Background(), store.AuditFilter{Action: "search"}); err != nil || len(entries) != 0 {
		t.Errorf("refused searches are audited as searches: %+v %v", entries, err)
	}
}

// Every search is audited: who, their scope, the filters, the number of
// rows, and what was typed only as a keyed hash of what it searched for
// (the number in E.164, the folded name), so the same number typed two
// ways hashes the same and the log holds no name.
func TestSearchIsAudited(t *testing.T) {
	w := newSearchWorld(t)
	w.join(t, "jh", "Sunita Devi", "+919876543210", "JH-AC-063", store.StageLead)
	w.join(t, "jh", "Sunil Devi", "+919876543212", "JH-AC-063", store.StageLead)
	a := w.actor(t, access.Coordinator, "JH-PC-08")
	ctx := context.Background()
	for _, q := range []directory.Query{
		{Area: "JH-AC-063", Stage: "lead", Channel: "web", Text: "Suni"},
		{Text: "98765 43210"},
		{Text: "+91 98765-43210"},
	} {
		if _, err := w.dir.Search(ctx, a, q); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := w.db.AuditEntries(ctx, store.AuditFilter{Action: "search"})
	phones, err2 := w.db.AuditEntries(ctx, store.AuditFilter{Action: "search_phone"})
	if err != nil || err2 != nil || len(entries) != 1 || len(phones) != 2 {
		t.Fatalf("audit: %+v %+v %v %v", entries, phones, err, err2)
	}
	byName, phone1, phone2 := entries[0], phones[1], phones[0]
	if byName.Actor != a.Label || byName.Scope != "coordinator:JH-PC-08" || byName.Rows != 2 || byName.AreaID != w.areaID(t, "JH-AC-063") ||
		!strings.HasPrefix(byName.Detail, "drive= area=JH-AC-063 stage=lead channel=web name=") {
		t.Errorf("the search by name is audited as %+v", byName)
	}
	if phone1.Rows != 1 || phone1.Detail != phone2.Detail || !strings.Contains(phone1.Detail, " phone=") {
		t.Errorf("the same number typed two ways is audited as %q and %q", phone1.Detail, phone2.Detail)
	}
	for _, e := range entries {
		for _, typed := range []string{"Suni", "suni", "98765", "43210", "9876543210"} {
			if strings.Contains(e.Detail, typed) || strings.Contains(e.Reason, typed) {
				t.Errorf("the audit keeps what was typed (%q): %+v", typed, e)
			}
		}
	}
}
