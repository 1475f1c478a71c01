package bench

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

//go:embed wrk.lua
var wrkScript string

// wrkLoad runs one wrk process (one thread) per base, the connections
// split between them, each sending Exotel calls tagged tag*10+its index,
// and sums what they measured. p50 and p99 are the worst process's.
func wrkLoad(ctx context.Context, dir string, conns int, d time.Duration, bases []string, tag int) (Result, error) {
	bin, err := exec.LookPath("wrk")
	if err != nil {
		return Result{}, fmt.Errorf("--load wrk needs wrk (apt-get install -y wrk): %w", err)
	}
	results := make([]Result, len(bases))
	errs := make([]error, len(bases))
	var wg sync.WaitGroup
	for i, base := range bases {
		c := conns / len(bases)
		if i < conns%len(bases) {
			c++
		}
		wg.Go(func() { results[i], errs[i] = wrkOne(ctx, bin, dir, base, c, d, tag*10+i) })
	}
	wg.Wait()
	var sum Result
	for i, r := range results {
		if errs[i] != nil {
			return Result{}, errs[i]
		}
		sum.OK += r.OK
		sum.Failed += r.Failed
		sum.Elapsed = max(sum.Elapsed, r.Elapsed)
		sum.LoadCPU += r.LoadCPU
		sum.P50, sum.P99 = max(sum.P50, r.P50), max(sum.P99, r.P99)
	}
	return sum, nil
}

// wrkOne runs `wrk -t1` with the Lua script against base and reads the
// line its done() prints.
func wrkOne(ctx context.Context, bin, dir, base string, conns int, d time.Duration, tag int) (Result, error) {
	script := filepath.Join(dir, fmt.Sprintf("exotel-%02d.lua", tag))
	lua := strings.NewReplacer("@PATH@", "/hooks/exotel/"+benchSecret, "@TAG@", fmt.Sprintf("%02d", tag)).Replace(wrkScript)
	if err := os.WriteFile(script, []byte(lua), 0o600); err != nil {
		return Result{}, err
	}
	secs := max(1, int(d.Round(time.Second).Seconds()))
	cmd := exec.CommandContext(ctx, bin, "-t1", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", secs), "--timeout", "30s", "-s", script, base+"/")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return Result{}, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	r, err := parseWrk(string(out))
	r.LoadCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return r, err
}

// parseWrk reads the script's JODO-WRK line.
func parseWrk(out string) (Result, error) {
	for line := range strings.SplitSeq(out, "\n") {
		rest, ok := strings.CutPrefix(line, "JODO-WRK ")
		if !ok {
			continue
		}
		var reqs, us, status, socket, p50, p99 int64
		if _, err := fmt.Sscanf(rest, "requests=%d duration_us=%d status_errors=%d socket_errors=%d p50_us=%d p99_us=%d",
			&reqs, &us, &status, &socket, &p50, &p99); err != nil {
			return Result{}, fmt.Errorf("wrk's summary %q: %w", rest, err)
		}
		return Result{OK: reqs - status, Failed: status + socket, Elapsed: time.Duration(us) * time.Microsecond,
			P50: time.Duration(p50) * time.Microsecond, P99: time.Duration(p99) * time.Microsecond}, nil
	}
	return Result{}, fmt.Errorf("wrk printed no summary:\n%s", out)
}
