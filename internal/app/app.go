// Package app runs Jodo's subcommands: it wires configuration, the store,
// background work and the HTTP server together, and shuts them down in
// order (HTTP first, then workers, then the database).
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/jodo-org/jodo/internal/bench"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/logging"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

// IO is where a command reads and writes; Ready, if set, is told the
// server's base URL once it listens (tests use it with --addr 127.0.0.1:0),
// and Routes the routes it serves (the access matrix test walks them).
type IO struct {
	Stdout, Stderr io.Writer
	Ready          func(url string)
	Routes         func([]server.Route)
	Env            config.Env // for secrets named by drive files; nil: none
}

// Run executes cfg.Command until it finishes or ctx ends.
func Run(ctx context.Context, cfg *config.Config, io IO) error {
	if io.Env == nil {
		io.Env = func(string) (string, bool) { return "", false }
	}
	log, err := logging.New(io.Stderr, cfg.LogFormat, cfg.LogLevel)
	if err != nil {
		return err
	}
	switch cfg.Command {
	case "version":
		fmt.Fprintln(io.Stdout, "jodo", Version())
		return nil
	case "migrate":
		return migrate(ctx, cfg, io, log)
	case "serve":
		return serve(ctx, cfg, io, log)
	case "demo":
		return demo(ctx, cfg, io, log)
	case "import", "drive", "export", "token", "staff":
		return admin(ctx, cfg, io)
	case "geo":
		return geoMatch(ctx, cfg, io)
	case "bench":
		return benchIntake(ctx, cfg.Bench, io)
	}
	return fmt.Errorf("unknown command %q", cfg.Command)
}

// open connects and brings the schema (Jodo's and River's) and the names'
// search keys up to date.
func open(ctx context.Context, cfg *config.Config) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx, db.MigrateRiver); err != nil {
		db.Close()
		return nil, err
	}
	// Names stored before search keys existed get theirs, once per database.
	if _, err := db.BackfillNameKeys(ctx, names.SearchKeys, 1000); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openExisting is open for the one-off commands: they work on a database
// that migrate, serve or demo made, and never leave an empty one of their
// own where a missing or mistyped --db points.
func openExisting(ctx context.Context, cfg *config.Config) (*store.DB, error) {
	if path, ok := strings.CutPrefix(cfg.DatabaseURL, "sqlite:"); ok {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			if !filepath.IsAbs(path) && !strings.HasPrefix(path, ".") {
				path = "./" + path
			}
			return nil, fmt.Errorf("no database at %s — pass --db or set JODO_DATABASE_URL", path)
		}
	}
	return open(ctx, cfg)
}

func migrate(ctx context.Context, cfg *config.Config, io IO, log *slog.Logger) error {
	db, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(io.Stdout, "database is at schema version %d\n", store.SchemaVersion(db.Engine()))
	return nil
}

// benchIntake runs `jodo bench intake`, serving with --server-binary or
// this binary.
func benchIntake(ctx context.Context, f config.BenchFlags, io IO) error {
	bin := f.Server
	if bin == "" {
		self, err := os.Executable()
		if err != nil {
			return err
		}
		bin = self
	}
	return bench.Intake(ctx, bench.IntakeOptions{Binary: bin, Postgres: f.PG, Conns: f.Conns, Duration: f.For, Load: f.Load,
		Proxy: f.Proxy, Latency: f.Latency, Nodes: f.Nodes, Followups: f.Followups, Out: io.Stdout})
}
