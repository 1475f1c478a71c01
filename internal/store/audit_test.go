package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
)

// AuditEntries picks by actor, action, person, areas (the entries about an
// area in the subtrees, or about a person taking part there; a lead with no
// area yet only from a scope covering the drive's root), a time range
// [From, To) and keyset pages (Before), newest first; filters combine.
func TestAuditEntriesFilters(t *testing.T) {
	f := newDriveFixture(t)
	ctx := context.Background()
	var sibling int64
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		return rawsql.Tx(tx).QueryRowContext(ctx, `INSERT INTO areas (code, kind, number, name_en, parent_code, path, created_at, updated_at)
			VALUES ('JH-AC-064', 'ac', '64', 'Kanke', 'JH', '/JH/JH-AC-064/', $1, $1) RETURNING id`, tx.Now.UnixMilli()).Scan(&sibling)
	})
	inAC, inSibling, lead := f.person(t, "Asha", "+919876500001"), f.person(t, "Ravi", "+919876500002"), f.person(t, "", "+919876500003")
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		for person, area := range map[int64]int64{inAC: f.ac, inSibling: sibling} {
			if _, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: person, DriveID: f.drive, Channel: "web",
				AreaID: area, Day: fixtureDay}); err != nil {
				return err
			}
		}
		return nil
	})
	f.lead(t, lead)

	start := f.clock.Now()
	ids := map[string]int64{}
	for i, e := range []store.AuditEntry{
		{Actor: "cli:root", Action: "role_grant", PersonID: inAC, Detail: "e1"},
		{Actor: "person:7", Action: "reveal", PersonID: inAC, Reason: "called back", Detail: "e2"},
		{Actor: "person:7", Action: "search", AreaID: sibling, Detail: "e3"},
		{Actor: "person:8", Action: "person_view", PersonID: inSibling, Detail: "e4"},
		{Actor: "self", Action: "erase", PersonID: lead, Detail: "e5"},
		{Actor: "cli:root", Action: "drive_apply", AreaID: f.state, Detail: "e6"},
	} {
		f.clock.Set(start.Add(time.Duration(i) * time.Hour))
		f.update(t, func(ctx context.Context, tx *store.Tx) error { return store.Audit(ctx, tx, e) })
	}
	all, err := f.db.AuditEntries(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		ids[e.Detail] = e.ID
	}
	areas := func(codes ...string) []store.Area {
		out, err := f.db.AreasByCodes(ctx, codes)
		if err != nil || len(out) != len(codes) {
			t.Fatalf("areas %v: %v %v", codes, out, err)
		}
		return out
	}
	for name, c := range map[string]struct {
		f    store.AuditFilter
		want []string
	}{
		"all":             {store.AuditFilter{}, []string{"e6", "e5", "e4", "e3", "e2", "e1"}},
		"actor":           {store.AuditFilter{Actor: "person:7"}, []string{"e3", "e2"}},
		"action":          {store.AuditFilter{Action: "person_view"}, []string{"e4"}},
		"person":          {store.AuditFilter{PersonID: inAC}, []string{"e2", "e1"}},
		"an AC":           {store.AuditFilter{Areas: areas("JH-AC-063")}, []string{"e2", "e1"}},
		"the sibling AC":  {store.AuditFilter{Areas: areas("JH-AC-064")}, []string{"e4", "e3"}},
		"both ACs":        {store.AuditFilter{Areas: areas("JH-AC-063", "JH-AC-064")}, []string{"e4", "e3", "e2", "e1"}},
		"the state":       {store.AuditFilter{Areas: areas("JH")}, []string{"e6", "e5", "e4", "e3", "e2", "e1"}},
		"an empty scope":  {store.AuditFilter{Areas: []store.Area{}}, nil},
		"dates":           {store.AuditFilter{From: start.Add(time.Hour), To: start.Add(3 * time.Hour)}, []string{"e3", "e2"}},
		"a page":          {store.AuditFilter{Before: ids["e4"], Limit: 2}, []string{"e3", "e2"}},
		"the next page":   {store.AuditFilter{Before: ids["e2"], Limit: 2}, []string{"e1"}},
		"actor and areas": {store.AuditFilter{Actor: "person:7", Areas: areas("JH-AC-063")}, []string{"e2"}},
		"action and date": {store.AuditFilter{Action: "erase", From: start.Add(5 * time.Hour)}, nil},
	} {
		got, err := f.db.AuditEntries(ctx, c.f)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var details []string
		for _, e := range got {
			details = append(details, e.Detail)
		}
		if !slices.Equal(details, c.want) {
			t.Errorf("%s: %q, want %q", name, details, c.want)
		}
	}
	if e := all[4]; e.Reason != "called back" || e.Actor != "person:7" || !e.At.Equal(start.Add(time.Hour)) {
		t.Errorf("entry e2 read back as %+v", e)
	}
}

// A person's audit trail holds what was written about the people folded
// into them, and about those folded into those, and nobody else's.
func TestAuditLogFollowsMerges(t *testing.T) {
	f := newDriveFixture(t)
	ctx := context.Background()
	for _, e := range []store.AuditEntry{
		{Actor: "self", Action: "consent", PersonID: 101, Detail: "the first chat"},
		{Actor: "self", Action: "merge", PersonID: 102, MergedID: 101, Detail: "101 into 102"},
		{Actor: "self", Action: "consent", PersonID: 102, Detail: "the second chat"},
		{Actor: "self", Action: "merge", PersonID: 103, MergedID: 102, Detail: "102 into 103"},
		{Actor: "self", Action: "consent", PersonID: 104, Detail: "someone else"},
		{Actor: "self", Action: "merge", PersonID: 104, MergedID: 105, Detail: "105 into 104"},
	} {
		f.update(t, func(ctx context.Context, tx *store.Tx) error { return store.Audit(ctx, tx, e) })
	}
	for person, want := range map[int64][]string{
		103: {"102 into 103", "the second chat", "101 into 102", "the first chat"},
		102: {"the second chat", "101 into 102", "the first chat"},
		101: {"the first chat"},
		104: {"105 into 104", "someone else"},
	} {
		entries, err := f.db.AuditLog(ctx, person)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Detail)
		}
		if !slices.Equal(got, want) {
			t.Errorf("audit log of %d: %q, want %q", person, got, want)
		}
	}
}
