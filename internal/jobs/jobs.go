// Package jobs runs River for scheduled, periodic and retry-heavy work
// (reminders, retention purges, reconciliation sweeps) on the same database
// as everything else. Job arguments carry ids, never personal data.
package jobs

import (
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/jodo-org/jodo/internal/store"
)

// Config says which workers and periodic jobs River runs.
type Config struct {
	Workers  *river.Workers
	Periodic []*river.PeriodicJob
	Logger   *slog.Logger
	// Poll is how often idle workers look for new jobs (default 1 s).
	Poll time.Duration
}

// New builds River's client on db (store builds it: it alone holds the
// *sql.DB River's driver needs); Start begins working.
func New(db *store.DB, cfg Config) (*store.River, error) {
	if cfg.Workers == nil {
		cfg.Workers = river.NewWorkers()
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	return db.NewRiver(river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		Workers:           cfg.Workers,
		PeriodicJobs:      cfg.Periodic,
		Logger:            cfg.Logger,
		FetchPollInterval: cfg.Poll,
		FetchCooldown:     min(cfg.Poll, 100*time.Millisecond),
	})
}
