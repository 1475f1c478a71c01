package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// cpuTick is the kernel's clock tick, the unit of procfs's CPU times
// (USER_HZ: 100 on every Linux this runs on).
const cpuTick = 10 * time.Millisecond

// cpuSnapshot is the CPU time each process of a run had used at one moment,
// read from procfs: the servers, every process named postgres on this
// machine (its backends, WAL writer and checkpointer: PostgreSQL on this
// machine, as in every run here), and the machine's busy and total time.
type cpuSnapshot struct {
	servers, postgres map[int]time.Duration
	self              time.Duration
	busy, total       time.Duration // all CPUs, from /proc/stat
}

func takeCPU(servers []int) cpuSnapshot {
	s := cpuSnapshot{servers: map[int]time.Duration{}, postgres: map[int]time.Duration{}}
	for _, pid := range servers {
		s.servers[pid] = procCPU(strconv.Itoa(pid))
	}
	comms, _ := filepath.Glob("/proc/[0-9]*/comm")
	for _, c := range comms {
		if b, err := os.ReadFile(c); err == nil && strings.TrimSpace(string(b)) == "postgres" {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(c)))
			s.postgres[pid] = procCPU(strconv.Itoa(pid))
		}
	}
	s.self = procCPU("self")
	s.busy, s.total = machineCPU()
	return s
}

// procCPU is a process's user and system time (0 if it is gone).
func procCPU(pid string) time.Duration {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count from after it.
	_, rest, ok := strings.Cut(string(b), ") ")
	if !ok {
		return 0
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * cpuTick
}

// machineCPU is the time all CPUs spent busy, and in all, since boot.
func machineCPU() (busy, total time.Duration) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0
	}
	for i, v := range f[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		total += time.Duration(n) * cpuTick
		if i != 3 && i != 4 { // idle, iowait
			busy += time.Duration(n) * cpuTick
		}
	}
	return busy, total
}

// cpuUse is what a run's processes used between two snapshots, and the
// wrk processes' own time (from their rusage).
type cpuUse struct {
	server, postgres, self, wrk time.Duration
	busy                        float64 // of the machine's CPUs, 0-1
}

func cpuBetween(a, b cpuSnapshot, wrk time.Duration) cpuUse {
	u := cpuUse{self: b.self - a.self, wrk: wrk}
	for pid, t := range b.servers {
		u.server += t - a.servers[pid]
	}
	for pid, t := range b.postgres {
		u.postgres += t - a.postgres[pid] // a backend started meanwhile counts whole
	}
	if b.total > a.total {
		u.busy = float64(b.busy-a.busy) / float64(b.total-a.total)
	}
	return u
}

// perCall describes u per call answered.
func (u cpuUse) perCall(calls int64) string {
	if calls == 0 {
		return "no calls"
	}
	us := func(d time.Duration) int64 { return d.Microseconds() / calls }
	s := fmt.Sprintf("CPU a call: server %d µs", us(u.server))
	if us(u.postgres) > 0 { // PostgreSQL idle beside a SQLite run reads 0
		s += fmt.Sprintf(", PostgreSQL %d µs", us(u.postgres))
	}
	if u.wrk > 0 {
		s += fmt.Sprintf(", wrk %d µs", us(u.wrk))
	}
	return s + fmt.Sprintf(", bench process %d µs; the machine's CPUs %.0f%% busy", us(u.self), 100*u.busy)
}
