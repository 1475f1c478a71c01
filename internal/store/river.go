package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// River is River's client on the store's database. It is built here
// because River's driver needs the *sql.DB, which stays inside store;
// internal/jobs decides the workers, the periodic schedule and the queues.
type River struct {
	client *river.Client[*sql.Tx]
}

// riverDriver picks River's driver for the engine. On SQLite it shares the
// single writer connection, so River never competes with Jodo for SQLite's
// write lock; that is also why jobs may only be inserted inside store
// transactions (a River call through the pool while a write transaction
// holds the connection would wait forever).
func (db *DB) riverDriver() riverdriver.Driver[*sql.Tx] {
	if db.engine == SQLite {
		return riversqlite.New(db.write)
	}
	return riverdatabasesql.New(db.write)
}

// MigrateRiver applies River's own migrations.
func (db *DB) MigrateRiver(ctx context.Context) error {
	m, err := rivermigrate.New(db.riverDriver(), nil)
	if err != nil {
		return fmt.Errorf("store: river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("store: river migrate: %w", err)
	}
	return nil
}

// NewRiver builds River's client with cfg. The database/sql drivers have no
// LISTEN, so the client only polls (cfg.FetchPollInterval).
func (db *DB) NewRiver(cfg river.Config) (*River, error) {
	cfg.PollOnly = true
	client, err := river.NewClient(db.riverDriver(), &cfg)
	if err != nil {
		return nil, fmt.Errorf("store: river client: %w", err)
	}
	return &River{client: client}, nil
}

// Start runs workers, periodic jobs and River's maintenance.
func (r *River) Start(ctx context.Context) error { return r.client.Start(ctx) }

// Stop waits for running jobs to finish (until ctx ends).
func (r *River) Stop(ctx context.Context) error { return r.client.Stop(ctx) }
