package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// getAs GETs url with a bearer token and decodes the JSON answer.
func getAs(t *testing.T, token, url string, v any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	json.NewDecoder(resp.Body).Decode(v)
	return resp.StatusCode
}

type demoProgress struct {
	StartsOn string `json:"starts_on"`
	DaysLeft int    `json:"days_left"`
	Metrics  []struct {
		Metric string `json:"metric"`
		Target *int64 `json:"target"`
		Actual int64  `json:"actual"`
	} `json:"metrics"`
	Children []struct {
		Area    string `json:"area"`
		Kind    string `json:"kind"`
		Metrics []struct {
			Metric string `json:"metric"`
			Target *int64 `json:"target"`
		} `json:"metrics"`
	} `json:"children"`
}

// adminToken is the line after the demo's "Admin API token" heading (SMS
// the log provider prints may follow it), an `export TOKEN=…` line.
func adminToken(s string) string {
	_, after, _ := strings.Cut(s, "Admin API token")
	_, after, _ = strings.Cut(after, "\n")
	line, _, _ := strings.Cut(after, "\n")
	token, _ := strings.CutPrefix(line, "export TOKEN=")
	return token
}

// The acceptance check: the demo serves Jharkhand and the reference
// drive, and prints a working admin token; a restart keeps the drive and
// replaces the token.
func TestDemoServesTheReferenceDrive(t *testing.T) {
	t.Parallel()
	db := storetest.URL(t)
	var out syncBuffer
	base, _, stop := startWith(t, "demo", db, &out, nil, "--quiet") // no trickle: the test counts arrivals
	token := adminToken(out.String())

	var areas struct {
		Areas []struct{ Code, Parent, NameEN string } `json:"areas"`
	}
	getAs(t, "", base+"/api/v1/areas?kind=pc", &areas)
	if len(areas.Areas) != 14 {
		t.Errorf("%d PCs, want 14", len(areas.Areas))
	}
	getAs(t, "", base+"/api/v1/areas?kind=ac", &areas)
	if len(areas.Areas) != 81 {
		t.Errorf("%d ACs, want 81", len(areas.Areas))
	}
	var ac struct {
		NameEN string `json:"name_en"`
		Parent string `json:"parent"`
	}
	getAs(t, "", base+"/api/v1/areas/JH-AC-063", &ac)
	if ac.NameEN != "Ranchi" || ac.Parent != "JH-PC-08" {
		t.Errorf("AC 63: %+v", ac)
	}

	var p demoProgress
	if code := getAs(t, token, base+"/api/v1/drives/jh-warriors/progress?area=JH&children=1", &p); code != 200 {
		t.Fatalf("progress with the printed token: %d (stdout %q)", code, out.String())
	}
	if p.DaysLeft != 20 && p.DaysLeft != 21 {
		t.Errorf("days_left %d, want 20 or 21", p.DaysLeft)
	}
	for _, m := range p.Metrics {
		if m.Metric == "members" && (m.Target == nil || *m.Target != 500000) {
			t.Errorf("JH members target %v, want 500000", m.Target)
		}
	}
	for _, c := range p.Children {
		if c.Kind != "pc" {
			continue
		}
		for _, m := range c.Metrics {
			if (m.Metric == "volunteers" && *m.Target != 1000) || (m.Metric == "groups" && *m.Target != 10000) {
				t.Errorf("%s %s target %d", c.Area, m.Metric, *m.Target)
			}
		}
	}
	// The printed missed-call example makes a lead.
	hook := ""
	for line := range strings.SplitSeq(out.String(), "\n") {
		if i := strings.Index(line, base+"/hooks/missed-call/"); i >= 0 {
			hook = line[i:]
		}
	}
	resp, err := http.Post(hook, "application/json", strings.NewReader(`{"call_id":"demo-1","from":"+919876543210","to":"18000000000"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("demo missed call %q: %v %v", hook, resp, err)
	}
	resp.Body.Close()
	var after demoProgress
	getAs(t, token, base+"/api/v1/drives/jh-warriors/progress?area=JH", &after)
	if leads := after.Metrics[0]; leads.Metric != "leads" || leads.Actual != 1 {
		t.Errorf("after the demo call: %+v", leads)
	}
	// The printed WhatsApp example goes through the fake Meta, signed, to
	// the webhook: another lead.
	simulate := ""
	for line := range strings.SplitSeq(out.String(), "\n") {
		if i := strings.Index(line, "/simulate/inbound"); i >= 0 {
			simulate = line[strings.LastIndex(line[:i], " ")+1 : i+len("/simulate/inbound")]
		}
	}
	resp, err = http.PostForm(simulate, url.Values{"from": {"919876543211"}, "text": {"Hi"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("demo WhatsApp message via %q: %v %v", simulate, resp, err)
	}
	resp.Body.Close()
	getAs(t, token, base+"/api/v1/drives/jh-warriors/progress?area=JH", &after)
	if leads := after.Metrics[0]; leads.Metric != "leads" || leads.Actual != 2 {
		t.Errorf("after the demo WhatsApp message: %+v", leads)
	}
	var drives struct {
		Drives []struct {
			StartsOn string `json:"starts_on"`
		} `json:"drives"`
	}
	getAs(t, token, base+"/api/v1/drives", &drives)
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	var again syncBuffer
	base, _, stop = startWith(t, "demo", db, &again, nil, "--quiet")
	defer stop()
	if code := getAs(t, token, base+"/api/v1/drives", &struct{}{}); code != 401 {
		t.Errorf("the previous start's token still works: %d", code)
	}
	var drives2 struct {
		Drives []struct {
			StartsOn string `json:"starts_on"`
		} `json:"drives"`
	}
	if code := getAs(t, adminToken(again.String()), base+"/api/v1/drives", &drives2); code != 200 {
		t.Fatalf("new token: %d", code)
	}
	if len(drives2.Drives) != 1 || drives2.Drives[0].StartsOn != drives.Drives[0].StartsOn {
		t.Errorf("restart changed the drive: %+v then %+v", drives, drives2)
	}
}
