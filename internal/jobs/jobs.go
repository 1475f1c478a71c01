// Package jobs runs River for scheduled, periodic and retry-heavy work
// (reminders, retention purges, reconciliation sweeps) on the same database
// as everything else. Job arguments carry ids, never personal data.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/jodo-org/jodo/internal/store"
)

// Runner is River's client on Jodo's database.
type Runner struct {
	client *river.Client[*sql.Tx]
}

// Config says which workers and periodic jobs a Runner runs.
type Config struct {
	Workers  *river.Workers
	Periodic []*river.PeriodicJob
	Logger   *slog.Logger
	// Poll is how often idle workers look for new jobs (default 1 s).
	Poll time.Duration
}

// driver picks River's driver for the engine. On SQLite it shares the
// single writer connection, so River never competes with Jodo for SQLite's
// write lock; that is also why jobs are only enqueued inside store
// transactions (a River call through the pool while a write transaction
// holds the connection would wait forever).
func driver(db *store.DB) riverdriver.Driver[*sql.Tx] {
	if db.Engine() == store.SQLite {
		return riversqlite.New(db.WriteDB())
	}
	return riverdatabasesql.New(db.WriteDB())
}

// Migrate applies River's own migrations.
func Migrate(ctx context.Context, db *store.DB) error {
	m, err := rivermigrate.New(driver(db), nil)
	if err != nil {
		return fmt.Errorf("jobs: migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}

// New builds a Runner; Start begins working.
func New(db *store.DB, cfg Config) (*Runner, error) {
	if cfg.Workers == nil {
		cfg.Workers = river.NewWorkers()
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	client, err := river.NewClient(driver(db), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		Workers:           cfg.Workers,
		PeriodicJobs:      cfg.Periodic,
		Logger:            cfg.Logger,
		FetchPollInterval: cfg.Poll,
		FetchCooldown:     min(cfg.Poll, 100*time.Millisecond),
		PollOnly:          true, // database/sql drivers have no LISTEN; polling is enough for this work
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: new client: %w", err)
	}
	return &Runner{client: client}, nil
}

// Start runs workers, periodic jobs and River's maintenance.
func (r *Runner) Start(ctx context.Context) error { return r.client.Start(ctx) }

// Stop waits for running jobs to finish (until ctx ends).
func (r *Runner) Stop(ctx context.Context) error { return r.client.Stop(ctx) }
