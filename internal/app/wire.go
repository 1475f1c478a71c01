package app

import (
	"log/slog"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/api"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/console"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/enrol"
	"github.com/jodo-org/jodo/internal/exports"
	"github.com/jodo-org/jodo/internal/flags"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/hooks"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/requests"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/signin"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/web"
)

// wiring is what the HTTP areas are built from: the node's database, log,
// configuration and metrics, and the parts of intake and sending they
// hand work to.
type wiring struct {
	db       *store.DB
	log      *slog.Logger
	cfg      *config.Config
	env      config.Env
	registry *prometheus.Registry
	recorder *intake.Recorder         // missed calls
	wake     func()                   // tells the outbox sender a message was queued
	whatsApp *intake.WhatsAppRecorder // WhatsApp notifications
}

// areas builds what the server routes to: the API, the provider webhooks
// and, with a secret key, the pages and the console. The API and the
// console share one directory.
func (w wiring) areas() []server.Area {
	dir := w.directory()
	out := []server.Area{api.New(w.db, dir, w.log), w.hooks()}
	if w.cfg.SecretKey == "" {
		return out
	}
	si := w.signin()
	out = append(out, w.web(si))
	if si != nil {
		out = append(out, w.console(si, dir))
	}
	return out
}

// directory is what staff see of people, for the API and the console. It
// registers the reveal cap's metric, so it is built once per server: a
// second registration is a wiring mistake, and fails the start.
func (w wiring) directory() *directory.Directory {
	d, err := directory.New(w.db, directory.Config{SecretKey: []byte(w.cfg.SecretKey), Log: w.log, Metrics: w.registry,
		RevealDailyCap: w.cfg.RevealDailyCap, PhoneSearchDailyCap: 10 * w.cfg.RevealDailyCap})
	if err != nil {
		panic(err)
	}
	return d
}

func (w wiring) hooks() *hooks.Hooks {
	return hooks.New(hooks.Deps{
		DB: w.db, Recorder: w.recorder, Env: w.env, Log: w.log, Metrics: w.registry,
		SecretKey: w.cfg.SecretKey, HookSecret: w.cfg.HookSecret, TwilioToken: w.cfg.TwilioToken, BaseURL: w.cfg.BaseURL,
		WhatsAppVerifyToken: w.cfg.WhatsAppVerifyToken, WhatsAppAppSecret: w.cfg.WhatsAppAppSecret,
		WhatsApp: w.whatsApp,
	})
}

// signin is sign-in for the pages and the console: by code when an SMS
// provider can carry the codes, and by one-time link always. nil when it
// cannot be built (logged).
func (w wiring) signin() *signin.Signin {
	cfg := w.cfg
	sc := signin.Config{SecretKey: []byte(cfg.SecretKey), Secure: w.secure(),
		TrustedProxies: cfg.TrustedProxies, DailyBudget: cfg.SMS.SignInBudget, Countries: cfg.Countries}
	if cfg.SMS.Provider != "" && cfg.SMS.Provider != config.SMSNone {
		sc.SMS = signin.OutboxSMS(cfg.SMS.Provider, cfg.SMS.SignInTemplates, w.wake)
	}
	si, err := signin.New(w.db, sc, w.registry)
	if err != nil {
		w.log.Error("sign-in is off", "err", err)
		return nil
	}
	return si
}

func (w wiring) secure() bool { return strings.HasPrefix(w.cfg.BaseURL, "https://") }

// web builds the pages, with sign-in when si is not nil.
func (w wiring) web(si *signin.Signin) *web.Web {
	key := []byte(w.cfg.SecretKey)
	d := web.Deps{DB: w.db, Links: links.New(key), SecretKey: key, BaseURL: w.cfg.BaseURL, Log: w.log}
	if si != nil {
		d.Sessions, d.ClientIP = si, si.ClientIP
	}
	if s := w.cfg.SMS; w.smsCarries(s.EnrolCodeTemplates) {
		d.Enrol = enrol.New(w.db, key, enrol.OutboxSMS(s.Provider, w.cfg.BaseURL, s.EnrolCodeTemplates, w.wake))
	}
	return web.New(d)
}

// smsCarries reports whether the SMS provider can carry a message of
// optional templates: any provider but none, and with exotel only once
// both languages' template ids are set.
func (w wiring) smsCarries(templates map[string]string) bool {
	s := w.cfg.SMS
	return s.Provider != "" && s.Provider != config.SMSNone && (s.Provider != config.SMSExotel || templates["en"] != "" && templates["hi"] != "")
}

// console builds the organisers' pages over the same sign-in as the
// member pages.
func (w wiring) console(si *signin.Signin, dir *directory.Directory) *console.Console {
	f := w.cfg.Flags
	rules := flags.Rules{Recruits: flags.Rule(f.Recruits), Network: flags.Rule(f.Network), Device: flags.Rule(f.Device),
		Groups: flags.Rule(f.Groups), Lookback: f.Lookback}
	return console.New(console.Deps{DB: w.db, Sessions: si, Directory: dir, Groups: groups.New([]byte(w.cfg.SecretKey)), Secure: w.secure(),
		Poll: w.cfg.DashboardPoll, Log: w.log, Flags: rules, Requests: w.requests(dir),
		Exports: exports.New(w.db, dir, exportCaps(w.cfg)).RevealRowsADay(w.cfg.RevealExportRows)})
}

// requests is staff's handling of people's requests; their codes go by
// SMS when a provider can carry them (with exotel, once the template ids
// are set), else only an identity check confirms one.
func (w wiring) requests(dir *directory.Directory) *requests.Requests {
	var send requests.SMS
	s := w.cfg.SMS
	if w.smsCarries(s.RequestCodeTemplates) {
		send = requests.OutboxSMS(s.Provider, s.RequestCodeTemplates, w.wake)
	}
	return requests.New(w.db, dir, []byte(w.cfg.SecretKey), send)
}
