package store

import "testing"

// A node hands out the lowest free shard after its own first one, never
// one already held, takes back what is given, and writes a random shard
// (without holding it) only when all are held.
func TestShardSlots(t *testing.T) {
	s := &shardSlots{base: 13, width: counterShards}
	held := map[int]bool{}
	for i := range counterShards {
		k, ok := s.take()
		if !ok || held[k] {
			t.Fatalf("take %d gave shard %d (held %v, must give back %v)", i, k, held[k], ok)
		}
		if want := (13 + i) % counterShards; k != want {
			t.Errorf("take %d gave shard %d, want %d", i, k, want)
		}
		held[k] = true
	}
	if k, ok := s.take(); ok || k < 0 || k >= counterShards {
		t.Errorf("with every shard held, take gave %d, %v; want a random shard not to give back", k, ok)
	}
	s.give(14)
	s.give(2)
	if k, ok := s.take(); !ok || k != 14 {
		t.Errorf("after giving back 14 and 2, take gave %d; want 14 (the lowest after the node's first)", k)
	}
	if k, ok := s.take(); !ok || k != 2 {
		t.Errorf("then %d; want 2", k)
	}
	var none *shardSlots // SQLite: always shard 0
	if k, ok := none.take(); k != 0 || ok {
		t.Errorf("no slots gave %d, %v", k, ok)
	}
}
