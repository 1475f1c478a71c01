package fakemeta

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// post sends body to the fake's messages edge for PhoneNumberID.
func post(t *testing.T, g *FakeGraph, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, g.BaseURL+"/"+PhoneNumberID+"/messages", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v map[string]any
	_ = json.Unmarshal(b, &v)
	return resp.StatusCode, v
}

func textRequest(to string) string {
	return `{"messaging_product":"whatsapp","recipient_type":"individual","to":"` + to + `","type":"text","text":{"body":"Hello"}}`
}

// acceptText has the fake accept a text to "to" and returns its wamid.
func acceptText(t *testing.T, g *FakeGraph, to string) string {
	t.Helper()
	status, v := post(t, g, "tok", textRequest(to))
	id, _ := v["messages"].([]any)[0].(map[string]any)["id"].(string)
	if status != http.StatusOK || id == "" {
		t.Fatalf("HTTP %d %v", status, v)
	}
	return id
}

// Answers have the samples' shape: the input echoed, the wa_id without "+",
// a fresh wamid, and message_status for a template.
func TestAnswersMatchSamples(t *testing.T) {
	g := NewFakeGraph("tok")
	defer g.Close()
	template := `{"messaging_product":"whatsapp","recipient_type":"individual","to":"+919876543210","type":"template",` +
		`"template":{"name":"missed_call_followup","language":{"code":"en"}}}`
	for _, c := range []struct{ body, sample string }{
		{textRequest("919876543210"), "whatsapp_send_response.json"},
		{template, "whatsapp_send_template_response.json"},
	} {
		status, got := post(t, g, "tok", c.body)
		want := decoded(t, readFile(t, c.sample))
		id := got["messages"].([]any)[0].(map[string]any)
		if status != http.StatusOK || !strings.HasPrefix(id["id"].(string), "wamid.") {
			t.Fatalf("HTTP %d %v", status, got)
		}
		id["id"] = want["messages"].([]any)[0].(map[string]any)["id"]
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v", c.sample, got)
		}
	}
	status, got := post(t, g, "tok", `{"messaging_product":"whatsapp","status":"read","message_id":"`+sampleIn+`"}`)
	if status != http.StatusOK || got["success"] != true {
		t.Errorf("read receipt: HTTP %d %v", status, got)
	}
	r := g.Requests()
	if len(r) != 3 || r[1].Type != "template" || r[1].To != "+919876543210" || r[2].Type != "read" || r[2].MessageID != "" {
		t.Errorf("recorded %+v", r)
	}
}

// Injected errors carry the sample bodies (but a fresh trace id) and Meta's
// HTTP status, one request each.
func TestInjectedErrorsAreTheSamples(t *testing.T) {
	g := NewFakeGraph("tok")
	defer g.Close()
	codes := []int{130429, 131047, 131056}
	g.FailNext(codes...)
	for _, code := range codes {
		status, got := post(t, g, "tok", textRequest("919876543210"))
		want := decoded(t, readFile(t, "whatsapp_error_"+itoa(code)+".json"))
		gotErr, wantErr := got["error"].(map[string]any), want["error"].(map[string]any)
		if status != http.StatusBadRequest || gotErr["fbtrace_id"] == "" || gotErr["fbtrace_id"] == wantErr["fbtrace_id"] {
			t.Errorf("%d: HTTP %d %v", code, status, got)
		}
		gotErr["fbtrace_id"] = wantErr["fbtrace_id"]
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%d: got %v", code, got)
		}
	}
	if status, _ := post(t, g, "tok", textRequest("919876543210")); status != http.StatusOK {
		t.Errorf("after the faults: HTTP %d", status)
	}
	r := g.Requests()
	if len(r) != 4 || r[0].ErrorCode != 130429 || r[0].MessageID != "" || r[3].MessageID == "" {
		t.Errorf("recorded %+v", r)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// A wrong or missing token gets Graph's 401 and uses up no fault.
func TestWrongTokenGets401(t *testing.T) {
	g := NewFakeGraph("tok")
	defer g.Close()
	g.FailNext(130429)
	for _, token := range []string{"", "other"} {
		status, got := post(t, g, token, textRequest("919876543210"))
		e, _ := got["error"].(map[string]any)
		if status != http.StatusUnauthorized || e["code"] != 190.0 || e["type"] != "OAuthException" {
			t.Errorf("token %q: HTTP %d %v", token, status, got)
		}
	}
	if status, _ := post(t, g, "tok", textRequest("919876543210")); status != http.StatusBadRequest {
		t.Errorf("the queued fault: HTTP %d", status)
	}
	if r := g.Requests(); len(r) != 3 || r[0].Authorized || !r[2].Authorized {
		t.Errorf("recorded %+v", r)
	}
}

// Requests Graph would refuse get error 100 and are recorded as refused.
func TestMalformedRequestsGetError100(t *testing.T) {
	g := NewFakeGraph("tok")
	defer g.Close()
	rows := strings.Repeat(`{"id":"x","title":"x"},`, 11)
	buttons := strings.Repeat(`{"type":"reply","reply":{"id":"x","title":"x"}},`, 4)
	for name, body := range map[string]string{
		"not json":          `hello`,
		"no product":        `{"to":"919876543210","type":"text","text":{"body":"hi"}}`,
		"no recipient":      `{"messaging_product":"whatsapp","type":"text","text":{"body":"hi"}}`,
		"empty text":        `{"messaging_product":"whatsapp","to":"1","type":"text","text":{}}`,
		"image":             `{"messaging_product":"whatsapp","to":"1","type":"image","image":{"id":"1"}}`,
		"read without id":   `{"messaging_product":"whatsapp","status":"read"}`,
		"template no lang":  `{"messaging_product":"whatsapp","to":"1","type":"template","template":{"name":"t"}}`,
		"4 buttons":         `{"messaging_product":"whatsapp","to":"1","type":"interactive","interactive":{"type":"button","body":{"text":"b"},"action":{"buttons":[` + strings.TrimSuffix(buttons, ",") + `]}}}`,
		"11 rows":           `{"messaging_product":"whatsapp","to":"1","type":"interactive","interactive":{"type":"list","body":{"text":"b"},"action":{"button":"l","sections":[{"rows":[` + strings.TrimSuffix(rows, ",") + `]}]}}}`,
		"interactive flows": `{"messaging_product":"whatsapp","to":"1","type":"interactive","interactive":{"type":"flow","body":{"text":"b"},"action":{}}}`,
	} {
		status, got := post(t, g, "tok", body)
		if e, _ := got["error"].(map[string]any); status != http.StatusBadRequest || e["code"] != 100.0 {
			t.Errorf("%s: HTTP %d %v", name, status, got)
		}
	}
	for _, r := range g.Requests() {
		if r.ErrorCode != 100 || r.MessageID != "" {
			t.Errorf("recorded %+v", r)
		}
	}
}

func TestUnknownNumberGetsError100(t *testing.T) {
	g := NewFakeGraph("tok")
	defer g.Close()
	req, _ := http.NewRequest(http.MethodPost, g.BaseURL+"/123/messages", strings.NewReader(textRequest("919876543210")))
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	g.AddNumber("123", "918000000000")
	if status, _ := post(t, g, "tok", textRequest("919876543210")); resp.StatusCode != http.StatusBadRequest || status != http.StatusOK {
		t.Errorf("unknown number: HTTP %d; known: HTTP %d", resp.StatusCode, status)
	}
}

// A held answer comes late but the message is already accepted; a client
// that gives up leaves it recorded.
func TestDelayAcceptsFirst(t *testing.T) {
	g := NewFakeGraph("tok")
	defer g.Close()
	g.Delay(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, g.BaseURL+"/"+PhoneNumberID+"/messages", strings.NewReader(textRequest("919876543210")))
	req.Header.Set("Authorization", "Bearer tok")
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("a held answer came")
	}
	if r := g.Requests(); len(r) != 1 || r[0].MessageID == "" {
		t.Errorf("recorded %+v", r)
	}
}
