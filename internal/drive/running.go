package drive

import (
	"context"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// Running is the drives open at now (today within their dates, each in its
// own zone), newest window first: what the front page offers to join.
func Running(ctx context.Context, db *store.DB, now time.Time) ([]File, error) {
	drives, err := db.Drives(ctx)
	if err != nil {
		return nil, err
	}
	var out []File
	for _, d := range drives {
		f, err := Open(d.File)
		if err != nil {
			return nil, err
		}
		if f.RunsAt(now) {
			out = append(out, f)
		}
	}
	return out, nil
}
