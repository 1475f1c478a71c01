package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/app"
	"github.com/jodo-org/jodo/internal/config"
)

// childEnv, set to 1, makes the test binary behave as cmd/jodo's main with
// the arguments after childMarker, so tests can start real jodo processes
// (and SIGKILL them) without building the binary.
const (
	childEnv    = "JODO_APP_TEST_CHILD"
	childMarker = "--jodo--"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(childMain(os.Args))
	}
	os.Exit(m.Run())
}

// childMain is cmd/jodo's main, returning the exit code instead of exiting.
func childMain(argv []string) int {
	i := slices.Index(argv, childMarker)
	if i < 0 {
		fmt.Fprintf(os.Stderr, "jodo test child: no %s in the arguments\n", childMarker)
		return 2
	}
	cfg, err := config.Parse(argv[i+1:], os.LookupEnv, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "jodo:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := app.Run(ctx, cfg, app.IO{Stdout: os.Stdout, Stderr: os.Stderr, Env: os.LookupEnv}); err != nil {
		fmt.Fprintln(os.Stderr, "jodo:", err)
		return 1
	}
	return 0
}

// jodoProcess is a jodo command running as a child process.
type jodoProcess struct {
	cmd  *exec.Cmd
	log  *childLog
	done chan struct{} // closed once the process has exited and been reaped
	err  error         // Wait's answer, once done
}

// startJodoProcess runs `jodo args…` as a child process with JSON logs and
// only the JODO_* variables in env (none inherited). It is killed at the
// end of the test, and its log is shown if the test failed.
func startJodoProcess(t *testing.T, env map[string]string, args ...string) *jodoProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{childMarker}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "JODO_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, childEnv+"=1", "JODO_LOG_FORMAT=json")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &jodoProcess{cmd: cmd, log: &childLog{addr: make(chan string, 1)}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.log, p.log
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("jodo %s (pid %d) output:\n%s", strings.Join(args, " "), cmd.Process.Pid, p.log)
		}
	})
	return p
}

// waitListening returns the process's base URL once it logs that it listens.
func (p *jodoProcess) waitListening(t *testing.T) string {
	t.Helper()
	select {
	case addr := <-p.log.addr:
		return "http://" + addr
	case <-p.done:
		t.Fatalf("jodo exited before listening (%v):\n%s", p.err, p.log)
	case <-time.After(20 * time.Second):
		t.Fatalf("jodo did not start listening:\n%s", p.log)
	}
	return ""
}

// kill ends the process with SIGKILL, as a crash would.
func (p *jodoProcess) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
}

// stop sends SIGTERM and expects a clean exit.
func (p *jodoProcess) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("jodo exited with %v after SIGTERM", p.err)
		}
	case <-time.After(20 * time.Second):
		t.Error("jodo did not stop on SIGTERM")
	}
}

// childLog keeps a child's output and reports the address of its
// "listening" log line.
type childLog struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	scanned int
	addr    chan string
}

func (l *childLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(b)
	for {
		rest := l.buf.Bytes()[l.scanned:]
		end := bytes.IndexByte(rest, '\n')
		if end < 0 {
			return len(b), nil
		}
		l.scanned += end + 1
		var line struct{ Msg, Addr string }
		if json.Unmarshal(rest[:end], &line) == nil && line.Msg == "listening" {
			select {
			case l.addr <- line.Addr:
			default:
			}
		}
	}
}

func (l *childLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}
