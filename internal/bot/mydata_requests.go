package bot

import (
	"strings"

	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/people"
)

// requestsData lists the requests the person made to staff offline (what,
// how it came, when, by which role, its state), "" when there are none.
func (t *turn) requestsData(d people.Data) string {
	if len(d.Requests) == 0 {
		return ""
	}
	items := make([]string, 0, len(d.Requests))
	for _, q := range d.Requests {
		items = append(items, t.tr("req.kind."+q.Kind)+" ("+t.tr("req.channel."+q.Channel)+", "+q.CreatedAt.In(ist.Zone).Format("02-01-2006")+", "+
			t.tr("req.role."+q.ActorRole)+": "+t.tr("req.state."+q.State)+")")
	}
	return t.tr("mydata.requests", "List", strings.Join(items, "; "))
}
