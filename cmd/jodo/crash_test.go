package main_test

import (
	"bytes"
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

	"github.com/jodo-org/jodo/internal/store"
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
	check := storetest.Attach(t, db)
	acked.Range(func(k, _ any) bool {
		if n := storetest.InboxCount(t, check, storetest.Inbox{Provider: "generic", Key: callID(k.(int64))}); n != 1 {
			t.Errorf("acknowledged call %d stored %d times", k, n)
		}
		if n := storetest.ContactCount(t, check, storetest.Contacts{Value: callerOf(k.(int64))}); n != 1 {
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
	if n := storetest.ParticipationCount(t, check, storetest.Participations{}); n != total {
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

// Every lead counted is a participation and every participation was
// counted once, at the root and in the own counters alike.
func checkLeadsMatchParticipations(t *testing.T, db *store.DB) {
	t.Helper()
	parts := int64(storetest.ParticipationCount(t, db, storetest.Participations{}))
	own := storetest.LeadsCounted(t, db)
	totals := storetest.LeadsTotalAt(t, db, "JH")
	if own != parts || totals != parts {
		t.Errorf("%d participations, %d leads counted, %d in JH's totals", parts, own, totals)
	}
}
