package hooks_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
	"github.com/jodo-org/jodo/internal/whatsapp"
)

// dbFootprint is what a storm must not change: every table's row count,
// and the space the database takes (SQLite: the file and its WAL;
// PostgreSQL: every table's pg_total_relation_size).
func (w *hookWorld) dbFootprint(t *testing.T) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range storetest.Tables(t, w.db) {
		out["rows "+table] = storetest.RowCount(t, w.db, table)
		if w.db.Engine() == store.Postgres {
			out["size "+table] = storetest.TableSize(t, w.db, table)
		}
	}
	if w.db.Engine() == store.SQLite {
		path := strings.TrimPrefix(strings.SplitN(w.dbURL, "?", 2)[0], "sqlite:")
		for _, f := range []string{path, path + "-wal"} {
			fi, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			out["file "+f] = fi.Size()
		}
	}
	return out
}

// stormRequest is the i-th hostile request: a wrong or missing secret, a
// missing, malformed or wrong signature, a provider the server has no
// credentials for, a huge body or bad bytes, spread over every hook route
// of the configured server (full) and of one configured with nothing (bare).
func stormRequest(i int, full, bare string) *http.Request {
	call := url.Values{"CallSid": {fmt.Sprintf("CA%06d", i)}, "From": {"+14155550100"}, "To": {"+14155550123"}}.Encode()
	wa := waBody([]string{waText(fmt.Sprintf("wamid.storm%d", i), "919812300001")}, nil)
	zeros := "sha256=" + strings.Repeat("0", 64)
	badBytes := "CallSid=\xff\xfe%00&From=%FF" + strings.Repeat("\x00", 100)
	type shape struct{ method, target, body, header, value string }
	shapes := []shape{
		{"GET", full + "/hooks/exotel/wrong-secret-0123456789?" + call, "", "", ""},
		{"POST", full + "/hooks/exotel/" + strings.ToUpper(exoSecret), call, "", ""},
		{"POST", full + "/hooks/exotel/%00", badBytes, "", ""},
		{"POST", full + "/hooks/myoperator/" + myopSecret[:12], "{\"_ai\":[\"\xff\"]}", "", ""},
		{"POST", full + "/hooks/missed-call/" + strings.Repeat("s", 5000), `{"call_id":"x\u0000"}`, "", ""},
		{"POST", full + "/hooks/missed-call/", `{"call_id":"x"}`, "", ""},
		{"POST", full + "/hooks/exotel/sms-status/" + strings.Repeat("0", 32), "SmsSid=s&Status=sent", "", ""},
		{"POST", full + "/hooks/twilio/voice", "%zz" + badBytes, "", ""},
		{"POST", full + "/hooks/twilio/voice", call, "X-Twilio-Signature", intake.TwilioSignature("another-token", full+"/hooks/twilio/voice", nil)},
		{"POST", full + "/hooks/twilio/voice", call, "X-Twilio-Signature", "not base64"},
		{"POST", full + "/hooks/whatsapp", wa, "", ""},
		{"POST", full + "/hooks/whatsapp", wa, "X-Hub-Signature-256", "sha256=xyz"},
		{"POST", full + "/hooks/whatsapp", wa, "X-Hub-Signature-256", zeros},
		{"POST", full + "/hooks/whatsapp", badBytes, "X-Hub-Signature-256", whatsapp.Signature([]byte("another secret"), []byte(badBytes))},
		{"GET", full + "/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", "", "", ""},
		{"POST", bare + "/hooks/twilio/voice", call, "X-Twilio-Signature", intake.TwilioSignature("", bare+"/hooks/twilio/voice", nil)},
		{"POST", bare + "/hooks/whatsapp", wa, "X-Hub-Signature-256", whatsapp.Signature(nil, []byte(wa))},
		{"GET", bare + "/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=1", "", "", ""},
		{"POST", bare + "/hooks/missed-call/" + globalSecret, `{"call_id":"c","from":"9876543210"}`, "", ""},
		{"GET", bare + "/hooks/exotel/" + globalSecret + "?" + call, "", "", ""},
		{"POST", bare + "/hooks/exotel/sms-status/" + smsSecret(), "SmsSid=s&Status=sent", "", ""},
	}
	s := shapes[i%len(shapes)]
	huge := hugeBody
	switch i % 500 {
	case 7: // huge, behind a well-formed signature
		s = shape{"POST", full + "/hooks/whatsapp", huge, "X-Hub-Signature-256", zeros}
	case 8:
		s = shape{"POST", full + "/hooks/twilio/voice", huge, "X-Twilio-Signature", "rzmw0DpC5+03x0wOOy7heQ8iCbw="}
	case 9:
		s = shape{"POST", full + "/hooks/exotel/wrong-secret", huge, "", ""}
	}
	req, err := http.NewRequest(s.method, s.target, strings.NewReader(s.body))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if i%3 == 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.header != "" {
		req.Header.Set(s.header, s.value)
	}
	return req
}

var hugeBody = strings.Repeat("x", 1<<20)

// Issue 14's done-when: 10,000 unauthenticated requests of every shape to
// every hook leave the database's size and row counts unchanged.
func TestHostileStormStoresNothing(t *testing.T) {
	w := newHookWorld(t)
	bare := w.serve(t, func(base string) *config.Config { return &config.Config{BaseURL: base} })
	if err := w.db.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := w.dbFootprint(t)

	const requests, clients = 10_000, 16
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	t.Cleanup(client.CloseIdleConnections)
	var next, answered atomic.Int64
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < requests; i = int(next.Add(1) - 1) {
				resp, err := client.Do(stormRequest(i, w.url, bare))
				if err != nil {
					continue // the server may close a connection whose body it did not read
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				answered.Add(1)
				code := resp.StatusCode
				if code == http.StatusBadRequest && strings.Contains(string(body), "cannot be read") {
					code = edgeRefused // bad bytes in the path or query, refused before any route
				}
				mu.Lock()
				codes[code]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for code, n := range codes {
		if code == edgeRefused {
			continue
		}
		if code < 400 || code >= 500 || code == http.StatusBadRequest {
			t.Errorf("%d hostile requests answered %d", n, code)
		}
	}
	if answered.Load() < requests*99/100 {
		t.Errorf("only %d of %d requests answered", answered.Load(), requests)
	}
	after := w.dbFootprint(t)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %d before the storm, %d after", k, v, after[k])
		}
	}
	t.Logf("answers: %v", codes)
}

// edgeRefused counts, among the storm's answers, the 400s of the server's
// edge (a NUL or bytes that are not UTF-8 in the path or query): refused
// before any hook reads the request. Any other 400 would mean a hook took
// a request as authenticated and kept it as malformed.
const edgeRefused = 1400
