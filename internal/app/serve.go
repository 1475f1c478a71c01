package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/bot"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/followup"
	"github.com/jodo-org/jodo/internal/graph"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/hooks"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/jobs"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/logging"
	"github.com/jodo-org/jodo/internal/outbox"
	"github.com/jodo-org/jodo/internal/reports"
	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/worker"
)

const shutdownGrace = 15 * time.Second

// outboxPoll is how often the sender looks for due messages when nothing
// woke it (retries, messages queued by another node).
const outboxPoll = 2 * time.Second

// outboxSettle is how long the sender lets commits gather after a wake:
// a fifth of a second on an SMS's way, for batches large enough that the
// sender's two write transactions per batch cost the intake little.
const outboxSettle = 200 * time.Millisecond

// botPoll is how often the bot looks for messages to answer when nothing
// woke it (messages another node stored, a lease that ran out); botSettle
// lets a burst of webhooks gather into one batch.
const (
	botPoll   = 2 * time.Second
	botSettle = 20 * time.Millisecond
)

// sendConcurrency is how many provider calls a node has in flight: with
// 200 ms a call, 32 make 160 SMS/s, above JODO_SMS_RATE's default of 50.
const sendConcurrency = 32

func serve(ctx context.Context, cfg *config.Config, io IO, log *slog.Logger) error {
	db, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	return run(ctx, cfg, db, io, log, extras{})
}

// extras is what jodo demo adds to the server run serves: an area of its
// own and a wrapper of the SMS provider. serve adds nothing.
type extras struct {
	areas []server.Area
	sms   func(send.Provider) send.Provider
}

// run serves HTTP with River and the outbox sender behind it until ctx
// ends, then stops them in order: HTTP first (no new work), then the call
// writer (every acknowledged call committed), then background work, then
// (in the caller) the database.
func run(ctx context.Context, cfg *config.Config, db *store.DB, io IO, log *slog.Logger, add extras) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	metrics, err := listenMetrics(cfg.MetricsAddr)
	if err != nil {
		return err
	}
	defer metrics.shutdown(context.Background())
	if cfg.BaseURLFromAddr {
		cfg.BaseURL = "http://" + ln.Addr().String()
	}
	workers, periodic := jobs.Standard(db)
	periodic = append(periodic, jobs.GroupSweep(workers, groupSweeper(cfg, db, log).Run))
	runner, err := jobs.New(db, jobs.Config{Workers: workers, Periodic: periodic, Logger: riverLogger(cfg, io)})
	if err != nil {
		return err
	}
	var sendLoop *worker.Loop   // set below, before any request can commit
	var botLoops []*worker.Loop // likewise
	opts := intake.Options{Committed: func() { sendLoop.Wake() }, Countries: cfg.Countries}
	var composer *followup.Composer
	if cfg.SMS.Provider != config.SMSNone {
		composer = followup.New(followup.Config{Provider: cfg.SMS.Provider, TemplateIDs: cfg.SMS.FollowupTemplates,
			BaseURL: cfg.BaseURL, Links: links.New([]byte(cfg.SecretKey)), Log: log})
		opts.Followups = composer
	}
	rec := intake.NewRecorder(db, []byte(cfg.SecretKey), opts)
	rates := map[string]float64{cfg.SMS.Provider: cfg.SMS.Rate, "whatsapp": cfg.WhatsAppRate}
	limits := outbox.NewLimits(rates)
	wa := intake.NewWhatsAppRecorder(db, []byte(cfg.SecretKey), intake.WhatsAppOptions{
		Inbound: func(number string, n int) {
			limits.Charge("whatsapp", number, n)
			// The answering loops share one wake: an idle one answers,
			// rather than all of them racing for the same conversations.
			botLoops[0].Wake()
		}})
	defer wa.Close() // again after the ordered stop below: a no-op then
	registry := prometheus.NewRegistry()
	handlers := wiring{db: db, log: log, cfg: cfg, env: io.Env, registry: registry, recorder: rec, wake: func() { sendLoop.Wake() }, whatsApp: wa}
	srv := server.New(db, log, server.Deps{Config: cfg, Registry: registry}, append(handlers.areas(), add.areas...)...)
	owner := nodeName()
	senders := providers(cfg, io)
	if p, ok := senders[cfg.SMS.Provider]; ok && add.sms != nil {
		senders[cfg.SMS.Provider] = add.sms(p)
	}
	sender, err := outbox.New(db, senders, outbox.Config{
		Owner:         owner,
		Concurrency:   sendConcurrency,
		RatePerSecond: rates,
		Limits:        limits,
		DailyBudget:   map[string]int{store.ChannelSMS: cfg.SMS.DailyBudget},
		Registerer:    srv.Registry(),
		SecretKey:     []byte(cfg.SecretKey),
	})
	if err != nil {
		rec.Close()
		return err
	}
	if composer != nil {
		srv.Registry().MustRegister(composer.Collectors()...)
	}
	sendLoop = worker.NewLoop("outbox", outboxPoll, log, sender.Step).Settle(outboxSettle)
	answerer, err := bot.NewWorker(db, bot.New(db, bot.Config{SecretKey: []byte(cfg.SecretKey), BaseURL: cfg.BaseURL}),
		bot.WorkerConfig{Owner: owner, Replied: func() { sendLoop.WakeNow() }, Log: log, Registerer: srv.Registry()})
	if err != nil {
		rec.Close()
		return err
	}
	// One answering loop per writer: on PostgreSQL several batches of
	// conversations are answered at once, hiding each other's round trips.
	for i := range db.Writers() {
		l := worker.NewLoop("bot", botPoll, log, answerer.Another(i).Step).Settle(botSettle)
		if i > 0 {
			l.SharingWakes(botLoops[0])
		}
		botLoops = append(botLoops, l)
	}
	retrier := &reports.Retrier{DB: db, Owner: owner}
	background := worker.Start(append(botLoops, sendLoop, worker.NewLoop("delivery-reports", 30*time.Second, log, retrier.Drain))...)
	if err := runner.Start(ctx); err != nil {
		rec.Close()
		background.Stop()
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
	metrics.serve(srv.MetricsHandler(), log)
	url := "http://" + ln.Addr().String()
	log.Info("listening", "addr", ln.Addr().String(), "engine", string(db.Engine()), "version", Version(),
		"sms", cfg.SMS.Provider, "node", owner)
	if !strings.HasPrefix(cfg.BaseURL, "https://") {
		log.Warn("JODO_BASE_URL is not https: sign-in cookies are sent without Secure; fine on this machine, never in production", "base_url", cfg.BaseURL)
	}
	if io.Routes != nil {
		io.Routes(srv.Routes())
	}
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
	err = errors.Join(httpSrv.Shutdown(stopCtx), metrics.shutdown(stopCtx))
	rec.Close()
	wa.Close()
	background.Stop()
	err = errors.Join(err, runner.Stop(stopCtx))
	return err
}

// groupSweeper is the groups register's sweep with the reminders the
// configuration allows.
func groupSweeper(cfg *config.Config, db *store.DB, log *slog.Logger) groups.Sweeper {
	return groups.Sweeper{DB: db, Log: log, Reminders: groups.Reminders{WhatsAppTemplate: cfg.WhatsAppGroupReminder,
		SMSProvider: cfg.SMS.Provider, SMSTemplates: cfg.SMS.GroupReminderTemplates, BaseURL: cfg.BaseURL}}
}

// providers builds the configured SMS provider and, with a token, the
// WhatsApp Cloud API, by name.
func providers(cfg *config.Config, io IO) map[string]send.Provider {
	out := smsProviders(cfg, io)
	if cfg.WhatsAppToken != "" {
		out["whatsapp"] = graph.Provider{C: graph.New(graph.Config{BaseURL: cfg.WhatsAppAPIBase, Token: cfg.WhatsAppToken,
			HTTP: providerClient()})}
	}
	return out
}

// smsProviders builds the configured SMS provider, by name.
func smsProviders(cfg *config.Config, io IO) map[string]send.Provider {
	switch cfg.SMS.Provider {
	case config.SMSLog:
		return map[string]send.Provider{config.SMSLog: sms.NewLog(io.Stdout)}
	case config.SMSExotel:
		e := cfg.SMS.Exotel
		return map[string]send.Provider{config.SMSExotel: sms.NewExotel(sms.ExotelConfig{
			BaseURL: e.APIBase, AccountSID: e.AccountSID, APIKey: e.APIKey, APIToken: e.APIToken,
			SenderID: cfg.SMS.SenderID, EntityID: cfg.SMS.EntityID,
			StatusCallback: hooks.SMSStatusURL(cfg.BaseURL, cfg.SecretKey),
			Client:         providerClient(),
		})}
	}
	return map[string]send.Provider{}
}

// providerClient is the HTTP client for a provider: a timeout, and idle
// connections for every call the sender keeps in flight.
func providerClient() *http.Client {
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{Proxy: http.ProxyFromEnvironment,
		MaxIdleConnsPerHost: sendConcurrency, IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: 10 * time.Second,
		ForceAttemptHTTP2: true}}
}

// nodeName names this process for leases: unique across nodes and restarts.
func nodeName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), rand.Text()[:6])
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
