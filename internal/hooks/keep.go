package hooks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/store"
)

// What is kept of an authenticated request (or item) that no parser could
// read, for diagnosis. A sender that proved who it is but sends garbage
// (a broken integration, a leaked secret) cannot fill the disk: past the
// cap such requests are answered the same 400 and counted in
// jodo_hook_rejected_total{reason="malformed_dropped"}, not stored.
const (
	// keptPerHour is how many are kept per provider in each clock hour,
	// on each node: a working provider sends none, a broken one shows
	// its fault in the first few.
	keptPerHour = 100
	// keptBytes is how much of each is kept: real requests are under
	// 4 KB (a WhatsApp item a few KB), so the start shows what went wrong.
	keptBytes = 16 << 10
)

// keepCap counts what was kept in the current clock hour, per provider.
type keepCap struct {
	mu   sync.Mutex
	hour int64
	n    map[string]int
}

// take reports whether one more may be kept for provider at now.
func (c *keepCap) take(provider string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if hour := now.Unix() / 3600; hour != c.hour || c.n == nil {
		c.hour, c.n = hour, map[string]int{}
	}
	if c.n[provider] >= keptPerHour {
		return false
	}
	c.n[provider]++
	return true
}

// unreadable is the inbox item kept of a request or item no parser could
// read, if the cap allows one more for provider: its key a digest of all
// its bytes (a repeat is a duplicate), its first keptBytes, and a note
// both engines can store. Past the cap it is counted as dropped.
func (h *Hooks) unreadable(provider string, raw []byte, reason string) (store.InboxItem, bool) {
	if !h.kept.take(provider, h.db.Now()) {
		h.rejected.WithLabelValues(provider, "malformed_dropped").Inc()
		return store.InboxItem{}, false
	}
	sum := sha256.Sum256(raw)
	it := store.InboxItem{Provider: provider, Key: "malformed:" + hex.EncodeToString(sum[:16]), Kind: "unreadable",
		Payload: raw, Note: intake.Note(reason)}
	if len(raw) > keptBytes {
		it.Payload = raw[:keptBytes]
		it.Note = intake.Note(fmt.Sprintf("%s (the first %d of %d bytes kept)", reason, keptBytes, len(raw)))
	}
	return it, true
}

// keep stores an unreadable request of an authenticated sender, within
// the cap; it reports whether it was stored.
func (h *Hooks) keep(ctx context.Context, provider string, raw []byte, reason string) (bool, error) {
	it, ok := h.unreadable(provider, raw, reason)
	if !ok {
		return false, nil
	}
	return true, h.rec.Keep(ctx, provider, it.Key, it.Payload, it.Note)
}
