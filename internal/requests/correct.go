package requests

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/store"
)

// Why a correction was refused.
var (
	ErrName = apperr.New(apperr.Invalid, "Write the person's name as they give it: 2 to 80 characters, with letters.")
	ErrArea = apperr.New(apperr.Invalid, "Choose an assembly constituency in your areas.")
)

// KindCorrect prefixes a correction's request kind, followed by the
// fields it changed ("correct:name", "correct:area", "correct:name,area"):
// what changed, never the values (the person sees their data anyway).
const KindCorrect = "correct:"

// Correct replaces a person's name and area (an AC in the actor's scope)
// at their request, which came by channel, keeping their language,
// through the function /me uses. The audit entry (staff_correct) names
// the fields changed and the area's code, never the name; a request row
// (done, staff by role) shows the person in MY DATA what was changed. The
// person's own later correction simply overwrites it.
func (q *Requests) Correct(ctx context.Context, actor access.Actor, personID int64, name, acCode, channel string) error {
	if !slices.Contains(Channels, channel) {
		return ErrKind
	}
	name = strings.Join(strings.Fields(name), " ")
	if n := utf8.RuneCountInString(name); n < 2 || n > names.MaxLen || !strings.ContainsFunc(name, unicode.IsLetter) || names.HasHidden(name) {
		return ErrName
	}
	if err := q.dir.InScope(ctx, actor, access.PeopleRequests, personID); err != nil {
		return err
	}
	area, err := q.db.GetArea(ctx, acCode)
	if err != nil || area.Kind != "ac" || area.Retired || !store.InScope(actor.Scope(access.PeopleRequests), area) {
		return ErrArea
	}
	return q.db.Update(ctx, func(tx *store.Tx) error {
		p, err := store.GetPerson(ctx, tx, personID)
		if err != nil {
			return err
		}
		var changed []string
		if p.Name != name {
			changed = append(changed, "name")
		}
		if p.AreaID != area.ID {
			changed = append(changed, "area")
		}
		detail := "changed " + strings.Join(changed, ", ")
		if len(changed) == 0 {
			detail = "changed nothing"
		} else {
			row := store.PersonRequest{PersonID: personID, Kind: KindCorrect + strings.Join(changed, ","), Channel: channel, Actor: actor.Label,
				ActorRole: roleOf(actor), State: store.RequestDone, DoneAt: tx.Now}
			if _, err := store.AddPersonRequest(ctx, tx, row); err != nil {
				return err
			}
		}
		return q.people.CorrectDetailsAs(ctx, tx, personID, name, p.Language, area, store.AuditEntry{Actor: actor.Label,
			Scope: actor.ScopeLabel(), Action: "staff_correct", Detail: detail + "; area " + area.Code})
	})
}
