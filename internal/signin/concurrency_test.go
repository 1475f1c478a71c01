package signin

import (
	"context"
	"sync"
	"testing"
)

// race runs fn n times at once and counts the errors it returned, by
// error (nil for successes).
func race(n int, fn func() error) map[error]int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	got := map[error]int{}
	for range n {
		wg.Go(func() {
			err := fn()
			mu.Lock()
			got[err]++
			mu.Unlock()
		})
	}
	wg.Wait()
	return got
}

func TestConcurrentChecks(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := context.Background()
	code := f.mustSend(t, phoneA, client)
	got := race(8, func() error { _, err := f.s.Verify(ctx, phoneA, code); return err })
	if got[nil] != 1 || got[ErrCodeExpired] != 7 {
		t.Errorf("8 checks of one right code at once: %v; want one success", got)
	}

	code = f.mustSend(t, phoneA, client)
	got = race(8, func() error { _, err := f.s.Verify(ctx, phoneA, wrong(code)); return err })
	if got[ErrCodeWrong] != 4 || got[ErrCodeTries] != 4 {
		t.Errorf("8 wrong checks at once: %v; want 4 wrong and then locked", got)
	}
}

func TestConcurrentSendsKeepThePhoneLimit(t *testing.T) {
	f := newFixture(t, Config{})
	got := race(8, func() error { return f.send(t, phoneA, client) })
	if got[nil] != 3 || got[ErrPhoneLimited] != 5 {
		t.Errorf("8 code requests at once: %v; want 3 sent", got)
	}
	if n := f.messages(t); n != 3 {
		t.Errorf("%d SMS queued, want 3", n)
	}
}
