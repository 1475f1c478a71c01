package dashboard

import (
	"context"
	"fmt"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/store"
)

// RecordDownload writes the audit entry of a download of b's table (rows
// lines of it) by actor, before the file is sent: every export is audited,
// this one with what it showed.
func RecordDownload(ctx context.Context, db *store.DB, actor access.Actor, b Board, rows int) error {
	e := store.AuditEntry{Actor: actor.Label, Scope: actor.ScopeLabel(), Action: "export", AreaID: b.Area.ID, Rows: int64(rows),
		Detail: fmt.Sprintf("dashboard table: drive=%s area=%s tree=%s sort=%s desc=%t page=%d", b.Drive.Slug, b.Area.Code, b.Tree, b.Sort, b.Desc, b.Page)}
	return db.Update(ctx, func(tx *store.Tx) error { return store.Audit(ctx, tx, e) })
}
