package groups

import (
	"context"
	"log/slog"

	"github.com/jodo-org/jodo/internal/store"
)

// sweepBatch is how many groups one transaction of the sweep lapses or
// reminds: short transactions, so that the register stays writable.
const sweepBatch = 200

// Sweeper is the periodic re-confirmation sweep: it lapses the groups not
// confirmed in ConfirmEvery and reminds owners before theirs lapse.
type Sweeper struct {
	DB        *store.DB
	Reminders Reminders
	Log       *slog.Logger
}

// Swept is what one sweep did.
type Swept struct {
	Lapsed   int
	Reminded Reminded
}

// Run sweeps once, at the store clock's now; a second run at the same time
// changes nothing and sends nothing. It returns how many groups lapsed or
// were reminded (what a periodic job reports).
func (s Sweeper) Run(ctx context.Context) (int64, error) {
	out, err := s.Sweep(ctx)
	n := out.Lapsed
	for _, k := range out.Reminded {
		n += k
	}
	if err == nil && n > 0 && s.Log != nil {
		s.Log.Info("groups swept", "lapsed", out.Lapsed, "whatsapp", out.Reminded["whatsapp"],
			"whatsapp_template", out.Reminded["whatsapp_template"], "sms", out.Reminded["sms"], "not_reminded", out.Reminded["none"])
	}
	return int64(n), err
}

// Sweep lapses what is due in batches until none is left, then sends
// reminder 2 (one day before) and reminder 1 (seven days before), each
// once per confirmation: a group whose first reminder was missed (the
// sweep did not run) gets only the second.
func (s Sweeper) Sweep(ctx context.Context) (Swept, error) {
	out := Swept{Reminded: Reminded{}}
	for {
		var n int
		err := s.DB.Update(ctx, func(tx *store.Tx) error {
			var err error
			n, err = Lapse(ctx, tx, tx.Now, sweepBatch)
			return err
		})
		if err != nil {
			return out, err
		}
		out.Lapsed += n
		if n < sweepBatch {
			break
		}
	}
	for _, n := range []int{2, 1} {
		if err := s.remindAll(ctx, n, out.Reminded); err != nil {
			return out, err
		}
	}
	return out, nil
}

// remindAll sends reminder n to every group due for it, a batch to a
// transaction (the messages queued with the mark that they went).
func (s Sweeper) remindAll(ctx context.Context, n int, out Reminded) error {
	for {
		var due int
		batch := Reminded{}
		err := s.DB.Update(ctx, func(tx *store.Tx) error {
			clear(batch)
			gs, err := store.GroupsToRemind(ctx, tx, tx.Now.Add(RemindBefore[n]-ConfirmEvery), n, sweepBatch)
			due = len(gs)
			for _, grp := range gs {
				how, err := s.Reminders.remind(ctx, tx, grp, n)
				if err != nil {
					return err
				}
				if how != "" {
					batch[how]++
				}
			}
			return err
		})
		if err != nil {
			return err
		}
		for k, v := range batch {
			out[k] += v
		}
		if due < sweepBatch {
			return nil
		}
	}
}
