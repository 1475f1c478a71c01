package store

import (
	"testing"
	"time"
)

// TestNextPassive: the checkpointer's wait doubles up to passiveIdle while
// the WAL holds the same frames as at the tick before, and goes back to
// passiveEvery as soon as it holds others (a write, or a WAL restarted).
func TestNextPassive(t *testing.T) {
	wait := passiveEvery
	var waits []time.Duration
	for range 5 {
		wait = nextPassive(wait, 12, 12)
		waits = append(waits, wait)
	}
	want := []time.Duration{200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, 800 * time.Millisecond, 800 * time.Millisecond}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("idle waits %v; want %v", waits, want)
		}
	}
	for _, frames := range []int{13, 3, -1} {
		if got := nextPassive(passiveIdle, frames, 12); got != passiveEvery {
			t.Errorf("after %d frames where there were 12: wait %v; want %v", frames, got, passiveEvery)
		}
	}
}
