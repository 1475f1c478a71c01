package app_test

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// testMetricsToken is JODO_METRICS_TOKEN of the servers tests start.
const testMetricsToken = "test-metrics-token-0123456789"

// getMetrics reads a test server's /metrics with its token.
func getMetrics(t *testing.T, base string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+testMetricsToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s/metrics: %d %s", base, resp.StatusCode, body)
	}
	return string(body)
}

// With JODO_METRICS_ADDR, `jodo serve` answers /metrics there (to the
// JODO_METRICS_TOKEN bearer) and not on its public address.
func TestServeMetricsOnTheirOwnAddress(t *testing.T) {
	t.Parallel()
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := free.Addr().String()
	free.Close()
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	const token = "prometheus-0123456789abcdef"
	base := smsServe(t, storetest.URL(t), gw, "JODO_METRICS_ADDR", addr, "JODO_METRICS_TOKEN", token)
	for _, tc := range []struct {
		url, token string
		want       int
	}{
		{base + "/metrics", token, 404},
		{"http://" + addr + "/metrics", "", 401},
		{"http://" + addr + "/metrics", token, 200},
		{"http://" + addr + "/healthz", token, 404},
	} {
		req, _ := http.NewRequest("GET", tc.url, nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want || (tc.want == 200) != strings.Contains(string(body), "jodo_outbox") {
			t.Errorf("GET %s (token %v): %d, want %d\n%.200s", tc.url, tc.token != "", resp.StatusCode, tc.want, body)
		}
	}
}
