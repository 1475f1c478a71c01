package app_test

import (
	"context"
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

// An admin over a group's area is shown its invite link once, for a
// reason (audited with the group and the reason, never the link; the
// answer not cached); a refused reason keeps what was typed; coordinators
// and viewers are refused; the Groups list still holds no invite.
func TestConsoleShowInvite(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50)
	w.volunteerAt(w.ranchi, "JH-AC-063", []string{"hi"}, nil)
	w.volunteerAt(w.dhanbad, "JH-AC-040", []string{"en"}, nil)
	yuva := w.registerGroup(w.ranchi, "Ranchi Yuva", "hi")
	saathi := w.registerGroup(w.dhanbad, "Dhanbad Saathi", "en")
	path := fmt.Sprintf("/console/groups/%d/invite", yuva.ID)
	show := func(c *http.Client, reason, lang string) answer {
		return w.post(c, path, url.Values{"reason": {reason}, "lang": {lang}}, nil)
	}

	admin := w.staffClient("+919876500002", "Admin One", access.Admin, "JH")
	body := w.want(admin, "/console/groups?lang=en", 200, "Show invite link", fmt.Sprintf(`action="%s"`, path))
	noInvite(t, "the admin's Groups list", body, yuva, saathi)

	if r := show(admin, "no", "en"); r.status != 422 || !strings.Contains(r.body, "Say why (5 to 200 characters)") || !strings.Contains(r.body, `value="no"`) {
		t.Errorf("a short reason: HTTP %d %.400s", r.status, r.body)
	}
	if r := show(admin, "caller 98765 43210 said", "hi"); r.status != 422 || !strings.Contains(r.body, "6 या ज़्यादा अंकों") ||
		!strings.Contains(r.body, `value="caller 98765 43210 said"`) || strings.Contains(r.body, "chat.whatsapp.com") {
		t.Errorf("a reason with a number, in Hindi: HTTP %d %.400s", r.status, r.body)
	}
	r := show(admin, "reported as a fake group", "en")
	if r.status != 200 || !strings.Contains(r.body, consoleInvites["Ranchi Yuva"]) || r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("the admin's reveal: HTTP %d, Cache-Control %q %.400s", r.status, r.header.Get("Cache-Control"), r.body)
	}
	if r := show(admin, "शिकायत की जाँच के लिए", "hi"); r.status != 200 || !strings.Contains(r.body, "इनवाइट लिंक:") {
		t.Errorf("the admin's reveal in Hindi: HTTP %d %.400s", r.status, r.body)
	}
	audit := w.want(admin, "/console/audit?lang=en", 200, "group_invite_shown", "reported as a fake group", fmt.Sprintf("group %d", yuva.ID))
	noInvite(t, "the audit log", audit, yuva, saathi)
	if left := storetest.TextLeft(t, w.db, "RanchiYuva0000000000001"); len(left) > 0 {
		t.Errorf("the invite's code in the clear after a reveal: %v", left)
	}

	// An ended group has no link left to show.
	err := w.db.Update(context.Background(), func(tx *store.Tx) error { return groups.EndAll(context.Background(), tx, w.dhanbad, "self", "test") })
	if err != nil {
		t.Fatal(err)
	}
	ended := fmt.Sprintf("/console/groups/%d/invite", saathi.ID)
	if r := w.post(admin, ended, url.Values{"reason": {"reported as a fake group"}, "lang": {"en"}}, nil); r.status != 410 || !strings.Contains(r.body, "no longer kept") {
		t.Errorf("an ended group's invite: HTTP %d %.300s", r.status, r.body)
	}

	// An admin of another area: not found; coordinators and viewers: 403.
	dhanbadAdmin := w.staffClient("+919876500004", "Admin Two", access.Admin, "JH-AC-040")
	if r := show(dhanbadAdmin, "reported as a fake group", "en"); r.status != 404 || strings.Contains(r.body, "chat.whatsapp.com") {
		t.Errorf("an admin of JH-AC-040 asking for a JH-AC-063 group: HTTP %d", r.status)
	}
	coord := w.staffClient("+919876500001", "Asha Kumari", access.Coordinator, "JH-AC-063")
	viewer := w.staffClient("+919876500003", "Viewer One", access.Viewer, "JH")
	for name, c := range map[string]*http.Client{"coordinator": coord, "viewer": viewer} {
		if r := show(c, "reported as a fake group", "en"); r.status != 403 || strings.Contains(r.body, "chat.whatsapp.com") {
			t.Errorf("a %s asking for the invite: HTTP %d", name, r.status)
		}
	}
	if body := w.want(coord, "/console/groups?lang=en", 200, "Ranchi Yuva"); strings.Contains(body, "Show invite link") {
		t.Error("a coordinator is offered Show invite link")
	}
}
