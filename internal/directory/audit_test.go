package directory_test

import (
	"context"
	"testing"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/store"
)

// The audit log is read within the admin's scope: the installation's admin
// reads every entry; an admin of one AC reads only the entries about its
// people, not staff sign-ins or role grants elsewhere, and may not narrow
// it to an area outside; a district narrows to its ACs.
func TestAuditIsScoped(t *testing.T) {
	w := newWorld(t, 0)
	ctx := context.Background()
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		for _, e := range []store.AuditEntry{
			{Actor: "cli:root", Action: "role_grant", Detail: "admin over JH"},
			{Actor: "person:7", Action: "person_view", PersonID: w.sunita},
			{Actor: "person:9", Action: "person_view", PersonID: w.lead},
		} {
			if err := store.Audit(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	actions := func(a access.Actor, area string) ([]string, error) {
		entries, err := w.dir.Audit(ctx, a, store.AuditFilter{}, area)
		var out []string
		for _, e := range entries {
			out = append(out, e.Action+":"+e.Actor)
		}
		return out, err
	}
	state := w.actor("person:1", access.Admin, "JH")
	if got, err := actions(state, ""); err != nil || len(got) != 4 {
		t.Errorf("the state's admin reads %v, %v; want all three and the drive's apply", got, err)
	}
	if got, err := actions(state, "JH-D-RANCHI"); err != nil || len(got) != 1 || got[0] != "person_view:person:7" {
		t.Errorf("the state's admin narrowed to Ranchi district reads %v, %v; want the view of Sunita", got, err)
	}
	ac := w.actor("person:2", access.Admin, "JH-AC-063")
	if got, err := actions(ac, ""); err != nil || len(got) != 1 || got[0] != "person_view:person:7" {
		t.Errorf("an AC's admin reads %v, %v; want only the view of their AC's person", got, err)
	}
	_, err = actions(ac, "JH-AC-040")
	wantCode(t, "an AC's admin narrowing to another AC", err, "forbidden")
	_, err = actions(w.actor("person:3", access.Coordinator, "JH"), "")
	wantCode(t, "a coordinator reading the whole log", err, "forbidden")
}
