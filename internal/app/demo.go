package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"

	"github.com/jodo-org/jodo/internal/config"
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
	if err := loadDemo(ctx, db); err != nil {
		return err
	}
	token, err := demoToken(ctx, db)
	if err != nil {
		return err
	}
	ready := io.Ready
	io.Ready = func(url string) {
		fmt.Fprintf(io.Stdout, "Jodo demo on %s, serving %s\n", cfg.DatabaseURL, url)
		fmt.Fprintf(io.Stdout, "Drive %q: %s/api/v1/drives/%s/progress?area=JH&children=1\n", demoSlug, url, demoSlug)
		fmt.Fprintf(io.Stdout, "Admin API token for JH (demo-admin, new at each start):\n%s\n", token)
		if ready != nil {
			ready(url)
		}
	}
	return run(ctx, cfg, db, io, log)
}
