package store

import (
	"context"
	"fmt"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Wait is what one active backend of the database was doing at a sample:
// the event it waited on ("" when running) and whether its statement
// touches the counter tables.
type Wait struct {
	Type, Event string // pg_stat_activity's wait_event_type and wait_event
	Counter     bool   // the statement's text mentions "counter"
}

// Lock reports a wait for a lock (a row's transaction, a tuple, a
// relation), as opposed to I/O, the client or an idle backend.
func (w Wait) Lock() bool { return w.Type == "Lock" }

// SampleWaits reads, once, what every other active backend of this
// PostgreSQL database is waiting on (a benchmark samples it to see where
// writers queue). Statements may be sent several at a time, so a
// backend's query is classed by its text, not matched to one statement.
func (db *DB) SampleWaits(ctx context.Context) ([]Wait, error) {
	if db.engine != Postgres {
		return nil, apperr.New(apperr.Invalid, "sampling waits needs PostgreSQL (pg_stat_activity); this database is SQLite")
	}
	rows, err := db.read.QueryContext(ctx, `SELECT coalesce(wait_event_type, ''), coalesce(wait_event, ''), position('counter' IN lower(query)) > 0
		FROM pg_stat_activity
		WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'`)
	if err != nil {
		return nil, fmt.Errorf("store: sample waits: %w", err)
	}
	defer rows.Close()
	var waits []Wait
	for rows.Next() {
		var w Wait
		if err := rows.Scan(&w.Type, &w.Event, &w.Counter); err != nil {
			return nil, fmt.Errorf("store: sample waits: %w", err)
		}
		waits = append(waits, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: sample waits: %w", err)
	}
	return waits, nil
}
