package api_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/store"
)

type peopleListOut struct {
	People []struct {
		ID              int64  `json:"id"`
		ParticipationID int64  `json:"participation_id"`
		Name            string `json:"name"`
		Drive           string `json:"drive"`
		Area            string `json:"area"`
		AreaName        string `json:"area_name"`
		Stage           string `json:"stage"`
		Channel         string `json:"channel"`
		Phone           string `json:"phone"`
	} `json:"people"`
	NextCursor string `json:"next_cursor"`
}

func (o peopleListOut) names() []string {
	var out []string
	for _, p := range o.People {
		out = append(out, p.Name)
	}
	slices.Sort(out)
	return out
}

// The list holds the participations in the token's scope, numbers masked,
// narrowed by each parameter given; pages follow next_cursor to the end.
func TestPeopleListIsScopedAndMasked(t *testing.T) {
	w := newPeopleWorld(t)
	w.person(t, "Sunita Devi", "+919876543210", "JH-AC-063")
	w.person(t, "Sunil Kumar", "+919876543211", "JH-AC-064")
	w.person(t, "Ramesh Kumar", "+919812345678", "JH-AC-040")
	w.person(t, "Missed Call", "+919800000001", "")
	ac := w.token(t, "ranchi", access.Coordinator, "JH-AC-063")
	pc := w.token(t, "ranchi-pc", access.Coordinator, "JH-PC-08")
	state := w.token(t, "state", access.Admin, "JH")
	for _, tc := range []struct {
		token, query string
		want         []string
	}{
		{ac, "", []string{"Sunita Devi"}},
		{pc, "", []string{"Sunil Kumar", "Sunita Devi"}},
		{state, "", []string{"Missed Call", "Ramesh Kumar", "Sunil Kumar", "Sunita Devi"}},
		{state, "drive=jh-warriors&area=JH-PC-08", []string{"Sunil Kumar", "Sunita Devi"}},
		{state, "channel=missed_call", []string{"Missed Call"}},
		{state, "stage=lead&q=" + url.QueryEscape("सुनी"), []string{"Sunil Kumar", "Sunita Devi"}},
		{state, "q=kumar", []string{"Ramesh Kumar", "Sunil Kumar"}},
		{state, "q=" + url.QueryEscape("098123 45678"), []string{"Ramesh Kumar"}},
		{pc, "q=" + url.QueryEscape("+91 98123 45678"), nil},
	} {
		var out peopleListOut
		if status, msg := w.get(t, tc.token, "/api/v1/people?"+tc.query, &out); status != http.StatusOK {
			t.Errorf("?%s: %d %s", tc.query, status, msg)
			continue
		}
		if got := out.names(); !slices.Equal(got, tc.want) {
			t.Errorf("?%s lists %v, want %v", tc.query, got, tc.want)
		}
		for _, p := range out.People {
			if p.Drive != "jh-warriors" || p.Stage != "lead" || !strings.Contains(p.Phone, "xxxxxx") || p.ID == 0 || p.ParticipationID == 0 {
				t.Errorf("?%s: row %+v", tc.query, p)
			}
			if (p.Area == "") != (p.Name == "Missed Call") || (p.Area == "JH-AC-063") != (p.AreaName == "Ranchi") {
				t.Errorf("?%s: row %+v", tc.query, p)
			}
		}
	}
	var seen []string
	next := ""
	for range 5 {
		var out peopleListOut
		if status, msg := w.get(t, state, "/api/v1/people?limit=1&cursor="+url.QueryEscape(next), &out); status != http.StatusOK {
			t.Fatalf("page after %q: %d %s", next, status, msg)
		}
		seen = append(seen, out.names()...)
		if next = out.NextCursor; next == "" {
			break
		}
	}
	if slices.Sort(seen); len(seen) != 4 || len(slices.Compact(seen)) != 4 {
		t.Errorf("pages of one: %v, want the four people once each", seen)
	}
	entries, err := w.db.AuditEntries(context.Background(), store.AuditFilter{Actor: "token:ranchi-pc"})
	if err != nil || len(entries) != 2 || entries[0].Action != "search_phone" || entries[0].Rows != 0 || !strings.Contains(entries[0].Detail, " phone=") ||
		entries[1].Action != "search" || entries[1].Rows != 2 || entries[1].Detail != "drive= area= stage= channel=" || entries[1].Scope != "coordinator:JH-PC-08" {
		t.Errorf("the searches by token:ranchi-pc are audited as %+v (%v)", entries, err)
	}
}

// Listing people needs people.read; what cannot be asked is refused.
func TestPeopleListRefuses(t *testing.T) {
	w := newPeopleWorld(t)
	w.person(t, "Sunita Devi", "+919876543210", "JH-AC-063")
	ac := w.token(t, "ranchi", access.Coordinator, "JH-AC-063")
	for _, tc := range []struct {
		token, query string
		status       int
	}{
		{"", "", http.StatusUnauthorized},
		{w.token(t, "viewer", access.Viewer, "JH"), "", http.StatusForbidden},
		{w.token(t, "checker", access.FactChecker, "JH-AC-063"), "area=JH-AC-063", http.StatusForbidden},
		{ac, "area=JH-AC-040", http.StatusForbidden},
		{ac, "area=JH-PC-08", http.StatusForbidden},
		{ac, "area=JH-AC-999", http.StatusNotFound},
		{ac, "drive=nope", http.StatusNotFound},
		{ac, "stage=member", http.StatusBadRequest},
		{ac, "limit=0", http.StatusBadRequest},
		{ac, "limit=x", http.StatusBadRequest},
		{ac, "limit=201", http.StatusBadRequest},
		{ac, "cursor=zzz", http.StatusBadRequest},
		{ac, "q=%00", http.StatusBadRequest},
		{ac, "q=%FF", http.StatusBadRequest},
	} {
		var out peopleListOut
		if status, msg := w.get(t, tc.token, "/api/v1/people?"+tc.query, &out); status != tc.status || len(out.People) != 0 {
			t.Errorf("?%s with %.12q: %d %s, want %d", tc.query, tc.token, status, msg, tc.status)
		}
	}
}
