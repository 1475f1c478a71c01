package store

import (
	"cmp"
	"context"
	"errors"
	"hash/fnv"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// GroupSpec says how a GroupCommit validates, orders and writes its rows.
type GroupSpec[R, O any] struct {
	// Name labels the metrics ("inbox", "calls" …).
	Name string
	// Validate rejects a row alone, before it can join a batch.
	Validate func(R) error
	// Key orders rows in a batch, so concurrent batches on PostgreSQL take
	// row locks in the same order and rarely deadlock; with several
	// Writers it also picks the writer (rows with one key meet in one).
	Key func(R) string
	// Write writes rows (sorted by Key, duplicates included) in tx and
	// returns one outcome per row, in order.
	Write func(ctx context.Context, tx *Tx, rows []R) ([]O, error)
	// MaxRows and MaxWait bound a batch (defaults 512 rows, 2 ms).
	MaxRows int
	MaxWait time.Duration
	// Writers is how many batches may commit at once (default 1). SQLite
	// has one writer anyway; on PostgreSQL a few concurrent batches hide
	// each other's round trips and fsyncs.
	Writers int
	// Committed, if set, runs after each successful commit (to wake workers).
	Committed func()
}

// Writers is how many group-commit batches should commit at once on db:
// one on SQLite (one writer connection), a few on PostgreSQL, where
// concurrent batches overlap their round trips and fsyncs. Their counter
// writes, ordered at commit, do not deadlock; a batch that does is retried.
func (db *DB) Writers() int {
	if db.Engine() == Postgres {
		return 4
	}
	return 1
}

// ErrClosed is returned by Submit once the committer is shutting down.
var ErrClosed = apperr.New(apperr.Internal, "the server is shutting down; please retry")

// GroupCommit gathers rows from concurrent callers and commits them in
// batches on one goroutine: one transaction (and one fsync) for many
// durable writes. Every caller learns its own row's outcome.
type GroupCommit[R, O any] struct {
	db   *DB
	spec GroupSpec[R, O]
	// reqs has a queue per writer; a row goes to the one its Key hashes
	// to, so two deliveries of one item (a provider's retry, a repeated
	// call) meet in one writer's batches instead of one concurrent
	// transaction waiting on the other's uncommitted row.
	reqs []chan *groupReq[R, O]
	mu   sync.RWMutex
	shut bool
	done chan struct{}
}

type groupReq[R, O any] struct {
	row   R
	reply chan groupReply[O]
}

type groupReply[O any] struct {
	out O
	err error
}

// NewGroupCommit starts the committer's goroutines; Close stops them.
func NewGroupCommit[R, O any](db *DB, spec GroupSpec[R, O]) *GroupCommit[R, O] {
	if spec.MaxRows <= 0 {
		spec.MaxRows = 512
	}
	if spec.MaxWait <= 0 {
		spec.MaxWait = 2 * time.Millisecond
	}
	if spec.Writers <= 0 {
		spec.Writers = 1
	}
	g := &GroupCommit[R, O]{db: db, spec: spec, done: make(chan struct{})}
	var wg sync.WaitGroup
	for range spec.Writers {
		reqs := make(chan *groupReq[R, O], spec.MaxRows)
		g.reqs = append(g.reqs, reqs)
		wg.Go(func() { g.loop(reqs) })
	}
	go func() { wg.Wait(); close(g.done) }()
	return g
}

// Submit hands row to the writer and waits until it is committed (or
// rejected). A validation error concerns this row only. If ctx ends first
// the row may still commit: callers must not treat that as "not written".
func (g *GroupCommit[R, O]) Submit(ctx context.Context, row R) (O, error) {
	var zero O
	if err := g.spec.Validate(row); err != nil {
		return zero, err
	}
	req := &groupReq[R, O]{row: row, reply: make(chan groupReply[O], 1)}
	g.mu.RLock()
	if g.shut {
		g.mu.RUnlock()
		return zero, ErrClosed
	}
	queue := g.reqs[0]
	if len(g.reqs) > 1 {
		h := fnv.New32a()
		h.Write([]byte(g.spec.Key(row)))
		queue = g.reqs[h.Sum32()%uint32(len(g.reqs))]
	}
	select {
	case queue <- req:
		g.mu.RUnlock()
	case <-ctx.Done():
		g.mu.RUnlock()
		return zero, ctx.Err()
	}
	select {
	case r := <-req.reply:
		return r.out, r.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// Close stops accepting rows, commits what is queued and returns.
func (g *GroupCommit[R, O]) Close() {
	g.mu.Lock()
	if !g.shut {
		g.shut = true
		for _, reqs := range g.reqs {
			close(reqs)
		}
	}
	g.mu.Unlock()
	<-g.done
}

func (g *GroupCommit[R, O]) loop(reqs chan *groupReq[R, O]) {
	batch := make([]*groupReq[R, O], 0, g.spec.MaxRows)
	for first := range reqs {
		batch = g.gather(reqs, append(batch[:0], first))
		g.commit(batch)
	}
}

// gather adds the rows already queued, up to MaxRows. It waits for more
// (at most MaxWait) only while rows keep arriving: the time the previous
// batch spent committing is what fills the next one, so a lone request is
// never held back waiting for company.
func (g *GroupCommit[R, O]) gather(reqs chan *groupReq[R, O], batch []*groupReq[R, O]) []*groupReq[R, O] {
	deadline := time.Now().Add(g.spec.MaxWait)
	for len(batch) < g.spec.MaxRows {
		select {
		case r, ok := <-reqs:
			if !ok {
				return batch
			}
			batch = append(batch, r)
			continue
		default:
		}
		if time.Now().After(deadline) {
			return batch
		}
		// Let submitters that are mid-flight enqueue, then look once more.
		runtime.Gosched()
		select {
		case r, ok := <-reqs:
			if !ok {
				return batch
			}
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

func (g *GroupCommit[R, O]) commit(batch []*groupReq[R, O]) {
	slices.SortStableFunc(batch, func(a, b *groupReq[R, O]) int {
		return cmp.Compare(g.spec.Key(a.row), g.spec.Key(b.row))
	})
	start := time.Now()
	outs, err := g.write(batch)
	if err != nil && len(batch) > 1 && !errors.Is(err, context.Canceled) {
		// One bad row must not sink its neighbours: write each alone.
		for _, r := range batch {
			out, err := g.write([]*groupReq[R, O]{r})
			r.reply <- replyOf(out, err)
		}
		observeBatch(g.spec.Name, len(batch), time.Since(start), "split")
		g.committed()
		return
	}
	for i, r := range batch {
		if err != nil {
			r.reply <- groupReply[O]{err: err}
		} else {
			r.reply <- groupReply[O]{out: outs[i]}
		}
	}
	if err != nil {
		observeBatch(g.spec.Name, len(batch), time.Since(start), "failed")
		return
	}
	observeBatch(g.spec.Name, len(batch), time.Since(start), "ok")
	g.committed()
}

func replyOf[O any](outs []O, err error) groupReply[O] {
	if err != nil {
		var zero O
		return groupReply[O]{out: zero, err: err}
	}
	return groupReply[O]{out: outs[0]}
}

func (g *GroupCommit[R, O]) committed() {
	if g.spec.Committed != nil {
		g.spec.Committed()
	}
}

// write commits rows in one transaction (db.Update retries it whole when
// PostgreSQL aborts it for a deadlock or serialization conflict).
func (g *GroupCommit[R, O]) write(batch []*groupReq[R, O]) ([]O, error) {
	rows := make([]R, len(batch))
	for i, r := range batch {
		rows[i] = r.row
	}
	ctx := context.Background() // callers' contexts must not abort others' rows
	var outs []O
	err := g.db.Update(ctx, func(tx *Tx) error {
		var err error
		outs, err = g.spec.Write(ctx, tx, rows)
		return err
	})
	if err == nil && len(outs) != len(rows) {
		panic("store: GroupSpec.Write returned the wrong number of outcomes")
	}
	return outs, err
}
