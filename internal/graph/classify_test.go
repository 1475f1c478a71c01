package graph

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/send"
)

func sendHello(c *Client) send.Result {
	return c.SendText(context.Background(), fakemeta.PhoneNumberID, user, "Hello from ACME")
}

// Each injected error is classified by its Graph code, whatever the HTTP
// status, and uses up one request only.
func TestFaultsAreClassified(t *testing.T) {
	for _, c := range []struct {
		fault fakemeta.Fault
		want  send.Outcome
		code  int
		wait  time.Duration
	}{
		{fakemeta.Fault{Code: 130429}, send.NotSent, 130429, 0},
		{fakemeta.Fault{Code: 130429, Status: 429}, send.NotSent, 130429, 0},
		{fakemeta.Fault{Code: 131056}, send.NotSent, 131056, 6 * time.Second},
		{fakemeta.Fault{Code: 131057}, send.NotSent, 131057, time.Minute},
		{fakemeta.Fault{Code: 80007}, send.NotSent, 80007, 0},
		{fakemeta.Fault{Code: 4}, send.NotSent, 4, 0},
		{fakemeta.Fault{Code: 131047}, send.Rejected, 131047, 0},
		{fakemeta.Fault{Code: 131026}, send.Rejected, 131026, 0},
		{fakemeta.Fault{Code: 131026, Status: 500}, send.Rejected, 131026, 0},
		{fakemeta.Fault{Code: 131048}, send.Rejected, 131048, 0},
		{fakemeta.Fault{Code: 131049}, send.Rejected, 131049, 0},
		{fakemeta.Fault{Code: 131050}, send.Rejected, 131050, 0},
		{fakemeta.Fault{Code: 131051}, send.Rejected, 131051, 0},
		{fakemeta.Fault{Code: 100}, send.Rejected, 100, 0},
		{fakemeta.Fault{Code: 132000}, send.Rejected, 132000, 0},
		{fakemeta.Fault{Code: 132001}, send.Rejected, 132001, 0},
		{fakemeta.Fault{Code: 190}, send.Rejected, 190, 0},
		{fakemeta.Fault{Code: 368}, send.Rejected, 368, 0},
		{fakemeta.Fault{Code: 131000}, send.Unknown, 131000, 0},
		{fakemeta.Fault{Code: 131016, Status: 503}, send.Unknown, 131016, 0},
		{fakemeta.Fault{Code: 2}, send.Unknown, 2, 0},
		{fakemeta.Fault{Code: 133010, Status: 500}, send.Rejected, 133010, 0},
		{fakemeta.Fault{Code: 999999}, send.Rejected, 999999, 0},
		{fakemeta.Fault{Code: 999999, Status: 503}, send.Unknown, 999999, 0},
		{fakemeta.Fault{Code: 999999, Status: 429}, send.NotSent, 999999, 0},
		{fakemeta.Fault{Status: 502}, send.Unknown, 0, 0},
		{fakemeta.Fault{Status: 429}, send.NotSent, 0, 0},
		{fakemeta.Fault{Status: 404}, send.Rejected, 0, 0},
		{fakemeta.Fault{Drop: true}, send.Unknown, 0, 0},
	} {
		g := fakemeta.NewFakeGraph(testToken)
		g.Inject(c.fault)
		cl := testClient(g.BaseURL, 5*time.Second)
		res := sendHello(cl)
		if res.Outcome != c.want || res.Code != c.code || res.RetryAfter != c.wait || res.Err == nil || res.ProviderID != "" {
			t.Errorf("%+v: %+v, want %s code %d after %v", c.fault, res, c.want, c.code, c.wait)
		}
		if res := sendHello(cl); res.Outcome != send.Accepted {
			t.Errorf("%+v: the next send: %+v", c.fault, res)
		}
		g.Close()
	}
}

// The caller can tell "send a template instead" from the rest, and the
// error carries Meta's details and trace id for a human.
func TestReEngagementCarriesDetails(t *testing.T) {
	g := fakemeta.NewFakeGraph(testToken)
	defer g.Close()
	g.FailNext(CodeReEngagement)
	res := sendHello(testClient(g.BaseURL, 5*time.Second))
	if res.Code != CodeReEngagement || !strings.Contains(res.Err.Error(), "more than 24 hours") ||
		!strings.Contains(res.Err.Error(), "fbtrace_id") {
		t.Errorf("%+v", res)
	}
}

func TestWrongTokenIsRejectedAndNotRepeated(t *testing.T) {
	g := fakemeta.NewFakeGraph(testToken)
	defer g.Close()
	const wrong = "EAAwrong-token"
	res := New(Config{BaseURL: g.BaseURL, Token: wrong}).SendText(context.Background(), fakemeta.PhoneNumberID, user, "hi")
	if res.Outcome != send.Rejected || res.Code != CodeTokenExpired || strings.Contains(res.Err.Error(), wrong) {
		t.Errorf("%+v", res)
	}
	if r := g.Requests(); len(r) != 1 || r[0].Authorized || r[0].HTTPStatus != http.StatusUnauthorized {
		t.Errorf("fake received %+v", r)
	}
}

func TestUnknownPhoneNumberIDIsRejected(t *testing.T) {
	g := fakemeta.NewFakeGraph(testToken)
	defer g.Close()
	res := testClient(g.BaseURL, 5*time.Second).SendText(context.Background(), "999999999999999", user, "hi")
	if res.Outcome != send.Rejected || res.Code != CodeInvalidParameter {
		t.Errorf("%+v", res)
	}
}

// A timeout after the request was written may have left a message that went
// out: Unknown, never NotSent.
func TestTimeoutAfterWriteIsUnknown(t *testing.T) {
	g := fakemeta.NewFakeGraph(testToken)
	defer g.Close()
	g.Delay(2 * time.Second)
	if res := sendHello(testClient(g.BaseURL, 200*time.Millisecond)); res.Outcome != send.Unknown {
		t.Errorf("client timeout: %+v, want unknown", res)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	res := testClient(g.BaseURL, 5*time.Second).SendText(ctx, fakemeta.PhoneNumberID, user, "Hello")
	if res.Outcome != send.Unknown || !errors.Is(res.Err, context.DeadlineExceeded) {
		t.Errorf("context deadline: %+v, want unknown", res)
	}
	got := g.Requests()
	if len(got) != 2 || got[0].MessageID == "" || got[1].MessageID == "" {
		t.Errorf("fake received %+v, want 2 accepted messages (they went out)", got)
	}
}

// Close cuts a held answer short; the client sees a dropped connection.
func TestCloseCutsAHeldAnswerShort(t *testing.T) {
	g := fakemeta.NewFakeGraph(testToken)
	g.Inject(fakemeta.Fault{Delay: time.Hour})
	time.AfterFunc(100*time.Millisecond, g.Close)
	start := time.Now()
	res := sendHello(testClient(g.BaseURL, 30*time.Second))
	if res.Outcome != send.Unknown || time.Since(start) > 10*time.Second {
		t.Errorf("%+v after %v", res, time.Since(start))
	}
}

func TestConnectionRefusedIsNotSent(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	if res := sendHello(testClient("http://"+addr+"/v24.0", 5*time.Second)); res.Outcome != send.NotSent || res.Err == nil {
		t.Errorf("%+v, want not_sent", res)
	}
}

func TestCancelledBeforeSendIsNotSent(t *testing.T) {
	g := fakemeta.NewFakeGraph(testToken)
	defer g.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := testClient(g.BaseURL, 5*time.Second).SendText(ctx, fakemeta.PhoneNumberID, user, "hi")
	if res.Outcome != send.NotSent || len(g.Requests()) != 0 {
		t.Errorf("%+v, fake received %d", res, len(g.Requests()))
	}
}

// Answers the fake does not give: odd successes, redirects, Retry-After,
// and an error that quotes the token.
func TestAnswers(t *testing.T) {
	for _, c := range []struct {
		name   string
		status int
		header string
		body   string
		want   send.Outcome
		wait   time.Duration
	}{
		{"200 without an id", 200, "", `{"messaging_product":"whatsapp","messages":[]}`, send.Unknown, 0},
		{"200 not json", 200, "", `<html>ok</html>`, send.Unknown, 0},
		{"redirect not followed", 302, "", ``, send.Rejected, 0},
		{"proxy 429 with Retry-After", 429, "7", `slow down`, send.NotSent, 7 * time.Second},
		{"throughput with Retry-After", 400, "3", `{"error":{"code":130429,"message":"(#130429) Rate limit hit"}}`, send.NotSent, 3 * time.Second},
		{"pair rate keeps its floor", 400, "1", `{"error":{"code":131056}}`, send.NotSent, 6 * time.Second},
		{"token quoted", 400, "", `{"error":{"code":190,"message":"Malformed access token ` + testToken + `"}}`, send.Rejected, 0},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if c.status == 302 {
				w.Header().Set("Location", "/elsewhere")
			}
			if c.header != "" {
				w.Header().Set("Retry-After", c.header)
			}
			w.WriteHeader(c.status)
			_, _ = w.Write([]byte(c.body))
		}))
		cl := testClient(srv.URL, 5*time.Second)
		res := sendHello(cl)
		srv.Close()
		if res.Outcome != c.want || res.RetryAfter != c.wait || (res.Err != nil && strings.Contains(res.Err.Error(), testToken)) {
			t.Errorf("%s: %+v, want %s after %v", c.name, res, c.want, c.wait)
		}
	}
}
