package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// The scan finds the number in each form, in any table, and nothing in a
// database that holds only other numbers.
func TestNumberLeftFindsEveryForm(t *testing.T) {
	db := Open(t, nil)
	ctx := context.Background()
	insert := func(payloads ...string) {
		t.Helper()
		err := db.Update(ctx, func(tx *store.Tx) error {
			for i, p := range payloads {
				if _, err := store.InsertInbox(ctx, tx, []store.InboxItem{{Provider: "p", Key: fmt.Sprint("k", i), Kind: "k", Payload: []byte(p)}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	insert("+919812300001", `{"wa_id":"919812300002"}`, "CallFrom=09812300003",
		"wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0E2RjFDMkI5RDRFOEE3QjVDMTAA") // the sample's 919876543210
	if got := NumberLeft(t, db, "+91 98765 43210"); len(got) != 1 {
		t.Errorf("the wamid of a sample payload: %q", got)
	}
	if got := NumberLeft(t, db, "+919800000000"); len(got) != 0 {
		t.Errorf("a number held nowhere is found: %q", got)
	}
	for _, form := range []string{"+91 98777 00900", "98777-00900", "To=%2B91+98777+00900", "9877700900", `"919877700900"`,
		`{"id":"wamid.HBgMOTE5ODc3NzAwOTAwFQIAERgSQzA5RjA1NkM4NUNBQTZERDQ1AA=="}`} {
		if err := db.Update(ctx, func(tx *store.Tx) error {
			if _, err := sqlOf(tx).ExecContext(ctx, "DELETE FROM inbox"); err != nil {
				return err
			}
			_, err := sqlOf(tx).ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ('x', $1) ON CONFLICT (key) DO UPDATE SET value = $1", form)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got := NumberLeft(t, db, "+919877700900"); len(got) != 1 {
			t.Errorf("%s: found %q, want it once", form, got)
		}
	}
}

// The text scan ignores case, and the catalog the scans read lists the
// volunteer tables' text columns (the handles, the languages) without
// anyone naming them.
func TestTextLeftFindsHandles(t *testing.T) {
	db := Open(t, nil)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *store.Tx) error {
		cols, err := textColumns(ctx, tx)
		if err != nil {
			return err
		}
		have := map[[2]string]bool{}
		for _, c := range cols {
			have[c] = true
		}
		for _, want := range [][2]string{{"handles", "handle"}, {"handles", "platform"}, {"volunteers", "languages"}, {"appointments", "vacated_why"}} {
			if !have[want] {
				t.Errorf("the scans do not read %s.%s", want[0], want[1])
			}
		}
		_, err = sqlOf(tx).ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ('x', 'instagram.com/Asha.Ranchi')")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := TextLeft(t, db, "asha.ranchi"); len(got) != 1 {
		t.Errorf("a handle in another case: found %q, want it once", got)
	}
	if got := TextLeft(t, db, "asha.dhanbad", ""); len(got) != 0 {
		t.Errorf("a handle held nowhere is found: %q", got)
	}
}
