package exports

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/sheet"
	"github.com/jodo-org/jodo/internal/store"
)

// Write audits the export (action export, or export_reveal with its
// reason), then writes it to out a page at a time, each page read in its
// own short transaction, and returns the rows written. When it writes
// another number of rows than it counted (people joined or left
// meanwhile) or stops on an error, a second entry (export_end) says so.
func (p *Prepared) Write(ctx context.Context, out io.Writer) (rows int, err error) {
	action := "export"
	if p.req.Reveal {
		action = "export_reveal"
	}
	entry := store.AuditEntry{Actor: p.actor.Label, Scope: p.actor.ScopeLabel(), Action: action, AreaID: p.area.ID,
		Rows: int64(p.Rows), Reason: p.req.Reason, Detail: p.detail()}
	err = p.e.db.Update(ctx, func(tx *store.Tx) error {
		if err := p.withinRevealBudget(ctx, tx); err != nil {
			return err
		}
		return store.Audit(ctx, tx, entry)
	})
	if err != nil {
		return 0, err
	}
	defer func() {
		if err == nil && rows == p.Rows {
			return
		}
		end := entry
		end.Action, end.Rows, end.Reason = "export_end", int64(rows), ""
		end.Detail = fmt.Sprintf("%s counted=%d", entry.Detail, p.Rows)
		if err != nil {
			end.Detail += " stopped=error"
		}
		// A cancelled request's context would refuse the entry too.
		if aerr := p.e.db.Update(context.WithoutCancel(ctx), func(tx *store.Tx) error { return store.Audit(ctx, tx, end) }); aerr != nil && err == nil {
			err = aerr
		}
	}()
	w, err := p.open(out)
	if err != nil {
		return 0, err
	}
	if x, ok := w.(*sheet.XLSX); ok {
		defer x.Close()
	}
	if err := w.Row(header(p.req.Kind, p.req.Lang)...); err != nil {
		return 0, err
	}
	t := table{Prepared: p, w: w, places: newPlaces(p.e.db)}
	switch p.req.Kind {
	case People:
		err = t.people(ctx)
	case Volunteers:
		err = t.volunteers(ctx)
	case Groups:
		err = t.groups(ctx)
	default:
		err = t.posts(ctx)
	}
	if err == nil {
		err = w.Flush()
	}
	return t.rows, err
}

// detail is the audit's what: the kind, the drive, the format and the
// filters, never personal data.
func (p *Prepared) detail() string {
	r := p.req
	d := fmt.Sprintf("kind=%s drive=%s format=%s", r.Kind, p.drive.Slug, r.Format)
	for _, f := range [][2]string{{"stage", r.Stage}, {"channel", r.Channel}, {"platform", r.Platform}, {"language", r.Language},
		{"state", r.State}, {"kind", r.GroupKind}, {"post", r.Post}} {
		if f[1] != "" {
			d += " " + f[0] + "=" + f[1]
		}
	}
	return d
}

func (p *Prepared) open(out io.Writer) (sheet.Writer, error) {
	if p.req.Format == XLSX {
		return sheet.NewXLSX(out, string(p.req.Kind))
	}
	return sheet.NewCSV(out), nil
}

// table is an export being written.
type table struct {
	*Prepared
	w      sheet.Writer
	places *places
	rows   int
}

// row writes one row and counts it, stopping when the request has gone.
func (t *table) row(ctx context.Context, cells ...any) error {
	if err := t.w.Row(cells...); err != nil {
		return err
	}
	t.rows++
	if t.rows%1000 == 0 {
		return ctx.Err()
	}
	return nil
}

// day is t as a date in India ("" for zero): what organisers sort by.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(ist.Zone).Format(time.DateOnly)
}
