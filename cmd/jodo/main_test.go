package main_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// jodoBinary builds the real binary once per test run.
func jodoBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "jodo-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "jodo")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = &buildError{err, string(out)}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

type proc struct {
	cmd  *exec.Cmd
	addr chan string
	logs *strings.Builder
	mu   *sync.Mutex
}

// start runs the binary with JSON logs and reports the address it listens on.
func start(t *testing.T, dir string, args ...string) *proc {
	t.Helper()
	return startWith(t, dir, nil, args...)
}

// startWith is start with extra environment variables.
func startWith(t *testing.T, dir string, env []string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(jodoBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "JODO_LOG_FORMAT=json", "JODO_SECRET_KEY="+strings.Repeat("s", 40))
	cmd.Env = append(cmd.Env, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	p := &proc{cmd: cmd, addr: make(chan string, 1), logs: &strings.Builder{}, mu: &sync.Mutex{}}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.logs.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
				p.addr <- line.Addr
			}
		}
	}()
	return p
}

func (p *proc) waitListening(t *testing.T) string {
	t.Helper()
	select {
	case a := <-p.addr:
		return "http://" + a
	case <-time.After(60 * time.Second):
		p.mu.Lock()
		defer p.mu.Unlock()
		t.Fatalf("jodo did not start listening:\n%s", p.logs)
		return ""
	}
}

// stop sends SIGTERM and expects a clean exit.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			p.mu.Lock()
			defer p.mu.Unlock()
			t.Fatalf("jodo exited with %v:\n%s", err, p.logs)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("jodo did not stop on SIGTERM")
	}
}

func status(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// The README's first command: jodo demo creates its database and answers.
func TestDemoBinary(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir, "demo", "--addr", "127.0.0.1:0")
	base := p.waitListening(t)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 404} {
		if c := status(t, base+path); c != want {
			t.Fatalf("%s: %d, want %d (/metrics only with JODO_METRICS_TOKEN or JODO_METRICS_ADDR)", path, c, want)
		}
	}
	p.stop(t)
	if _, err := os.Stat(filepath.Join(dir, "jodo-demo.db")); err != nil {
		t.Fatalf("demo did not create jodo-demo.db: %v", err)
	}
	out, err := exec.Command(jodoBinary(t), "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "jodo ") {
		t.Fatalf("version: %q %v", out, err)
	}
}

// Two servers started at the same moment on one empty PostgreSQL database
// both come up: one migrates, the other waits for the lock.
func TestTwoServersStartTogetherOnPostgres(t *testing.T) {
	pg := storetest.RequirePostgres(t)
	url := storetest.NewSchema(t, pg)
	dir := t.TempDir()
	a := start(t, dir, "serve", "--db", url, "--addr", "127.0.0.1:0")
	b := start(t, dir, "serve", "--db", url, "--addr", "127.0.0.1:0")
	for _, p := range []*proc{a, b} {
		base := p.waitListening(t)
		if c := status(t, base+"/readyz"); c != 200 {
			t.Fatalf("readyz: %d", c)
		}
	}
	rows, distinct := storetest.Migrations(t, storetest.Attach(t, url))
	if rows != distinct || rows == 0 {
		t.Fatalf("schema_migrations has %d rows for %d versions", rows, distinct)
	}
	a.stop(t)
	b.stop(t)
}
