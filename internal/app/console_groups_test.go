package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// Invites the console world's volunteers register; none may reach staff.
var consoleInvites = map[string]string{
	"Ranchi Yuva":    "https://chat.whatsapp.com/RanchiYuva0000000000001",
	"Ranchi Samvad":  "https://t.me/+RanchiSamvad00000001",
	"Dhanbad Saathi": "https://www.facebook.com/groups/dhanbadsaathi",
}

// registerGroup registers a group for a volunteer as /me does.
func (w *consoleWorld) registerGroup(personID int64, name, language string) store.Group {
	w.t.Helper()
	ctx := context.Background()
	var grp store.Group
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		grp, err = groups.New([]byte(processSecretKey)).Register(ctx, tx, groups.Registration{PersonID: personID, DriveID: w.driveID,
			Link: consoleInvites[name], Language: language, Size: "101-256", Name: name, Channel: "web"})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return grp
}

// noInvite fails when body holds any part of an invite: a link's site or
// code, a group's keyed hash or sealed form.
func noInvite(t *testing.T, what, body string, gs ...store.Group) {
	t.Helper()
	never := []string{"chat.whatsapp.com", "t.me/", "facebook.com/groups", "RanchiYuva0000000000001", "RanchiSamvad00000001", "dhanbadsaathi"}
	for _, g := range gs {
		never = append(never, g.CodeHash, g.CodeSealed)
	}
	for _, s := range never {
		if s != "" && strings.Contains(body, s) {
			t.Errorf("%s holds %q", what, s)
		}
	}
}

// The Groups page lists the groups of the asker's areas with their owner
// and state, and never an invite; a coordinator marks one invalid with a
// reason (audited, one group fewer); a viewer is refused the list. The
// Volunteers page counts each volunteer's live groups, the person page
// lists theirs.
func TestConsoleGroups(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50)
	w.volunteerAt(w.ranchi, "JH-AC-063", []string{"hi"}, nil)
	w.volunteerAt(w.dhanbad, "JH-AC-040", []string{"en"}, nil)
	yuva := w.registerGroup(w.ranchi, "Ranchi Yuva", "hi")
	samvad := w.registerGroup(w.ranchi, "Ranchi Samvad", "sat")
	saathi := w.registerGroup(w.dhanbad, "Dhanbad Saathi", "en")
	all := []store.Group{yuva, samvad, saathi}

	coord := w.staffClient("+919876500001", "Asha Kumari", access.Coordinator, "JH-AC-063")
	body := w.want(coord, "/console/groups?lang=en", 200, "Ranchi Yuva", "Ranchi Samvad", "WhatsApp group", "Telegram", "Santali",
		"सुनीता देवी", fmt.Sprintf(`href="/console/people/%d"`, w.ranchi), "Live groups here: 2", `action="/console/groups/invalid"`)
	noInvite(t, "the coordinator's list", body, all...)
	if strings.Contains(body, "Dhanbad Saathi") {
		t.Error("the JH-AC-063 coordinator sees a group of JH-AC-040")
	}
	w.want(coord, "/console/groups?lang=en&kind=telegram", 200, "Ranchi Samvad")
	if body := w.want(coord, "/console/groups?lang=en&language=hi", 200, "Ranchi Yuva"); strings.Contains(body, "Ranchi Samvad") {
		t.Error("the language filter keeps a Santali group")
	}
	w.want(coord, "/console/groups?lang=en&state=nosuch", 422, "cannot be shown")
	w.want(coord, "/console/groups?lang=en&area=JH-AC-040", 403)
	w.want(coord, "/console/groups?lang=hi", 200, "ग्रुप", "व्हाट्सऐप ग्रुप", "चालू")
	w.want(coord, "/console/volunteers?lang=en", 200, "2 of 10")
	page := w.want(coord, fmt.Sprintf("/console/people/%d?lang=en", w.ranchi), 200, "Ranchi Yuva", "Ranchi Samvad", "live")
	noInvite(t, "the person page", page, all...)

	// The same list as JSON, for a coordinator's token of JH-AC-063: the
	// groups, never an invite; a viewer's token is refused.
	token := strings.TrimSpace(mustJodo(t, w.dbURL, "token", "create", "--name", "groups-063", "--area", "JH-AC-063", "--role", "coordinator"))
	token = token[strings.LastIndex(token, "\n")+1:]
	r := w.do(noRedirects(), http.MethodGet, "/api/v1/drives/jh-sms/groups?area=JH-AC-063", nil, http.Header{"Authorization": {"Bearer " + token}})
	if r.status != 200 || !strings.Contains(r.body, "Ranchi Yuva") || !strings.Contains(r.body, `"live":2`) || strings.Contains(r.body, "Dhanbad Saathi") {
		t.Errorf("the groups API: %d %s", r.status, r.body)
	}
	noInvite(t, "the groups API", r.body, all...)
	viewerToken := apiToken(t, w.dbURL, "groups-viewer", "JH")
	if r := w.do(noRedirects(), http.MethodGet, "/api/v1/drives/jh-sms/groups?area=JH", nil, http.Header{"Authorization": {"Bearer " + viewerToken}}); r.status != 403 {
		t.Errorf("a viewer's token listing groups: HTTP %d", r.status)
	}

	// Marking invalid: a reason is needed; outside the scope is not found.
	mark := func(group int64, reason string) answer {
		return w.post(coord, "/console/groups/invalid", url.Values{"group": {fmt.Sprint(group)}, "reason": {reason}, "lang": {"en"},
			"back": {"/console/groups?lang=en"}}, nil)
	}
	if r := mark(yuva.ID, "no"); r.status != 422 || !strings.Contains(r.body, "reason of 5 to 200") {
		t.Errorf("a short reason: HTTP %d %.300s", r.status, r.body)
	}
	if r := mark(saathi.ID, "the link is dead"); r.status != 404 {
		t.Errorf("marking another AC's group: HTTP %d", r.status)
	}
	before := storetest.CountsAt(t, w.db, "JH-AC-063")["groups"]
	if r := mark(yuva.ID, "the link is dead"); r.status != 303 || !strings.HasPrefix(r.location, "/console/groups?") {
		t.Errorf("marking invalid: HTTP %d to %q", r.status, r.location)
	} else {
		w.want(coord, r.location, 200, "marked invalid; it no longer counts", "Live groups here: 1", "the link is dead")
	}
	if after := storetest.CountsAt(t, w.db, "JH-AC-063")["groups"]; after != before-1 {
		t.Errorf("groups at JH-AC-063: %d after marking invalid, %d before", after, before)
	}
	mark(yuva.ID, "the link is dead again")
	if again := storetest.CountsAt(t, w.db, "JH-AC-063")["groups"]; again != before-1 {
		t.Errorf("marking twice moved the count to %d", again)
	}
	w.want(coord, "/console/volunteers?lang=en", 200, "1 of 10")
	admin := w.staffClient("+919876500002", "Admin One", access.Admin, "JH")
	w.want(admin, "/console/audit?lang=en", 200, "group_invalid")

	viewer := w.staffClient("+919876500003", "Viewer One", access.Viewer, "JH")
	if body := w.want(viewer, "/console/groups?lang=en", 403); strings.Contains(body, "Ranchi Samvad") {
		t.Error("a viewer is shown a group")
	}
	if r := w.post(viewer, "/console/groups/invalid", url.Values{"group": {fmt.Sprint(samvad.ID)}, "reason": {"the link is dead"}}, nil); r.status != 403 {
		t.Errorf("a viewer marking a group: HTTP %d", r.status)
	}
}

// The leaderboard ranks recruiters by direct, then indirect recruits:
// names linked for people.read holders, counts alone for a viewer, and
// only the asker's areas.
func TestConsoleRecruiters(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50)
	ctx := context.Background()
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		for _, c := range []struct {
			person int64
			ac     string
			direct int64
		}{{w.ranchi, "JH-AC-063", 3}, {w.dhanbad, "JH-AC-040", 7}} {
			area, err := store.AreaByCode(ctx, tx, c.ac)
			if err != nil {
				return err
			}
			if err := store.Credit(ctx, tx, w.driveID, c.person, area.ID, c.direct, 11); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	admin := w.staffClient("+919876500002", "Admin One", access.Admin, "JH")
	body := w.want(admin, "/console/recruiters?lang=en", 200, "Ramesh Kumar", "सुनीता देवी", fmt.Sprintf(`href="/console/people/%d"`, w.dhanbad))
	if strings.Index(body, "Ramesh Kumar") > strings.Index(body, "सुनीता देवी") {
		t.Error("7 direct recruits rank below 3")
	}
	viewer := w.staffClient("+919876500003", "Viewer One", access.Viewer, "JH")
	body = w.want(viewer, "/console/recruiters?lang=en", 200, "<td>7</td>", "<td>3</td>", "<td>11</td>", "JH-AC-040")
	for _, never := range []string{"Ramesh Kumar", "सुनीता देवी", "/console/people/"} {
		if strings.Contains(body, never) {
			t.Errorf("the viewer's leaderboard shows %q", never)
		}
	}
	coord := w.staffClient("+919876500001", "Asha Kumari", access.Coordinator, "JH-AC-063")
	if body := w.want(coord, "/console/recruiters?lang=hi", 200, "सुनीता देवी", "जोड़ने वाले"); strings.Contains(body, "Ramesh Kumar") {
		t.Error("the JH-AC-063 coordinator sees a recruiter of JH-AC-040")
	}
	w.want(coord, "/console/recruiters?lang=en&area=JH-AC-040", 403)

	// The API: ids only for a token holding people.read, never a name.
	api := func(token string) (int, []map[string]any, string) {
		r := w.do(noRedirects(), http.MethodGet, "/api/v1/drives/jh-sms/recruiters?area=JH", nil, http.Header{"Authorization": {"Bearer " + token}})
		var out struct {
			Recruiters []map[string]any `json:"recruiters"`
		}
		if r.status == http.StatusOK {
			if err := json.Unmarshal([]byte(r.body), &out); err != nil {
				t.Fatal(err)
			}
		}
		return r.status, out.Recruiters, r.body
	}
	viewerToken := apiToken(t, w.dbURL, "leaders", "JH")
	status, rows, raw := api(viewerToken)
	if status != 200 || len(rows) != 2 || rows[0]["direct"] != 7.0 || rows[0]["area"] != "JH-AC-040" || rows[0]["person"] != nil {
		t.Errorf("the viewer token's leaderboard: %d %s", status, raw)
	}
	coordToken := strings.TrimSpace(mustJodo(t, w.dbURL, "token", "create", "--name", "leaders-jh", "--area", "JH", "--role", "coordinator"))
	coordToken = coordToken[strings.LastIndex(coordToken, "\n")+1:]
	status, rows, raw = api(coordToken)
	if status != 200 || len(rows) != 2 || rows[0]["person"] != float64(w.dhanbad) || strings.Contains(raw, "Ramesh") {
		t.Errorf("the coordinator token's leaderboard: %d %s", status, raw)
	}
	if status, _, _ := api("nosuchtoken"); status != 401 {
		t.Errorf("no token: HTTP %d", status)
	}
}
