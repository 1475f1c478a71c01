package imports

import (
	"context"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// turns shares SQLite's one write lock with a server taking calls on the
// same database. A writer waiting for the lock sleeps and tries again
// (1, 2, 5 … then 100 ms apart), so an import that starts its next
// transaction the moment it commits can keep a missed call waiting for
// seconds. While others write (their commits move store.OthersWrote),
// the import takes smaller transactions and leaves a gap after each that
// a waiting writer's next try falls into; once nobody else has written
// for a while, it goes full speed. It starts polite: a server already
// writing is seen after the first transaction. PostgreSQL locks rows and
// needs no turns (there seen only begins the transaction the import way).
// A nil *turns takes every transaction whole and leaves no gaps.
type turns struct {
	sqlite  bool
	polite  bool
	version int64
	quiet   time.Time // when others were last seen writing
	fit     int       // rows a polite transaction takes: about politeHold's worth
}

const (
	politeHold  = 20 * time.Millisecond  // how long a polite transaction holds the lock
	politeGap   = 25 * time.Millisecond  // longer than a waiter's sleep for its first 80 ms
	politeFor   = 2 * time.Second        // polite this long after others last wrote
	politeFirst = 500 * time.Millisecond // and at the start
)

func newTurns(db *store.DB) *turns {
	return &turns{sqlite: db.Engine() == store.SQLite, polite: db.Engine() == store.SQLite,
		quiet: time.Now().Add(politeFirst - politeFor), fit: 100}
}

// size is how many of n rows the next transaction takes.
func (t *turns) size(n int) int {
	if t != nil && t.polite {
		return min(n, t.fit)
	}
	return n
}

// took notes that a transaction of rows rows held the lock for d, and
// sizes the next polite one to hold it about politeHold.
func (t *turns) took(rows int, d time.Duration) {
	if t == nil || rows == 0 || d <= 0 {
		return
	}
	t.fit = max(10, int(int64(rows)*int64(politeHold)/int64(d)))
}

// seen notes, inside a write transaction, whether others have committed
// since the last one.
func (t *turns) seen(ctx context.Context, tx *store.Tx) error {
	if t == nil {
		return nil
	}
	v, err := store.OthersWrote(ctx, tx)
	if err != nil {
		return err
	}
	if v != t.version && t.version != 0 {
		t.quiet = time.Now()
	}
	t.version = v
	t.polite = t.sqlite && time.Since(t.quiet) < politeFor
	return nil
}

// wait leaves the gap after a transaction, while polite.
func (t *turns) wait(ctx context.Context) error {
	if !t.polite {
		return nil
	}
	select {
	case <-time.After(politeGap):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
