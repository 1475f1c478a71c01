package bench

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// takeCPU reads a server's CPU time from procfs: this process, made to
// burn CPU between two snapshots, is counted for what its own rusage says
// it burned (to the kernel's 10 ms tick), however busy the machine is.
func TestCPUBetweenCountsTheServersTime(t *testing.T) {
	self := os.Getpid()
	rusage := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	a, r0 := takeCPU([]int{self}), rusage()
	for rusage()-r0 < 300*time.Millisecond {
	}
	b, burned := takeCPU([]int{self}), rusage()-r0
	u := cpuBetween(a, b, 5*time.Millisecond)
	if d := u.server - burned; d < -50*time.Millisecond || d > 50*time.Millisecond {
		t.Errorf("procfs counted %v of server CPU, rusage %v", u.server, burned)
	}
	if d := u.self - u.server; d < -50*time.Millisecond || d > 50*time.Millisecond { // read a moment apart
		t.Errorf("the bench process %v, the same process as a server %v", u.self, u.server)
	}
	if u.busy <= 0 || u.busy > 1 {
		t.Errorf("the machine %v busy", u.busy)
	}
	if got := u.perCall(1000); !strings.HasPrefix(got, "CPU a call: server ") || !strings.Contains(got, "wrk 5 µs") || u.perCall(0) != "no calls" {
		t.Errorf("perCall: %q", got)
	}
}
