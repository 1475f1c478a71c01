package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"

	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/reports"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/whatsapp"
)

// WhatsAppRecorder turns WhatsApp notifications (one webhook POST each)
// into durable inbox items, people and leads through one group committer:
// the POSTs that arrive together share one transaction (one fsync on
// SQLite), each acknowledged only once it is committed.
type WhatsAppRecorder struct {
	secret  []byte
	writer  *store.GroupCommit[whatsAppPost, []store.WhatsAppResult]
	inbound func(phoneNumberID string, n int)
}

// WhatsAppOptions are a WhatsAppRecorder's optional parts.
type WhatsAppOptions struct {
	// Inbound, if set, is told once a POST is durable how many new
	// messages each business number (phone_number_id) received in it:
	// Meta counts them against the number's send rate.
	Inbound func(phoneNumberID string, n int)
}

// whatsAppPost is one notification's items on their way to the writer:
// senders' numbers already normalised and hashed (in the request's
// goroutine, in parallel), drives not yet chosen (that needs the
// database, in the writer's transaction).
type whatsAppPost struct {
	msgs     []store.WhatsAppMessage
	statuses []store.WhatsAppStatus
}

// NewWhatsAppRecorder starts the WhatsApp writer.
func NewWhatsAppRecorder(db *store.DB, secretKey []byte, o WhatsAppOptions) *WhatsAppRecorder {
	r := &WhatsAppRecorder{secret: secretKey, inbound: o.Inbound}
	r.writer = store.NewGroupCommit(db, store.GroupSpec[whatsAppPost, []store.WhatsAppResult]{
		Name:     "whatsapp",
		Validate: func(whatsAppPost) error { return nil }, // checked when the notification was parsed
		Key:      whatsAppKey,
		Write:    writeWhatsAppPosts,
		Writers:  WhatsAppWriters(db),
	})
	return r
}

// Close commits what is queued and stops the writer.
func (r *WhatsAppRecorder) Close() { r.writer.Close() }

// Record stores notification n's messages, statuses and errors, and kept
// (the inbox items that keep its rejected items for diagnosis), and
// returns once they are durable: one result per message of n, in order.
func (r *WhatsAppRecorder) Record(ctx context.Context, n whatsapp.Notification, kept []store.InboxItem) ([]store.WhatsAppResult, error) {
	p, err := whatsAppItems(n, r.secret)
	if err != nil {
		return nil, err
	}
	for _, it := range kept {
		p.statuses = append(p.statuses, store.WhatsAppStatus{Inbox: it})
	}
	results, err := r.writer.Submit(ctx, p)
	if err != nil {
		return nil, err
	}
	r.countInbound(p.msgs, results)
	return results, nil
}

// countInbound tells Inbound how many of msgs, now durable, were new, by
// business number.
func (r *WhatsAppRecorder) countInbound(msgs []store.WhatsAppMessage, results []store.WhatsAppResult) {
	if r.inbound == nil {
		return
	}
	perNumber := map[string]int{}
	for i, res := range results {
		if !res.Duplicate {
			perNumber[msgs[i].Business]++
		}
	}
	for number, n := range perNumber {
		r.inbound(number, n)
	}
}

// whatsAppItems turns a notification into inbox items: each message under
// its id, each status under (id, status), its own JSON as payload.
func whatsAppItems(n whatsapp.Notification, secretKey []byte) (whatsAppPost, error) {
	msgs := make([]store.WhatsAppMessage, len(n.Messages))
	keyed := store.KeyedHash(secretKey)
	for i, m := range n.Messages {
		msgs[i] = store.WhatsAppMessage{
			Inbox: store.InboxItem{Provider: "whatsapp", Key: m.Key(), Kind: store.KindWhatsAppMessage, Payload: m.Raw},
			WAID:  m.From, BSUID: m.BSUID,
			Business: m.PhoneNumberID, BusinessNumber: m.DisplayPhoneNumber, At: m.Timestamp,
			ErasedID: store.ErasedID(keyed, "whatsapp", m.Key()),
		}
		if p, err := phone.Normalize("+" + m.From); m.From != "" && err == nil {
			msgs[i].Phone, msgs[i].Hashed = p, store.SuppressionHash(secretKey, p)
		}
	}
	var statuses []store.WhatsAppStatus
	for _, s := range n.Statuses {
		payload, err := json.Marshal(s)
		if err != nil {
			return whatsAppPost{}, err
		}
		statuses = append(statuses, store.WhatsAppStatus{
			Inbox:  store.InboxItem{Provider: "whatsapp", Key: s.Key(), Kind: store.KindWhatsAppStatus, Payload: payload},
			Update: reports.WhatsAppUpdate(s), ErasedID: store.ErasedID(keyed, "whatsapp", s.ID)})
	}
	for _, e := range n.Errors {
		payload, _ := json.Marshal(e)
		sum := sha256.Sum256(payload)
		statuses = append(statuses, store.WhatsAppStatus{Inbox: store.InboxItem{Provider: "whatsapp",
			Key: "error:" + hex.EncodeToString(sum[:16]), Kind: "whatsapp_error", Payload: payload, Note: Note(e.Title)}})
	}
	return whatsAppPost{msgs: msgs, statuses: statuses}, nil
}

// whatsAppKey orders a batch's POSTs by their first sender, so concurrent
// batches on PostgreSQL take a person's row locks in one order.
func whatsAppKey(p whatsAppPost) string {
	if len(p.msgs) > 0 {
		return p.msgs[0].WAID + p.msgs[0].BSUID
	}
	if len(p.statuses) > 0 {
		return p.statuses[0].Inbox.Key
	}
	return ""
}

// writeWhatsAppPosts routes and stores a batch of POSTs together, in one
// handful of statements whatever their number, and gives each its own
// results. Storing them together is storing them one after another: the
// first delivery of a message id wins, across POSTs as within one.
func writeWhatsAppPosts(ctx context.Context, tx *store.Tx, posts []whatsAppPost) ([][]store.WhatsAppResult, error) {
	var msgs []store.WhatsAppMessage
	var statuses []store.WhatsAppStatus
	for _, p := range posts {
		msgs, statuses = append(msgs, p.msgs...), append(statuses, p.statuses...)
	}
	look, err := routeWhatsApp(ctx, tx, msgs)
	if err != nil {
		return nil, err
	}
	all, err := store.RecordWhatsAppLooked(ctx, tx, look, msgs, statuses)
	if err != nil {
		return nil, err
	}
	out := make([][]store.WhatsAppResult, len(posts))
	for i, p := range posts {
		out[i], all = all[:len(p.msgs):len(p.msgs)], all[len(p.msgs):]
	}
	return out, nil
}

// routeWhatsApp gives each message the drive whose WhatsApp channel is the
// business number that received it, at the message's time, and returns
// what it read with the numbers' drives (the senders' people: one round
// trip on PostgreSQL).
func routeWhatsApp(ctx context.Context, tx *store.Tx, msgs []store.WhatsAppMessage) (*store.WhatsAppLookup, error) {
	var numbers []string
	for _, m := range msgs {
		if !slices.Contains(numbers, m.BusinessNumber) {
			numbers = append(numbers, m.BusinessNumber)
		}
	}
	look, err := store.LookupWhatsApp(ctx, tx, numbers, msgs)
	if err != nil {
		return nil, err
	}
	for i, m := range msgs {
		at := m.At
		if at.IsZero() {
			at = tx.Now
		}
		if o, day, ok := driveAt(look.Owners, m.BusinessNumber, at); ok {
			msgs[i].Drive, msgs[i].Day = o.DriveID, day
		}
	}
	return look, nil
}
