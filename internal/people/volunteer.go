package people

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/posts"
	"github.com/jodo-org/jodo/internal/store"
)

// Volunteering is a member stepping up in a drive, the same whichever
// channel gathered it (/me, the bot): they read the volunteer notice and
// agreed to it (the volunteer consent, apart from membership's), and say
// where they will work, in which languages, and on which platforms.
type Volunteering struct {
	PersonID      int64
	DriveID       int64
	Agreed        bool     // they agreed to the volunteer notice
	Area          string   // an AC or a booth of the drive
	Languages     []string // handles.Languages codes
	Handles       map[string]string
	NoticeVersion string // the volunteer notice shown
	Language      string // its language
	Channel       string // "web", "whatsapp"
	Evidence      string // what shows the consent ("me", "whatsapp:wamid…")
	Proof         Proof  // ByChat: the chat proves the phone; 0: a phone proven before (a sign-in code)
}

// Problems are what is wrong with what a person gave, by field ("area",
// "languages", "handle.instagram", "consent", "member", "phone"), each a
// reason code the channel words in the person's language: a handle's are
// handles.Error's reasons and "taken" (someone else holds it: who is never
// said).
type Problems map[string]string

func (p Problems) Error() string {
	parts := make([]string, 0, len(p))
	for _, field := range slices.Sorted(maps.Keys(p)) {
		parts = append(parts, field+": "+p[field])
	}
	return "cannot volunteer: " + strings.Join(parts, "; ")
}

// Unwrap makes Problems an apperr.Invalid.
func (p Problems) Unwrap() error { return apperr.New(apperr.Invalid, "%s", p.Error()) }

// Reasons for Problems beside handles.Error's.
const (
	ReasonMissing   = "missing" // consent not given, no language chosen
	ReasonUnknown   = "unknown" // no such area or language
	ReasonNotInArea = drive.AreaNotDrive
	ReasonAreaKind  = drive.AreaNotAC
	ReasonTaken     = "taken"      // a handle someone else holds
	ReasonNotYours  = "not_yours"  // a WhatsApp number that is not the person's own
	ReasonNotMember = "not_member" // only a registered member volunteers
	ReasonUnproven  = "unproven"   // the phone must be proven first
)

// Volunteer makes v's person a volunteer of the drive, or updates what a
// volunteer gave: the volunteer consent, their handles (validated and
// normalised, unique per platform), the volunteer stage counted once at
// their area, and an audit entry. What is wrong comes back as Problems,
// all at once, with nothing written. started is false for a volunteer
// already (an update, or the same form posted twice).
func (p *People) Volunteer(ctx context.Context, tx *store.Tx, v Volunteering) (started bool, err error) {
	probs := Problems{}
	langs := checkLanguages(v.Languages, probs)
	hs := checkHandles(v.Handles, probs)
	if !v.Agreed {
		probs["consent"] = ReasonMissing
	}
	d, err := store.DriveIn(ctx, tx, v.DriveID)
	if err != nil {
		return false, err
	}
	area, reason, err := drive.WorkArea(ctx, tx, d, v.Area)
	if err != nil {
		return false, err
	}
	if reason != "" {
		probs["area"] = reason
	}
	part, err := p.member(ctx, tx, v, d, probs)
	if err != nil || len(probs) > 0 {
		return false, orProblems(err, probs)
	}
	if err := ownWhatsApp(ctx, tx, v.PersonID, hs, probs); err != nil || len(probs) > 0 {
		return false, orProblems(err, probs)
	}
	taken, err := store.SetHandles(ctx, tx, v.PersonID, hs)
	if err != nil {
		return false, err
	}
	for _, platform := range taken {
		probs["handle."+platform] = ReasonTaken
	}
	if len(probs) > 0 {
		return false, probs
	}
	err = store.GrantConsent(ctx, tx, store.Consent{PersonID: v.PersonID, Purpose: store.PurposeVolunteer, NoticeVersion: v.NoticeVersion,
		Language: v.Language, Channel: v.Channel, Evidence: v.Evidence})
	if err != nil {
		return false, err
	}
	day := drive.Calendar(d).Day(tx.Now)
	started, err = store.StartVolunteering(ctx, tx, store.Volunteer{ParticipationID: part.ID, AreaID: area.ID, Languages: langs, Channel: v.Channel}, day)
	if err != nil {
		return false, err
	}
	action := "volunteer_update"
	if started {
		action = "volunteer"
	}
	return started, store.Audit(ctx, tx, store.AuditEntry{Actor: ActorSelf, Action: action, PersonID: v.PersonID, AreaID: area.ID,
		Detail: "drive " + d.Slug + ", on " + v.Channel})
}

func orProblems(err error, probs Problems) error {
	if err != nil {
		return err
	}
	return probs
}

// checkLanguages keeps the known languages, each once, in the list's order.
func checkLanguages(codes []string, probs Problems) []string {
	var out []string
	for _, l := range handles.Languages {
		if slices.Contains(codes, l.Code) {
			out = append(out, l.Code)
		}
	}
	switch {
	case slices.ContainsFunc(codes, func(c string) bool { _, ok := handles.LanguageOf(c); return !ok }):
		probs["languages"] = ReasonUnknown
	case len(out) == 0:
		probs["languages"] = ReasonMissing
	}
	return out
}

// checkHandles normalises each handle given (an empty one is no handle).
func checkHandles(given map[string]string, probs Problems) []store.Handle {
	var out []store.Handle
	for _, platform := range slices.Sorted(maps.Keys(given)) {
		if strings.TrimSpace(given[platform]) == "" {
			continue
		}
		h, err := handles.Normalise(platform, given[platform])
		if herr, ok := err.(*handles.Error); ok {
			probs["handle."+platform] = herr.Reason
			continue
		} else if err != nil {
			probs["handle."+platform] = ReasonUnknown
			continue
		}
		out = append(out, store.Handle{Platform: platform, Handle: h})
	}
	return out
}

// member is the person's participation in the drive, which must be a
// registered member's with a proven phone: proven before (the verified
// stage, or a sign-in code), or by the chat this comes through, in which
// case the verified stage is reached now.
func (p *People) member(ctx context.Context, tx *store.Tx, v Volunteering, d store.Drive, probs Problems) (store.Participation, error) {
	part, err := store.FindParticipation(ctx, tx, v.PersonID, d.ID)
	if apperr.CodeOf(err) == apperr.NotFound || (err == nil && part.RegisteredAt.IsZero()) {
		probs["member"] = ReasonNotMember
		return part, nil
	}
	if err != nil || !part.VerifiedAt.IsZero() {
		return part, err
	}
	proven, err := phoneProven(ctx, tx, v.PersonID, v.Proof)
	if err != nil {
		return part, err
	}
	if !proven {
		probs["phone"] = ReasonUnproven
		return part, nil
	}
	day := drive.Calendar(d).Day(tx.Now)
	return part, p.verify(ctx, tx, part, 0, day)
}

// ownWhatsApp refuses a WhatsApp handle that is not one of the person's
// own numbers (their phone, or the number of the chat they write from): a
// WhatsApp handle is a phone number, and nobody gives Jodo someone else's,
// nor learns whether a number volunteers by trying it.
func ownWhatsApp(ctx context.Context, tx *store.Tx, personID int64, hs []store.Handle, probs Problems) error {
	i := slices.IndexFunc(hs, func(h store.Handle) bool { return h.Platform == "whatsapp" })
	if i < 0 {
		return nil
	}
	contacts, err := store.Contacts(ctx, tx, personID)
	if err != nil {
		return err
	}
	own := slices.ContainsFunc(contacts, func(c store.Contact) bool {
		return (c.Kind == store.ContactPhone && c.Value == hs[i].Handle) || (c.Kind == store.ContactWAID && "+"+c.Value == hs[i].Handle)
	})
	if !own {
		probs["handle.whatsapp"] = ReasonNotYours
	}
	return nil
}

// phoneProven reports whether a phone of the person's was proven before
// (a sign-in code verifies the phone it went to), or is proven by proof now.
func phoneProven(ctx context.Context, tx *store.Tx, personID int64, proof Proof) (bool, error) {
	contacts, err := store.Contacts(ctx, tx, personID)
	if err != nil {
		return false, err
	}
	if slices.ContainsFunc(contacts, func(c store.Contact) bool { return c.Kind == store.ContactPhone && !c.VerifiedAt.IsZero() }) {
		return true, nil
	}
	if proof == 0 {
		return false, nil
	}
	return provePhone(ctx, tx, personID, proof, "", contacts)
}

// WithdrawVolunteering is the volunteer consent withdrawn (ChangeConsent):
// the person stops volunteering in every drive, with -1 volunteers where
// each +1 landed, their posts vacated and their handles deleted; the
// membership stays.
func (p *People) WithdrawVolunteering(ctx context.Context, tx *store.Tx, personID int64, channel string) error {
	if err := p.endVolunteering(ctx, tx, personID, true, store.VolunteeringEnded); err != nil {
		return err
	}
	return p.changeConsent(ctx, tx, ConsentChange{PersonID: personID, Purpose: store.PurposeVolunteer, Channel: channel, Detail: store.PurposeVolunteer})
}

// endVolunteering ends everything that hangs on the person's volunteering,
// because why: their posts are vacated (each -1 office_bearers, audited),
// their volunteering ends in every drive (-1 volunteers only when count:
// they withdrew; a membership ended or data erased leaves the joins
// already counted), and their handles go.
func (p *People) endVolunteering(ctx context.Context, tx *store.Tx, personID int64, count bool, why string) error {
	vs, err := store.VolunteeringOf(ctx, tx, personID)
	if err != nil {
		return err
	}
	for _, v := range vs {
		if !v.EndedAt.IsZero() {
			continue
		}
		d, err := store.DriveIn(ctx, tx, v.DriveID)
		if err != nil {
			return err
		}
		day := drive.Calendar(d).Day(tx.Now)
		ended, err := store.EndVolunteering(ctx, tx, v.ParticipationID, count, day)
		if err != nil {
			return err
		}
		if ended {
			err = store.Audit(ctx, tx, store.AuditEntry{Actor: ActorSelf, Action: "volunteer_end", PersonID: personID, AreaID: v.AreaID,
				Detail: "drive " + d.Slug + ", " + why})
			if err != nil {
				return err
			}
		}
	}
	// After the volunteering ended (its rows locked): an appointment that
	// committed meanwhile is seen here, and vacated.
	if err := posts.VacateAll(ctx, tx, personID, ActorSelf, why); err != nil {
		return err
	}
	if err := groups.EndAll(ctx, tx, personID, ActorSelf, why); err != nil {
		return err
	}
	return store.DeleteHandles(ctx, tx, personID)
}
