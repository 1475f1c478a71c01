package app_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A caller ID with letters (phonenumbers would read them off a keypad) and
// a caller from a country the installation does not serve are kept in the
// inbox with why, and make no person, no lead and no SMS; an Indian caller
// in the same moment gets their follow-up. The drive's web join page
// sends neither a code.
func TestMissedCallsWithLettersOrFromAbroadMakeNoLead(t *testing.T) {
	t.Parallel()
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "hi")
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	base := smsServe(t, dbURL, gw) // JODO_COUNTRIES: the default, IN
	smsCall(t, base, "vanity", "+91 98111 ABCDE")
	smsCall(t, base, "abroad", "+14155552671")
	smsCall(t, base, "home", "+919876543210")

	db := storetest.Attach(t, dbURL)
	for key, want := range map[string]string{"vanity": "has letters", "abroad": "country this installation does not serve", "home": ""} {
		note := storetest.InboxNote(t, db, "generic", key)
		if (want == "") != (note == "") || !strings.Contains(note, want) {
			t.Errorf("call %s: note %q, want %q", key, note, want)
		}
	}
	people := storetest.ContactCount(t, db, storetest.Contacts{})
	leads := storetest.ParticipationCount(t, db, storetest.Participations{})
	messages := storetest.OutboxCount(t, db, storetest.Outbox{NotTo: "+919876543210"})
	if people != 1 || leads != 1 || messages != 0 {
		t.Errorf("%d phones, %d leads and %d SMS to others after one good call; want 1, 1, 0", people, leads, messages)
	}
	smsWait(t, "the Indian caller's follow-up", func() bool { return len(gw.Received()) == 1 })

	for number, want := range map[string]string{"+91 98111 ABCDE": "यह भारत का मोबाइल नंबर नहीं है", "+1 415 555 2671": "सिर्फ़ उन देशों के"} {
		code, body := postPhone(t, base+"/d/jh-sms/join", number, "hi", "")
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
			t.Errorf("join page, %s: HTTP %d, want 422 with %q in:\n%s", number, code, want, grepLines(body, "signin-error"))
		}
	}
	if n := storetest.OutboxCount(t, db, storetest.Outbox{}); n != 1 {
		t.Errorf("%d SMS queued after the join page's refusals, want only the follow-up", n)
	}
}

// postPhone posts a phone form (sign-in's, a drive's join page's) at u
// for number, in lang, as the client at addr behind a trusted proxy (the
// test), and returns the answer.
func postPhone(t *testing.T, u, number, lang, addr string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(url.Values{"phone": {number}, "lang": {lang}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// The sign-in form against SMS pumping: a number of a country not served
// and a number with letters get no code and a clear answer in the
// person's language; one network gets a tenth of the day's budget; a
// country after the home one gets its share of it, and India keeps the
// rest.
func TestSigninFormAgainstSMSPumping(t *testing.T) {
	t.Parallel()
	dbURL := storetest.URL(t)
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	base := smsServe(t, dbURL, gw, "JODO_COUNTRIES", "IN,NP", "JODO_SIGNIN_DAILY_BUDGET", "40",
		"JODO_TRUSTED_PROXIES", "127.0.0.1")
	want := func(what string, gotCode int, body string, code int, text string) {
		t.Helper()
		if gotCode != code || !strings.Contains(body, text) {
			t.Errorf("%s: HTTP %d, want %d with %q in:\n%s", what, gotCode, code, text, grepLines(body, "signin-error"))
		}
	}
	code, body := postPhone(t, base+"/signin", "+1 415 555 2671", "en", "192.0.2.1")
	want("a US number, in English", code, body, http.StatusUnprocessableEntity, "only to mobile numbers of the countries this service works in")
	code, body = postPhone(t, base+"/signin", "+1 415 555 2671", "hi", "192.0.2.1")
	want("a US number, in Hindi", code, body, http.StatusUnprocessableEntity, "सिर्फ़ उन देशों के मोबाइल नंबरों पर")
	code, body = postPhone(t, base+"/signin", "+91 98111 ABCDE", "en", "192.0.2.1")
	want("a number with letters", code, body, http.StatusUnprocessableEntity, "not an Indian mobile number")

	// The budget is 40 a day, so one /24 gets 4 codes a day.
	for i := range 4 {
		code, body = postPhone(t, base+"/signin", fmt.Sprintf("+91 98000 0000%d", i), "en", fmt.Sprintf("203.0.113.%d", i+1))
		want("a code from 203.0.113.0/24", code, body, http.StatusOK, "")
	}
	code, body = postPhone(t, base+"/signin", "+91 98000 00005", "en", "203.0.113.200")
	want("a fifth code from one /24", code, body, http.StatusTooManyRequests, "Too many codes")
	code, body = postPhone(t, base+"/signin", "+91 98000 00005", "hi", "198.51.100.1")
	want("a code from another network", code, body, http.StatusOK, "")

	// Nepal, not the home country, gets a tenth of the budget: 4 codes.
	for i := range 4 {
		code, body = postPhone(t, base+"/signin", fmt.Sprintf("+977 980 123456%d", i), "en", fmt.Sprintf("198.51.%d.1", 101+i))
		want("a code to Nepal", code, body, http.StatusOK, "")
	}
	code, body = postPhone(t, base+"/signin", "+977 980 1234569", "en", "198.51.110.1")
	want("a fifth code to Nepal", code, body, http.StatusTooManyRequests, "Too many codes")
	code, body = postPhone(t, base+"/signin", "+91 98000 00006", "en", "198.51.110.1")
	want("a code to India after Nepal's share", code, body, http.StatusOK, "")

	db := storetest.Attach(t, dbURL)
	if n := storetest.OutboxCount(t, db, storetest.Outbox{}); n != 10 {
		t.Errorf("%d sign-in SMS queued, want 10", n)
	}
	if n := storetest.OutboxCount(t, db, storetest.Outbox{ToAny: []string{"+14155552671", "+919811122233", "+9779801234569"}}); n != 0 {
		t.Errorf("%d SMS to refused numbers", n)
	}
}
