package server

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/logging"
	"github.com/jodo-org/jodo/internal/membership"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A webhook secret in the path never reaches the log or a metric label,
// and the query string is never logged.
func TestSecretsStayOutOfLogsAndMetrics(t *testing.T) {
	var logs bytes.Buffer
	log, err := logging.New(&logs, "json", "debug") // stored webhooks are logged at debug
	if err != nil {
		t.Fatal(err)
	}
	s := New(storetest.Open(t, nil), log, Deps{})
	s.mux.HandleFunc("POST /hooks/test/{secret}", func(w http.ResponseWriter, r *http.Request) {})
	h := s.Handler()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/hooks/test/s3cr3t-value?token=t0ken", nil))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/hooks/test/s3cr3t-value/stray", nil))
	s.mux.HandleFunc("GET /j/{token}", func(w http.ResponseWriter, r *http.Request) {})
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/j/regt0ken-value", nil))

	rec := httptest.NewRecorder()
	s.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	metrics, _ := io.ReadAll(rec.Body)
	for name, text := range map[string]string{"log": logs.String(), "metrics": string(metrics)} {
		if strings.Contains(text, "s3cr3t-value") || strings.Contains(text, "t0ken") || strings.Contains(text, "regt0ken") {
			t.Errorf("%s carries the secret:\n%s", name, text)
		}
	}
	if !strings.Contains(logs.String(), `"path":"/hooks/test/REDACTED"`) || !strings.Contains(logs.String(), `"path":"/j/REDACTED"`) {
		t.Errorf("log lacks the redacted path:\n%s", logs.String())
	}
	if !strings.Contains(string(metrics), `route="/hooks/test/{secret}"`) {
		t.Errorf("metrics lack the route pattern label")
	}
}

// At info, a webhook stored (answered under 400) is not logged, one
// refused is; every other request is. At debug each is.
func TestStoredWebhooksAreLoggedAtDebug(t *testing.T) {
	for _, level := range []string{"info", "debug"} {
		var logs bytes.Buffer
		log, err := logging.New(&logs, "json", level)
		if err != nil {
			t.Fatal(err)
		}
		s := New(storetest.Open(t, nil), log, Deps{})
		s.mux.HandleFunc("POST /hooks/test/{secret}", func(w http.ResponseWriter, r *http.Request) {
			if r.PathValue("secret") != "right" {
				w.WriteHeader(http.StatusUnauthorized)
			}
		})
		s.mux.HandleFunc("GET /api/v1/thing", func(w http.ResponseWriter, r *http.Request) {})
		h := s.Handler()
		for _, req := range []*http.Request{httptest.NewRequest("POST", "/hooks/test/right", nil),
			httptest.NewRequest("POST", "/hooks/test/wrong", nil), httptest.NewRequest("GET", "/api/v1/thing", nil)} {
			h.ServeHTTP(httptest.NewRecorder(), req)
		}
		got := logs.String()
		stored := strings.Contains(got, `"route":"/hooks/test/{secret}","path":"/hooks/test/REDACTED","status":200`)
		if stored != (level == "debug") {
			t.Errorf("at %s, the stored webhook logged: %v\n%s", level, stored, got)
		}
		if !strings.Contains(got, `"status":401`) || !strings.Contains(got, `"route":"/api/v1/thing"`) {
			t.Errorf("at %s, the refused webhook or the other request is not logged:\n%s", level, got)
		}
	}
}

func TestPanicBecomesInternalError(t *testing.T) {
	var logs bytes.Buffer
	log, _ := logging.New(&logs, "text", "info")
	s := New(storetest.Open(t, nil), log, Deps{})
	s.mux.HandleFunc("GET /api/v1/boom", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/boom", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"code":"internal"`) || strings.Contains(rec.Body.String(), "boom") {
		t.Fatalf("panic answer: %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "boom") || !strings.Contains(logs.String(), "request_id=") {
		t.Fatalf("panic not logged with request id:\n%s", logs.String())
	}
}

// Membership numbers in paths (/verify/…, /card/…, a mistyped path) are
// not logged, and an error line quoting a phone number masks it.
func TestMembersAndPhonesStayOutOfLogs(t *testing.T) {
	var logs bytes.Buffer
	log, err := logging.New(&logs, "json", "info")
	if err != nil {
		t.Fatal(err)
	}
	s := New(storetest.Open(t, nil), log, Deps{Config: &config.Config{SecretKey: strings.Repeat("k", 32), BaseURL: "http://jodo.test"}})
	s.mux.HandleFunc("GET /api/v1/fail", func(w http.ResponseWriter, r *http.Request) {
		respond.Error(w, r, log, fmt.Errorf("store: add person: duplicate phone +919876543210"))
	})
	number := membership.New()
	for _, path := range []string{"/verify/" + number, "/verify/" + membership.Format(number) + "?s=abc",
		"/card/" + number + ".png?e=1&s=2", "/verify/" + number + "/more", "/api/v1/fail"} {
		s.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	text := logs.String()
	for _, secret := range []string{number, membership.Format(number), "9876543210"} {
		if strings.Contains(text, secret) {
			t.Errorf("the log carries %s:\n%s", secret, text)
		}
	}
	if !strings.Contains(text, `"path":"/verify/REDACTED"`) || !strings.Contains(text, `"path":"/card/REDACTED"`) || !strings.Contains(text, "+91 98xxxxxx10") {
		t.Errorf("log lacks the redacted paths or the masked phone:\n%s", text)
	}
}
