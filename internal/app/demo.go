package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"

	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/store"
)

// demo runs the server on the demo database, creating it if needed. Its
// secret key is generated once and kept in the database, so restarts keep
// links and hashes valid.
func demo(ctx context.Context, cfg *config.Config, io IO, log *slog.Logger) error {
	db, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.SecretKey == "" {
		b := make([]byte, 32)
		rand.Read(b)
		key, err := db.Setting(ctx, "demo_secret_key", hex.EncodeToString(b))
		if err != nil {
			return err
		}
		cfg.SecretKey = key
	}
	fmt.Fprintf(io.Stdout, "Jodo demo on %s (schema %d)\n", cfg.DatabaseURL, store.SchemaVersion(db.Engine()))
	return run(ctx, cfg, db, io, log)
}
