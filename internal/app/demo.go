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
	if cfg.SecretKey, err = keptSecret(ctx, db, cfg.SecretKey, "demo_secret_key"); err != nil {
		return err
	}
	if cfg.HookSecret, err = keptSecret(ctx, db, cfg.HookSecret, "demo_hook_secret"); err != nil {
		return err
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
		fmt.Fprintf(io.Stdout, "Give it a missed call:\n  curl -d '{\"call_id\":\"demo-1\",\"from\":\"+919876543210\",\"to\":\"18000000000\"}' %s/hooks/missed-call/%s\n", url, cfg.HookSecret)
		fmt.Fprintf(io.Stdout, "Admin API token for JH (demo-admin, new at each start):\n%s\n", token)
		if ready != nil {
			ready(url)
		}
	}
	return run(ctx, cfg, db, io, log)
}

// keptSecret returns given, or else a random secret generated on the
// demo's first start and kept in its database.
func keptSecret(ctx context.Context, db *store.DB, given, name string) (string, error) {
	if given != "" {
		return given, nil
	}
	b := make([]byte, 32)
	rand.Read(b)
	return db.Setting(ctx, name, hex.EncodeToString(b))
}
