package store

import (
	"context"
	"math/bits"
	"math/rand/v2"
	"sync"
	"time"
)

// counterShards is how many rows a counter key may have on PostgreSQL.
const counterShards = 64

// shardRange is how many shards one node claims for its own: the first
// four nodes on a database get disjoint ranges.
const shardRange = 16

// shardSlots hands each PostgreSQL transaction that writes counters a
// shard that no other transaction of this process holds until it has
// committed, so two writers of one node never wait on each other's counter
// rows (the drive's root and today's keys are in every lead's transaction).
// The lowest free shard after the node's own first one is taken, so a quiet
// node writes one shard and a storm as many as it has concurrent writers.
//
// Before its first shard a node claims a range of shardRange shards with a
// session advisory lock (claimShardRange): several nodes on one database
// then never meet on a counter row, and a node that dies frees its range
// with its connection. Without a free range it starts at a random shard
// and may meet another (measured: with three nodes each at a random start,
// one storm in four waited on counters). When every shard of its range is
// held a random one is written (correct, only possibly waiting).
type shardSlots struct {
	mu    sync.Mutex
	held  uint64 // bit i: shard (base+i) % counterShards is held
	base  int
	width int // shards from base this node takes
	claim sync.Once
	// claimer claims a range for the node (nil: none is claimed) and says
	// where it starts.
	claimer func() (base int, ok bool)
}

func newShardSlots() *shardSlots {
	return &shardSlots{base: rand.IntN(counterShards), width: counterShards}
}

// take returns a shard and whether it must be given back.
func (s *shardSlots) take() (int, bool) {
	if s == nil {
		return 0, false
	}
	s.claim.Do(func() {
		if s.claimer == nil {
			return
		}
		if base, ok := s.claimer(); ok {
			s.mu.Lock()
			s.base, s.width = base, shardRange // nothing is held before the first take
			s.mu.Unlock()
		}
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	i := bits.TrailingZeros64(^s.held)
	if i >= s.width {
		return rand.IntN(counterShards), false
	}
	s.held |= 1 << i
	return (s.base + i) % counterShards, true
}

func (s *shardSlots) give(shard int) {
	s.mu.Lock()
	s.held &^= 1 << ((shard - s.base + counterShards) % counterShards)
	s.mu.Unlock()
}

// claimShardRange takes the first free range of counter shards of this
// database (and schema) for the node, with a session advisory lock on a
// connection it keeps until Close: it is free again as soon as that
// connection ends, with the node.
//
// It runs inside the node's first transaction that writes counters, which
// holds a connection itself: with the pool exhausted it gives up after two
// seconds and the node starts at a random shard.
func (db *DB) claimShardRange() (int, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return 0, false
	}
	for r := range counterShards / shardRange {
		var ok bool
		err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(hashtext('jodo counter shards ' || current_schema()), $1)", r).Scan(&ok)
		if err != nil {
			break
		}
		if ok {
			db.shardLock = conn
			return r * shardRange, true
		}
	}
	conn.Close()
	return 0, false
}

// releaseShard gives back the shard a transaction's counters were written
// to, once it has committed or rolled back.
func (tx *Tx) releaseShard() {
	if tx.shardHeld {
		tx.shards.give(tx.shard)
		tx.shardHeld = false
	}
}
