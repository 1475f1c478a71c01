package smstest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/sms"
)

func TestFakeGatewayReceivesMSG91Flow(t *testing.T) {
	g := NewFakeGateway()
	defer g.Close()
	body, err := os.ReadFile("testdata/msg91_flow_request.json")
	if err != nil {
		t.Fatal(err)
	}
	post := func(authkey string) int {
		req, _ := http.NewRequest(http.MethodPost, g.URL+"/api/v5/flow/", strings.NewReader(string(body)))
		req.Header.Set("authkey", authkey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := post(""); st != http.StatusUnauthorized {
		t.Errorf("without authkey: HTTP %d", st)
	}
	if st := post("k"); st != http.StatusOK {
		t.Errorf("with authkey: HTTP %d", st)
	}
	got := g.Received()
	if len(got) != 2 || got[1].To != "919876543210" || got[1].From != "ACMECO" || got[1].TemplateID != "64f1c2e3d4a5b6c7d8e9f0a1" || got[1].ID == "" {
		t.Errorf("received %+v", got)
	}
}

// Callbacks can arrive in any order and before the send call has returned;
// each still carries our Ref.
func TestFakeGatewayCallbacksOutOfOrder(t *testing.T) {
	var mu sync.Mutex
	var got []sms.Status
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		s, err := sms.ParseExotelStatus(r.PostForm)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, s)
		mu.Unlock()
	}))
	defer hook.Close()
	g := NewFakeGateway()
	defer g.Close()
	e := sms.NewExotel(sms.ExotelConfig{BaseURL: g.URL, AccountSID: "a", APIKey: "k", APIToken: "t", SenderID: "JODOIN",
		EntityID: "1", StatusCallback: hook.URL, Client: &http.Client{Timeout: 5 * time.Second}})
	for _, ref := range []string{"1", "2", "3"} {
		m := send.Message{To: "+919876543210", Body: "Thanks for your call.", TemplateID: "1107169876543210987"}
		m.Ref = ref
		if res := e.Send(context.Background(), m); res.Outcome != send.Accepted {
			t.Fatal(res)
		}
	}
	if err := g.SendCallbacks(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Ref != "3" || got[2].Ref != "1" || got[0].Status != sms.StatusDelivered || got[0].ProviderID != g.Received()[2].ID {
		t.Errorf("callbacks = %+v", got)
	}
	if n := len(g.Callbacks()); n != 0 {
		t.Errorf("%d callbacks still queued", n)
	}
	failed := ExotelCallback(g.Received()[0], "failed", "DLT_TEMPLATE_DOES_NOT_MATCH", 23185)
	if err := PostCallback(context.Background(), failed); err != nil {
		t.Fatal(err)
	}
	if last := got[len(got)-1]; last.Status != sms.StatusFailed || last.ErrorCode != "23185" || last.Ref != "1" {
		t.Errorf("failed callback = %+v", last)
	}
}

func TestFakeGatewayCloseCutsDelay(t *testing.T) {
	g := NewFakeGateway()
	g.Delay(time.Hour)
	done := make(chan send.Result)
	e := sms.NewExotel(sms.ExotelConfig{BaseURL: g.URL, AccountSID: "a", APIKey: "k", APIToken: "t", SenderID: "JODOIN",
		EntityID: "1", Client: &http.Client{Timeout: time.Hour}})
	m := send.Message{To: "+919876543210", Body: "Thanks for your call.", TemplateID: "1107169876543210987"}
	go func() { done <- e.Send(context.Background(), m) }()
	for len(g.Received()) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	g.Close()
	if res := <-done; res.Outcome != send.Unknown {
		t.Errorf("Send = %+v, want unknown", res)
	}
}
