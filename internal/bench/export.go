package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Child is what one run of a jodo command as a child process took: wall
// time, CPU (user + system) and peak resident set size, with its standard
// error (the command's summary line).
type Child struct {
	Wall, CPU time.Duration
	MaxRSS    int64 // bytes
	Stderr    string
}

// RunChild runs bin with args in dir (env added to this process's) and
// measures it from the kernel's accounting of the finished child.
func RunChild(bin, dir string, env []string, args ...string) (Child, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	c := Child{Wall: time.Since(start), Stderr: strings.TrimSpace(stderr.String())}
	if err != nil {
		return c, fmt.Errorf("jodo %s: %w\n%s", strings.Join(args, " "), err, c.Stderr)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		c.MaxRSS = ru.Maxrss << 10 // kilobytes on Linux
	}
	c.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return c, nil
}
