package store

import (
	"math/bits"
	"math/rand/v2"
	"sync"
)

// counterShards is how many rows a counter key may have on PostgreSQL.
const counterShards = 64

// shardSlots hands each PostgreSQL transaction that writes counters a
// shard that no other transaction of this process holds until it has
// committed, so two writers of one node never wait on each other's counter
// rows (the drive's root and today's keys are in every lead's transaction).
// The lowest free shard after the node's own first one is taken, so a quiet
// node writes one shard and a storm as many as it has concurrent writers;
// nodes start at different random shards, so several on one database
// rarely meet. When every shard is held a random one is written (correct,
// only possibly waiting).
type shardSlots struct {
	mu   sync.Mutex
	held uint64 // bit i: shard (base+i) % counterShards is held
	base int
}

func newShardSlots() *shardSlots { return &shardSlots{base: rand.IntN(counterShards)} }

// take returns a shard and whether it must be given back.
func (s *shardSlots) take() (int, bool) {
	if s == nil {
		return 0, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held == ^uint64(0) {
		return rand.IntN(counterShards), false
	}
	i := bits.TrailingZeros64(^s.held)
	s.held |= 1 << i
	return (s.base + i) % counterShards, true
}

func (s *shardSlots) give(shard int) {
	s.mu.Lock()
	s.held &^= 1 << ((shard - s.base + counterShards) % counterShards)
	s.mu.Unlock()
}

// releaseShard gives back the shard a transaction's counters were written
// to, once it has committed or rolled back.
func (tx *Tx) releaseShard() {
	if tx.shardHeld {
		tx.shards.give(tx.shard)
		tx.shardHeld = false
	}
}
