// Package groups owns the groups register: the WhatsApp and Telegram groups,
// Facebook groups and WhatsApp channels volunteers run. A group is one
// across the installation by a keyed hash of its invite (a key derived from
// JODO_SECRET_KEY for this alone); the invite is kept sealed under another
// derived key and opened only for its owner and admins (Link), never for
// lists, exports, the API, logs or counters. Registering, re-confirming,
// removing, marking invalid, lapsing and ending are guarded state changes
// that move the groups counter at the group's area in the same
// transaction; a first group makes its owner active.
package groups

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/subkey"
)

// ConfirmEvery is how long a group stays live without its owner's
// re-confirmation.
const ConfirmEvery = 30 * 24 * time.Hour

// Sizes are the approximate sizes a group is registered with.
var Sizes = []string{"1-50", "51-100", "101-256", "257-512", "513-1024", "1025+"}

// Groups runs the register for one installation.
type Groups struct {
	hashKey []byte
	sealer  *subkey.Sealer
}

// New returns Groups keyed with the installation's secret key.
func New(secretKey []byte) *Groups {
	return &Groups{hashKey: subkey.Derive(secretKey, "group invite hash"),
		sealer: subkey.NewSealer(subkey.Derive(secretKey, "group invite seal"))}
}

// Registration is a group registered by its owner, on any channel.
type Registration struct {
	PersonID int64
	DriveID  int64
	Link     string // as pasted
	Area     string // an AC or booth of the drive; "": where the volunteer works
	Language string // a handles.Languages code
	Size     string // one of Sizes
	Name     string
	Channel  string // "web", "whatsapp"
}

// Problems are what is wrong with a registration, by field ("link",
// "area", "language", "size", "name", "volunteer"), each a reason code the
// channel words: the link's are ParseInvite's and "taken" (someone has
// registered it: who is never said).
type Problems map[string]string

func (p Problems) Error() string {
	parts := make([]string, 0, len(p))
	for _, f := range slices.Sorted(maps.Keys(p)) {
		parts = append(parts, f+": "+p[f])
	}
	return "cannot register the group: " + strings.Join(parts, "; ")
}

// Unwrap makes Problems an apperr.Invalid.
func (p Problems) Unwrap() error { return apperr.New(apperr.Invalid, "%s", p.Error()) }

// Reasons beside ParseInvite's and drive.WorkArea's.
const (
	Taken        = "taken"
	Missing      = "missing"
	Unknown      = "unknown"
	NotVolunteer = "not_volunteer"
)

// Register stores the group, live, with +1 groups at its area; the owner's
// first group makes them active. Problems come back all at once, with
// nothing written.
func (g *Groups) Register(ctx context.Context, tx *store.Tx, r Registration) (store.Group, error) {
	probs := Problems{}
	inv, reason := ParseInvite(r.Link)
	if reason != "" {
		probs["link"] = reason
	}
	if _, ok := handles.LanguageOf(r.Language); !ok {
		probs["language"] = cmpOr(r.Language == "", Missing, Unknown)
	}
	if !slices.Contains(Sizes, r.Size) {
		probs["size"] = cmpOr(r.Size == "", Missing, Unknown)
	}
	name := strings.Join(strings.Fields(r.Name), " ")
	if n := utf8.RuneCountInString(name); n < 1 || n > 100 || strings.ContainsFunc(name, unicode.IsControl) {
		probs["name"] = Missing
	}
	d, err := store.DriveIn(ctx, tx, r.DriveID)
	if err != nil {
		return store.Group{}, err
	}
	part, home, err := volunteer(ctx, tx, r.PersonID, d.ID)
	if err != nil {
		return store.Group{}, err
	}
	if part.ID == 0 {
		probs["volunteer"] = NotVolunteer
		return store.Group{}, probs
	}
	area := home
	if strings.TrimSpace(r.Area) != "" {
		var why string
		if area, why, err = drive.WorkArea(ctx, tx, d, r.Area); err != nil {
			return store.Group{}, err
		} else if why != "" {
			probs["area"] = why
		}
	}
	if len(probs) > 0 {
		return store.Group{}, probs
	}
	day := drive.Calendar(d).Day(tx.Now)
	grp, err := store.RegisterGroup(ctx, tx, store.Group{DriveID: d.ID, PersonID: r.PersonID, ParticipationID: part.ID, AreaID: area.ID,
		Kind: inv.Kind, CodeHash: g.InviteHash(inv), Name: name, Language: r.Language, Size: r.Size, Channel: r.Channel}, day)
	if apperr.CodeOf(err) == apperr.Conflict {
		return store.Group{}, Problems{"link": Taken}
	}
	if err != nil {
		return store.Group{}, err
	}
	grp.CodeSealed = g.SealInvite(inv, grp.ID)
	if err := store.SetGroupSealed(ctx, tx, grp.ID, grp.CodeSealed); err != nil {
		return store.Group{}, err
	}
	if _, err := store.ReachStage(ctx, tx, part.ID, store.StageActive, 0, part.Channel, day); err != nil {
		return store.Group{}, err
	}
	return grp, store.Audit(ctx, tx, store.AuditEntry{Actor: "self", Action: "group_register", PersonID: r.PersonID, AreaID: area.ID,
		Detail: "group " + strconv.FormatInt(grp.ID, 10) + ", " + inv.Kind + ", drive " + d.Slug})
}

func cmpOr(first bool, a, b string) string {
	if first {
		return a
	}
	return b
}

// InviteHash is what the register finds an invite by: a keyed hash, the
// same for every way of writing the link.
func (g *Groups) InviteHash(inv Invite) string { return subkey.Hash(g.hashKey, inv.Key()) }

// SealInvite is the invite sealed for the group with id, which only its
// owner's pages and the admins open.
func (g *Groups) SealInvite(inv Invite, id int64) string {
	return g.sealer.Seal(inv.Key(), sealContext(id))
}

func sealContext(id int64) string { return "group:" + strconv.FormatInt(id, 10) }

// volunteer is the person's participation in the drive and the area they
// work in, locked while they volunteer (so that their groups and the end
// of their volunteering happen one after the other); a zero participation
// when they do not volunteer there.
func volunteer(ctx context.Context, tx *store.Tx, personID, driveID int64) (store.Participation, store.Area, error) {
	part, err := store.FindParticipation(ctx, tx, personID, driveID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return store.Participation{}, store.Area{}, nil
	}
	if err != nil {
		return store.Participation{}, store.Area{}, err
	}
	if locked, err := store.LockVolunteer(ctx, tx, part.ID); err != nil || !locked {
		return store.Participation{}, store.Area{}, err
	}
	v, err := store.VolunteerOf(ctx, tx, part.ID)
	if err != nil || !v.EndedAt.IsZero() {
		return store.Participation{}, store.Area{}, err
	}
	home, err := store.AreaByID(ctx, tx, v.AreaID)
	return part, home, err
}

// Link opens a group's invite for its owner (personID) or for an admin
// (the caller checks the role): "" for an ended group.
func (g *Groups) Link(ctx context.Context, tx *store.Tx, grp store.Group) (string, error) {
	if grp.CodeSealed == "" {
		return "", nil
	}
	key, err := g.sealer.Open(grp.CodeSealed, sealContext(grp.ID))
	if errors.Is(err, subkey.ErrSealed) {
		return "", nil // sealed under another JODO_SECRET_KEY (docs/volunteers.md, Key rotation)
	}
	if err != nil {
		return "", err
	}
	kind, code, _ := strings.Cut(key, ":")
	return Invite{Kind: kind, Code: code}.Link(), nil
}

// Confirm is the owner's re-confirmation of their group: its 30 days start
// again; a lapsed group is live again (+1). Someone else's group is not
// found.
func (g *Groups) Confirm(ctx context.Context, tx *store.Tx, personID, groupID int64) (store.Group, error) {
	grp, err := owned(ctx, tx, personID, groupID)
	if err != nil {
		return grp, err
	}
	d, err := store.DriveIn(ctx, tx, grp.DriveID)
	if err != nil {
		return grp, err
	}
	grp, _, err = store.ConfirmGroup(ctx, tx, groupID, drive.Calendar(d).Day(tx.Now))
	return grp, err
}

// Remove is the owner taking their group off the register (-1 if live).
func (g *Groups) Remove(ctx context.Context, tx *store.Tx, personID, groupID int64) (store.Group, error) {
	if _, err := owned(ctx, tx, personID, groupID); err != nil {
		return store.Group{}, err
	}
	return end(ctx, tx, groupID, []string{store.GroupLive, store.GroupLapsed}, store.GroupRemoved, "self", "")
}

// owned is the person's own group; anyone else's is not found.
func owned(ctx context.Context, tx *store.Tx, personID, groupID int64) (store.Group, error) {
	grp, err := store.GetGroup(ctx, tx, groupID)
	if err == nil && grp.PersonID != personID {
		err = apperr.New(apperr.NotFound, "group %d not found", groupID)
	}
	return grp, err
}

// end moves a group to state to (from one of from) on its drive's day,
// and audits the change when there was one.
func end(ctx context.Context, tx *store.Tx, groupID int64, from []string, to, by, reason string) (store.Group, error) {
	grp, err := store.GetGroup(ctx, tx, groupID)
	if err != nil {
		return grp, err
	}
	d, err := store.DriveIn(ctx, tx, grp.DriveID)
	if err != nil {
		return grp, err
	}
	grp, changed, err := store.EndGroupState(ctx, tx, groupID, from, to, by, reason, drive.Calendar(d).Day(tx.Now))
	if err != nil || !changed {
		return grp, err
	}
	return grp, store.Audit(ctx, tx, store.AuditEntry{Actor: by, Action: "group_" + to, PersonID: grp.PersonID, AreaID: grp.AreaID,
		Reason: reason, Detail: "group " + strconv.FormatInt(groupID, 10)})
}

// EndAll ends every group of a person (their volunteering ended, their
// membership ended, they were erased): -1 for each live one, and the
// invites forgotten, so that someone else may register them.
func EndAll(ctx context.Context, tx *store.Tx, personID int64, by, why string) error {
	gs, err := store.GroupsOf(ctx, tx, personID)
	if err != nil {
		return err
	}
	for _, grp := range gs {
		if grp.State == store.GroupEnded {
			continue
		}
		if _, err := end(ctx, tx, grp.ID, []string{store.GroupLive, store.GroupLapsed, store.GroupInvalid, store.GroupRemoved},
			store.GroupEnded, by, why); err != nil {
			return err
		}
	}
	return nil
}

// Lapse lapses up to limit live groups not confirmed within ConfirmEvery
// of now (-1 each): what the periodic sweep runs. A group lapses once,
// however often the sweep runs; its owner may confirm it again later.
func Lapse(ctx context.Context, tx *store.Tx, now time.Time, limit int) (int, error) {
	due, err := store.GroupsDue(ctx, tx, now.Add(-ConfirmEvery), limit)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, grp := range due {
		// Locked and read again: a confirmation committed since the list
		// was read keeps the group live.
		if grp, err = store.LockGroup(ctx, tx, grp.ID); err != nil {
			return n, err
		}
		if grp.State != store.GroupLive || !grp.ConfirmedAt.Before(now.Add(-ConfirmEvery)) {
			continue
		}
		ended, err := end(ctx, tx, grp.ID, []string{store.GroupLive}, store.GroupLapsed, "system", "not re-confirmed in 30 days")
		if err != nil {
			return n, err
		}
		if ended.State == store.GroupLapsed {
			n++
		}
	}
	return n, nil
}

// MarkInvalid is a coordinator marking a group invalid (a dead or fake
// link), with a reason, audited: -1 if it was live. It needs
// access.GroupsManage over the group's area; a group outside the scope is
// not found.
func (g *Groups) MarkInvalid(ctx context.Context, tx *store.Tx, actor access.Actor, groupID int64, reason string) (store.Group, error) {
	scope := actor.Scope(access.GroupsManage)
	if len(scope) == 0 {
		return store.Group{}, apperr.New(apperr.Forbidden, "Your role does not allow this (it needs %s).", access.GroupsManage)
	}
	reason = strings.Join(strings.Fields(reason), " ")
	if n := utf8.RuneCountInString(reason); n < 5 || n > 200 {
		return store.Group{}, apperr.New(apperr.Invalid, "Give a reason of 5 to 200 characters.")
	}
	grp, err := store.GetGroup(ctx, tx, groupID)
	if err != nil {
		return grp, err
	}
	area, err := store.AreaByID(ctx, tx, grp.AreaID)
	if err != nil {
		return grp, err
	}
	if !store.InScope(scope, area) {
		return store.Group{}, apperr.New(apperr.NotFound, "group %d not found", groupID)
	}
	return end(ctx, tx, groupID, []string{store.GroupLive, store.GroupLapsed}, store.GroupInvalid, actor.Label, reason)
}
