package latproxy

import (
	"runtime"
	"slices"
	"time"
)

// waiter returns at (never before) a deadline. time.Sleep cannot: the
// runtime's timers wake about a millisecond late on Linux (its netpoller
// waits in whole milliseconds), twice the delay being added. A waiter
// sleeps in the kernel until shortly before the deadline, by as much as
// the kernel's sleeps were measured to overshoot, and yields the processor
// for the last microseconds, so it is on time without burning a core.
type waiter func(deadline time.Time)

func newWaiter() waiter {
	early := overshoot()
	return func(deadline time.Time) {
		if d := time.Until(deadline) - early; d > 0 {
			sleep(d)
		}
		for time.Now().Before(deadline) {
			runtime.Gosched()
		}
	}
}

// overshoot measures how late the kernel's sleep wakes (the median of a
// few short sleeps), plus a margin, so sleeping that much less ends just
// before a deadline.
func overshoot() time.Duration {
	const d = 100 * time.Microsecond
	late := make([]time.Duration, 15)
	for i := range late {
		t0 := time.Now()
		sleep(d)
		late[i] = time.Since(t0) - d
	}
	slices.Sort(late)
	return late[len(late)/2] + 20*time.Microsecond
}
