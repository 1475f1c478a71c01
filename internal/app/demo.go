package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/fakemeta"
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
	if cfg.SecretKey, err = keptSecret(ctx, db, cfg.SecretKey, demoSecretKey); err != nil {
		return err
	}
	if cfg.HookSecret, err = keptSecret(ctx, db, cfg.HookSecret, "demo_hook_secret"); err != nil {
		return err
	}
	if err := loadDemo(ctx, db); err != nil {
		return err
	}
	if err := demoHistory(ctx, db, cfg, log); err != nil {
		return err
	}
	token, err := demoToken(ctx, db)
	if err != nil {
		return err
	}
	link, err := demoAdmin(ctx, db, cfg.SecretKey)
	if err != nil {
		return err
	}
	meta, err := demoWhatsApp(ctx, db, cfg)
	if err != nil {
		return err
	}
	defer meta.Close()
	live, add := demoPhone(cfg, log)
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var trickled func()
	defer func() {
		if trickled != nil {
			stop()
			trickled()
		}
	}()
	ready := io.Ready
	io.Ready = func(url string) {
		live.Listening(url)
		trickled = startTrickle(ctx, cfg, live, log)
		live.Chat.Connect(url+"/hooks/whatsapp", cfg.WhatsAppAppSecret)
		meta.Connect(url+"/hooks/whatsapp", cfg.WhatsAppAppSecret, func(r fakemeta.Request) {
			if live.Chat.Seen(r) { // the phone page's or the trickle's: shown there
				return
			}
			text, options := fakemeta.Shown(r)
			fmt.Fprintf(io.Stdout, "WhatsApp to +%s:\n  %s\n", r.To, strings.ReplaceAll(text, "\n", "\n  "))
			for _, o := range options {
				fmt.Fprintf(io.Stdout, "  [%s]\n", o[1])
			}
		})
		fmt.Fprintf(io.Stdout, "Write to the drive on WhatsApp (a fake Meta on this machine stands in; type a button's title to tap it):\n  curl -d from=919876543210 -d text=Hi %s/simulate/inbound\n", meta.URL)
		fmt.Fprintf(io.Stdout, "Jodo demo on %s, serving %s\n", cfg.DatabaseURL, url)
		fmt.Fprintf(io.Stdout, "Drive %q: %s/api/v1/drives/%s/progress?area=JH&children=1\n", demoSlug, url, demoSlug)
		fmt.Fprintf(io.Stdout, "Give it a missed call (each run is a new call):\n  %s\n", demoCallCurl(url, cfg.HookSecret))
		fmt.Fprintf(io.Stdout, "Admin API token for JH (demo-admin, new at each start):\nexport TOKEN=%s\n", token)
		base := cfg.BaseURL
		if base == "" {
			base = url
		}
		fmt.Fprintf(io.Stdout, "Sign in to the console as the demo admin of JH (%s; works once, for 15 minutes, new at each start):\n  %s/signin/link/%s\n",
			demoAdminName, base, link)
		fmt.Fprintf(io.Stdout, "Be a supporter from your browser (a phone with a placeholder number):\n  %s/demo/phone\n", base)
		if ready != nil {
			ready(url)
		}
	}
	return run(ctx, cfg, db, io, log, add)
}

// demoCallCurl is a missed call to the demo drive as a shell command. The
// provider's call id names one call (a repeat is a duplicate), so the
// shell makes a new one each time the line is run.
func demoCallCurl(base, secret string) string {
	return `curl -d '{"call_id":"demo-'"$(date +%s%N)"'","from":"+919876543210","to":"` + demoTollFree + `"}' ` + base + "/hooks/missed-call/" + secret
}

// demoWhatsApp starts a fake Graph API on loopback and points the demo's
// WhatsApp at it (a real token is refused when the demo's flags are read):
// the demo drive's WhatsApp number becomes a business number the fake
// knows, and the webhook secrets are kept in the database like the others.
func demoWhatsApp(ctx context.Context, db *store.DB, cfg *config.Config) (*fakemeta.FakeGraph, error) {
	token, err := keptSecret(ctx, db, "", "demo_whatsapp_token")
	if err != nil {
		return nil, err
	}
	if cfg.WhatsAppAppSecret, err = keptSecret(ctx, db, cfg.WhatsAppAppSecret, "demo_whatsapp_app_secret"); err != nil {
		return nil, err
	}
	if cfg.WhatsAppVerifyToken, err = keptSecret(ctx, db, cfg.WhatsAppVerifyToken, "demo_whatsapp_verify_token"); err != nil {
		return nil, err
	}
	meta := fakemeta.NewFakeGraph(token)
	meta.AddNumber(fakemeta.PhoneNumberID, strings.TrimPrefix(demoWhatsAppNumber, "+"))
	cfg.WhatsAppToken, cfg.WhatsAppAPIBase = token, meta.BaseURL
	return meta, nil
}

// demoTollFree is the demo drive's missed-call number as a provider sends it.
const demoTollFree = "18000000000"

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

// demoSecretKey is the setting the demo keeps its JODO_SECRET_KEY in.
const demoSecretKey = "demo_secret_key"
