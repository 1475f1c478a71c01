package app

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/jobs"
	"github.com/jodo-org/jodo/internal/logging"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

const shutdownGrace = 15 * time.Second

func serve(ctx context.Context, cfg *config.Config, io IO, log *slog.Logger) error {
	db, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	return run(ctx, cfg, db, io, log)
}

// run serves HTTP with River behind it until ctx ends, then stops them in
// order: HTTP first (no new work), then background work, then (in the
// caller) the database.
func run(ctx context.Context, cfg *config.Config, db *store.DB, io IO, log *slog.Logger) error {
	workers, periodic := jobs.Standard(db)
	runner, err := jobs.New(db, jobs.Config{Workers: workers, Periodic: periodic, Logger: riverLogger(cfg, io)})
	if err != nil {
		return err
	}
	rec := intake.NewRecorder(db, []byte(cfg.SecretKey), nil)
	defer rec.Close() // after HTTP has stopped: every acknowledged call is committed
	srv := server.New(db, log, server.Deps{Config: cfg, Env: io.Env, Recorder: rec})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	if err := runner.Start(ctx); err != nil {
		ln.Close()
		return err
	}
	httpSrv := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	log.Info("listening", "addr", ln.Addr().String(), "engine", string(db.Engine()), "version", Version())
	if io.Ready != nil {
		io.Ready(url)
	}

	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server failed", "err", err)
		}
	}
	log.Info("shutting down")
	stopCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = httpSrv.Shutdown(stopCtx)
	err = errors.Join(err, runner.Stop(stopCtx))
	return err
}

// riverLogger keeps River's routine chatter out of the log unless
// debugging.
func riverLogger(cfg *config.Config, io IO) *slog.Logger {
	level := "warn"
	if cfg.LogLevel == "debug" {
		level = "debug"
	}
	log, err := logging.New(io.Stderr, cfg.LogFormat, level)
	if err != nil {
		return slog.Default()
	}
	return log.With("component", "river")
}
