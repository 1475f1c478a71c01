package store

import (
	"context"
	"sync"
	"time"
)

// ancestryCache remembers each area's chain of ancestors for counter
// writes, which need it on every batch. Chains change only when areas
// move; an import in this process clears the cache, and entries expire
// so a move made by another process is seen within ancestryTTL.
type ancestryCache struct {
	mu     sync.Mutex
	chains map[int64]ancestryEntry
}

type ancestryEntry struct {
	chain []int64
	at    time.Time
}

const ancestryTTL = 30 * time.Second

func (c *ancestryCache) chain(ctx context.Context, tx *Tx, areaID int64) ([]int64, error) {
	c.mu.Lock()
	e, ok := c.chains[areaID]
	c.mu.Unlock()
	if ok && time.Since(e.at) < ancestryTTL {
		return e.chain, nil
	}
	chain, err := ancestry(ctx, tx, areaID)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.chains) > 100_000 {
		clear(c.chains)
	}
	c.chains[areaID] = ancestryEntry{chain: chain, at: time.Now()}
	c.mu.Unlock()
	return chain, nil
}

func (c *ancestryCache) forget() {
	c.mu.Lock()
	clear(c.chains)
	c.mu.Unlock()
}
