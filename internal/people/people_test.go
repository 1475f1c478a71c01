package people_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/posts"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var key = []byte("0123456789abcdef0123456789abcdef")

// world is a database and People on it.
type world struct {
	t  *testing.T
	db *store.DB
	p  *people.People
}

func newWorld(t *testing.T) *world {
	return newWorldAt(t, time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
}

// newWorldAt is a world whose clock reads now.
func newWorldAt(t *testing.T, now time.Time) *world {
	return &world{t: t, db: storetest.Open(t, storetest.NewClock(now)), p: people.New(key)}
}

func (w *world) update(fn func(ctx context.Context, tx *store.Tx) error) {
	w.t.Helper()
	if err := w.db.Update(context.Background(), func(tx *store.Tx) error { return fn(context.Background(), tx) }); err != nil {
		w.t.Fatal(err)
	}
}

// person makes someone with the phone (E.164) as phone and WhatsApp
// contact, consent, a sign-in code, a session, a message and a raw chat
// item spelling the number, and a sign-in code sent to the phone before it
// had a person.
func (w *world) person(phone string) int64 {
	w.t.Helper()
	var id int64
	w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if id, err = store.CreatePerson(ctx, tx, store.Person{Name: "Sunita Oraon", Language: "hi"}); err != nil {
			return err
		}
		for _, c := range [][2]string{{store.ContactPhone, phone}, {store.ContactWAID, phone[1:]}} {
			if err := store.AddContact(ctx, tx, id, c[0], c[1]); err != nil {
				return err
			}
		}
		if err := store.GrantConsent(ctx, tx, store.Consent{PersonID: id, Purpose: store.PurposeMembership, NoticeVersion: "v1",
			Language: "hi", Channel: "web", Evidence: "form"}); err != nil {
			return err
		}
		if err := store.InsertOTPCode(ctx, tx, store.OTPCode{Phone: phone, CodeHash: "h", IPPrefix: "p", ExpiresAt: tx.Now.Add(time.Hour)}); err != nil {
			return err
		}
		if _, err := store.CreateSession(ctx, tx, id, "token", tx.Now.Add(time.Hour)); err != nil {
			return err
		}
		sms := store.OutboxMessage{Channel: "sms", Provider: "exotel", Class: store.ClassRequested, Template: "1107170000000000001",
			Body: "Sunita, welcome", To: phone, PersonID: id}
		code := sms
		code.PersonID, code.Body = 0, "Your code is 123456"
		if _, err := store.EnqueueMessages(ctx, tx, []store.OutboxMessage{sms, code}); err != nil {
			return err
		}
		res, err := store.InsertInbox(ctx, tx, []store.InboxItem{{Provider: "whatsapp", Key: "m1", Kind: store.KindWhatsAppMessage,
			Payload: []byte(`{"from":"` + phone[1:] + `","text":"I am Sunita"}`)}})
		if err != nil {
			return err
		}
		return store.LinkInbox(ctx, tx, []store.InboxPerson{{InboxID: res[0].ID, PersonID: id}})
	})
	if left := storetest.NumberLeft(w.t, w.db, phone); len(left) == 0 {
		w.t.Fatal("the scan finds nothing before the erasure")
	}
	return id
}

// refused reports whether the phone is suppressed as refused under 18.
// (The suppression an erasure leaves is checked by store's TestEraseAll.)
func (w *world) refused(phone string) (refused bool) {
	w.t.Helper()
	w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		refused, err = store.IsRefusedUnder18(ctx, tx, store.SuppressionHash(key, phone))
		return err
	})
	return refused
}

// myData is MY DATA of the person, with up to ten messages.
func (w *world) myData(id int64) (d people.Data) {
	w.t.Helper()
	w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		d, err = w.p.MyData(ctx, tx, id, 10)
		return err
	})
	return d
}

func (w *world) audit(person int64) []string {
	w.t.Helper()
	entries, err := w.db.AuditLog(context.Background(), person)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Actor+" "+e.Action+" "+e.Detail)
	}
	return out
}

// Refusing an under-18 person keeps nothing of the number but its keyed
// hash, suppressed as refused; a phone nobody has, proven again later,
// has what signing in kept of it forgotten.
func TestRefuseUnder18LeavesOnlyTheHash(t *testing.T) {
	w := newWorld(t)
	const phone = "+919877700920"
	id := w.person(phone)
	w.update(func(ctx context.Context, tx *store.Tx) error { return w.p.RefuseUnder18(ctx, tx, id) })
	for _, where := range storetest.NumberLeft(t, w.db, phone) {
		t.Errorf("after the refusal the number is held: %s", where)
	}
	if !w.refused(phone) {
		t.Error("the number is not suppressed as refused")
	}

	w.update(func(ctx context.Context, tx *store.Tx) error {
		if err := store.InsertOTPCode(ctx, tx, store.OTPCode{Phone: phone, CodeHash: "h2", IPPrefix: "p", ExpiresAt: tx.Now.Add(time.Hour)}); err != nil {
			return err
		}
		_, err := store.EnqueueMessages(ctx, tx, []store.OutboxMessage{{Channel: "sms", Provider: "exotel", Class: store.ClassRequested,
			Template: "1107170000000000001", Body: "Your code is 654321", To: phone}})
		return err
	})
	var refused bool
	w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		refused, err = w.p.ForgetIfRefused(ctx, tx, phone)
		return err
	})
	if !refused {
		t.Error("the refused phone is not known as refused")
	}
	for _, where := range storetest.NumberLeft(t, w.db, phone) {
		t.Errorf("after signing in again the number is held: %s", where)
	}
}

// Erasure at the person's request keeps nothing of the number but its
// keyed hash, suppressed but not as refused (coming back is their new
// act), and is audited as theirs.
func TestEraseLeavesOnlyTheHash(t *testing.T) {
	w := newWorld(t)
	const phone = "+919877700921"
	id := w.person(phone)
	w.update(func(ctx context.Context, tx *store.Tx) error { return w.p.Erase(ctx, tx, id, "on /me") })
	for _, where := range storetest.NumberLeft(t, w.db, phone) {
		t.Errorf("after the erasure the number is held: %s", where)
	}
	if w.refused(phone) {
		t.Error("an erased number is suppressed as refused")
	}
	if got := w.audit(id); len(got) != 1 || got[0] != "self erase on /me" {
		t.Errorf("audit log %q", got)
	}
	var again bool
	w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		again, err = w.p.ForgetIfRefused(ctx, tx, phone)
		return err
	})
	if again {
		t.Error("an erased phone counts as refused")
	}
}

// Consent given and withdrawn by the person is recorded and audited the
// same on every channel; withdrawing membership ends it, and the news
// consents with it; MY DATA reads it back with the phones.
func TestChangeConsentAndMyData(t *testing.T) {
	w := newWorld(t)
	id := w.person("+919877700922")
	w.update(func(ctx context.Context, tx *store.Tx) error {
		if err := w.p.ChangeConsent(ctx, tx, people.ConsentChange{PersonID: id, Purpose: store.PurposeWhatsApp, Grant: true,
			NoticeVersion: "v2", Language: "en", Channel: "whatsapp", Evidence: "whatsapp:m2", Detail: "by START"}); err != nil {
			return err
		}
		return w.p.ChangeConsent(ctx, tx, people.ConsentChange{PersonID: id, Purpose: store.PurposeMembership, Channel: "web",
			Detail: store.PurposeMembership})
	})
	want := []string{"self end_membership on web", "self consent_withdraw sms, with the membership",
		"self consent_withdraw whatsapp, with the membership", "self consent_withdraw membership", "self consent_grant by START"}
	if got := w.audit(id); !slices.Equal(got, want) {
		t.Errorf("audit log %q, want %q", got, want)
	}
	d := w.myData(id)
	state := map[string]bool{}
	for _, c := range d.Consents {
		state[c.Purpose] = c.WithdrawnAt.IsZero()
	}
	if d.Person.Name != "Sunita Oraon" || len(d.Phones) != 1 || d.Phones[0] != "+919877700922" || len(d.Messages) != 1 ||
		len(state) != 2 || state[store.PurposeMembership] || state[store.PurposeWhatsApp] {
		t.Errorf("my data: %+v", d)
	}
}

// Membership is given by joining, never as a consent on its own: granting
// it through ChangeConsent is refused, and even with its transaction
// committed it leaves no audit entry behind (the old code ended the
// membership instead).
func TestMembershipIsNotGrantedAsAConsent(t *testing.T) {
	w := newWorld(t)
	id := w.person("+919877700923")
	before := w.audit(id)
	// The transaction commits whatever the refused call wrote, so the
	// checks below see it.
	w.update(func(ctx context.Context, tx *store.Tx) error {
		err := w.p.ChangeConsent(ctx, tx, people.ConsentChange{PersonID: id, Purpose: store.PurposeMembership,
			Grant: true, NoticeVersion: "v2", Language: "en", Channel: "web", Evidence: "me", Detail: store.PurposeMembership})
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("granting membership as a consent: %v, want invalid", err)
		}
		return nil
	})
	if got := w.audit(id); !slices.Equal(got, before) {
		t.Errorf("audit log %q after the refusal, want %q", got, before)
	}
}

// A corrected name is kept with the keys search finds it by (both words'),
// in the same transaction; erasure leaves none.
func TestNameKeysFollowTheName(t *testing.T) {
	w := newWorld(t)
	id := w.person("+919877700922")
	w.update(func(ctx context.Context, tx *store.Tx) error {
		return w.p.CorrectDetails(ctx, tx, id, "सुनीता देवी", "hi", store.Area{})
	})
	if n := storetest.NameKeyCount(t, w.db, id); n != 2 {
		t.Errorf("%d name keys after the correction, want 2", n)
	}
	w.update(func(ctx context.Context, tx *store.Tx) error { return w.p.Erase(ctx, tx, id, "on /me") })
	if n := storetest.NameKeyCount(t, w.db, id); n != 0 {
		t.Errorf("%d name keys after the erasure", n)
	}
}

// volunteerHandles are the handles the volunteer tests give, as typed:
// the WhatsApp one is the person's own number.
var volunteerHandles = map[string]string{"instagram": "@Sunita.Warrior22", "x": "x.com/sunita_jh_063", "telegram": "t.me/sunitaoraon63"}

// volunteerHandleWords are those handles' normal forms (and the languages
// given), which no table may hold after an erasure.
var volunteerHandleWords = []string{"sunita.warrior22", "sunita_jh_063", "sunitaoraon63"}

// volunteer makes the person w.person made for phone a registered member
// of the reference drive at JH-AC-063 (the phone proven by a code), a
// volunteer there with volunteerHandles and their number as WhatsApp, in
// three languages, and the AC's social media convenor. It returns the
// person and the drive.
func (w *world) volunteer(phone string) (int64, store.Drive) {
	w.t.Helper()
	d := drivetest.Load(w.t, w.db, nil, drivetest.Reference)["jh-warriors"]
	id := w.person(phone)
	hs := map[string]string{"whatsapp": phone}
	maps.Copy(hs, volunteerHandles)
	w.update(func(ctx context.Context, tx *store.Tx) error {
		return w.memberVolunteers(ctx, tx, id, d, phone, "Sunita Oraon", []string{"hi", "sat", "kru"}, hs)
	})
	scope, err := w.db.ScopeAreas(context.Background(), []string{"JH-AC-063"})
	if err != nil {
		w.t.Fatal(err)
	}
	ranchi := access.Actor{Label: "test:coordinator", Grants: []access.Grant{{Role: access.Coordinator, Areas: []string{"JH-AC-063"}, Scope: scope}}}
	if _, err := posts.New(w.db).Appoint(context.Background(), ranchi, posts.Request{Drive: d.Slug, Post: "ac-sm-convenor", Area: "JH-AC-063", PersonID: id}); err != nil {
		w.t.Fatal(err)
	}
	if c := storetest.CountsAt(w.t, w.db, "JH-AC-063"); c["volunteers"] != 1 || c["office_bearers"] != 1 {
		w.t.Fatalf("counters after volunteering and appointing: %v", c)
	}
	if left := storetest.TextLeft(w.t, w.db, volunteerHandleWords...); len(left) != len(volunteerHandleWords) {
		w.t.Fatalf("the scan finds the handles %q before, want each once", left)
	}
	return id, d
}

// memberVolunteers makes person id, with phone, a registered member of
// drive d at JH-AC-063 with the phone proven, who volunteers there in
// languages with hs.
func (w *world) memberVolunteers(ctx context.Context, tx *store.Tx, id int64, d store.Drive, phone, name string, languages []string, hs map[string]string) error {
	if _, err := store.VerifyContact(ctx, tx, store.ContactPhone, phone); err != nil {
		return err
	}
	if _, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: d.ID, Channel: "web", Day: "2026-02-20"}); err != nil {
		return err
	}
	area, err := store.AreaByCode(ctx, tx, "JH-AC-063")
	if err != nil {
		return err
	}
	if _, err := w.p.Register(ctx, tx, people.Registration{PersonID: id, DriveID: d.ID, Name: name, Language: "hi", AreaID: area.ID,
		Consents: []string{store.PurposeMembership}, NoticeVersion: "v", Channel: "web", Evidence: "test", Day: "2026-02-20"}); err != nil {
		return err
	}
	started, err := w.p.Volunteer(ctx, tx, people.Volunteering{PersonID: id, DriveID: d.ID, Agreed: true, Area: "JH-AC-063",
		Languages: languages, Handles: hs, NoticeVersion: "v", Language: "hi", Channel: "web", Evidence: "me"})
	if err == nil && !started {
		w.t.Error("a new volunteer did not start")
	}
	return err
}

// volunteering reads a person's volunteer rows, handles and holdings.
func (w *world) volunteering(id int64) (vs []store.Volunteer, hs []store.Handle, held []store.Appointment) {
	w.t.Helper()
	w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		if vs, err = store.VolunteeringOf(ctx, tx, id); err != nil {
			return err
		}
		if hs, err = store.Handles(ctx, tx, id); err != nil {
			return err
		}
		held, err = store.AppointmentsOf(ctx, tx, id)
		return err
	})
	return vs, hs, held
}

// A volunteer with handles (their WhatsApp is their number) and a post,
// once erased, leaves no handle, no language and no number in any column
// of any table; the post is vacated as erased (-1 office bearers) and the
// volunteer stage already counted stays.
func TestEraseVolunteerLeavesNoHandle(t *testing.T) {
	w := newWorldAt(t, time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC))
	const phone = "+919877700930"
	id, _ := w.volunteer(phone)
	w.update(func(ctx context.Context, tx *store.Tx) error { return w.p.Erase(ctx, tx, id, "on /me") })

	for _, where := range storetest.NumberLeft(t, w.db, phone) {
		t.Errorf("after the erasure the number is held: %s", where)
	}
	for _, where := range storetest.TextLeft(t, w.db, volunteerHandleWords...) {
		t.Errorf("after the erasure a handle is held: %s", where)
	}
	vs, hs, held := w.volunteering(id)
	if len(hs) != 0 {
		t.Errorf("handles after the erasure: %v", hs)
	}
	if len(vs) != 1 || len(vs[0].Languages) != 0 || vs[0].EndedAt.IsZero() {
		t.Errorf("volunteering after the erasure: %+v, want one row, ended, no languages", vs)
	}
	if len(held) != 1 || held[0].VacatedAt.IsZero() || held[0].VacatedWhy != store.VacatedErased {
		t.Errorf("posts after the erasure: %+v, want one, vacated as erased", held)
	}
	if c := storetest.CountsAt(t, w.db, "JH-AC-063"); c["volunteers"] != 1 || c["office_bearers"] != 0 {
		t.Errorf("counters after the erasure: %v, want volunteers 1 (it happened), office bearers 0", c)
	}
}

// Ending a membership ends the volunteering too: the post is vacated
// (membership ended, -1 office bearers), the handles are deleted, the
// volunteer consent withdrawn; the volunteer stage counted stays, and the
// rest of their data stays until they ask for erasure.
func TestEndMembershipEndsVolunteering(t *testing.T) {
	w := newWorldAt(t, time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC))
	const phone = "+919877700931"
	id, _ := w.volunteer(phone)
	w.update(func(ctx context.Context, tx *store.Tx) error { return w.p.EndMembership(ctx, tx, id, "web") })

	vs, hs, held := w.volunteering(id)
	if len(hs) != 0 {
		t.Errorf("handles after the membership ended: %v", hs)
	}
	for _, where := range storetest.TextLeft(t, w.db, volunteerHandleWords...) {
		t.Errorf("after the membership ended a handle is held: %s", where)
	}
	if len(vs) != 1 || vs[0].EndedAt.IsZero() {
		t.Errorf("volunteering after the membership ended: %+v, want ended", vs)
	}
	if len(held) != 1 || held[0].VacatedAt.IsZero() || held[0].VacatedWhy != store.MembershipEnded {
		t.Errorf("posts after the membership ended: %+v, want vacated as membership ended", held)
	}
	if c := storetest.CountsAt(t, w.db, "JH-AC-063"); c["volunteers"] != 1 || c["office_bearers"] != 0 {
		t.Errorf("counters after the membership ended: %v, want volunteers 1, office bearers 0", c)
	}
	data := w.myData(id)
	live := map[string]bool{}
	for _, c := range data.Consents {
		live[c.Purpose] = c.WithdrawnAt.IsZero()
	}
	if live[store.PurposeVolunteer] || live[store.PurposeMembership] || len(data.Phones) != 1 {
		t.Errorf("after the membership ended, MY DATA: consents %v, phones %v", live, data.Phones)
	}
}

// MY DATA gives a volunteer back everything volunteering kept of them:
// the volunteering (drive, work area, languages), each handle, and the
// post held, with the areas named.
func TestMyDataHasVolunteering(t *testing.T) {
	w := newWorldAt(t, time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC))
	const phone = "+919877700932"
	id, d := w.volunteer(phone)
	data := w.myData(id)
	if len(data.Volunteering) != 1 || data.Volunteering[0].DriveID != d.ID ||
		!slices.Equal(data.Volunteering[0].Languages, []string{"hi", "sat", "kru"}) ||
		data.Areas[data.Volunteering[0].AreaID].Code != "JH-AC-063" {
		t.Errorf("volunteering in MY DATA: %+v, areas %v", data.Volunteering, data.Areas)
	}
	got := map[string]string{}
	for _, h := range data.Handles {
		got[h.Platform] = h.Handle
	}
	if len(got) != 4 || got["whatsapp"] != phone || !strings.Contains(got["instagram"], volunteerHandleWords[0]) ||
		!strings.Contains(got["x"], volunteerHandleWords[1]) || !strings.Contains(got["telegram"], volunteerHandleWords[2]) {
		t.Errorf("handles in MY DATA: %v", got)
	}
	if len(data.Appointments) != 1 || data.Appointments[0].Post != "ac-sm-convenor" || !data.Appointments[0].VacatedAt.IsZero() ||
		data.Areas[data.Appointments[0].AreaID].Code != "JH-AC-063" {
		t.Errorf("posts in MY DATA: %+v", data.Appointments)
	}
}

// Only a registered member whose phone is proven volunteers: someone not
// registered is refused as no member, a member whose phone nobody proved
// as unproven, and neither counts; once the phone is proven, the same
// request starts the volunteering (+1 once).
func TestVolunteerNeedsMemberAndProvenPhone(t *testing.T) {
	w := newWorldAt(t, time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC))
	d := drivetest.Load(t, w.db, nil, drivetest.Reference)["jh-warriors"]
	const phone = "+919877700961"
	var id int64
	w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if id, err = store.CreatePerson(ctx, tx, store.Person{Name: "Unproven Oraon"}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactPhone, phone); err != nil {
			return err
		}
		_, _, err = store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: d.ID, Channel: "web", Day: "2026-02-20"})
		return err
	})
	volunteer := func() (bool, error) {
		var started bool
		err := w.db.Update(context.Background(), func(tx *store.Tx) (err error) {
			started, err = w.p.Volunteer(context.Background(), tx, people.Volunteering{PersonID: id, DriveID: d.ID, Agreed: true, Area: "JH-AC-063",
				Languages: []string{"hi"}, NoticeVersion: "v", Language: "hi", Channel: "web", Evidence: "me"})
			return err
		})
		return started, err
	}
	if _, err := volunteer(); problem(err, "member") != people.ReasonNotMember {
		t.Fatalf("a lead volunteering: %v, want not a member", err)
	}
	w.update(func(ctx context.Context, tx *store.Tx) error {
		area, err := store.AreaByCode(ctx, tx, "JH-AC-063")
		if err != nil {
			return err
		}
		_, err = w.p.Register(ctx, tx, people.Registration{PersonID: id, DriveID: d.ID, Name: "Unproven Oraon", Language: "hi", AreaID: area.ID,
			Consents: []string{store.PurposeMembership}, NoticeVersion: "v", Channel: "web", Evidence: "test", Day: "2026-02-20"})
		return err
	})
	if _, err := volunteer(); problem(err, "phone") != people.ReasonUnproven {
		t.Fatalf("a member with an unproven phone volunteering: %v, want unproven", err)
	}
	if got := storetest.CountsAt(t, w.db, "JH-AC-063")["volunteers"]; got != 0 {
		t.Fatalf("volunteers after two refusals: %d, want 0", got)
	}
	w.update(func(ctx context.Context, tx *store.Tx) error {
		_, err := store.VerifyContact(ctx, tx, store.ContactPhone, phone)
		return err
	})
	if started, err := volunteer(); err != nil || !started {
		t.Fatalf("a member with a proven phone volunteering: started %v, %v", started, err)
	}
	if got := storetest.CountsAt(t, w.db, "JH-AC-063")["volunteers"]; got != 1 {
		t.Errorf("volunteers after volunteering: %d, want 1", got)
	}
}

// problem is the reason err (people.Problems) gives for field; "" if none.
func problem(err error, field string) string {
	probs, _ := err.(people.Problems)
	return probs[field]
}
