package console

import (
	"net/http"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
)

// shell is what every console page shows around its content: who is
// signed in with their roles and scopes, the language switch, sign out,
// and the navigation the person may use.
type shell struct {
	tr
	Title     string
	Who       string
	Grants    []grantView
	Nav       []navLink
	SwitchURL string
}

type grantView struct{ Role, Areas string }

type navLink struct {
	Href, Label string
	Current     bool
}

// pages are the navigation's entries, each shown only to those holding
// its permission.
var pages = []struct {
	path, label string
	need        access.Permission
}{
	{"/console", "nav.progress", access.ProgressRead},
	{"/console/people", "nav.people", access.PeopleRead},
	{"/console/volunteers", "nav.volunteers", access.PeopleRead},
	{"/console/groups", "nav.groups", access.PeopleRead},
	{"/console/recruiters", "nav.recruiters", access.ProgressRead},
	{"/console/posts", "nav.posts", access.PeopleRead},
	{"/console/flags", "nav.flags", access.PeopleRead},
	{"/console/audit", "nav.audit", access.AuditRead},
	{"/console/drives", "nav.drives", access.DrivesWrite},
}

// newShell is the shell for a's page at current (a nav path, "" for
// none), titled by the message id title.
func (c *Console) newShell(r *http.Request, a asker, current, title string) shell {
	s := shell{tr: tr{Lang: a.lang}, SwitchURL: switchURL(r, a.lang)}
	s.Title = s.T(title)
	if a.actor.PersonID != 0 {
		s.Who = c.personName(r, a.actor.PersonID)
	}
	for _, g := range a.actor.Grants {
		s.Grants = append(s.Grants, grantView{Role: s.T("role." + string(g.Role)), Areas: strings.Join(g.Areas, ", ")})
	}
	for _, p := range pages {
		if a.actor.Can(p.need) {
			s.Nav = append(s.Nav, navLink{Href: p.path, Label: s.T(p.label), Current: p.path == current})
		}
	}
	return s
}
