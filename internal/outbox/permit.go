package outbox

import (
	"context"
	"slices"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// consentFor is the consent purpose that outreach on each channel needs.
var consentFor = map[string]string{store.ChannelSMS: store.PurposeSMS, store.ChannelWhatsApp: store.PurposeWhatsApp}

// permitted fails (into a) outreach whose channel consent is not in force
// now and returns the messages that may go. Requested messages need no
// consent: a person who withdrew SMS consent can still get a sign-in code.
//
// Nor does outreach go to someone an import brought into a drive (created
// or joined) before its notice has reached them (docs/import.md), unless
// they came themselves: the notice alone may go.
func (s *Sender) permitted(ctx context.Context, msgs []store.OutboxMessage, a *answers) ([]store.OutboxMessage, error) {
	held, err := s.heldForNotice(ctx, msgs)
	if err != nil {
		return nil, err
	}
	var ok []store.OutboxMessage
	for _, m := range msgs {
		if m.Class != store.ClassOutreach {
			ok = append(ok, m)
			continue
		}
		if notice, wait := held[m.PersonID]; wait && notice != m.ID {
			a.add(m.ID, store.SendResult{Outcome: store.SendFailed, Error: "not sent: imported, and the import notice has not reached them"})
			continue
		}
		purpose := consentFor[m.Channel]
		var state store.ConsentStatus
		err := s.db.View(ctx, func(tx *store.Tx) error {
			var err error
			state, err = store.ConsentState(ctx, tx, m.PersonID, purpose)
			return err
		})
		if err != nil {
			return nil, err
		}
		if state == store.ConsentGranted {
			ok = append(ok, m)
			continue
		}
		reason := "not sent: outreach needs " + purpose + " consent, which was " + map[store.ConsentStatus]string{
			store.ConsentNever: "never given", store.ConsentWithdrawn: "withdrawn"}[state]
		a.add(m.ID, store.SendResult{Outcome: store.SendFailed, Error: reason})
	}
	return ok, nil
}

// heldForNotice is, of the people msgs' outreach goes to, those who must
// get the import notice first, each with the id of their notice message.
func (s *Sender) heldForNotice(ctx context.Context, msgs []store.OutboxMessage) (map[int64]int64, error) {
	var people []int64
	for _, m := range msgs {
		if m.Class == store.ClassOutreach && !slices.Contains(people, m.PersonID) {
			people = append(people, m.PersonID)
		}
	}
	if len(people) == 0 {
		return nil, nil
	}
	var held map[int64]int64
	err := s.db.View(ctx, func(tx *store.Tx) error {
		var err error
		held, err = store.HeldForNotice(ctx, tx, people)
		return err
	})
	return held, err
}

// withinBudget charges each channel's daily budget for its messages and
// defers (into a) those over it to the next day; it returns the rest, in
// order.
func (s *Sender) withinBudget(ctx context.Context, msgs []store.OutboxMessage, a *answers) ([]store.OutboxMessage, error) {
	now := s.db.Now().In(s.cfg.Zone)
	day := now.Format(time.DateOnly)
	y, mo, d := now.Date()
	tomorrow := time.Date(y, mo, d+1, 0, 0, 0, 0, s.cfg.Zone).Sub(now)
	byChannel := map[string]int{}
	for _, m := range msgs {
		byChannel[m.Channel]++
	}
	allowed := map[string]int{}
	for ch, n := range byChannel {
		limit := s.cfg.DailyBudget[ch]
		if limit <= 0 {
			allowed[ch] = n
			continue
		}
		granted, used, err := s.db.ChargeBudget(ctx, ch, day, n, limit)
		if err != nil {
			return nil, err
		}
		allowed[ch] = granted
		s.m.budgetUsed.WithLabelValues(ch).Set(float64(used))
	}
	var ok []store.OutboxMessage
	for _, m := range msgs {
		if allowed[m.Channel] > 0 {
			allowed[m.Channel]--
			ok = append(ok, m)
			continue
		}
		s.m.deferred.WithLabelValues(m.Channel).Inc()
		a.add(m.ID, store.SendResult{Outcome: store.SendDeferred, RetryAfter: tomorrow,
			Error: "waiting: today's " + m.Channel + " budget is spent"})
	}
	return ok, nil
}
