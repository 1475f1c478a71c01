package demo

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// Trickle is a few live arrivals a minute while the demo runs, so an open
// dashboard moves: missed calls (some never registering), registrations
// through the follow-up SMS's link, and joins by a WhatsApp chat with the
// bot, all through the real webhooks and the fake providers, from the
// upper live numbers (the phone page suggests the lower ones).
type Trickle struct {
	Live  *Live
	Every time.Duration // the mean gap between arrivals
	Log   *slog.Logger
}

// Run brings arrivals until ctx ends, then waits for those under way. The
// first comes within seconds, so a dashboard opened at once moves.
func (t *Trickle) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	gap := 2 * time.Second
	// Numbers in turn from a random start: a number drawn twice would be
	// a member already, or have had its day's SMS, and its arrival stall.
	span := 90_000 - phoneNumbers
	first := rand.IntN(span)
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-time.After(gap):
		}
		gap = time.Duration(float64(t.Every) * (0.5 + rand.Float64()))
		number := LivePhone(phoneNumbers + (first+i)%span)
		arrive := t.arrival(i)
		wg.Go(func() {
			actx, cancel := context.WithTimeout(ctx, 2*time.Minute)
			defer cancel()
			if err := arrive(actx, number); err != nil && ctx.Err() == nil {
				t.Log.Warn("a demo arrival did not finish", "number", number[:8]+"…", "err", err)
			}
		})
	}
}

// arrivals is what each arrival does, in turn: a registration through
// the SMS's link (w), a WhatsApp join (a), or a missed call and no more (c).
const arrivals = "wacwaacwca"

// arrival is what the i-th arrival does.
func (t *Trickle) arrival(i int) func(context.Context, string) error {
	switch arrivals[i%len(arrivals)] {
	case 'w':
		return t.registerByWeb
	case 'a':
		return t.joinByWhatsApp
	}
	return t.Live.Call
}

// wait polls done every half second until it is true or ctx ends.
func wait(ctx context.Context, done func() bool) error {
	for !done() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	return nil
}

// The trickle's people have placeholder names, in both scripts.
var trickleNames = []string{
	"सुनीता देवी", "रमेश उरांव", "अनीता कुमारी", "संजय महतो", "पूजा मुंडा", "विकास साहू",
	"Asha Tirkey", "Rahul Singh", "Meena Hansda", "Amit Kumar", "Priti Lakra", "Deepak Oraon",
}
