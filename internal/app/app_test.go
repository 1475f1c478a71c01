// The tests run in parallel (t.Parallel, as many at once as go test's
// -parallel: GOMAXPROCS by default). Each starts its own server on its own
// database and a port of its own, and most of their time is waiting (on
// polls, backoffs, leases and browsers): one after another they took
// 215–227 s on SQLite and 330 s on PostgreSQL, two at a time 123–127 and
// 174–178, on two cores. A test that changes the process (t.Chdir,
// t.Setenv) cannot run beside others and stays serial.
package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/app"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServer runs `jodo serve` in-process on a fresh database and returns
// its URL, its log and a function that stops it and returns Run's error.
func startServer(t *testing.T, dbURL string) (string, *syncBuffer, func() error) {
	t.Helper()
	return start(t, "serve", dbURL, io.Discard)
}

// start runs command ("serve" or "demo") in-process.
func start(t *testing.T, command, dbURL string, stdout io.Writer) (string, *syncBuffer, func() error) {
	t.Helper()
	return startWith(t, command, dbURL, stdout, nil)
}

// startWith runs command in-process with more of its environment and
// flags.
func startWith(t *testing.T, command, dbURL string, stdout io.Writer, extra map[string]string, flags ...string) (string, *syncBuffer, func() error) {
	t.Helper()
	env := map[string]string{"JODO_LOG_FORMAT": "json", "JODO_METRICS_TOKEN": testMetricsToken}
	maps.Copy(env, extra)
	if command == "serve" {
		env["JODO_SECRET_KEY"] = strings.Repeat("k", 32)
	}
	args := append([]string{command, "--db", dbURL, "--addr", "127.0.0.1:0"}, flags...)
	if command == "demo" && !slices.Contains(flags, "--seed") {
		// An empty demo drive, which tests count on, unless the test asks
		// for a generated history with its own --seed.
		args = append(args, "--seed", "0")
	}
	cfg, err := config.Parse(args, mapEnv(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, cfg, app.IO{Stdout: stdout, Stderr: logs, Ready: func(u string) { ready <- u }})
	}()
	select {
	case u := <-ready:
		stop := func() error {
			cancel()
			select {
			case err := <-done:
				return err
			case <-time.After(30 * time.Second):
				t.Fatal("server did not stop")
				return nil
			}
		}
		t.Cleanup(func() { cancel() })
		return u, logs, stop
	case err := <-done:
		t.Fatalf("server exited: %v\n%s", err, logs)
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not start\n%s", logs)
	}
	return "", nil, nil
}

func mapEnv(m map[string]string) config.Env {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeHealthReadyMetricsAndShutdown(t *testing.T) {
	t.Parallel()
	base, logs, stop := startServer(t, storetest.URL(t))

	if code, body := get(t, base+"/healthz"); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("healthz: %d %s", code, body)
	}
	if code, body := get(t, base+"/readyz"); code != 200 {
		t.Fatalf("readyz: %d %s", code, body)
	}
	code, body := get(t, base+"/api/v1/nothing-here")
	var apiErr struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if code != 404 || json.Unmarshal([]byte(body), &apiErr) != nil || apiErr.Error.Code != "not_found" || apiErr.Error.Message == "" {
		t.Fatalf("API 404: %d %s", code, body)
	}
	if code, body := get(t, base+"/no/such/page"); code != 404 || !strings.Contains(body, "<html") {
		t.Fatalf("page 404: %d %s", code, body)
	}
	metrics := getMetrics(t, base)
	for _, want := range []string{
		`jodo_http_requests_total{code="200",method="GET",route="/healthz"} 1`,
		`jodo_http_requests_total{code="404",method="GET",route="/api/"} 1`,
		`jodo_http_request_duration_seconds_bucket{route="/readyz"`,
		`go_sql_open_connections{db_name="jodo",pool=`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(metrics, "nothing-here") {
		t.Error("metrics carry a raw path")
	}
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if !strings.Contains(logs.String(), `"request_id"`) {
		t.Errorf("request log lines carry no request id:\n%s", logs)
	}
}

func TestServeRequiresSecretKey(t *testing.T) {
	t.Parallel()
	_, err := config.Parse([]string{"serve"}, mapEnv(nil), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "JODO_SECRET_KEY") {
		t.Fatalf("serve without a secret key: %v", err)
	}
}
