package imports

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var testKey = []byte("imports-test-key-imports-test-key")

// feb20 is inside the reference drive's window.
var feb20 = time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)

type world struct {
	t     *testing.T
	clock *storetest.Clock
	db    *store.DB
	d     store.Drive
	im    *Importer
	areas map[string]int64
}

func newWorld(t *testing.T) *world {
	clock := storetest.NewClock(feb20)
	db := storetest.Open(t, clock)
	d := drivetest.Load(t, db, nil, drivetest.Reference)["jh-warriors"]
	return &world{t: t, clock: clock, db: db, d: d, im: New(db, testKey),
		areas: storetest.AreaIDs(t, db, "JH-AC-063", "JH-AC-064", "JH")}
}

func (w *world) update(fn func(ctx context.Context, tx *store.Tx) error) {
	w.t.Helper()
	if err := w.db.Update(context.Background(), func(tx *store.Tx) error { return fn(context.Background(), tx) }); err != nil {
		w.t.Fatal(err)
	}
}

// staged records an import of rows, stages them and leaves it loading,
// as Run does once the file has passed its checks.
func (w *world) staged(rows []store.StagedRow) store.Import {
	w.t.Helper()
	imp := store.Import{DriveID: w.d.ID, FileName: "list.csv", SHA256: "ab12", Source: "district office list 2025",
		As: AsMember, Actor: "cli:test", Day: "2026-02-20"}
	w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if imp.ID, err = store.CreateImport(ctx, tx, imp); err != nil {
			return err
		}
		if err := store.StageRows(ctx, tx, imp.ID, rows); err != nil {
			return err
		}
		return store.StartLoading(ctx, tx, imp.ID, int64(len(rows)))
	})
	imp.State, imp.Rows = store.ImportLoading, int64(len(rows))
	return imp
}

func (w *world) load(rows []store.StagedRow) Report {
	w.t.Helper()
	rep, err := w.im.load(context.Background(), w.staged(rows), "cli:test", func(Progress) {})
	if err != nil {
		w.t.Fatal(err)
	}
	return rep
}

func (w *world) row(line int64, phone, name, ac string, adult, volunteer bool) store.StagedRow {
	r := store.StagedRow{Line: line, Phone: phone, Name: name, AreaID: w.areas[ac], Language: "hi", Volunteer: volunteer,
		Adult: adult, ConsentEvidence: "signed form", WhatsAppOptIn: true}
	if adult {
		r.AdultEvidence = "voter roll"
	}
	if volunteer {
		r.Languages = "hi sat"
	}
	return r
}

// importCounts sums the import channel's counters by metric.
func (w *world) importCounts() map[string]int64 {
	return storetest.CountsByChannel(w.t, w.db, store.ChannelImport)
}

// An import counts once, as it finishes: leads for everyone, members for
// the adults, volunteers for the adult volunteers, never verified; the
// chunks before the end move no counter. Members get Jodo's numbers;
// leads none; consents carry channel import and the import's evidence.
func TestImportCountsOnceAtTheEnd(t *testing.T) {
	w := newWorld(t)
	w.im = w.im.WithChunk(1)
	imp := w.staged([]store.StagedRow{
		w.row(2, "+919811100001", "Asha Devi", "JH-AC-063", true, false),
		w.row(3, "+919811100002", "Ravi Kumar", "JH-AC-063", true, true),
		w.row(4, "+919811100003", "", "JH-AC-064", false, false),
	})
	ctx := context.Background()
	for range 3 {
		if res, err := w.im.loadChunk(ctx, imp); err != nil || res.rows != 1 {
			t.Fatalf("a chunk: %+v %v", res, err)
		}
		if got := w.importCounts(); len(got) != 0 {
			t.Fatalf("counted before the end: %v", got)
		}
	}
	rep, err := w.im.load(ctx, imp, "cli:test", func(Progress) {})
	if err != nil {
		t.Fatal(err)
	}
	if rep.New != 3 || rep.Import.State != store.ImportDone {
		t.Fatalf("report: %+v", rep)
	}
	want := map[string]int64{"leads": 3, "members": 2, "volunteers": 1}
	if got := w.importCounts(); !equalCounts(got, want) {
		t.Errorf("counted %v, want %v", got, want)
	}
	if got := storetest.CountsAt(t, w.db, "JH-AC-064"); got["leads"] != 1 || got["members"] != 0 {
		t.Errorf("the lead counted at JH-AC-064: %v", got)
	}
	people := storetest.ImportedPeople(t, w.db, imp.ID)
	if len(people) != 3 {
		t.Fatalf("people of the import: %+v", people)
	}
	for _, p := range people {
		if (p.MembershipNo != "") != (p.Name != "") { // the two adults are named, the lead is not
			t.Errorf("membership number of %+v", p)
		}
	}
	if staged := storetest.StagedRows(t, w.db); staged != 0 {
		t.Errorf("%d staged rows left after the import finished", staged)
	}
	consents := storetest.ConsentsWithEvidence(t, w.db, store.ChannelImport, store.ImportEvidence(imp.ID)+"signed form")
	if consents != 2+1+3 { // membership for the two adults, volunteer for one, WhatsApp for all three
		t.Errorf("consents granted: %d", consents)
	}
}

func equalCounts(got, want map[string]int64) bool {
	for k, v := range got {
		if want[k] != v {
			return false
		}
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// The merge rules: someone already in the drive keeps their name and
// stage (unchanged); someone known outside the drive joins it and gets
// only the details they lack (updated); an erased person's number is
// refused and nobody is created for it.
func TestImportMergeRules(t *testing.T) {
	w := newWorld(t)
	var inDrive, outside int64
	w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if inDrive, err = store.CreatePerson(ctx, tx, store.Person{Name: "Their Own Name", Language: "en", AreaID: w.areas["JH-AC-064"]}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, inDrive, store.ContactPhone, "+919811100011"); err != nil {
			return err
		}
		if _, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: inDrive, DriveID: w.d.ID,
			Channel: "missed_call", Day: "2026-02-19"}); err != nil {
			return err
		}
		if outside, err = store.CreatePerson(ctx, tx, store.Person{}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, outside, store.ContactPhone, "+919811100012"); err != nil {
			return err
		}
		return store.AddSuppression(ctx, tx, store.SuppressionHash(testKey, "+919811100013"), "erased")
	})
	leadsBefore := storetest.LeadsCounted(t, w.db)
	rep := w.load([]store.StagedRow{
		w.row(2, "+919811100011", "Name From The List", "JH-AC-063", true, false),
		w.row(3, "+919811100012", "Filled From The List", "JH-AC-064", true, false),
		w.row(4, "+919811100013", "Erased Person", "JH-AC-063", true, false),
	})
	if rep.New != 0 || rep.Updated != 1 || rep.Unchanged != 1 || rep.Refused != 1 {
		t.Fatalf("report: %+v", rep)
	}
	if name, registered := storetest.PersonInDrive(t, w.db, inDrive, w.d.ID); name != "Their Own Name" || registered {
		t.Errorf("the person in the drive: name %q, registered %v", name, registered)
	}
	got := storetest.ImportedPeople(t, w.db, rep.Import.ID)
	if len(got) != 1 || got[0].ID != outside || got[0].Name != "Filled From The List" || got[0].MembershipNo == "" ||
		got[0].AreaID != w.areas["JH-AC-064"] || got[0].ImportID != 0 {
		t.Errorf("the person known outside the drive: %+v", got)
	}
	if n := storetest.ContactCount(t, w.db, storetest.Contacts{Value: "+919811100013"}); n != 0 {
		t.Errorf("the erased number was created again")
	}
	if leads := storetest.LeadsCounted(t, w.db); leads != leadsBefore+1 {
		t.Errorf("leads %d, want %d", leads, leadsBefore+1)
	}
}

// Importing the same rows again changes nothing and counts nothing.
func TestImportAgainChangesNothing(t *testing.T) {
	w := newWorld(t)
	rows := []store.StagedRow{
		w.row(2, "+919811100021", "Asha Devi", "JH-AC-063", true, true),
		w.row(3, "+919811100022", "", "JH-AC-064", false, false),
	}
	w.load(rows)
	before := w.importCounts()
	rep := w.load(rows)
	if rep.New+rep.Updated+rep.Refused != 0 || rep.Unchanged != 2 {
		t.Fatalf("the second import: %+v", rep)
	}
	if got := w.importCounts(); !equalCounts(got, before) {
		t.Errorf("counts moved: %v, were %v", got, before)
	}
}

// Undo removes what the import created that nobody touched, and puts the
// counters back exactly; a person who has since proven their phone
// stays, still counted.
func TestUndoRestoresCounters(t *testing.T) {
	w := newWorld(t)
	before := storetest.TotalsSum(t, w.db, "")
	rep := w.load([]store.StagedRow{
		w.row(2, "+919811100031", "Asha Devi", "JH-AC-063", true, true),
		w.row(3, "+919811100032", "Ravi Kumar", "JH-AC-064", true, false),
		w.row(4, "+919811100033", "", "JH-AC-064", false, false),
	})
	w.update(func(ctx context.Context, tx *store.Tx) error {
		_, err := store.VerifyContact(ctx, tx, store.ContactPhone, "+919811100032")
		return err
	})
	res, err := w.im.Undo(context.Background(), rep.Import.ID, "cli:test")
	if err != nil {
		t.Fatal(err)
	}
	if res.Removed != 2 || res.Kept != 1 {
		t.Errorf("undo: %+v", res)
	}
	want := map[string]int64{"leads": 1, "members": 1}
	if got := w.importCounts(); !equalCounts(got, want) {
		t.Errorf("after undo the import counts %v, want the kept person's %v", got, want)
	}
	after, kept := storetest.TotalsSum(t, w.db, ""), storetest.TotalsSum(t, w.db, store.ChannelImport)
	if after-kept != before {
		t.Errorf("totals: %d before, %d after with %d kept", before, after, kept)
	}
	if n := storetest.PeopleOfImport(t, w.db, rep.Import.ID); n != 1 {
		t.Errorf("%d people of the import left, want the one who proved their phone", n)
	}
	if _, err := w.im.Undo(context.Background(), rep.Import.ID, "cli:test"); err == nil || !strings.Contains(err.Error(), "undone") {
		t.Errorf("undoing twice: %v", err)
	}

	// An import nobody touched, undone: every counter key is back.
	rep = w.load([]store.StagedRow{w.row(2, "+919811100034", "Sita Devi", "JH-AC-063", true, true)})
	keysBefore := storetest.CounterKeys(t, w.db)
	w.load([]store.StagedRow{
		w.row(2, "+919811100035", "Gita Devi", "JH-AC-063", true, true),
		w.row(3, "+919811100036", "", "JH-AC-064", false, false),
	})
	if _, err := w.im.Undo(context.Background(), rep.Import.ID+1, "cli:test"); err != nil {
		t.Fatal(err)
	}
	if got := storetest.CounterKeys(t, w.db); !maps.Equal(got, keysBefore) {
		t.Errorf("after undo the counters differ:\n%v\nwere\n%v", got, keysBefore)
	}
}

// Someone acted on while their import loads is counted once: the lead
// who registers themselves between the chunks and the finish is a member
// by their own registration, not again by the import; a withdrawal they
// make survives an undo.
func TestActedOnWhileLoading(t *testing.T) {
	w := newWorld(t)
	w.im = w.im.WithChunk(1)
	imp := w.staged([]store.StagedRow{
		w.row(2, "+919811100051", "", "JH-AC-063", false, false),
		w.row(3, "+919811100052", "Waiting Row", "JH-AC-063", true, false),
	})
	ctx := context.Background()
	if _, err := w.im.loadChunk(ctx, imp); err != nil {
		t.Fatal(err)
	}
	lead := storetest.ImportedPeople(t, w.db, imp.ID)[0]
	w.clock.Advance(time.Minute)
	w.update(func(ctx context.Context, tx *store.Tx) error {
		part, err := store.FindParticipation(ctx, tx, lead.ID, w.d.ID)
		if err != nil {
			return err
		}
		_, err = store.ReachStage(ctx, tx, part.ID, store.StageRegistered, 0, part.Channel, "2026-02-20")
		return err
	})
	rep, err := w.im.Resume(ctx, imp.ID, "cli:test", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.importCounts(); !equalCounts(got, map[string]int64{"leads": 2, "members": 2}) {
		t.Errorf("counted %v, want 2 leads and 2 members (one registered themselves)", got)
	}
	w.update(func(ctx context.Context, tx *store.Tx) error {
		_, err := store.WithdrawConsent(ctx, tx, storetest.ImportedPeople(t, w.db, imp.ID)[1].ID, store.PurposeWhatsApp)
		return err
	})
	res, err := w.im.Undo(ctx, rep.Import.ID, "cli:test")
	if err != nil || res.Kept != 2 || res.Removed != 0 {
		t.Fatalf("undo: %+v %v", res, err)
	}
	if got := w.importCounts(); !equalCounts(got, map[string]int64{"leads": 2, "members": 2}) {
		t.Errorf("after an undo that kept both, counted %v", got)
	}
}

// An import interrupted while loading is resumed and finishes with the
// counts it would have had in one go.
func TestResumeFinishes(t *testing.T) {
	w := newWorld(t)
	w.im = w.im.WithChunk(2)
	var rows []store.StagedRow
	for i := range int64(5) {
		rows = append(rows, w.row(2+i, "+91981110004"+string(rune('0'+i)), "Member", "JH-AC-063", true, false))
	}
	imp := w.staged(rows)
	if _, err := w.im.loadChunk(context.Background(), imp); err != nil {
		t.Fatal(err)
	}
	rep, err := w.im.Resume(context.Background(), imp.ID, "cli:test", nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.New != 5 || rep.Import.State != store.ImportDone {
		t.Errorf("resumed: %+v", rep)
	}
	if got := w.importCounts(); !equalCounts(got, map[string]int64{"leads": 5, "members": 5}) {
		t.Errorf("counted %v", got)
	}
	if _, err := w.im.Resume(context.Background(), imp.ID, "cli:test", nil); err == nil {
		t.Error("a done import resumed again")
	}
}

// Two rows with two phones of one person Jodo knows outside the drive:
// the first joins them, the second fills only what is still empty; the
// chunk loads, and the person is counted once.
func TestTwoPhonesOfOnePerson(t *testing.T) {
	w := newWorld(t)
	var known int64
	w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if known, err = store.CreatePerson(ctx, tx, store.Person{}); err != nil {
			return err
		}
		for _, phone := range []string{"+919811100081", "+919811100082"} {
			if err := store.AddContact(ctx, tx, known, store.ContactPhone, phone); err != nil {
				return err
			}
		}
		return nil
	})
	first := w.row(2, "+919811100081", "", "JH-AC-063", true, false)
	second := w.row(3, "+919811100082", "Name On The Second", "JH-AC-064", true, false)
	second.LegacyNo = "OLD-2"
	rep := w.load([]store.StagedRow{first, second})
	if rep.Updated != 2 || rep.New != 0 {
		t.Fatalf("report %+v", rep)
	}
	got := storetest.ImportedPeople(t, w.db, rep.Import.ID)
	if len(got) != 1 || got[0].ID != known || got[0].Name != "Name On The Second" || got[0].LegacyNo != "OLD-2" ||
		got[0].AreaID != w.areas["JH-AC-063"] || got[0].MembershipNo == "" {
		t.Errorf("the person: %+v", got)
	}
	if got := w.importCounts(); !equalCounts(got, map[string]int64{"leads": 1, "members": 1}) {
		t.Errorf("counted %v", got)
	}
}
