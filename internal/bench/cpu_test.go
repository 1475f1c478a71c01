package bench

import (
	"os"
	"strings"
	"testing"
	"time"
)

// takeCPU reads a server's CPU time from procfs: this process, made to
// spin for a while between two snapshots, is counted for that long.
func TestCPUBetweenCountsTheServersTime(t *testing.T) {
	self := os.Getpid()
	a := takeCPU([]int{self})
	for start := time.Now(); time.Since(start) < 300*time.Millisecond; {
	}
	u := cpuBetween(a, takeCPU([]int{self}), 5*time.Millisecond)
	if u.server < 200*time.Millisecond || u.server > 2*time.Second {
		t.Errorf("300 ms of spinning counted %v of server CPU", u.server)
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
