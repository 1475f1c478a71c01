// Package followup queues the SMS a missed caller gets: a registration link
// and a wa.me link carrying a join code, at most once per person and drive
// in 24 hours, in the same transaction that records the call.
package followup

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/smstext"
	"github.com/jodo-org/jodo/internal/store"
)

// Cooldown is the least time between two follow-ups to one person in one
// drive.
const Cooldown = 24 * time.Hour

// Config is what a Composer needs.
type Config struct {
	Provider    string            // the SMS provider's name, stored on each message
	TemplateIDs map[string]string // DLT template ids by language; may be empty for the log provider
	BaseURL     string            // JODO_BASE_URL
	Links       *links.Links
	Log         *slog.Logger
}

// Composer queues follow-ups.
type Composer struct {
	cfg     Config
	drives  sync.Map // driveKey → driveText
	skips   sync.Map // drive id → why FollowsUp last found it does not follow up
	outcome *prometheus.CounterVec
}

type driveKey struct {
	id      int64
	version int
}

// driveText is a drive's follow-up, ready to render.
type driveText struct {
	template sms.Template
	label    string
	skip     string // why this drive's callers get no follow-up
}

// New returns a Composer.
func New(cfg Config) *Composer {
	return &Composer{cfg: cfg, outcome: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "jodo_followups_total",
		Help: "Missed-call follow-ups queued, and calls that got none and why (no_whatsapp: a call to a drive without a WhatsApp number; invalid: the text could not be rendered).",
	}, []string{"outcome"})}
}

// Collectors are the Composer's metrics.
func (c *Composer) Collectors() []prometheus.Collector { return []prometheus.Collector{c.outcome} }

// Queue claims the due follow-ups of the participations named (those just
// called about) and queues one SMS for each, with a new join link, in tx;
// the metric counts them once tx commits. What cannot be sent (a drive
// without a WhatsApp number, a text that would fail DLT matching) is
// counted and logged, never an error: the call it follows must still be
// recorded.
func (c *Composer) Queue(ctx context.Context, tx *store.Tx, who []store.PersonDrive) error {
	if len(who) == 0 {
		return nil
	}
	var ids []int64
	versions := map[int64]int{} // the drives' versions the caller read, where all agree
	for _, w := range who {
		if !slices.Contains(ids, w.DriveID) {
			ids = append(ids, w.DriveID)
			versions[w.DriveID] = w.DriveVersion
		} else if versions[w.DriveID] != w.DriveVersion {
			versions[w.DriveID] = 0
		}
	}
	texts, err := c.texts(ctx, tx, ids, versions)
	if err != nil {
		return err
	}
	// Only callers of drives that can follow up have their follow-up
	// claimed: a drive given a WhatsApp number later still reaches them.
	eligible := who[:0:0]
	for _, w := range who {
		if skip := texts[w.DriveID].skip; skip != "" {
			c.outcome.WithLabelValues(skip).Inc()
			continue
		}
		eligible = append(eligible, w)
	}
	// A participation the call made was made claimed (FollowsUp); the
	// others are claimed in store.QueueFollowups, and those not due there
	// drop their draft.
	var drafts []store.FollowupDraft
	for _, w := range eligible {
		d := texts[w.DriveID]
		l := c.cfg.Links.Make(tx.Now)
		body, err := d.template.Render(d.label, l.Token, l.Code)
		// What the outbox keeps once it is sent: the link and code masked.
		summary, _ := d.template.Render(d.label, store.Masked, store.Masked)
		if err != nil || w.Phone == "" {
			c.outcome.WithLabelValues("invalid").Inc()
			c.cfg.Log.WarnContext(ctx, "follow-up not sent", "drive", w.DriveID, "person", w.PersonID, "err", err)
			continue
		}
		drafts = append(drafts, store.FollowupDraft{PersonID: w.PersonID, DriveID: w.DriveID,
			Link: store.NewJoinLink{ParticipationID: w.Participation, TokenHash: l.TokenHash, CodeHash: l.CodeHash, ExpiresAt: l.ExpiresAt},
			Message: store.OutboxMessage{PersonID: w.PersonID, Channel: store.ChannelSMS, Provider: c.cfg.Provider,
				Class: store.ClassRequested, Template: d.template.ID, Body: body, Summary: summary, To: w.Phone}})
	}
	return store.QueueFollowups(ctx, tx, drafts, Cooldown, func(n int) {
		c.outcome.WithLabelValues("queued").Add(float64(n))
	})
}

// FollowsUp says which of the drives (id → version as read in tx, 0 if
// not known) follow a missed call up: the calls to those can make their
// participations with the follow-up claimed (store.CallRecord.FollowUp).
func (c *Composer) FollowsUp(ctx context.Context, tx *store.Tx, drives map[int64]int) (map[int64]bool, error) {
	ids := make([]int64, 0, len(drives))
	for id := range drives {
		ids = append(ids, id)
	}
	texts, err := c.texts(ctx, tx, ids, drives)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(texts))
	for id, t := range texts {
		out[id] = t.skip == ""
		if t.skip != "" {
			c.skips.Store(id, t.skip)
		}
	}
	return out, nil
}

// Skip counts who's follow-ups as not sent, as Queue would, where
// FollowsUp said none of their drives follows up: without the database,
// for a caller whose transaction has committed already.
func (c *Composer) Skip(who []store.PersonDrive) {
	for _, w := range who {
		why, ok := c.skips.Load(w.DriveID)
		if !ok {
			continue // never: FollowsUp saw each of who's drives, and none follows up
		}
		c.outcome.WithLabelValues(why.(string)).Inc()
	}
}

// texts returns the follow-up of each drive, from a cache keyed by the
// drive's version (an applied change makes a new version). A drive whose
// version the caller read in tx (versions) and whose texts are cached for
// it is not read again: on PostgreSQL that saves a missed-call batch a
// round trip. The others are read in one query.
func (c *Composer) texts(ctx context.Context, tx *store.Tx, ids []int64, versions map[int64]int) (map[int64]driveText, error) {
	out := make(map[int64]driveText, len(ids))
	var unread []int64
	for _, id := range ids {
		if v := versions[id]; v != 0 {
			if t, ok := c.drives.Load(driveKey{id, v}); ok {
				out[id] = t.(driveText)
				continue
			}
		}
		unread = append(unread, id)
	}
	if len(unread) == 0 {
		return out, nil
	}
	drives, err := store.FollowupDrives(ctx, tx, unread)
	if err != nil {
		return nil, err
	}
	for _, id := range unread {
		d, ok := drives[id]
		if !ok {
			return nil, fmt.Errorf("followup: drive %d vanished", id)
		}
		k := driveKey{id, d.Version}
		if t, ok := c.drives.Load(k); ok {
			out[id] = t.(driveText)
			continue
		}
		t := c.compose(d)
		c.drives.Store(k, t)
		out[id] = t
	}
	return out, nil
}

// compose builds a drive's follow-up template from its file.
func (c *Composer) compose(d store.FollowupDrive) driveText {
	f, err := drive.Open(d.File)
	if err != nil {
		return driveText{skip: "invalid"}
	}
	if d.WhatsApp == "" {
		return driveText{skip: "no_whatsapp"}
	}
	lang, label := f.Lang(), f.SMSLabel()
	text := strings.ReplaceAll(smstext.Followup[lang], smstext.BaseURL, c.cfg.BaseURL)
	text = strings.ReplaceAll(text, smstext.Number, strings.TrimPrefix(d.WhatsApp, "+"))
	id := c.cfg.TemplateIDs[lang]
	if id == "" {
		id = "followup_" + lang
	}
	return driveText{template: sms.Template{ID: id, Name: "followup_" + lang, Lang: lang, Text: text}, label: label}
}
