package directory

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/store"
)

// Query is a people search as staff type it.
type Query struct {
	Drive   string // a drive's slug; "": every drive in scope
	Area    string // an area code: that area and everything under it
	Stage   string // the furthest stage reached (Stages)
	Channel string
	Text    string // a phone number in any common form, or the start of a name
	Cursor  string // where the previous page ended; "": the first page
	Limit   int
}

// Found is a page of a search: rows with their numbers masked, and the
// cursor of the next page ("": this is the last).
type Found struct {
	Rows []store.PersonRow
	Next string
}

// maxSearchText bounds what a search may type: a name or a number.
const maxSearchText = 100

// Search finds the people in the actor's PeopleRead scope that q picks, a
// page at a time. A participation with no area yet is found only by a
// scope covering all of its drive's root area. The search is audited with
// its filters and a keyed hash of its text, never the text.
func (d *Directory) Search(ctx context.Context, actor access.Actor, q Query) (Found, error) {
	scope := actor.Scope(access.PeopleRead)
	if len(scope) == 0 {
		return Found{}, apperr.New(apperr.Forbidden, "Your role does not allow this (it needs %s).", access.PeopleRead)
	}
	sq, err := PeopleFilters(q.Stage, q.Channel)
	if err != nil {
		return Found{}, err
	}
	sq.Scope, sq.Limit = scope, q.Limit
	text := strings.TrimSpace(q.Text)
	if len([]rune(text)) > maxSearchText {
		return Found{}, apperr.New(apperr.Invalid, "Search for a name or a number: at most %d characters.", maxSearchText)
	}
	if p, err := phone.Normalize(text); err == nil && text != "" && !strings.ContainsFunc(text, unicode.IsLetter) {
		sq.Phone = p
	} else if text != "" {
		if sq.NameKey = names.SearchPrefix(text); sq.NameKey == "" {
			return Found{}, apperr.New(apperr.Invalid, "Search for a name or a number.")
		}
	}
	if sq.After, err = d.openCursor(q.Cursor); err != nil {
		return Found{}, err
	}
	if q.Drive != "" {
		if sq.DriveID, err = d.driveInScope(ctx, scope, q.Drive); err != nil {
			return Found{}, err
		}
	}
	var areaID int64
	if q.Area != "" {
		if sq.Scope, areaID, err = d.areaInScope(ctx, scope, q.Area); err != nil {
			return Found{}, err
		}
	}
	if sq.RootOf, err = d.coveredDrives(ctx, sq.Scope); err != nil {
		return Found{}, err
	}
	if sq.Phone != "" {
		if err := d.underPhoneCap(ctx, actor); err != nil {
			return Found{}, err
		}
	}
	rows, next, err := d.db.SearchPeople(ctx, sq)
	if err != nil {
		return Found{}, err
	}
	for i := range rows {
		rows[i].Phone = phone.Mask(rows[i].Phone)
	}
	out := Found{Rows: rows}
	if !next.IsZero() {
		out.Next = d.sealCursor(next)
	}
	// The text is kept as a keyed hash of what was searched for (the
	// number in E.164, the folded name), so one search typed two ways is
	// seen as the same.
	detail := "drive=" + q.Drive + " area=" + q.Area + " stage=" + q.Stage + " channel=" + sq.Channel
	action := "search"
	switch {
	case sq.Phone != "":
		action = searchByPhone
		detail += " phone=" + d.searchHash(sq.Phone)
	case sq.NameKey != "":
		detail += " name=" + d.searchHash(sq.NameKey)
	}
	if q.Cursor != "" {
		detail += " page=next"
	}
	return out, d.audit(ctx, actor, store.AuditEntry{Action: action, AreaID: areaID, Rows: int64(len(rows)), Detail: detail})
}

// PeopleFilters checks a list's stage and channel: the store query they
// make, without its scope.
func PeopleFilters(stage, channel string) (store.PeopleQuery, error) {
	q := store.PeopleQuery{Channel: strings.TrimSpace(channel), Stage: store.Stage(stage)}
	if stage != "" && !slices.Contains(Stages, stage) {
		return q, apperr.New(apperr.Invalid, "stage must be one of %s, not %q", strings.Join(Stages, ", "), stage)
	}
	// The channel goes into the audit as typed: only a channel's name may.
	if q.Channel != "" && !channelName.MatchString(q.Channel) {
		return q, apperr.New(apperr.Invalid, "channel must be a channel's name (missed_call, whatsapp, web, …)")
	}
	return q, nil
}

// channelName is what a channel's name may be.
var channelName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// driveInScope is the id of the drive with slug, when the scope takes part
// in it (access.Meets); another drive is forbidden, as in the progress.
func (d *Directory) driveInScope(ctx context.Context, scope []store.Area, slug string) (int64, error) {
	dr, err := d.db.DriveBySlug(ctx, slug)
	if err != nil {
		return 0, err
	}
	meets, err := access.Meets(ctx, d.db, scope, dr.RootArea)
	if err != nil {
		return 0, err
	}
	if !meets {
		return 0, apperr.New(apperr.Forbidden, "Drive %s is outside your areas.", slug)
	}
	return dr.ID, nil
}

// areaInScope narrows a search to an area the scope covers (a district:
// its ACs, which is where its people are): the scope becomes the area's.
// An area outside is forbidden, as in the progress.
func (d *Directory) areaInScope(ctx context.Context, scope []store.Area, code string) ([]store.Area, int64, error) {
	a, err := d.db.GetArea(ctx, code)
	if err != nil {
		return nil, 0, err
	}
	ok, err := access.CanSee(ctx, d.db, scope, a)
	if err != nil {
		return nil, 0, err
	}
	if !ok {
		return nil, 0, apperr.New(apperr.Forbidden, "%s is outside your areas.", a.Code)
	}
	narrowed, err := d.db.ScopeAreas(ctx, []string{a.Code})
	return narrowed, a.ID, err
}

// coveredDrives are the drives whose whole root area lies in scope: their
// leads with no area yet are visible to it.
func (d *Directory) coveredDrives(ctx context.Context, scope []store.Area) ([]int64, error) {
	drives, err := d.db.Drives(ctx)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, dr := range drives {
		roots, err := d.db.ScopeAreas(ctx, []string{dr.RootArea})
		if err != nil {
			return nil, err
		}
		if store.Covers(scope, roots) {
			out = append(out, dr.ID)
		}
	}
	return out, nil
}

// searchByPhone is the audit action of a search by a whole number, which
// the phone-search cap counts.
const searchByPhone = "search_phone"

// ErrPhoneSearchCap is a staff member who has searched by number as often
// as one may in a day.
var ErrPhoneSearchCap = apperr.New(apperr.RateLimited, "You have searched by phone number as often as one person may in a day. Search by name, or ask an admin.")

// underPhoneCap refuses a search by number once the actor has made their
// day's share (India time), with a metric and a log line naming them.
func (d *Directory) underPhoneCap(ctx context.Context, actor access.Actor) error {
	if d.phoneCap <= 0 {
		return nil
	}
	var n int
	err := d.db.View(ctx, func(tx *store.Tx) error {
		var err error
		n, err = store.CountAuditSince(ctx, tx, actor.Label, searchByPhone, startOfDay(tx.Now))
		return err
	})
	if err != nil {
		return err
	}
	if n >= d.phoneCap {
		d.phoneCapReached.Inc()
		d.log.WarnContext(ctx, "phone search cap reached", "actor", actor.Label, "cap", d.phoneCap)
		return ErrPhoneSearchCap
	}
	return nil
}
