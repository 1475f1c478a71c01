package app_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// Once sent, a follow-up's /j/ token and join code and a sign-in SMS's code
// are in no column of the outbox; the person's /me timeline shows the
// messages with them masked.
func TestSentSecretsLeaveTheOutbox(t *testing.T) {
	t.Parallel()
	const masked = "•••" // store.Masked
	dbURL, gw, base := smsWorld(t, "en")
	db := storetest.Attach(t, dbURL)
	const caller = "+919876500011"

	smsCall(t, base, "redact-1", caller)
	smsWait(t, "the follow-up SMS", func() bool { return len(gw.Received()) == 1 })
	followup := gw.Received()[0]
	link := regexp.MustCompile(`/j/([0-9a-z]{13}) .*text=JOIN%20([2-9A-Z]{10})$`).FindStringSubmatch(followup.Body)
	if link == nil {
		t.Fatalf("no link and join code in %q", followup.Body)
	}

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	post := func(path string, form url.Values) {
		t.Helper()
		resp, err := client.PostForm(base+path, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: HTTP %d", path, resp.StatusCode)
		}
	}
	post("/signin?lang=en", url.Values{"phone": {caller}})
	smsWait(t, "the sign-in SMS", func() bool { return len(gw.Received()) == 2 })
	signin := gw.Received()[1]
	code := signinCode.FindStringSubmatch(signin.Body)
	if code == nil {
		t.Fatalf("no code in %q", signin.Body)
	}
	for _, r := range []string{followup.Ref, signin.Ref} {
		smsWait(t, "the answer to be recorded", func() bool { return smsMessage(t, db, r).State == store.MsgSent })
	}

	secrets := map[string]string{"the /j/ token": link[1], "the join code": link[2], "the sign-in code": code[1]}
	for _, row := range storetest.OutboxRows(t, db) {
		for what, s := range secrets {
			if strings.Contains(row, s) {
				t.Errorf("%s %q is still in the outbox: %s", what, s, row)
			}
		}
	}
	if m := smsMessage(t, db, signin.Ref); m.Body != masked+" is your Jodo sign-in code. It is valid for 10 minutes. Do not share it with anyone." {
		t.Errorf("the sent sign-in SMS keeps %q", m.Body)
	}

	post("/signin/code?lang=en", url.Values{"phone": {caller}, "code": {code[1]}})
	resp, err := client.Get(base + "/me?lang=en")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{base + "/j/" + masked, "JOIN%20" + masked, masked + " is your Jodo sign-in code"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("/me (HTTP %d) does not show %q", resp.StatusCode, want)
		}
	}
}
