package whatsapp

import (
	"net/url"
	"strings"
	"testing"
)

func TestVerifyChallengeSample(t *testing.T) {
	req := readRequest(t, "whatsapp_verify_get.txt")
	u, err := url.Parse(req.target)
	if err != nil {
		t.Fatal(err)
	}
	challenge, ok := VerifyChallenge(u.Query(), "vibecoding")
	if !ok || challenge != "1158201444" {
		t.Fatalf("VerifyChallenge = %q, %v; want 1158201444, true", challenge, ok)
	}
	if !strings.Contains(string(req.body), "\n"+challenge+"\n") {
		t.Errorf("the sample's expected response does not carry %q", challenge)
	}
}

func TestVerifyChallengeRefused(t *testing.T) {
	for _, c := range []struct{ name, query, token string }{
		{"wrong token", "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=vibecodin", "vibecoding"},
		{"token with a suffix", "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=vibecoding2", "vibecoding"},
		{"token in another case", "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=VIBECODING", "vibecoding"},
		{"no token", "hub.mode=subscribe&hub.challenge=1158201444", "vibecoding"},
		{"empty token", "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=", "vibecoding"},
		{"no token configured", "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=", ""},
		{"unsubscribe", "hub.mode=unsubscribe&hub.challenge=1158201444&hub.verify_token=vibecoding", "vibecoding"},
		{"no mode", "hub.challenge=1158201444&hub.verify_token=vibecoding", "vibecoding"},
		{"mode in another case", "hub.mode=Subscribe&hub.challenge=1158201444&hub.verify_token=vibecoding", "vibecoding"},
		{"no challenge", "hub.mode=subscribe&hub.verify_token=vibecoding", "vibecoding"},
		{"underscored names", "hub_mode=subscribe&hub_challenge=1158201444&hub_verify_token=vibecoding", "vibecoding"},
		{"nothing", "", "vibecoding"},
	} {
		q, err := url.ParseQuery(c.query)
		if err != nil {
			t.Fatal(err)
		}
		if challenge, ok := VerifyChallenge(q, c.token); ok || challenge != "" {
			t.Errorf("%s: VerifyChallenge = %q, %v; want refused", c.name, challenge, ok)
		}
	}
}
