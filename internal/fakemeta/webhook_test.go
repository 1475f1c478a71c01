package fakemeta

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	sampleOut = "wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSQjk2NzQ3NDQxQ0VCNzUwNENFAA=="
	sampleIn  = "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0E2RjFDMkI5RDRFOEE3QjVDMTAA"
	secret    = "test_app_secret_do_not_use"
)

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decoded(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return v
}

// The signature matches PROVIDERS.md's test vector.
func TestSignatureMatchesTheVector(t *testing.T) {
	vector := readFile(t, "whatsapp_signature.txt")
	var want string
	for line := range strings.Lines(string(vector)) {
		if v, ok := strings.CutPrefix(line, "X-Hub-Signature-256: "); ok {
			want = strings.TrimSpace(v)
		}
	}
	if got := Signature(secret, readFile(t, "whatsapp_text.compact.json")); want == "" || got != want {
		t.Errorf("Signature = %s, want %s", got, want)
	}
}

// An inbound text built from the sample's values is the sample's wire bytes.
func TestTextBodyIsTheSampleOnTheWire(t *testing.T) {
	got := textBody(DisplayNumber, PhoneNumberID, "919876543210", sampleIn,
		"Hi, I just gave a missed call. Please share the details.", time.Unix(1763095530, 0))
	if want := readFile(t, "whatsapp_text.compact.json"); !bytes.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// Status webhooks built from the samples' values decode to the samples.
func TestStatusBodiesMatchSamples(t *testing.T) {
	sent := Request{PhoneNumberID: PhoneNumberID, Type: "text", To: "919876543210", MessageID: sampleOut}
	failed := Request{PhoneNumberID: PhoneNumberID, Type: "text", To: "+919812345678",
		MessageID: "wamid.HBgMOTE5ODEyMzQ1Njc4FQIAERgSN0M1RTFBOUYzQjJEOEU0QTYxAA=="}
	for _, c := range []struct {
		rec    Request
		status string
		code   int
		at     int64
	}{
		{sent, "sent", 0, 1763095591},
		{sent, "delivered", 0, 1763095592},
		{sent, "read", 0, 1763095620},
		{failed, "failed", 131047, 1763095830},
	} {
		body, err := statusBody(c.rec, DisplayNumber, c.status, c.code, time.Unix(c.at, 0))
		if err != nil {
			t.Fatal(err)
		}
		if want := decoded(t, readFile(t, "whatsapp_status_"+c.status+".json")); !reflect.DeepEqual(decoded(t, body), want) {
			t.Errorf("%s: got\n%s", c.status, body)
		}
	}
	if _, err := statusBody(sent, DisplayNumber, "failed", 0, time.Now()); err == nil {
		t.Error("failed without a code was built")
	}
	if _, err := statusBody(sent, DisplayNumber, "deleted", 0, time.Now()); err == nil {
		t.Error("an unknown status was built")
	}
}

// hook is a webhook receiver that checks X-Hub-Signature-256 with its own
// HMAC over the raw body, as the server must.
type hook struct {
	*httptest.Server
	mu     sync.Mutex
	bodies [][]byte
	heads  []http.Header
}

func newHook(t *testing.T) *hook {
	h := &hook{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		m := hmac.New(sha256.New, []byte(secret))
		m.Write(body)
		want := "sha256=" + hex.EncodeToString(m.Sum(nil))
		if !hmac.Equal([]byte(r.Header.Get("X-Hub-Signature-256")), []byte(want)) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		h.bodies, h.heads = append(h.bodies, body), append(h.heads, r.Header.Clone())
	}))
	t.Cleanup(h.Close)
	return h
}

func TestPostStatusIsSignedForARecordedMessage(t *testing.T) {
	g := NewFakeGraph("tok")
	defer g.Close()
	h := newHook(t)
	id := acceptText(t, g, "+919876543210")
	ctx := context.Background()
	if err := g.PostStatus(ctx, h.URL, secret, id, "delivered", 0); err != nil {
		t.Fatal(err)
	}
	if err := g.PostStatus(ctx, h.URL, secret, id, "failed", 131026); err != nil {
		t.Fatal(err)
	}
	if len(h.bodies) != 2 || h.heads[0].Get("User-Agent") != "facebookexternalua" || h.heads[0].Get("Content-Type") != "application/json" {
		t.Fatalf("hook received %d, headers %v", len(h.bodies), h.heads)
	}
	var env struct {
		Entry []struct {
			Changes []struct {
				Value struct {
					Metadata map[string]string
					Statuses []struct {
						ID, Status  string
						RecipientID string `json:"recipient_id"`
						Errors      []struct{ Code int }
					}
				}
			}
		}
	}
	for i, want := range []string{"delivered", "failed"} {
		if err := json.Unmarshal(h.bodies[i], &env); err != nil {
			t.Fatal(err)
		}
		v := env.Entry[0].Changes[0].Value
		st := v.Statuses[0]
		if st.ID != id || st.Status != want || st.RecipientID != "919876543210" || v.Metadata["phone_number_id"] != PhoneNumberID {
			t.Errorf("%s: %s", want, h.bodies[i])
		}
		if want == "failed" && (len(st.Errors) != 1 || st.Errors[0].Code != 131026) {
			t.Errorf("failed: %s", h.bodies[i])
		}
	}
	if !bytes.Contains(h.bodies[1], []byte(`https:\/\/developers.facebook.com`)) {
		t.Errorf("slashes not escaped as Meta does: %s", h.bodies[1])
	}
	if err := g.PostStatus(ctx, h.URL, "another secret", id, "read", 0); err == nil {
		t.Error("a webhook signed with another secret was taken")
	}
	if err := g.PostStatus(ctx, h.URL, secret, "wamid.unknown", "read", 0); err == nil {
		t.Error("a status for a message never sent was posted")
	}
}

// Inbound text is escaped like Meta's signed bodies, so the signature holds
// only over the raw bytes, and its wamid has the inbound layout.
func TestPostTextIsSignedAndEscaped(t *testing.T) {
	g := NewFakeGraph("tok")
	defer g.Close()
	h := newHook(t)
	id, err := g.PostText(context.Background(), h.URL, secret, DisplayNumber, PhoneNumberID, "919876543210", "नमस्ते, call me back")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.bodies) != 1 || !bytes.Contains(h.bodies[0], []byte(`\u0928\u092e`)) {
		t.Fatalf("hook received %q", h.bodies)
	}
	var env struct {
		Entry []struct {
			Changes []struct {
				Value struct {
					Messages []struct {
						From, ID, Type string
						Text           struct{ Body string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(h.bodies[0], &env); err != nil {
		t.Fatal(err)
	}
	m := env.Entry[0].Changes[0].Value.Messages[0]
	if m.ID != id || m.From != "919876543210" || m.Type != "text" || m.Text.Body != "नमस्ते, call me back" {
		t.Errorf("message %+v, wamid %s", m, id)
	}
}

// Fresh wamids have the samples' layout and length.
func TestNewWAMIDLooksLikeMetas(t *testing.T) {
	for _, c := range []struct {
		inbound bool
		sample  string
		kind    byte
	}{{false, sampleOut, 0x11}, {true, sampleIn, 0x12}} {
		id := NewWAMID("919876543210", c.inbound)
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(id, "wamid."))
		if err != nil || len(id) != len(c.sample) || id == c.sample || raw[18] != c.kind ||
			!bytes.HasPrefix(raw, []byte("\x1c\x18\x0c919876543210\x15\x02\x00")) {
			t.Errorf("NewWAMID(inbound %v) = %s (%x)", c.inbound, id, raw)
		}
	}
}
