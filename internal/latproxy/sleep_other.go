//go:build !linux

package latproxy

import "time"

// sleep is time.Sleep where nanosleep(2) is not at hand; it may wake late.
func sleep(d time.Duration) { time.Sleep(d) }
