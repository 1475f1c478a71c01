package main_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

const stormSecret = "storm-hook-secret-0123456789"

// stormDrive is a drive that owns 1800 000 0000 from yesterday for 30 days.
func stormDrive(t *testing.T, dir string) string {
	t.Helper()
	ist := time.FixedZone("IST", 19800)
	start := time.Now().In(ist).AddDate(0, 0, -1).Format(time.DateOnly)
	end := time.Now().In(ist).AddDate(0, 0, 29).Format(time.DateOnly)
	path := filepath.Join(dir, "storm.json")
	os.WriteFile(path, []byte(fmt.Sprintf(`{"version":1,"slug":"storm","name":"Storm","starts_on":%q,"ends_on":%q,
		"timezone":"Asia/Kolkata","root_area":"JH","channels":[{"kind":"missed_call","number":"1800 000 0000"}],"targets":[]}`, start, end)), 0o600)
	return path
}

// runJodo runs a one-shot command of the real binary.
func runJodo(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(jodoBinary(t), args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("jodo %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
}

// A storm of missed calls hits a real server, which is killed with SIGKILL
// part-way and restarted. Every call that got a 200 must be there exactly
// once and counted exactly once; replaying the whole storm afterwards
// changes nothing for them and completes the rest.
func TestStormSurvivesSIGKILL(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "storm.db")
	if pg := storetest.PostgresURL(); pg != "" {
		db = storetest.NewSchema(t, pg)
	}
	runJodo(t, dir, "migrate", "--db", db)
	runJodo(t, dir, "import", "areas", "builtin:jharkhand", "--db", db)
	runJodo(t, dir, "drive", "apply", stormDrive(t, dir), "--db", db)

	p := startWith(t, dir, []string{"JODO_HOOK_SECRET=" + stormSecret}, "serve", "--db", db, "--addr", "127.0.0.1:0")
	base := p.waitListening(t)
	const total = 4000
	var acked sync.Map
	var nAcked atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	for range 32 {
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > total {
					return
				}
				if sendCall(client, base, i) == nil {
					acked.Store(i, true)
					nAcked.Add(1)
				}
			}
		})
	}
	for nAcked.Load() < total/3 {
		time.Sleep(time.Millisecond)
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
	wg.Wait()
	t.Logf("%d of %d calls acknowledged before the kill", nAcked.Load(), total)

	p = startWith(t, dir, []string{"JODO_HOOK_SECRET=" + stormSecret}, "serve", "--db", db, "--addr", "127.0.0.1:0")
	base = p.waitListening(t)
	check := openDB(t, db)
	acked.Range(func(k, _ any) bool {
		if n := countRows(t, check, "SELECT count(*) FROM inbox WHERE provider = 'generic' AND provider_key = $1", callID(k.(int64))); n != 1 {
			t.Errorf("acknowledged call %d stored %d times", k, n)
		}
		if n := countRows(t, check, "SELECT count(*) FROM contact_points WHERE value = $1", callerOf(k.(int64))); n != 1 {
			t.Errorf("acknowledged call %d: %d people", k, n)
		}
		return !t.Failed()
	})
	checkLeadsMatchParticipations(t, check)

	// Replay everything: the acknowledged calls are duplicates, the rest complete.
	next.Store(0)
	for range 16 {
		wg.Go(func() {
			for i := next.Add(1); i <= total; i = next.Add(1) {
				if err := sendCall(client, base, i); err != nil {
					t.Errorf("replay %d: %v", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := countRows(t, check, "SELECT count(*) FROM participations"); n != total {
		t.Errorf("%d participations after the replay, want %d", n, total)
	}
	checkLeadsMatchParticipations(t, check)
	p.stop(t)
}

func callID(i int64) string   { return fmt.Sprintf("storm-%06d", i) }
func callerOf(i int64) string { return fmt.Sprintf("+9198%08d", i) }

func sendCall(client *http.Client, base string, i int64) error {
	body := fmt.Sprintf(`{"call_id":%q,"from":%q,"to":"18000000000"}`, callID(i), callerOf(i))
	resp, err := client.Post(base+"/hooks/missed-call/"+stormSecret, "application/json", strings.NewReader(body))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

func openDB(t *testing.T, url string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", url
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		driver, dsn = "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func countRows(t *testing.T, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Every lead counted is a participation and every participation was
// counted once, at the root and in the own counters alike.
func checkLeadsMatchParticipations(t *testing.T, db *sql.DB) {
	t.Helper()
	parts := countRows(t, db, "SELECT count(*) FROM participations")
	own := countRows(t, db, "SELECT COALESCE(sum(value), 0) FROM counters WHERE metric = 'leads'")
	totals := countRows(t, db, "SELECT COALESCE(sum(c.value), 0) FROM counter_totals c JOIN areas a ON a.id = c.area_id WHERE c.metric = 'leads' AND a.code = 'JH'")
	if own != parts || totals != parts {
		t.Errorf("%d participations, %d leads counted, %d in JH's totals", parts, own, totals)
	}
}
