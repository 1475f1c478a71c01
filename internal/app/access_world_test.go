package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/posts"
	"github.com/jodo-org/jodo/internal/referrals"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/signin"
	"github.com/jodo-org/jodo/internal/staff"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// The access matrix's world: Jharkhand, the drive jh-sms rooted at JH, a
// person in each of five ACs chosen so every scope splits them differently,
// a missed-call lead with no area, and every kind of actor.
//
//	JH-AC-063 Ranchi   PC-08, district Ranchi
//	JH-AC-064 Hatia    PC-08, district Ranchi (a sibling of 063)
//	JH-AC-050 Ichagarh PC-08, district Saraikela (in the PC, not the district)
//	JH-AC-058 Tamar    PC-11, district Ranchi (in the district, not the PC)
//	JH-AC-040 Dhanbad  PC-07, district Dhanbad (a sibling PC)

const matrixKey = "matrix test secret key, 32 bytes+"

// covers is, written out by hand, which of the world's areas each scope
// used in the matrix covers: the expectation the server is held to.
var covers = map[string][]string{
	"JH":          {"JH", "JH-PC-08", "JH-D-RANCHI", "JH-AC-063", "JH-AC-064", "JH-AC-050", "JH-AC-058", "JH-AC-040"},
	"JH-PC-08":    {"JH-PC-08", "JH-AC-063", "JH-AC-064", "JH-AC-050"},
	"JH-AC-063":   {"JH-AC-063"},
	"JH-D-RANCHI": {"JH-D-RANCHI", "JH-AC-063", "JH-AC-064", "JH-AC-058"},
}

// matrixAreas are the area targets: in scope, siblings and parents of
// every scope above (IN is the parent of JH, covered by none).
var matrixAreas = []string{"IN", "JH", "JH-PC-08", "JH-D-RANCHI", "JH-AC-063", "JH-AC-064", "JH-AC-050", "JH-AC-058", "JH-AC-040"}

// matrixPerson is a person of the world. Area "JH" is a lead with no
// area in jh-sms, "JH-D-RANCHI" one in ranchi-d (rooted at the district):
// they count at their drive's root, so only a scope covering all of it
// sees them.
type matrixPerson struct {
	Name, Phone, Area string
	ID                int64
	Handles           map[string]string // a volunteer's, by platform, in normal form (WhatsApp: their number)
	Post              string            // the post held at Area, if any
	Groups            []string          // invite links of the groups a volunteer registered at Area
	Recruits          int64             // direct credit in jh-sms: the person has a referral code when > 0
	secrets           []string          // set up: each invite's code, keyed hash and sealed form, the referral code, its hash and sealed form
	groups            map[int64]string  // set up: each group's id and its invite's code
}

var matrixPeople = []*matrixPerson{
	{Name: "Matrixa Ranchi", Phone: "+919876500011", Area: "JH-AC-063", Post: "ac-sm-convenor",
		Handles: map[string]string{"instagram": "mtx_ranchi_ig", "x": "mtxranchi_x", "whatsapp": "+919876500011"},
		Groups: []string{"https://chat.whatsapp.com/MatrixRanchiGroup00001", "t.me/+MatrixRanchiTelegram01", "facebook.com/groups/matrix.ranchi.fb",
			"whatsapp.com/channel/MatrixRanchiChannel000000001"},
		Recruits: 3},
	{Name: "Matrixa Hatia", Phone: "+919876500022", Area: "JH-AC-064"},
	{Name: "Matrixa Ichagarh", Phone: "+919876500033", Area: "JH-AC-050"},
	{Name: "Matrixa Tamar", Phone: "+919876500044", Area: "JH-AC-058"},
	{Name: "Matrixa Dhanbad", Phone: "+919876500055", Area: "JH-AC-040",
		Handles: map[string]string{"telegram": "mtx_dhanbad_tg", "youtube": "@mtxdhanbadyt"},
		Groups:  []string{"https://chat.whatsapp.com/MatrixDhanbadGroup0001"}, Recruits: 1},
	{Name: "Matrixa Lead", Phone: "+919876500066", Area: "JH"},
	{Name: "Matrixa District Lead", Phone: "+919876500077", Area: "JH-D-RANCHI"},
}

// matrixActor asks the server things: through a browser session (the
// console's way), a bearer token (the API's), or neither.
type matrixActor struct {
	Name    string
	Role    access.Role // "": no role
	Areas   []string
	Session *http.Client // signed in; nil: no session
	Token   string       // "": none
}

// matrixNoRedirects is the client of an actor with no session: what a redirect
// says is part of the answer.
var matrixNoRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// client is the actor's browser, or one without cookies.
func (a matrixActor) client() *http.Client {
	if a.Session != nil {
		return a.Session
	}
	return matrixNoRedirects
}

// covered reports whether the actor's areas cover code (covers' table).
func (a matrixActor) covered(code string) bool {
	return slices.ContainsFunc(a.Areas, func(s string) bool { return slices.Contains(covers[s], code) })
}

// matrixWorld is the server and what it was given.
type matrixWorld struct {
	base   string
	db     *store.DB
	routes []server.Route
	actors []matrixActor
}

// newMatrixWorld serves the world with sign-in on and records the routes
// the server registered.
func newMatrixWorld(t *testing.T) *matrixWorld {
	t.Helper()
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "en")
	districtDrive(t, dbURL)
	w := &matrixWorld{db: storetest.Attach(t, dbURL)}
	w.base = serveRecordingRoutes(t, dbURL, &w.routes)
	w.addPeople(t)
	w.addVolunteers(t)
	w.actors = append(w.actors, matrixActor{Name: "nobody"}, matrixActor{Name: "member (session)", Session: w.member(t)})
	for i, g := range []struct {
		role access.Role
		area string
	}{
		{access.Viewer, "JH"}, {access.Coordinator, "JH-PC-08"}, {access.Coordinator, "JH-AC-063"},
		{access.Coordinator, "JH-D-RANCHI"}, {access.FactChecker, "JH"}, {access.Admin, "JH"},
	} {
		name := string(g.role) + " of " + g.area
		session := w.staffSession(t, "+91970000010"+string(rune('0'+i)), name, g.role, g.area)
		token, err := access.CreateToken(context.Background(), w.db, "matrix-"+strings.ToLower(strings.ReplaceAll(name, " ", "-")), string(g.role), []string{g.area}, false)
		if err != nil {
			t.Fatal(err)
		}
		w.actors = append(w.actors,
			matrixActor{Name: name + " (session)", Role: g.role, Areas: []string{g.area}, Session: session},
			matrixActor{Name: name + " (token)", Role: g.role, Areas: []string{g.area}, Token: token})
	}
	return w
}

// districtDrive adds ranchi-d, a drive rooted at the Ranchi district.
func districtDrive(t *testing.T, dbURL string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "ranchi.json")
	os.WriteFile(file, []byte(`{"version":1,"slug":"ranchi-d","name":"Ranchi district","starts_on":"2026-01-01","ends_on":"2027-12-31",
		"timezone":"Asia/Kolkata","root_area":"JH-D-RANCHI","channels":[{"kind":"missed_call","number":"1800 000 0009"}],"targets":[]}`), 0o600)
	mustJodo(t, dbURL, "drive", "apply", file)
}

// serveRecordingRoutes runs `jodo serve` in-process with a secret key (so
// sign-in is on) and keeps the routes the server registered in routes.
func serveRecordingRoutes(t *testing.T, dbURL string, routes *[]server.Route) string {
	t.Helper()
	env := map[string]string{"JODO_LOG_FORMAT": "json", "JODO_SECRET_KEY": matrixKey}
	cfg, err := config.Parse([]string{"serve", "--db", dbURL, "--addr", "127.0.0.1:0"}, mapEnv(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return serveIn(t, cfg, func(r []server.Route) { *routes = r })
}

// addPeople gives each person of the world a phone and a participation in
// jh-sms at their AC (the lead: none).
func (w *matrixWorld) addPeople(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	drives := map[string]store.Drive{}
	for _, slug := range []string{"jh-sms", "ranchi-d"} {
		d, err := w.db.DriveBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		drives[slug] = d
	}
	ids := storetest.AreaIDs(t, w.db, "JH-AC-063", "JH-AC-064", "JH-AC-050", "JH-AC-058", "JH-AC-040")
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		for _, p := range matrixPeople {
			var err error
			if p.ID, err = store.CreatePerson(ctx, tx, store.Person{Name: p.Name}); err != nil {
				return err
			}
			if err := store.AddContact(ctx, tx, p.ID, store.ContactPhone, p.Phone); err != nil {
				return err
			}
			in := store.ParticipationInput{PersonID: p.ID, DriveID: drives["jh-sms"].ID, Channel: "web", AreaID: ids[p.Area], Day: tx.Now.Format(time.DateOnly)}
			switch p.Area {
			case "JH":
				in.Channel = "missed_call"
			case "JH-D-RANCHI":
				in.Channel, in.DriveID = "missed_call", drives["ranchi-d"].ID
			}
			if _, _, err := store.EnsureParticipation(ctx, tx, in); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// matrixPosts are the posts the world's drive jh-sms gains (the
// reference drive's three).
const matrixPosts = `[
	{"code": "pc-sm-coordinator", "title": "PC social media coordinator", "title_local": "लोकसभा सोशल मीडिया समन्वयक", "area_kind": "pc"},
	{"code": "ac-sm-convenor", "title": "AC social media convenor", "title_local": "विधानसभा सोशल मीडिया संयोजक", "area_kind": "ac"},
	{"code": "booth-digital-volunteer", "title": "Booth digital volunteer", "title_local": "बूथ डिजिटल कार्यकर्ता", "area_kind": "booth", "many": true}]`

// addVolunteers gives jh-sms posts and makes each person of the world
// with handles a volunteer at their AC, appointed to their post if they
// have one.
func (w *matrixWorld) addVolunteers(t *testing.T) {
	t.Helper()
	givePosts(t, w.db, "jh-sms")
	for _, p := range matrixPeople {
		if p.Handles != nil {
			makeVolunteer(t, w.db, "jh-sms", p.ID, p.Phone, p.Name, p.Area, p.Handles, p.Post)
			w.addGroupsAndCode(t, p)
		}
	}
}

// addGroupsAndCode registers p's groups (with the server's key, so the
// server could open them) and, for a recruiter, gives them a referral
// code and their credit, and keeps in p.secrets what no answer to staff
// may hold.
func (w *matrixWorld) addGroupsAndCode(t *testing.T, p *matrixPerson) {
	t.Helper()
	ctx := context.Background()
	d, err := w.db.DriveBySlug(ctx, "jh-sms")
	if err != nil {
		t.Fatal(err)
	}
	key := []byte(matrixKey)
	p.secrets, p.groups = nil, map[int64]string{} // a world before this one (another test) kept its own
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		for i, link := range p.Groups {
			grp, err := groups.New(key).Register(ctx, tx, groups.Registration{PersonID: p.ID, DriveID: d.ID, Link: link, Language: "hi",
				Size: groups.Sizes[i%len(groups.Sizes)], Name: fmt.Sprintf("%s group %d", strings.Fields(p.Name)[1], i+1), Channel: "web"})
			if err != nil {
				return fmt.Errorf("%s registers %s: %w", p.Name, link, err)
			}
			inv, _ := groups.ParseInvite(link)
			p.secrets = append(p.secrets, inv.Code, grp.CodeHash, grp.CodeSealed)
			p.groups[grp.ID] = inv.Code
		}
		if p.Recruits == 0 {
			return nil
		}
		code, err := referrals.New(key).CodeFor(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		p.secrets = append(p.secrets, code)
		area, err := store.AreaByCode(ctx, tx, p.Area)
		if err != nil {
			return err
		}
		return store.Credit(ctx, tx, d.ID, p.ID, area.ID, p.Recruits, 0)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Groups) > 0 || p.Recruits > 0 {
		hash, sealed := storetest.ReferralCode(t, w.db, p.ID)
		p.secrets = append(p.secrets, hash, sealed)
	}
	if want := 3*len(p.Groups) + 3; len(p.secrets) != want || slices.Contains(p.secrets, "") {
		t.Fatalf("%s's invites and code as kept: %q, want %d values", p.Name, p.secrets, want)
	}
}

// secretShown names what the body shows of p's invites or referral code
// (to anyone: only /me and the bot show them, to their owner; an admin's
// "Show invite link" answer shows one, allowed), "" when nothing.
func (p *matrixPerson) secretShown(body, allowed string) string {
	for _, s := range p.secrets {
		if s != "" && s != allowed && strings.Contains(body, s) {
			return s
		}
	}
	return ""
}

// givePosts applies the next version of drive slug with the reference
// drive's posts (matrixPosts).
func givePosts(t *testing.T, db *store.DB, slug string) {
	t.Helper()
	d, err := db.DriveBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]json.RawMessage
	if err := json.Unmarshal(d.File, &file); err != nil {
		t.Fatal(err)
	}
	file["posts"] = json.RawMessage(matrixPosts)
	file["version"] = json.RawMessage(strconv.Itoa(d.Version + 1))
	b, _ := json.Marshal(file)
	f, err := drive.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := drive.Apply(context.Background(), db, f, false, access.Actor{Label: "cli:test"}); err != nil {
		t.Fatal(err)
	}
}

// makeVolunteer makes the person with phone (a participation in drive
// slug already) a registered member at area with the phone proven, who
// volunteers there in Hindi and English with handles, appointed to post
// (if not "") by an admin of the whole state, as the console would.
func makeVolunteer(t *testing.T, db *store.DB, slug string, id int64, phone, name, area string, handles map[string]string, post string) {
	t.Helper()
	ctx := context.Background()
	d, err := db.DriveBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	pp := people.New([]byte(matrixKey))
	err = db.Update(ctx, func(tx *store.Tx) error {
		a, err := store.AreaByCode(ctx, tx, area)
		if err != nil {
			return err
		}
		if _, err := store.VerifyContact(ctx, tx, store.ContactPhone, phone); err != nil {
			return err
		}
		if _, err := pp.Register(ctx, tx, people.Registration{PersonID: id, DriveID: d.ID, Name: name, Language: "en", AreaID: a.ID,
			Consents: []string{store.PurposeMembership}, NoticeVersion: "test", Channel: "web", Evidence: "test",
			Day: tx.Now.Format(time.DateOnly)}); err != nil {
			return err
		}
		_, err = pp.Volunteer(ctx, tx, people.Volunteering{PersonID: id, DriveID: d.ID, Agreed: true, Area: area,
			Languages: []string{"hi", "en"}, Handles: handles, NoticeVersion: "test", Language: "en", Channel: "web", Evidence: "test"})
		return err
	})
	if err != nil {
		t.Fatalf("%s volunteers: %v", name, err)
	}
	if post == "" {
		return
	}
	admin := access.Actor{Label: "cli:test", Grants: []access.Grant{{Role: access.Admin, Areas: []string{"JH"}}}}
	if admin.Grants[0].Scope, err = db.ScopeAreas(ctx, []string{"JH"}); err != nil {
		t.Fatal(err)
	}
	if _, err := posts.New(db).Appoint(ctx, admin, posts.Request{Drive: slug, Post: post, Area: area, PersonID: id}); err != nil {
		t.Fatalf("appointing %s: %v", name, err)
	}
}

// handleShown names a handle of p's the body shows (a WhatsApp one,
// a number, masked or not), "" when it shows none.
func (p *matrixPerson) handleShown(body string) string {
	for platform, h := range p.Handles {
		forms := []string{h}
		if platform == "whatsapp" {
			forms = []string{h, phone.Mask(h), strings.TrimPrefix(h, "+91")}
		}
		for _, f := range forms {
			if strings.Contains(body, f) {
				return platform + " " + f
			}
		}
	}
	return ""
}

// staffSession gives a new person role over area (jodo staff add) and signs
// them in with a one-time link (jodo staff link), as a browser would.
func (w *matrixWorld) staffSession(t *testing.T, number, name string, role access.Role, area string) *http.Client {
	t.Helper()
	ctx := context.Background()
	cli := access.Actor{Label: "cli:matrix"}
	s := staff.New([]byte(matrixKey))
	var token string
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		_, err := s.Add(ctx, tx, cli, staff.Grant{Phone: number, Name: "Staff " + strings.Fields(name)[0], Role: string(role), Areas: []string{area}})
		if err != nil {
			return err
		}
		token, err = s.Link(ctx, tx, cli, number)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return w.useLink(t, token, "/console")
}

// member signs in a person who holds no role, with a link made for them
// directly (staff link refuses people without a role).
func (w *matrixWorld) member(t *testing.T) *http.Client {
	t.Helper()
	ctx := context.Background()
	var token string
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		id, err := store.CreatePerson(ctx, tx, store.Person{Name: "Member Without Role"})
		if err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactPhone, "+919699900001"); err != nil {
			return err
		}
		token, err = signin.NewLink(ctx, tx, id, "cli:matrix")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return w.useLink(t, token, "/me")
}

// useLink opens a sign-in link and presses its button, with a cookie jar,
// and checks where it lands.
func (w *matrixWorld) useLink(t *testing.T, token, landing string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: matrixNoRedirects.CheckRedirect}
	link := w.base + "/signin/link/" + token
	resp, err := c.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET the sign-in link: %d", resp.StatusCode)
	}
	resp, err = c.PostForm(link, url.Values{"lang": {"en"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, landing) {
		t.Fatalf("POST the sign-in link: %d to %q, want 303 to %s", resp.StatusCode, loc, landing)
	}
	return c
}

// maskedPhone is how a person's number shows when masked.
func (p *matrixPerson) maskedPhone() string { return phone.Mask(p.Phone) }
