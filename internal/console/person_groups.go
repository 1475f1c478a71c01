package console

import (
	"github.com/jodo-org/jodo/internal/directory"
)

// personGroups are the person page's groups: never their invites.
func personGroups(t tr, p directory.Person) []groupRow {
	var out []groupRow
	for _, g := range p.Groups {
		out = append(out, groupRow{ID: g.ID, Name: g.Name, Kind: t.T("groups.kind." + g.Kind), Language: languageNames([]string{g.Language}, t.Lang),
			Size: g.Size, Area: areaLabel(p.Areas[g.AreaID], t.Lang), Confirmed: when(g.ConfirmedAt), State: t.T("groups.state." + g.State),
			Reason: g.StateReason})
	}
	return out
}
