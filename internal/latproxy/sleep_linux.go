package latproxy

import (
	"syscall"
	"time"
)

// sleep blocks the goroutine's thread in nanosleep(2), which wakes within
// tens of microseconds of d.
func sleep(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}
