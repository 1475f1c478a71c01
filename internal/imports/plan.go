package imports

import (
	"time"

	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/store"
)

// Outcome is what a row did, or would do.
type Outcome int

// The outcomes --dry-run reports and an import counts.
const (
	RowNew       Outcome = iota // a person Jodo did not know
	RowUpdated                  // someone known: joined the drive, or gaps filled
	RowUnchanged                // someone known who has everything the row gives
	RowRefused                  // an erased person's or an under-18 refusal's number
)

// NoticeVersion is what consents an import grants record as the notice:
// the person has seen none of Jodo's yet (Notify sends them one).
const NoticeVersion = "import"

// known is what the database holds for a row's phone: the live person
// holding it, if any, and whether the number is suppressed.
type known struct {
	match      store.ImportMatch
	matched    bool
	suppressed bool
}

// plan applies the merge rules to one row. A person's own answers always
// win over a list: someone already in the drive keeps the stage they
// reached and every consent they gave, and only details they lack are
// filled in. number is a fresh membership number, used only when the row
// makes someone a member who has none.
func plan(imp store.Import, r store.StagedRow, k known, number string) (store.ImportedPerson, Outcome) {
	if !k.matched && k.suppressed {
		return store.ImportedPerson{}, RowRefused
	}
	p := store.ImportedPerson{Line: r.Line}
	if !k.matched {
		p.Phone, p.Name, p.NameKeys, p.Language, p.AreaID, p.LegacyNo = r.Phone, r.Name, names.SearchKeys(r.Name),
			r.Language, r.AreaID, r.LegacyNo
		join(&p, imp, r, number)
		return p, RowNew
	}
	m := k.match
	p.PersonID = m.PersonID
	if m.Name == "" && r.Name != "" {
		p.Name, p.NameKeys = r.Name, names.SearchKeys(r.Name)
	}
	if m.Language == "" {
		p.Language = r.Language
	}
	if m.AreaID == 0 {
		p.AreaID = r.AreaID
	}
	if m.LegacyNo == "" {
		p.LegacyNo = r.LegacyNo
	}
	if !m.InDrive {
		join(&p, imp, r, "")
		if p.Registered && m.MembershipNo == "" {
			p.MembershipNo = number // kept otherwise: the store gives a number only to who has none
		}
		return p, RowUpdated
	}
	if p.Name+p.Language+p.LegacyNo == "" && p.AreaID == 0 {
		return p, RowUnchanged
	}
	return p, RowUpdated
}

// join makes p a participant of the drive as the row says: a lead, a
// member when the row declares the person 18 or over, a volunteer when it
// also says volunteer, with the consents the file's evidence grants.
func join(p *store.ImportedPerson, imp store.Import, r store.StagedRow, number string) {
	p.Join, p.AreaID = true, r.AreaID
	p.Registered = r.Adult
	p.Volunteer = r.Adult && r.Volunteer
	if p.Registered {
		p.MembershipNo = number
	}
	if p.Volunteer {
		p.Languages = r.Languages
	}
	evidence := r.ConsentEvidence
	if evidence == "" {
		evidence = imp.Source
	}
	grant := func(purpose string) {
		p.Consents = append(p.Consents, store.Consent{Purpose: purpose, NoticeVersion: NoticeVersion, Language: r.Language,
			Channel: store.ChannelImport, Evidence: store.ImportEvidence(imp.ID) + evidence, GrantedAt: consentDate(r.ConsentDate)})
	}
	if p.Registered {
		grant(store.PurposeMembership)
	}
	if p.Volunteer {
		grant(store.PurposeVolunteer)
	}
	if r.WhatsAppOptIn {
		grant(store.PurposeWhatsApp)
	}
	if r.SMSOptIn {
		grant(store.PurposeSMS)
	}
}

// consentDate is when the file says consent was given (zero: not said,
// so when the import records it).
func consentDate(day string) time.Time {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return time.Time{}
	}
	return t
}
