package drive_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A drive applied with posts exports them (jodo drive export): the export
// parses to the same posts, and applying it again (its next version) keeps
// them.
func TestExportKeepsPosts(t *testing.T) {
	db := storetest.Open(t, storetest.NewClock(time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)))
	drivetest.Load(t, db, nil, drivetest.Reference)
	ref, err := drive.Parse([]byte(drivetest.Reference))
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Posts) != 3 {
		t.Fatalf("the reference drive has %d posts, want 3", len(ref.Posts))
	}
	ctx := context.Background()
	out, err := drive.Export(ctx, db, "jh-warriors")
	if err != nil {
		t.Fatal(err)
	}
	exported, err := drive.Parse(out)
	if err != nil {
		t.Fatalf("the export does not parse: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(exported.Posts, ref.Posts) {
		t.Fatalf("exported posts %+v, want %+v", exported.Posts, ref.Posts)
	}
	exported.Version++
	if _, err := drive.Apply(ctx, db, exported, false, access.Actor{Label: "cli:test"}); err != nil {
		t.Fatal(err)
	}
	again, err := drive.Export(ctx, db, "jh-warriors")
	if err != nil {
		t.Fatal(err)
	}
	f, err := drive.Parse(again)
	if err != nil || !reflect.DeepEqual(f.Posts, ref.Posts) || f.Version != ref.Version+1 {
		t.Errorf("after applying the export again: %+v, %v", f, err)
	}
}
