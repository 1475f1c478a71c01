package bot

import (
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/people"
)

// myDataGroups is how many groups MY DATA names, so that it fits one
// message (the count says how many there are; /me lists them all).
const myDataGroups = 15

// groupsData is MY DATA's part on groups, referrals and imports: how
// many groups the person registered and each one's name and state (never
// its invite: MY GROUPS shows that), their referral code and what it
// brought, per drive, the import that brought them in and the number its
// list gave them, and what their web registrations came from (the
// network, kept 30 days); "" when they have none of these.
func (t *turn) groupsData(d people.Data) (string, error) {
	var parts []string
	if len(d.Groups) > 0 {
		names := make([]string, 0, len(d.Groups))
		for _, g := range d.Groups[:min(len(d.Groups), myDataGroups)] {
			names = append(names, g.Name+" ("+t.tr("grp.state."+g.State)+")")
		}
		if len(d.Groups) > myDataGroups {
			names = append(names, "…")
		}
		parts = append(parts, t.tr("mydata.groups", "Count", strconv.Itoa(len(d.Groups)), "List", strings.Join(names, ", ")))
	}
	if d.ReferralCode != "" {
		parts = append(parts, t.tr("mydata.referral", "Code", d.ReferralCode))
	}
	if d.Origin.ImportID != 0 {
		parts = append(parts, t.tr("mydata.import", "Source", d.Origin.Source, "Date", d.Origin.Day))
	}
	if d.Origin.LegacyNo != "" {
		parts = append(parts, t.tr("mydata.legacy", "Legacy", d.Origin.LegacyNo))
	}
	for _, c := range d.Credits {
		dr, err := t.e.drive(t.ctx, c.DriveID)
		if err != nil {
			return "", err
		}
		parts = append(parts, t.tr("mydata.credits", "Drive", dr.nameIn(t.speaking()),
			"Direct", strconv.FormatInt(c.Direct, 10), "Indirect", strconv.FormatInt(c.Indirect, 10)))
	}
	for _, m := range d.Marks {
		at := m.At.In(ist.Zone)
		line := t.tr("mydata.mark", "Network", m.Network, "Date", at.Format("02-01-2006"), "Until", at.AddDate(0, 0, 30).Format("02-01-2006"))
		if m.Device != "" {
			line += " " + t.tr("mydata.mark.device")
		}
		parts = append(parts, line)
	}
	return strings.Join(parts, "\n"), nil
}
