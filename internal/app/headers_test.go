package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// Every answer says nosniff and carries a Content-Security-Policy: JSON,
// health, metrics and error pages allow nothing (an error page its one
// style, by hash); pages run only Jodo's own script files.
func TestAnswersCarrySecurityHeaders(t *testing.T) {
	t.Parallel()
	base, _, _ := startServer(t, storetest.URL(t))
	for _, tc := range []struct {
		path, csp string
		status    int
	}{
		{"/healthz", "default-src 'none'", 200},
		{"/readyz", "default-src 'none'", 200},
		{"/metrics", "default-src 'none'", 200},
		{"/api/v1/areas?kind=pc", "default-src 'none'", 200},
		{"/api/v1/drives", "default-src 'none'", 401},
		{"/api/v1/nothing", "default-src 'none'", 404},
		{"/no/such/page", "default-src 'none'; style-src 'sha256-", 404},
		{"/verify/ABCD-EFGH-JKX", "script-src 'self'", 404},
		{"/signin", "script-src 'self'", 200},
		{"/d/nothing/join", "script-src 'self'", 404},
	} {
		req, _ := http.NewRequest("GET", base+tc.path, nil)
		req.Header.Set("Authorization", "Bearer "+testMetricsToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if resp.StatusCode != tc.status || resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(csp, tc.csp) {
			t.Errorf("GET %s: %d, nosniff %q, CSP %q; want %d and a CSP with %q",
				tc.path, resp.StatusCode, resp.Header.Get("X-Content-Type-Options"), csp, tc.status, tc.csp)
		}
		for _, d := range strings.Split(csp, ";") {
			if f := strings.Fields(d); len(f) > 0 && (f[0] == "script-src" || f[0] == "default-src") && strings.Contains(d, "unsafe") {
				t.Errorf("GET %s: CSP %q lets inline or eval'd scripts run", tc.path, csp)
			}
		}
	}
}
