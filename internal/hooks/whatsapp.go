package hooks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"

	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/reports"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/whatsapp"
)

// maxWhatsAppBody is Meta's limit on a webhook POST (3 MB), with room.
const maxWhatsAppBody = 4 << 20

// whatsappVerify answers Meta's subscription handshake.
func (h *Hooks) whatsappVerify(w http.ResponseWriter, r *http.Request) {
	if h.waVerifyToken == "" {
		h.unconfigured(w, r, "whatsapp")
		return
	}
	challenge, ok := whatsapp.VerifyChallenge(r.URL.Query(), h.waVerifyToken)
	if !ok {
		h.rejected.WithLabelValues("whatsapp", "verify_token").Inc()
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, challenge)
}

// whatsappEvents receives Meta's notifications: a POST without a
// well-formed signature is refused unread, the signature is checked over
// the raw body before anything is parsed (401 and nothing stored
// otherwise), every message and status is stored, deduplicated, and only
// then is the POST acknowledged.
func (h *Hooks) whatsappEvents(w http.ResponseWriter, r *http.Request) {
	if h.waAppSecret == "" {
		h.unconfigured(w, r, "whatsapp")
		return
	}
	header := r.Header.Get("X-Hub-Signature-256")
	if err := whatsapp.CheckSignatureHeader(header); err != nil {
		h.waUnsigned(w)
		return
	}
	raw, err := h.readUnverified(w, r, maxWhatsAppBody)
	if errors.Is(err, errBusy) {
		respond.Error(w, r, h.log, err)
		return
	}
	if err != nil {
		h.waUnsigned(w) // what was not read whole cannot be verified
		return
	}
	if err := whatsapp.VerifySignature([]byte(h.waAppSecret), raw, header); err != nil {
		h.waUnsigned(w)
		return
	}
	n, err := whatsapp.Parse(raw)
	if err != nil {
		h.malformed(w, r, "whatsapp", raw, err)
		return
	}
	msgs, statuses, err := whatsappItems(n, h.secretKey)
	if err != nil {
		respond.Error(w, r, h.log, err)
		return
	}
	statuses = append(statuses, h.waRejected(n.Rejected)...)
	results, err := h.storeWhatsApp(r.Context(), WhatsAppPost{msgs: msgs, statuses: statuses, parsed: n.Messages})
	if err != nil {
		respond.Error(w, r, h.log, err)
		return
	}
	perNumber := map[string]int{}
	for i, res := range results {
		if !res.Duplicate {
			perNumber[msgs[i].Business]++
		}
		outcome := "known"
		switch {
		case res.Duplicate:
			outcome = "duplicate"
		case res.Note != "":
			outcome = "kept"
		case res.NewLead:
			outcome = "lead"
		}
		h.waMessages.WithLabelValues(outcome).Inc()
	}
	if h.waInbound != nil {
		for number, n := range perNumber {
			h.waInbound(number, n)
		}
	}
	ok(w)
}

func (h *Hooks) waUnsigned(w http.ResponseWriter) {
	h.rejected.WithLabelValues("whatsapp", "signature").Inc()
	http.Error(w, "signature does not match", http.StatusUnauthorized)
}

// waRejected are the inbox items that keep a signed body's rejected items
// (whatsapp.Rejected) for diagnosis, within the cap on kept malformed
// items: stored processed, with the reason, for no worker.
func (h *Hooks) waRejected(rs []whatsapp.Rejected) []store.WhatsAppStatus {
	var out []store.WhatsAppStatus
	for _, rj := range rs {
		h.rejected.WithLabelValues("whatsapp", "malformed").Inc()
		if it, ok := h.unreadable("whatsapp", rj.Raw, rj.Reason); ok {
			out = append(out, store.WhatsAppStatus{Inbox: it})
		}
	}
	return out
}

// whatsappItems turns a notification into inbox items: each message under
// its id, each status under (id, status), its own JSON as payload.
func whatsappItems(n whatsapp.Notification, secretKey []byte) ([]store.WhatsAppMessage, []store.WhatsAppStatus, error) {
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
			return nil, nil, err
		}
		statuses = append(statuses, store.WhatsAppStatus{
			Inbox:  store.InboxItem{Provider: "whatsapp", Key: s.Key(), Kind: store.KindWhatsAppStatus, Payload: payload},
			Update: reports.WhatsAppUpdate(s), ErasedID: store.ErasedID(keyed, "whatsapp", s.ID)})
	}
	for _, e := range n.Errors {
		payload, _ := json.Marshal(e)
		sum := sha256.Sum256(payload)
		statuses = append(statuses, store.WhatsAppStatus{Inbox: store.InboxItem{Provider: "whatsapp",
			Key: "error:" + hex.EncodeToString(sum[:16]), Kind: "whatsapp_error", Payload: payload, Note: storableNote(e.Title)}})
	}
	return msgs, statuses, nil
}

// WhatsAppPost is one webhook POST's items, ready to store.
type WhatsAppPost struct {
	msgs     []store.WhatsAppMessage
	statuses []store.WhatsAppStatus
	parsed   []whatsapp.Message
}

// WhatsAppWriter stores WhatsApp POSTs in group commits: the POSTs that
// arrive together share one transaction (one fsync on SQLite), each
// acknowledged only once it is committed. Close it after the HTTP server
// has stopped.
type WhatsAppWriter = store.GroupCommit[WhatsAppPost, []store.WhatsAppResult]

// WhatsAppWriters is how many batches of WhatsApp POSTs should commit at
// once on db: one on SQLite, two on PostgreSQL. Fewer than db.Writers():
// known senders' messages are stored with a fixed handful of statements
// per batch, so fewer, larger batches leave more of the machine to the bot
// (BotSteps at 1,000 offered on two cores: 10 messages a batch instead of
// 6, a little more throughput, p99 alike; docs/performance.md).
func WhatsAppWriters(db *store.DB) int { return min(db.Writers(), 2) }

// NewWhatsAppWriter starts a writer; writers is how many batches may
// commit at once (WhatsAppWriters).
func NewWhatsAppWriter(db *store.DB, writers int) *WhatsAppWriter {
	return store.NewGroupCommit(db, store.GroupSpec[WhatsAppPost, []store.WhatsAppResult]{
		Name:     "whatsapp",
		Validate: func(WhatsAppPost) error { return nil }, // checked and parsed before it is submitted
		Key:      whatsAppKey,
		Write: func(ctx context.Context, tx *store.Tx, posts []WhatsAppPost) ([][]store.WhatsAppResult, error) {
			out := make([][]store.WhatsAppResult, len(posts))
			for i, p := range posts {
				var err error
				if out[i], err = writeWhatsApp(ctx, tx, p); err != nil {
					return nil, err
				}
			}
			return out, nil
		},
		Writers: writers,
	})
}

// whatsAppKey orders a batch's POSTs by their first sender, so concurrent
// batches on PostgreSQL take a person's row locks in one order.
func whatsAppKey(p WhatsAppPost) string {
	if len(p.msgs) > 0 {
		return p.msgs[0].WAID + p.msgs[0].BSUID
	}
	if len(p.statuses) > 0 {
		return p.statuses[0].Inbox.Key
	}
	return ""
}

// storeWhatsApp stores a POST through the writer, or in a transaction of
// its own where there is none (hooks built without one, in tests).
func (h *Hooks) storeWhatsApp(ctx context.Context, p WhatsAppPost) ([]store.WhatsAppResult, error) {
	if h.waWriter != nil {
		return h.waWriter.Submit(ctx, p)
	}
	var out []store.WhatsAppResult
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		out, err = writeWhatsApp(ctx, tx, p)
		return err
	})
	return out, err
}

// writeWhatsApp routes a POST's messages to their drives and stores it.
func writeWhatsApp(ctx context.Context, tx *store.Tx, p WhatsAppPost) ([]store.WhatsAppResult, error) {
	if err := routeWhatsApp(ctx, tx, p.msgs, p.parsed); err != nil {
		return nil, err
	}
	return store.RecordWhatsApp(ctx, tx, p.msgs, p.statuses)
}

// routeWhatsApp gives each message the drive whose WhatsApp channel is the
// business number that received it, at the message's time.
func routeWhatsApp(ctx context.Context, tx *store.Tx, msgs []store.WhatsAppMessage, parsed []whatsapp.Message) error {
	var numbers []string
	for _, m := range parsed {
		if !slices.Contains(numbers, m.DisplayPhoneNumber) {
			numbers = append(numbers, m.DisplayPhoneNumber)
		}
	}
	owners, err := store.ChannelDrives(ctx, tx, "whatsapp", numbers)
	if err != nil {
		return err
	}
	for i, m := range parsed {
		at := m.Timestamp
		if at.IsZero() {
			at = tx.Now
		}
		if o, day, ok := intake.DriveAt(owners, m.DisplayPhoneNumber, at); ok {
			msgs[i].Drive, msgs[i].Day = o.DriveID, day
		}
	}
	return nil
}
