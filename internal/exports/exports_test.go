package exports_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/exports"
	"github.com/jodo-org/jodo/internal/sheet"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

const stateDrive = `{"version": 1, "slug": "jh", "name": "Jharkhand drive", "starts_on": "2026-02-12", "ends_on": "2026-03-13",
  "timezone": "Asia/Kolkata", "root_area": "JH", "channels": [{"kind": "missed_call", "number": "1800 000 0000"}], "targets": [],
  "posts": [{"code": "ac-sm-convenor", "title": "AC social media convenor", "title_local": "विधानसभा सोशल मीडिया संयोजक", "area_kind": "ac"}]}`

// world: Jharkhand and its drive, volunteers in and out of Ranchi
// district, a post held, groups registered.
type world struct {
	db    *store.DB
	ex    *exports.Exports
	drive store.Drive
}

func newWorld(t *testing.T, caps exports.Caps) *world {
	t.Helper()
	db := storetest.Open(t, storetest.NewClock(time.Date(2026, 2, 22, 6, 30, 0, 0, time.UTC)))
	drives := drivetest.Load(t, db, nil, stateDrive)
	dir, err := directory.New(db, directory.Config{SecretKey: []byte("exports test key, 32 bytes long.")})
	if err != nil {
		t.Fatal(err)
	}
	ex := exports.New(db, dir, caps)
	exports.SetPage(ex, 2) // every list crosses pages
	return &world{db: db, ex: ex, drive: drives["jh"]}
}

func (w *world) phone(name string) string {
	return fmt.Sprintf("+9198764%05d", crc32.ChecksumIEEE([]byte(name))%100000)
}

// member registers name at area and returns their person and
// participation ids.
func (w *world) member(t *testing.T, name, area string) (person, part int64) {
	t.Helper()
	ctx := context.Background()
	areaID := storetest.AreaIDs(t, w.db, area)[area]
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if person, err = store.CreatePerson(ctx, tx, store.Person{Name: name, Language: "hi"}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, person, store.ContactPhone, w.phone(name)); err != nil {
			return err
		}
		if part, _, err = store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: person, DriveID: w.drive.ID,
			Channel: "web", AreaID: areaID, Day: "2026-02-22"}); err != nil {
			return err
		}
		_, err = store.ReachStage(ctx, tx, part, store.StageRegistered, areaID, "web", "2026-02-22")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return person, part
}

// volunteer makes a member at area a volunteer there, with a WhatsApp
// handle, and returns their ids.
func (w *world) volunteer(t *testing.T, name, area string) (person, part int64) {
	t.Helper()
	person, part = w.member(t, name, area)
	ctx := context.Background()
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		if _, err := store.StartVolunteering(ctx, tx, store.Volunteer{ParticipationID: part,
			AreaID: storetest.AreaIDs(t, w.db, area)[area], Languages: []string{"hi", "sat"}, Channel: "web"}, "2026-02-22"); err != nil {
			return err
		}
		_, err := store.SetHandles(ctx, tx, person, []store.Handle{{Platform: "whatsapp", Handle: w.phone(name)}, {Platform: "instagram", Handle: "ig." + strings.ToLower(name[:3])}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return person, part
}

func (w *world) actor(t *testing.T, role access.Role, areas ...string) access.Actor {
	t.Helper()
	scope, err := w.db.ScopeAreas(context.Background(), areas)
	if err != nil {
		t.Fatal(err)
	}
	return access.Actor{Label: "token:" + string(role), Grants: []access.Grant{{Role: role, Areas: areas, Scope: scope}}}
}

// export writes r as a, returning the rows read back (header first).
func (w *world) export(t *testing.T, a access.Actor, r exports.Request) ([][]string, *exports.Prepared) {
	t.Helper()
	p, err := w.ex.Prepare(context.Background(), a, r)
	if err != nil {
		t.Fatalf("prepare %+v: %v", r, err)
	}
	var buf bytes.Buffer
	n, err := p.Write(context.Background(), &buf)
	if err != nil {
		t.Fatalf("write %+v: %v", r, err)
	}
	var rows [][]string
	if r.Format == exports.XLSX {
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if rows, err = f.GetRows(string(r.Kind), excelize.Options{RawCellValue: true}); err != nil {
			t.Fatal(err)
		}
	} else {
		raw, ok := strings.CutPrefix(buf.String(), "\uFEFF")
		if !ok {
			t.Fatal("a CSV export without its byte-order mark")
		}
		if rows, err = csv.NewReader(strings.NewReader(raw)).ReadAll(); err != nil {
			t.Fatal(err)
		}
	}
	if n != len(rows)-1 || n != p.Rows {
		t.Errorf("wrote %d rows, counted %d, read back %d", n, p.Rows, len(rows)-1)
	}
	return rows, p
}

// audit is the whole audit log, newest first.
func (w *world) audit(t *testing.T) []store.AuditEntry {
	t.Helper()
	entries, err := w.db.AuditEntries(context.Background(), store.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// column is each row's cell under header name (rows[0]).
func column(t *testing.T, rows [][]string, name string) []string {
	t.Helper()
	i := slices.Index(rows[0], name)
	if i < 0 {
		t.Fatalf("no column %q in %q", name, rows[0])
	}
	var out []string
	for _, r := range rows[1:] {
		if i < len(r) {
			out = append(out, r[i])
		} else {
			out = append(out, "")
		}
	}
	return out
}

// A district coordinator's export of volunteers holds exactly Ranchi
// district's volunteers, across pages, as CSV and as XLSX alike: numbers
// masked, a formula for a name inert, each with their PC and AC.
func TestVolunteersOfADistrict(t *testing.T) {
	w := newWorld(t, nil)
	w.volunteer(t, "Ranchi Ram", "JH-AC-063")
	w.volunteer(t, "Tamar Tara", "JH-AC-058")
	w.volunteer(t, `=HYPERLINK("http://x","y")`, "JH-AC-064")
	w.volunteer(t, "Dhanbad Dev", "JH-AC-040")
	w.member(t, "Member Only", "JH-AC-063")
	coord := w.actor(t, access.Coordinator, "JH-D-RANCHI")
	for _, format := range []exports.Format{exports.CSV, exports.XLSX} {
		rows, p := w.export(t, coord, exports.Request{Kind: exports.Volunteers, Format: format, Drive: "jh", Area: "JH-D-RANCHI"})
		names := column(t, rows, "name")
		want := []string{"Ranchi Ram", "Tamar Tara", `'=HYPERLINK("http://x","y")`}
		if !slices.Equal(names, want) {
			t.Errorf("%s: names %q, want %q", format, names, want)
		}
		if got := column(t, rows, "ac"); !slices.Equal(got, []string{"JH-AC-063", "JH-AC-058", "JH-AC-064"}) {
			t.Errorf("%s: ACs %q", format, got)
		}
		if got := column(t, rows, "pc"); got[1] != "JH-PC-11" || got[0] != "JH-PC-08" {
			t.Errorf("%s: PCs %q", format, got)
		}
		for i, ph := range column(t, rows, "phone") {
			if !strings.Contains(ph, "xxxx") || strings.Contains(strings.Join(rows[i+1], ","), w.phone(want[0])) {
				t.Errorf("%s: row %d shows a number whole: %q", format, i+1, rows[i+1])
			}
		}
		if h := column(t, rows, "handles")[0]; !strings.Contains(h, "Instagram: ig.ran") || !strings.Contains(h, "xxxx") {
			t.Errorf("%s: handles %q", format, h)
		}
		if !strings.HasPrefix(p.Name, "volunteers-jh-jh-d-ranchi-2026-02-22.") {
			t.Errorf("file name %q", p.Name)
		}
	}
}

// With a reason, an actor who may reveal gets whole numbers, and the audit
// says so with the rows; without one, or without the permission, no.
func TestRevealInExports(t *testing.T) {
	w := newWorld(t, nil)
	w.volunteer(t, "Ranchi Ram", "JH-AC-063")
	w.volunteer(t, "Hatia Hari", "JH-AC-064")
	coord := w.actor(t, access.Coordinator, "JH-D-RANCHI")
	ctx := context.Background()
	if _, err := w.ex.Prepare(ctx, coord, exports.Request{Kind: exports.Volunteers, Drive: "jh", Reveal: true}); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("a reveal without a reason: %v", err)
	}
	if _, err := w.ex.Prepare(ctx, coord, exports.Request{Kind: exports.Volunteers, Drive: "jh", Reveal: true, Reason: "call 9876543210 back"}); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("a reason with a number: %v", err)
	}
	rows, _ := w.export(t, coord, exports.Request{Kind: exports.Volunteers, Drive: "jh", Area: "JH-D-RANCHI", Reveal: true, Reason: "calling volunteers for training"})
	if got := column(t, rows, "phone"); !slices.Equal(got, []string{sheet.Neutral(w.phone("Ranchi Ram")), sheet.Neutral(w.phone("Hatia Hari"))}) {
		t.Errorf("revealed phones %q", got)
	}
	entries := w.audit(t)
	var found bool
	for _, e := range entries {
		if e.Action == "export_reveal" && e.Rows == 2 && e.Reason == "calling volunteers for training" && e.Actor == coord.Label {
			found = true
		}
		if strings.Contains(e.Detail, "+91") {
			t.Errorf("an audit detail with a number: %+v", e)
		}
	}
	if !found {
		t.Errorf("no export_reveal entry with 2 rows in %+v", entries)
	}
	// A coordinator of one AC asking for the whole district: outside the scope.
	reader := access.Actor{Label: "token:mixed", Grants: []access.Grant{
		{Role: access.Coordinator, Areas: []string{"JH-AC-063"}, Scope: w.actor(t, access.Coordinator, "JH-AC-063").Grants[0].Scope}}}
	if _, err := w.ex.Prepare(ctx, reader, exports.Request{Kind: exports.Volunteers, Drive: "jh", Area: "JH-D-RANCHI"}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a district beyond an AC coordinator's scope: %v", err)
	}
}

// Viewers export no lists; a role's cap refuses an export that would
// pass it, before anything is written or audited.
func TestCapsAndRoles(t *testing.T) {
	w := newWorld(t, exports.Caps{access.Coordinator: 1, access.Admin: 10})
	w.volunteer(t, "Ranchi Ram", "JH-AC-063")
	w.volunteer(t, "Hatia Hari", "JH-AC-064")
	ctx := context.Background()
	if _, err := w.ex.Prepare(ctx, w.actor(t, access.Viewer, "JH"), exports.Request{Kind: exports.People, Drive: "jh"}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a viewer's export: %v", err)
	}
	before := len(w.audit(t))
	_, err := w.ex.Prepare(ctx, w.actor(t, access.Coordinator, "JH-D-RANCHI"), exports.Request{Kind: exports.Volunteers, Drive: "jh"})
	if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "at most 1") {
		t.Errorf("over the coordinator's cap: %v", err)
	}
	if after := len(w.audit(t)); after != before {
		t.Errorf("a refused export was audited: %d entries, then %d", before, after)
	}
	if _, err := w.ex.Prepare(ctx, w.actor(t, access.Admin, "JH"), exports.Request{Kind: exports.Volunteers, Drive: "jh"}); err != nil {
		t.Errorf("within the admin's cap: %v", err)
	}
	if _, err := w.ex.Prepare(ctx, w.actor(t, access.Admin, "JH"), exports.Request{Kind: exports.People, Drive: "jh", Platform: "instagram"}); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("a volunteers' filter on people: %v", err)
	}
}

// People at every stage (a lead with no area only in an export of the
// whole root), posts with their holders, groups without their invites.
func TestPeoplePostsGroups(t *testing.T) {
	w := newWorld(t, nil)
	ram, ramPart := w.volunteer(t, "Ranchi Ram", "JH-AC-063")
	w.member(t, "Hatia Hari", "JH-AC-064")
	ctx := context.Background()
	const sealed = "sealed-invite-SECRET"
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		lead, err := store.CreatePerson(ctx, tx, store.Person{})
		if err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, lead, store.ContactPhone, "+919876511111"); err != nil {
			return err
		}
		if _, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: lead, DriveID: w.drive.ID, Channel: "missed_call", Day: "2026-02-22"}); err != nil {
			return err
		}
		ac := storetest.AreaIDs(t, w.db, "JH-AC-063")["JH-AC-063"]
		if _, err := store.Appoint(ctx, tx, store.Appointment{DriveID: w.drive.ID, Post: "ac-sm-convenor", AreaID: ac, PersonID: ram,
			ParticipationID: ramPart, AppointedBy: "cli:test"}, "2026-02-22"); err != nil {
			return err
		}
		_, err = store.RegisterGroup(ctx, tx, store.Group{DriveID: w.drive.ID, PersonID: ram, ParticipationID: ramPart, AreaID: ac,
			Kind: "whatsapp", CodeHash: "hash-SECRET", CodeSealed: sealed, Name: "Ranchi warriors", Language: "hi", Size: "50-100", Channel: "web"}, "2026-02-22")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	admin := w.actor(t, access.Admin, "JH")
	rows, _ := w.export(t, admin, exports.Request{Kind: exports.People, Drive: "jh"})
	if got := column(t, rows, "stage"); !slices.Equal(got, []string{"volunteer", "registered", "lead"}) {
		t.Errorf("stages %q", got)
	}
	rows, _ = w.export(t, admin, exports.Request{Kind: exports.People, Drive: "jh", Area: "JH-AC-063"})
	if got := column(t, rows, "name"); !slices.Equal(got, []string{"Ranchi Ram"}) {
		t.Errorf("people at JH-AC-063: %q", got)
	}
	rows, _ = w.export(t, admin, exports.Request{Kind: exports.People, Drive: "jh", Stage: "registered", Lang: "hi"})
	if got := column(t, rows, "नाम"); !slices.Equal(got, []string{"Hatia Hari"}) {
		t.Errorf("registered people, in Hindi: %q", got)
	}
	rows, _ = w.export(t, admin, exports.Request{Kind: exports.Posts, Drive: "jh", Format: exports.XLSX})
	if got := column(t, rows, "post"); !slices.Equal(got, []string{"AC social media convenor"}) || column(t, rows, "name")[0] != "Ranchi Ram" {
		t.Errorf("posts %q", rows)
	}
	for _, format := range []exports.Format{exports.CSV, exports.XLSX} {
		rows, _ = w.export(t, admin, exports.Request{Kind: exports.Groups, Drive: "jh", Format: format})
		if got := column(t, rows, "group"); !slices.Equal(got, []string{"Ranchi warriors"}) || column(t, rows, "owner")[0] != "Ranchi Ram" {
			t.Errorf("groups %q", rows)
		}
		for _, r := range rows {
			if strings.Contains(strings.Join(r, ","), "SECRET") {
				t.Errorf("an invite in a groups export: %q", r)
			}
		}
	}
}

// A staff member's exports with whole numbers draw on a budget of rows a
// day: one that would pass it is refused before anything is written, and
// the command line (no person) is not limited.
func TestRevealBudget(t *testing.T) {
	w := newWorld(t, nil)
	w.ex.RevealRowsADay(3)
	w.volunteer(t, "Ranchi Ram", "JH-AC-063")
	w.volunteer(t, "Hatia Hari", "JH-AC-064")
	coord := w.actor(t, access.Coordinator, "JH-D-RANCHI")
	coord.PersonID = 42
	ctx := context.Background()
	reveal := exports.Request{Kind: exports.Volunteers, Drive: "jh", Area: "JH-D-RANCHI", Reveal: true, Reason: "calling volunteers for training"}
	w.export(t, coord, reveal) // 2 of 3
	_, err := w.ex.Prepare(ctx, coord, reveal)
	var over *exports.OverRevealBudget
	if !errors.As(err, &over) || over.Used != 2 || over.Rows != 2 || over.Budget != 3 || apperr.CodeOf(err) != apperr.RateLimited {
		t.Fatalf("a second reveal of 2 rows past a budget of 3: %v", err)
	}
	// Masked, the same list goes as often as asked.
	masked := reveal
	masked.Reveal, masked.Reason = false, ""
	w.export(t, coord, masked)
	// Two prepared at once: the second is refused when it is written.
	one := reveal
	one.Area = "JH-AC-063"
	first, err := w.ex.Prepare(ctx, coord, one)
	if err != nil {
		t.Fatal(err)
	}
	second, err := w.ex.Prepare(ctx, coord, one)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := first.Write(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if n, err := second.Write(ctx, &buf); !errors.As(err, &over) || n != 0 || buf.Len() != 0 {
		t.Errorf("the second of two prepared at once wrote %d rows (%d bytes): %v", n, buf.Len(), err)
	}
	cli := w.actor(t, access.Admin, "JH")
	w.export(t, cli, exports.Request{Kind: exports.Volunteers, Drive: "jh", Reveal: true, Reason: "the command line holds it all"})
}
