package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/jodo-org/jodo/internal/config"
	demoworld "github.com/jodo-org/jodo/internal/demo"
	"github.com/jodo-org/jodo/internal/store"
)

// demoHistory gives a new demo drive its generated history (--seed picks
// it; --seed 0 leaves the drive empty); a drive with people in it keeps
// them.
func demoHistory(ctx context.Context, db *store.DB, cfg *config.Config, log *slog.Logger) error {
	if cfg.DemoSeed == 0 {
		return nil
	}
	start := time.Now()
	n, err := demoworld.Seed(ctx, db, demoSlug, []byte(cfg.SecretKey), demoworld.Options{Seed: cfg.DemoSeed, Scale: 1})
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("demo: generated the drive's history", "people", n, "seed", cfg.DemoSeed, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}
