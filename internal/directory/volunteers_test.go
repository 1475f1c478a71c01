package directory_test

import (
	"context"
	"fmt"
	"hash/crc32"
	"slices"
	"testing"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/store"
)

// volunteer makes a registered member of the drive at area a volunteer
// working there in langs, with handles (platform → normal form).
func (w *searchWorld) volunteer(t *testing.T, slug, name, area string, langs []string, hs map[string]string) int64 {
	t.Helper()
	ctx := context.Background()
	id := w.join(t, slug, name, fmt.Sprintf("+9198764%05d", crc32.ChecksumIEEE([]byte(name))%100000), area, store.StageRegistered)
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		part, err := store.FindParticipation(ctx, tx, id, w.drives[slug].ID)
		if err != nil {
			return err
		}
		if _, err := store.StartVolunteering(ctx, tx, store.Volunteer{ParticipationID: part.ID, AreaID: w.areaID(t, area),
			Languages: langs, Channel: "web"}, "2026-02-22"); err != nil {
			return err
		}
		var list []store.Handle
		for platform, h := range hs {
			list = append(list, store.Handle{Platform: platform, Handle: h})
		}
		_, err = store.SetHandles(ctx, tx, id, list)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// volunteerNames lists the names on every page of a volunteers list.
func (w *searchWorld) volunteerNames(t *testing.T, a access.Actor, f directory.VolunteerFilter) []string {
	t.Helper()
	var out []string
	for {
		page, err := w.dir.Volunteers(context.Background(), a, f)
		if err != nil {
			t.Fatalf("volunteers %+v as %s: %v", f, a.Label, err)
		}
		for _, r := range page.Rows {
			out = append(out, r.Name)
		}
		if page.Next == "" {
			return sorted(out)
		}
		f.Page = page.Next
	}
}

// The volunteers list holds exactly the drive's volunteers working in the
// area asked for and in the asker's scope: a JH-AC-063 coordinator never
// sees a Dhanbad volunteer, not even by asking for Dhanbad; a viewer sees
// none. Members who do not volunteer, or no longer do, are not listed.
func TestVolunteersAreScoped(t *testing.T) {
	w := newSearchWorld(t)
	ram := w.volunteer(t, "jh", "Ranchi Ram", "JH-AC-063", []string{"hi", "sat"},
		map[string]string{"instagram": "ranchi.ram", "whatsapp": "+919876543210"})
	w.volunteer(t, "jh", "Hatia Hari", "JH-AC-064", []string{"en"}, nil)
	w.volunteer(t, "jh", "Dhanbad Dev", "JH-AC-040", []string{"hoc"}, map[string]string{"instagram": "dhanbad.dev"})
	w.join(t, "jh", "Member Only", "+919876500999", "JH-AC-063", store.StageRegistered)
	ended := w.volunteer(t, "jh", "Ended Esha", "JH-AC-063", []string{"hi"}, nil)
	ctx := context.Background()
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		part, err := store.FindParticipation(ctx, tx, ended, w.drives["jh"].ID)
		if err != nil {
			return err
		}
		_, err = store.EndVolunteering(ctx, tx, part.ID, true, "2026-02-22")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	ac := w.actor(t, access.Coordinator, "JH-AC-063")
	if got := w.volunteerNames(t, ac, directory.VolunteerFilter{Drive: "jh"}); !slices.Equal(got, []string{"Ranchi Ram"}) {
		t.Errorf("the JH-AC-063 coordinator lists %v, want Ranchi Ram alone", got)
	}
	for _, area := range []string{"JH-AC-040", "JH-PC-08", "JH"} {
		if _, err := w.dir.Volunteers(ctx, ac, directory.VolunteerFilter{Drive: "jh", Area: area}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("the JH-AC-063 coordinator asking for %s: %v, want forbidden", area, err)
		}
	}
	if _, err := w.dir.Volunteers(ctx, w.actor(t, access.Viewer, "JH"), directory.VolunteerFilter{Drive: "jh"}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a viewer: %v, want forbidden", err)
	}

	admin := w.actor(t, access.Admin, "JH")
	for _, tc := range []struct {
		f    directory.VolunteerFilter
		want []string
	}{
		{directory.VolunteerFilter{}, []string{"Dhanbad Dev", "Hatia Hari", "Ranchi Ram"}},
		{directory.VolunteerFilter{Drive: "jh", Area: "JH-D-RANCHI"}, []string{"Hatia Hari", "Ranchi Ram"}},
		{directory.VolunteerFilter{Drive: "jh", Platform: "instagram"}, []string{"Dhanbad Dev", "Ranchi Ram"}},
		{directory.VolunteerFilter{Drive: "jh", Platform: "x"}, nil},
		{directory.VolunteerFilter{Drive: "jh", Language: "hi"}, []string{"Ranchi Ram"}},
		{directory.VolunteerFilter{Drive: "jh", Language: "sat", Platform: "whatsapp"}, []string{"Ranchi Ram"}},
		{directory.VolunteerFilter{Drive: "jh", Language: "hoc"}, []string{"Dhanbad Dev"}},
		{directory.VolunteerFilter{Drive: "jh", Limit: 1}, []string{"Dhanbad Dev", "Hatia Hari", "Ranchi Ram"}},
		{directory.VolunteerFilter{Drive: "ranchi"}, nil},
	} {
		if got := w.volunteerNames(t, admin, tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("admin of JH with %+v lists %v, want %v", tc.f, got, tc.want)
		}
	}
	for _, f := range []directory.VolunteerFilter{{Platform: "myspace"}, {Language: "h"}, {Page: "x"}, {Page: "-3"}} {
		if _, err := w.dir.Volunteers(ctx, admin, f); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%+v: %v, want invalid", f, err)
		}
	}

	// A row carries the handles, a WhatsApp number masked, and the posts
	// held now.
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		part, err := store.FindParticipation(ctx, tx, ram, w.drives["jh"].ID)
		if err != nil {
			return err
		}
		_, err = store.Appoint(ctx, tx, store.Appointment{DriveID: w.drives["jh"].ID, Post: "ac-sm-convenor", AreaID: w.areaID(t, "JH-AC-063"),
			PersonID: ram, ParticipationID: part.ID, AppointedBy: "token:test"}, "2026-02-22")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	page, err := w.dir.Volunteers(ctx, ac, directory.VolunteerFilter{Drive: "jh"})
	if err != nil || len(page.Rows) != 1 {
		t.Fatalf("the coordinator's list: %+v, %v", page, err)
	}
	r := page.Rows[0]
	want := []store.Handle{{Platform: "instagram", Handle: "ranchi.ram"}, {Platform: "whatsapp", Handle: "+91 98xxxxxx10"}}
	if !slices.EqualFunc(r.Handles, want, func(a, b store.Handle) bool { return a.Platform == b.Platform && a.Handle == b.Handle }) {
		t.Errorf("handles %+v, want %+v", r.Handles, want)
	}
	if len(r.Posts) != 1 || r.Posts[0].Post != "ac-sm-convenor" || !slices.Equal(r.Languages, []string{"hi", "sat"}) || r.Area.Code != "JH-AC-063" {
		t.Errorf("row %+v: want the convenor's post, hi and sat, at JH-AC-063", r)
	}
	if page.Area.Code != "JH-AC-063" || page.Drive.Slug != "jh" {
		t.Errorf("the list defaulted to %s in %s, want JH-AC-063 in jh", page.Area.Code, page.Drive.Slug)
	}
	// Without an area, the first granted area that is part of the drive:
	// Dhanbad is not in the Ranchi district's drive.
	two := w.actor(t, access.Coordinator, "JH-AC-040", "JH-AC-063")
	if page, err := w.dir.Volunteers(ctx, two, directory.VolunteerFilter{Drive: "ranchi"}); err != nil || page.Area.Code != "JH-AC-063" {
		t.Errorf("a coordinator of JH-AC-040 and JH-AC-063 in the ranchi drive: %s, %v; want JH-AC-063", page.Area.Code, err)
	}
}

// A volunteer is seen where they work as well as where they joined: the
// coordinator of the AC a Hatia member volunteers in opens the page the
// Volunteers list links to, handles and all; a coordinator of neither
// does not. A member who does not volunteer shows no handles.
func TestVolunteerSeenWhereTheyWork(t *testing.T) {
	w := newSearchWorld(t)
	ctx := context.Background()
	id := w.join(t, "jh", "Hatia Worker", "+919876511111", "JH-AC-064", store.StageRegistered)
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		part, err := store.FindParticipation(ctx, tx, id, w.drives["jh"].ID)
		if err != nil {
			return err
		}
		if _, err := store.StartVolunteering(ctx, tx, store.Volunteer{ParticipationID: part.ID, AreaID: w.areaID(t, "JH-AC-063"),
			Languages: []string{"hi"}, Channel: "web"}, "2026-02-22"); err != nil {
			return err
		}
		_, err = store.SetHandles(ctx, tx, id, []store.Handle{{Platform: "x", Handle: "hatia_worker"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.dir.View(ctx, w.actor(t, access.Coordinator, "JH-AC-063"), id)
	if err != nil || len(p.Handles) != 1 || p.Handles[0].Handle != "hatia_worker" {
		t.Fatalf("the coordinator of where they work: %+v, %v", p.Handles, err)
	}
	if _, err := w.dir.View(ctx, w.actor(t, access.Coordinator, "JH-AC-040"), id); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("a coordinator of neither AC: %v, want not found", err)
	}
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		part, err := store.FindParticipation(ctx, tx, id, w.drives["jh"].ID)
		if err != nil {
			return err
		}
		_, err = store.EndVolunteering(ctx, tx, part.ID, true, "2026-02-23")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err = w.dir.View(ctx, w.actor(t, access.Coordinator, "JH-AC-064"), id)
	if err != nil || len(p.Handles) != 0 {
		t.Fatalf("a member who no longer volunteers: handles %+v, %v", p.Handles, err)
	}
}
