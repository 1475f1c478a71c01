package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// The audit log (DESIGN.md §7): who did what to whose data, in the
// transaction that did it. Entries are only added, never rewritten, and
// purged after a year (PurgeAudit). The log outlives erasure, so no field
// holds personal data: people and areas by id, searches by a keyed hash.

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID       int64
	At       time.Time
	Actor    string // who: "person:42", "token:ops", "cli:root", "self"
	Action   string // what: "signin", "erase", "reveal" …
	PersonID int64  // whose data; 0: no one in particular
	AreaID   int64  // the area it was about; 0: none
	Scope    string // the actor's roles and scopes in force ("coordinator:JH-AC-063")
	Rows     int64  // how many rows it returned or touched; 0: not counted
	Reason   string // the reason the actor gave, where one is asked
	MergedID int64  // a merge: the person folded into PersonID
	Detail   string // filters, channel, ids: never personal data
}

// AuditRetention is how long the log is kept (DESIGN.md §7: processing
// logs, one year).
const AuditRetention = 366 * 24 * time.Hour

// Audit writes e to the audit log in the transaction that does it; its
// time is the transaction's.
func Audit(ctx context.Context, tx *Tx, e AuditEntry) error {
	if e.Actor == "" || e.Action == "" {
		return apperr.New(apperr.Invalid, "an audit entry needs an actor and an action")
	}
	_, err := tx.exec(ctx, `INSERT INTO audit_log (at, actor, action, person_id, area_id, scope, row_count, reason, merged_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		ms(tx.Now), e.Actor, e.Action, optionalID(e.PersonID), optionalID(e.AreaID), e.Scope, optionalID(e.Rows),
		e.Reason, optionalID(e.MergedID), e.Detail)
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	return nil
}

const auditColumns = "l.id, l.at, l.actor, l.action, l.person_id, l.area_id, l.scope, l.row_count, l.reason, l.merged_id, l.detail"

// AuditLog returns the entries about a person, newest first, including
// those written about a chat before a merge folded it into them, and about
// whatever had been folded into that chat before.
func (db *DB) AuditLog(ctx context.Context, personID int64) ([]AuditEntry, error) {
	rows, err := db.read.QueryContext(ctx, `WITH RECURSIVE folded (id) AS (
			SELECT CAST($1 AS BIGINT)
			UNION SELECT m.merged_id FROM audit_log m JOIN folded f ON m.person_id = f.id WHERE m.merged_id IS NOT NULL
		)
		SELECT `+auditColumns+` FROM audit_log l WHERE l.person_id IN (SELECT id FROM folded)
		ORDER BY l.id DESC`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: audit log of person %d: %w", personID, err)
	}
	return scanAudit(rows)
}

// AuditFilter picks entries for AuditEntries; zero fields do not filter.
type AuditFilter struct {
	Actor    string
	Action   string
	PersonID int64
	// Areas keeps entries about an area or a person inside one of these
	// subtrees (by path prefix; a person with no area yet lies at their
	// drive's root): a coordinator's view. nil: every entry.
	Areas    []Area
	From, To time.Time // [From, To)
	Before   int64     // keyset: entries with a smaller id
	Limit    int
}

// AuditEntries lists entries f picks, newest first.
func (db *DB) AuditEntries(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.Actor != "" {
		where = append(where, "l.actor = "+arg(f.Actor))
	}
	if f.Action != "" {
		where = append(where, "l.action = "+arg(f.Action))
	}
	if f.PersonID != 0 {
		where = append(where, "l.person_id = "+arg(f.PersonID))
	}
	if !f.From.IsZero() {
		where = append(where, "l.at >= "+arg(ms(f.From)))
	}
	if !f.To.IsZero() {
		where = append(where, "l.at < "+arg(ms(f.To)))
	}
	if f.Before > 0 {
		where = append(where, "l.id < "+arg(f.Before))
	}
	if f.Areas != nil {
		var in []string
		for _, a := range f.Areas {
			lo, hi := pathRange(a.Path)
			cond := "a.path >= " + arg(lo) + " AND a.path < " + arg(hi)
			// A participation with no area yet lies at its drive's root, as
			// the directory shows it.
			in = append(in, "l.area_id IN (SELECT a.id FROM areas a WHERE "+cond+")",
				"l.person_id IN (SELECT pa.person_id FROM participations pa JOIN areas a ON a.id = pa.area_id WHERE "+cond+")",
				"l.person_id IN (SELECT pa.person_id FROM participations pa JOIN drives d ON d.id = pa.drive_id JOIN areas a ON a.id = d.root_area_id WHERE pa.area_id IS NULL AND "+cond+")")
		}
		if len(in) == 0 {
			return nil, nil
		}
		where = append(where, "("+strings.Join(in, " OR ")+")")
	}
	q := "SELECT " + auditColumns + " FROM audit_log l"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q += " ORDER BY l.id DESC LIMIT " + arg(limit)
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: audit entries: %w", err)
	}
	return scanAudit(rows)
}

// CountAuditSince counts an actor's entries of an action since a time, in
// tx: how many numbers a staff member revealed today, counted in the
// transaction that adds the next. On PostgreSQL the actor's entries are
// serialised for the transaction, so two reveals at once cannot both slip
// under a cap; SQLite's single writer does that already.
func CountAuditSince(ctx context.Context, tx *Tx, actor, action string, since time.Time) (int, error) {
	if tx.Engine() == Postgres {
		if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(7245, hashtext($1))", actor+"\n"+action); err != nil {
			return 0, fmt.Errorf("store: lock audit entries of %s: %w", actor, err)
		}
	}
	var n int
	err := tx.queryRow(ctx, "SELECT count(*) FROM audit_log WHERE actor = $1 AND action = $2 AND at >= $3",
		actor, action, ms(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count audit entries: %w", err)
	}
	return n, nil
}

// SumAuditRowsSince adds up the rows of an actor's entries of one action
// since a time, holding the same per-actor lock as CountAuditSince on
// PostgreSQL (SQLite's one writer serialises it already), so that two
// requests at once cannot both fit under a budget they pass together.
func SumAuditRowsSince(ctx context.Context, tx *Tx, actor, action string, since time.Time) (int64, error) {
	if tx.Engine() == Postgres {
		if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(7245, hashtext($1))", actor+"\n"+action); err != nil {
			return 0, fmt.Errorf("store: lock audit entries of %s: %w", actor, err)
		}
	}
	var n int64
	err := tx.queryRow(ctx, "SELECT CAST(COALESCE(SUM(row_count), 0) AS BIGINT) FROM audit_log WHERE actor = $1 AND action = $2 AND at >= $3",
		actor, action, ms(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: add up audit entries' rows: %w", err)
	}
	return n, nil
}

// PurgeAudit deletes entries written before cutoff, purgeChunk a
// transaction (a launch's hour a year ago is lakhs of entries).
func (db *DB) PurgeAudit(ctx context.Context, cutoff time.Time) (int64, error) {
	return db.purgeInChunks(ctx, "audit log", `DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < $1 LIMIT $2)`, ms(cutoff))
}

func scanAudit(rows *sql.Rows) ([]AuditEntry, error) {
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		var person, area, count, merged sql.NullInt64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &person, &area, &e.Scope, &count, &e.Reason, &merged, &e.Detail); err != nil {
			return nil, fmt.Errorf("store: audit entries: %w", err)
		}
		e.At, e.PersonID, e.AreaID, e.Rows, e.MergedID = fromMS(at), person.Int64, area.Int64, count.Int64, merged.Int64
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: audit entries: %w", err)
	}
	return out, nil
}
