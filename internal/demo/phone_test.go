package demo

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/server"
)

func TestPhoneCatalogsComplete(t *testing.T) {
	for _, p := range locale.Problems(os.DirFS("."), "locales", Languages) {
		t.Error(p)
	}
}

// phoneServer serves the page alone, acting through a Live whose server
// is not listening.
func phoneServer(t *testing.T) (*httptest.Server, *Live) {
	t.Helper()
	live := &Live{SMS: NewInbox(), Chat: NewChat("1", "917000000000"), HookSecret: "s", TollFree: "18000000000"}
	mux := server.NewMux()
	NewPhone(live, slog.New(slog.NewTextHandler(io.Discard, nil))).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, live
}

// The page takes only the demo's live numbers, typed any way a person
// writes them, and every action refuses a form without one (422), so it
// never messages a real person.
func TestPhoneTakesOnlyLiveNumbers(t *testing.T) {
	srv, _ := phoneServer(t)
	for raw, want := range map[string]int{"+91 70000 10001": 200, "7000010001": 200, "+917000010001": 200,
		"+919876543210": 422, "+917000000001": 422, "+917000100000": 422, "abc": 422} {
		resp, err := http.Get(srv.URL + "/demo/phone?n=" + url.QueryEscape(raw))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET with %q: %d, want %d", raw, resp.StatusCode, want)
		}
	}
	for _, action := range []string{"call", "say", "tap"} {
		for _, form := range []url.Values{{"lang": {"en"}}, {"lang": {"hi"}, "reason": {"x"}}, {"n": {"+919876543210"}, "text": {"hi"}, "id": {"a"}, "title": {"b"}}} {
			resp, err := http.PostForm(srv.URL+"/demo/phone/"+action, form)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), `id="error"`) {
				t.Errorf("POST %s %v: %d", action, form, resp.StatusCode)
			}
		}
	}
}

// The page's policy allows no inline script or style and no frames, and
// its style sheet is served from the address the page names.
func TestPhonePageIsStrict(t *testing.T) {
	srv, live := phoneServer(t)
	live.SMS.keep("+917000010001", "Join: http://127.0.0.1/j/abc123 <b> WhatsApp: https://wa.me/917000000000?text=JOIN%20AB12 or https://wa.me/919999999999")
	resp, err := http.Get(srv.URL + "/demo/phone?app=sms&n=%2B917000010001")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "default-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("policy %q lacks %s", csp, want)
		}
	}
	page := string(body)
	if strings.Contains(page, "<style") || strings.Contains(page, "style=") || strings.Contains(page, "<script>") {
		t.Error("the page has inline style or script")
	}
	if !strings.Contains(page, `<a href="http://127.0.0.1/j/abc123">`) || strings.Contains(page, "<b>") {
		t.Errorf("the SMS's link is not tappable, or its text not escaped:\n%s", page)
	}
	if !strings.Contains(page, `href="/demo/phone?app=wa&amp;lang=hi&amp;n=%2B917000010001&amp;text=JOIN&#43;AB12"`) ||
		!strings.Contains(page, `href="https://wa.me/919999999999"`) {
		t.Errorf("a wa.me link to the drive does not open the phone's chat, or another was changed:\n%s", page)
	}
	// Its own links keep their query whole: the Messages app, its polling,
	// the other language.
	for _, want := range []string{`href="/demo/phone?app=sms&amp;lang=hi&amp;n=%2B917000010001"`,
		`hx-get="/demo/phone/sms?app=sms&amp;lang=hi&amp;n=%2B917000010001"`, `href="/demo/phone?app=sms&amp;lang=en&amp;n=%2B917000010001"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	resp, err = http.Get(srv.URL + phoneCSSPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Errorf("the style sheet: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

type recorder struct{ got []send.Message }

func (r *recorder) Name() string { return "log" }
func (r *recorder) Send(_ context.Context, m send.Message) send.Result {
	r.got = append(r.got, m)
	return send.Result{Outcome: send.Accepted, ProviderID: "x"}
}

// The demo's SMS provider keeps what goes to its live numbers, for the
// page, and passes any other number to the provider it wraps.
func TestInboxKeepsLiveNumbers(t *testing.T) {
	inner := &recorder{}
	inbox := NewInbox()
	p := inbox.Around(inner)
	for _, to := range []string{"+917000010001", "+919876543210", "+917000010001"} {
		if r := p.Send(context.Background(), send.Message{To: to, Body: "hello " + to}); r.Outcome != send.Accepted || r.ProviderID == "" {
			t.Errorf("send to %s: %+v", to, r)
		}
	}
	if len(inner.got) != 1 || inner.got[0].To != "+919876543210" {
		t.Errorf("the wrapped provider got %+v", inner.got)
	}
	if got := inbox.Texts("+917000010001"); len(got) != 2 || p.Name() != "log" {
		t.Errorf("kept %+v, name %s", got, p.Name())
	}
}
