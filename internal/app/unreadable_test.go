package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// apiToken creates a token over areas and returns it.
func apiToken(t *testing.T, dbURL, name, areas string) string {
	t.Helper()
	out := strings.Split(strings.TrimSpace(mustJodo(t, dbURL, "token", "create", "--name", name, "--area", areas)), "\n")
	return out[len(out)-1]
}

// A NUL or bytes that are not UTF-8 in a path, a query value or a posted
// form value are refused with 400 on every route, never reaching the
// database (where PostgreSQL answered them with a 500).
func TestUnreadableBytesAreRefused(t *testing.T) {
	t.Parallel()
	dbURL, gw, base := smsWorld(t, "hi")
	link := followupLink(t, base, gw, "bytes-1", "+919123456780")
	token := apiToken(t, dbURL, "bytes", "JH")
	joinPath := strings.TrimPrefix(link, base)
	hook := "/hooks/exotel/" + processHookSecret
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	for _, tc := range []struct{ method, path, body string }{
		{"GET", "/api/v1/areas/JH%00", ""},
		{"GET", "/api/v1/areas/JH%FF", ""},
		{"GET", "/api/v1/areas?parent=JH%00", ""},
		{"GET", "/api/v1/areas?kind=ac&parent=JH-PC-08%C3", ""},
		{"GET", "/api/v1/drives?x=%00", ""},
		{"GET", "/api/v1/drives/jh%00/progress", ""},
		{"GET", "/api/v1/drives/jh-sms/progress?area=JH%00", ""},
		{"GET", "/api/v1/drives/jh-sms/progress?area=JH%FF&children=1", ""},
		{"GET", "/j/" + "abc%00", ""},
		{"GET", joinPath + "%FF", ""},
		{"GET", joinPath + "?lang=%00", ""},
		{"POST", joinPath, form("consent_membership", "yes", "age18", "yes", "name", "Ravi\x00Kumar", "ac", "JH-AC-063")},
		{"POST", joinPath, form("consent_membership", "yes", "age18", "yes", "name", "Ravi \xffKumar", "ac", "JH-AC-063")},
		{"POST", joinPath, form("consent_membership", "yes", "age18", "yes", "name", "Ravi Kumar", "ac", "JH-AC-063\x00")},
		{"GET", "/d/jh%FF/join", ""},
		{"GET", "/d/jh-sms%00/join", ""},
		{"POST", "/d/jh%00/join", form("phone", "9123456780")},
		{"POST", "/d/jh-sms/join", form("phone", "91234\x0056780")},
		{"POST", "/d/jh-sms/join/code", form("phone", "9123456780", "code", "12\xff34")},
		{"GET", "/card/ABC%00.png", ""},
		{"GET", "/card/ABC.png?e=%FF", ""},
		{"GET", "/verify/JH%00", ""},
		{"GET", "/verify/JH%FF?s=1", ""},
		{"GET", "/signin?lang=%FF", ""},
		{"POST", "/signin", form("phone", "9123456780\x00")},
		{"POST", "/signin/code", form("code", "\xff")},
		{"POST", "/signout", form("lang", "hi\x00")},
		{"GET", "/me?x=%00", ""},
		{"POST", "/me/details", form("name", "Ravi\x00")},
		{"POST", "/me/consent", form("purpose", "\xff")},
		{"POST", "/me/erase", form("confirm", "\x00")},
		{"GET", hook + "?CallSid=a%00b&CallFrom=09123456780", ""},
		{"GET", "/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=%FF", ""},
		{"GET", "/healthz?x=%00", ""},
	} {
		req, err := http.NewRequest(tc.method, base+tc.path, strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		if tc.body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s %s %q: %d, want 400\n%.300s", tc.method, tc.path, tc.body, resp.StatusCode, body)
			continue
		}
		if strings.HasPrefix(tc.path, "/api/") {
			var e struct{ Error struct{ Code string } }
			if json.Unmarshal(body, &e) != nil || e.Error.Code != "invalid" {
				t.Errorf("%s %s: %s, want a JSON error coded invalid", tc.method, tc.path, body)
			}
		} else if !strings.Contains(string(body), "पढ़े नहीं जा सकते") {
			t.Errorf("%s %s %q: the page does not say what went wrong in Hindi:\n%.600s", tc.method, tc.path, tc.body, body)
		}
	}
}
