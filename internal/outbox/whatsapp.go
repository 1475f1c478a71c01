package outbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jodo-org/jodo/internal/graph"
	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/whatsapp"
)

// whatsappReady holds WhatsApp messages to what may go now and returns
// the rest with them, in order: nothing goes for a drive whose WhatsApp
// channel is switched off, and nothing free-form outside the person's
// 24-hour window. There a message goes as its fallback template if it has
// one and the person has WhatsApp consent; otherwise it fails, saying why.
func (s *Sender) whatsappReady(ctx context.Context, msgs []store.OutboxMessage, a *answers) ([]store.OutboxMessage, error) {
	var drives []int64
	var keys []store.WindowKey
	for _, m := range msgs {
		if m.Channel != store.ChannelWhatsApp {
			continue
		}
		if m.DriveID != 0 && !slices.Contains(drives, m.DriveID) {
			drives = append(drives, m.DriveID)
		}
		keys = append(keys, store.WindowKey{PersonID: m.PersonID, Business: m.From})
	}
	if len(keys) == 0 {
		return msgs, nil
	}
	// Both reads at once: with the database on another host, one round
	// trip of waiting instead of two in every batch.
	var off map[int64]bool
	var offErr error
	var wg sync.WaitGroup
	wg.Go(func() { off, offErr = s.db.ChannelsOff(ctx, store.ChannelWhatsApp, drives) })
	open, err := s.db.WindowsOpen(ctx, store.ChannelWhatsApp, keys, s.cfg.Window, s.db.Now())
	wg.Wait()
	if err = errors.Join(err, offErr); err != nil {
		return nil, err
	}
	var ok []store.OutboxMessage
	for _, m := range msgs {
		if m.Channel != store.ChannelWhatsApp {
			ok = append(ok, m)
			continue
		}
		if off[m.DriveID] {
			s.m.whatsapp.WithLabelValues("switched_off").Inc()
			a.add(m.ID, store.SendResult{Outcome: store.SendFailed, Error: "not sent: WhatsApp is switched off for this drive"})
			continue
		}
		o, err := graph.DecodeOutgoing(m.Body)
		if err != nil {
			a.add(m.ID, store.SendResult{Outcome: store.SendFailed, Error: "not sent: " + err.Error()})
			continue
		}
		if !o.FreeForm() || open[store.WindowKey{PersonID: m.PersonID, Business: m.From}] {
			ok = append(ok, m)
			continue
		}
		body, why, err := s.fallback(ctx, m, o)
		if err != nil {
			return nil, err
		}
		if body == "" {
			s.m.whatsapp.WithLabelValues("outside_window").Inc()
			a.add(m.ID, store.SendResult{Outcome: store.SendFailed, Error: "not sent: outside the 24-hour window, " + why})
			continue
		}
		s.m.whatsapp.WithLabelValues("template_fallback").Inc()
		m.Body = body
		a.rewrite(m.ID, body)
		ok = append(ok, m)
	}
	return ok, nil
}

// fallback is o's template as a body to send instead, when o has one and
// m's person has WhatsApp consent; otherwise "" and why not.
func (s *Sender) fallback(ctx context.Context, m store.OutboxMessage, o graph.Outgoing) (body, why string, err error) {
	t, has := o.Fallback()
	if !has {
		return "", "and no approved template fits the message", nil
	}
	if m.PersonID == 0 {
		return "", "to no known person", nil
	}
	var state store.ConsentStatus
	err = s.db.View(ctx, func(tx *store.Tx) error {
		state, err = store.ConsentState(ctx, tx, m.PersonID, store.PurposeWhatsApp)
		return err
	})
	if err != nil {
		return "", "", err
	}
	if state != store.ConsentGranted {
		return "", "and the person has not given WhatsApp consent for a template", nil
	}
	body, err = t.Encode()
	if err != nil {
		return "", "and its template is invalid: " + err.Error(), nil
	}
	return body, "", nil
}

// afterWhatsApp acts on a WhatsApp answer's error code before it is
// decided: over the number's throughput (130429 and the like) holds the
// number back; outside the window (131047) closes the conversation's
// window and sends the message's template instead where fallback allows.
// The pair limit (131056) needs nothing here: the answer's wait holds
// this person's messages (sendGroup) and no one else's.
func (s *Sender) afterWhatsApp(ctx context.Context, p send.Provider, m store.OutboxMessage, r send.Result) (store.SendResult, error) {
	switch whatsapp.Classify(r.Code) {
	case whatsapp.RateLimitedBusiness:
		s.limits.Pause(m.Provider, m.From, max(r.RetryAfter, time.Second))
	case whatsapp.OutsideWindow:
		s.m.whatsapp.WithLabelValues("closed_by_provider").Inc()
		if err := s.db.CloseWindow(ctx, store.ChannelWhatsApp, store.WindowKey{PersonID: m.PersonID, Business: m.From}); err != nil {
			return store.SendResult{}, err
		}
		o, err := graph.DecodeOutgoing(m.Body)
		if err != nil || !o.FreeForm() {
			break
		}
		body, why, err := s.fallback(ctx, m, o)
		if err != nil {
			return store.SendResult{}, err
		}
		if body == "" {
			res := s.decide(m, r)
			res.Error = fmt.Sprintf("not sent: outside the 24-hour window (WhatsApp %d), %s", r.Code, why)
			return res, nil
		}
		s.m.whatsapp.WithLabelValues("template_fallback").Inc()
		m.Body = body
		again, err := s.call(ctx, p, m)
		if err != nil {
			return store.SendResult{}, err
		}
		res, err := s.afterWhatsApp(ctx, p, m, again)
		res.Body = body
		return res, err
	}
	return s.decide(m, r), nil
}
