package intake

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/store"
)

// Notes on calls kept without making a lead.
const (
	NoteNoDrive = "no drive owns the called number at the time of the call"
	NoteNoTo    = "the provider sent no called number and the URL's secret names no channel"
	// NoteCountry: the installation serves other countries (JODO_COUNTRIES).
	NoteCountry = "caller number is from a country this installation does not serve"
)

// noteBytes bounds the note stored with an inbox item: room for a reason.
const noteBytes = 500

// Note is reason as an inbox item's note: text both engines store
// (store.StorableText), at most noteBytes.
func Note(reason string) string { return store.StorableText(reason, noteBytes) }

// Recorder turns parsed calls into durable leads through one group
// committer: a call is acknowledged only once its rows have committed.
type Recorder struct {
	secret    []byte
	countries phone.Countries
	writer    *store.GroupCommit[pendingCall, store.CallResult]
	now       func() time.Time
}

// pendingCall is a call on its way to the writer: numbers already
// normalised (in the request's goroutine, in parallel), drive not yet
// chosen (that needs the database, in the writer's transaction).
type pendingCall struct {
	rec      store.CallRecord
	to       string // called number, E.164; "" if unknown
	at       time.Time
	received time.Time
}

// Followups queues the SMS that follows a call, in the call's transaction
// (followup.Composer).
type Followups interface {
	Queue(ctx context.Context, tx *store.Tx, who []store.PersonDrive) error
	// FollowsUp says which drives (id → version read in tx) follow calls
	// up, so that their new participations are made claimed.
	FollowsUp(ctx context.Context, tx *store.Tx, drives map[int64]int) (map[int64]bool, error)
	// Skip counts the follow-ups of who as not sent, where FollowsUp said
	// none of their drives follows up, without tx (it has committed).
	Skip(who []store.PersonDrive)
}

// Options are a Recorder's optional parts.
type Options struct {
	Followups Followups // nil: calls get no follow-up
	Committed func()    // runs after each commit (wakes the outbox sender)
	// Countries are those served (JODO_COUNTRIES; empty: India): callers
	// from elsewhere are kept with NoteCountry, without a lead or SMS.
	Countries phone.Countries
}

// NewRecorder starts the call writer.
func NewRecorder(db *store.DB, secretKey []byte, o Options) *Recorder {
	r := &Recorder{secret: secretKey, countries: o.Countries, now: db.Now}
	r.writer = store.NewGroupCommit(db, store.GroupSpec[pendingCall, store.CallResult]{
		Name:     "missed_calls",
		Validate: func(p pendingCall) error { return store.ValidateInboxItem(p.rec.Inbox) },
		Key:      func(p pendingCall) string { return p.rec.Inbox.Provider + "\x00" + p.rec.Inbox.Key },
		Write: func(ctx context.Context, tx *store.Tx, calls []pendingCall) ([]store.CallResult, error) {
			return writeCalls(ctx, tx, calls, o.Followups)
		},
		Committed: o.Committed,
		Writers:   callWriters,
	})
	return r
}

// Close commits what is queued and stops the writer.
func (r *Recorder) Close() { r.writer.Close() }

// Record stores call c, whose raw request was raw, and returns once it is
// durable. to overrides the call's called number (MyOperator sends none:
// the channel whose secret was in the URL stands for it).
func (r *Recorder) Record(ctx context.Context, c Call, raw []byte, to string) (store.CallResult, error) {
	p := pendingCall{
		rec: store.CallRecord{Inbox: store.InboxItem{Provider: c.Provider, Key: c.CallID, Kind: "call", Payload: raw}},
		at:  c.At, received: r.now(),
	}
	if to == "" {
		to = c.To
	}
	p.to, _ = phone.Normalize(to)
	caller, err := phone.Normalize(c.From)
	switch {
	case err != nil:
		p.rec.Inbox.Note = fmt.Sprintf("caller number is not valid: %v", err)
	case !phone.IsMobile(caller):
		p.rec.Inbox.Note = "caller number is not a mobile number"
	case !r.serves(caller):
		p.rec.Inbox.Note = NoteCountry
	default:
		p.rec.Phone = caller
		p.rec.Hashed = store.SuppressionHash(r.secret, caller)
	}
	if p.rec.Inbox.Note == "" && p.to == "" {
		p.rec.Inbox.Note = NoteNoTo
	}
	return r.writer.Submit(ctx, p)
}

func (r *Recorder) serves(e164 string) bool {
	_, ok := r.countries.Serves(e164)
	return ok
}

// effectiveTime trusts the provider's call time within a day of receipt
// (providers queue and retry), and otherwise the time it reached us.
func effectiveTime(at, received time.Time) time.Time {
	if at.IsZero() || at.Sub(received).Abs() > 24*time.Hour {
		return received
	}
	return at
}

// writeCalls routes a batch of calls to their drives, records them and
// queues their follow-ups.
func writeCalls(ctx context.Context, tx *store.Tx, calls []pendingCall, f Followups) ([]store.CallResult, error) {
	var numbers []string
	for _, c := range calls {
		if c.to != "" && !slices.Contains(numbers, c.to) {
			numbers = append(numbers, c.to)
		}
	}
	recs := make([]store.CallRecord, len(calls))
	for i, c := range calls {
		recs[i] = c.rec
	}
	look, err := store.LookupCalls(ctx, tx, "missed_call", numbers, recs)
	if err != nil {
		return nil, err
	}
	drives := map[int64]int{}
	for i, c := range calls {
		recs[i] = route(c, look.Owners)
		if recs[i].Drive != 0 {
			drives[recs[i].Drive] = versionOf(look.Owners, recs[i].Drive)
		}
	}
	followed := false // a call of the batch is followed up: statements follow RecordCalls
	if f != nil && len(drives) > 0 {
		follows, err := f.FollowsUp(ctx, tx, drives)
		if err != nil {
			return nil, err
		}
		for i := range recs {
			recs[i].FollowUp = follows[recs[i].Drive]
			followed = followed || recs[i].FollowUp
		}
	}
	record := store.RecordCalls
	if !followed {
		record = store.RecordCallsLast // on PostgreSQL, COMMIT goes with the calls' statement
	}
	out, err := record(ctx, tx, recs, look)
	if err != nil || f == nil {
		return out, err
	}
	var who []store.PersonDrive
	for i, res := range out {
		if !res.Duplicate && res.Note == "" && res.PersonID != 0 {
			who = append(who, store.PersonDrive{PersonID: res.PersonID, DriveID: recs[i].Drive, Phone: recs[i].Phone,
				DriveVersion: versionOf(look.Owners, recs[i].Drive), Participation: res.Claimed})
		}
	}
	if !followed {
		f.Skip(who)
		return out, nil
	}
	if err := f.Queue(ctx, tx, who); err != nil {
		return nil, err
	}
	return out, nil
}

// versionOf is the version of drive among owners, as LookupCalls read it
// in the batch's transaction (0 if it is not there).
func versionOf(owners []store.ChannelDrive, drive int64) int {
	for _, o := range owners {
		if o.DriveID == drive {
			return o.Version
		}
	}
	return 0
}

// route picks the drive whose channel owns the called number and whose
// window contains the call's time.
func route(c pendingCall, owners []store.ChannelDrive) store.CallRecord {
	rec := c.rec
	rec.At = effectiveTime(c.at, c.received)
	if rec.Inbox.Note != "" {
		return rec
	}
	if o, day, ok := driveAt(owners, c.to, rec.At); ok {
		rec.Drive, rec.Day = o.DriveID, day
		return rec
	}
	rec.Inbox.Note = NoteNoDrive
	return rec
}

// driveAt is the owner of number whose window, in its own time zone,
// contains at, and that drive-local day.
func driveAt(owners []store.ChannelDrive, number string, at time.Time) (store.ChannelDrive, string, bool) {
	for _, o := range owners {
		if o.Number != number {
			continue
		}
		loc, err := drive.Zone(o.Timezone)
		if err != nil {
			continue
		}
		if day := drive.DayOf(at, loc); day >= o.StartsOn && day <= o.EndsOn {
			return o, day, true
		}
	}
	return store.ChannelDrive{}, "", false
}

// Keep stores a webhook item that is not a readable call, with why, so
// nothing a provider sent is lost.
func (r *Recorder) Keep(ctx context.Context, provider, key string, raw []byte, note string) error {
	p := pendingCall{rec: store.CallRecord{Inbox: store.InboxItem{Provider: provider, Key: key, Kind: "unreadable", Payload: raw, Note: note}}, received: r.now()}
	_, err := r.writer.Submit(ctx, p)
	return err
}
