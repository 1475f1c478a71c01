package hooks

import "time"

// SetUnverifiedWait shortens the wait for a reading slot; the returned
// func restores it.
func SetUnverifiedWait(d time.Duration) func() {
	old := unverifiedWait
	unverifiedWait = d
	return func() { unverifiedWait = old }
}
