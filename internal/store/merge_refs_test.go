package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
)

// mergeRefs is what FoldPerson does with each column that points at a
// person or a participation: "moved" (or deleted) by FoldPerson itself,
// or "blocks": MergeBlockers refuses to fold a person it points at.
var mergeRefs = map[string]string{
	"appointments.participation_id":       "blocks",
	"appointments.person_id":              "blocks",
	"chat_groups.participation_id":        "blocks",
	"chat_groups.person_id":               "blocks",
	"consents.person_id":                  "moved",
	"contact_points.person_id":            "moved",
	"conversations.person_id":             "moved",
	"enrolments.volunteer_id":             "blocks",
	"handles.person_id":                   "blocks",
	"import_notices.person_id":            "blocks",
	"join_links.participation_id":         "moved",
	"outbox.person_id":                    "moved",
	"participations.person_id":            "moved",
	"participations.referred_by":          "blocks",
	"participations.registered_by":        "blocks",
	"person_name_keys.person_id":          "moved",
	"person_requests.person_id":           "moved",
	"recruiter_credits.person_id":         "blocks",
	"referral_codes.person_id":            "blocks",
	"referral_credited.participation_id":  "blocks",
	"registration_marks.participation_id": "blocks",
	"sessions.person_id":                  "moved",
	"signin_links.person_id":              "blocks",
	"staff_roles.person_id":               "blocks",
	"volunteers.participation_id":         "blocks",
	"volunteers.person_id":                "blocks",
}

// TestEveryReferenceToAPersonIsFoldedOrBlocks: every foreign key to people
// or participations is one FoldPerson moves or one MergeBlockers counts,
// so that folding a chat into a caller never fails on a row it did not
// know of. A new table pointing at people fails this until it is handled
// in store/merge.go and listed in mergeRefs.
func TestEveryReferenceToAPersonIsFoldedOrBlocks(t *testing.T) {
	db, _ := openFileSQLite(t)
	ctx := context.Background()
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	var refs []string
	err := db.View(ctx, func(tx *store.Tx) error {
		rows, err := rawsql.Tx(tx).QueryContext(ctx, `SELECT m.name || '.' || f."from" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
			WHERE m.type = 'table' AND f."table" IN ('people', 'participations')`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var ref string
			if err := rows.Scan(&ref); err != nil {
				return err
			}
			refs = append(refs, ref)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range refs {
		if mergeRefs[ref] == "" {
			t.Errorf("%s points at a person or a participation: FoldPerson must move it or MergeBlockers count it (store/merge.go), then list it in mergeRefs", ref)
		}
	}
	for ref := range mergeRefs {
		if !slices.Contains(refs, ref) {
			t.Errorf("mergeRefs lists %s, which is no foreign key to people or participations", ref)
		}
	}
}
