package app

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jodo-org/jodo/internal/config"
	demoworld "github.com/jodo-org/jodo/internal/demo" // demo is the command's function here
	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/server"
)

// demoPhone is the phone page and what it acts through: the drive's
// missed-call webhook, its WhatsApp webhook, and the SMS the demo keeps
// for its live numbers.
func demoPhone(cfg *config.Config, log *slog.Logger) (*demoworld.Live, extras) {
	live := &demoworld.Live{SMS: demoworld.NewInbox(), Chat: demoworld.NewChat(fakemeta.PhoneNumberID, strings.TrimPrefix(demoWhatsAppNumber, "+")),
		HookSecret: cfg.HookSecret, TollFree: demoTollFree}
	return live, extras{areas: []server.Area{demoworld.NewPhone(live, log)}, sms: live.SMS.Around}
}

// trickleEvery is the mean gap between the trickle's arrivals: four a
// minute, enough to see an open dashboard move.
const trickleEvery = 15 * time.Second

// startTrickle brings live arrivals through live until ctx ends, unless
// --quiet; the returned func waits for it to stop.
func startTrickle(ctx context.Context, cfg *config.Config, live *demoworld.Live, log *slog.Logger) (wait func()) {
	var wg sync.WaitGroup
	if !cfg.DemoQuiet {
		t := &demoworld.Trickle{Live: live, Every: trickleEvery, Log: log}
		wg.Go(func() { t.Run(ctx) })
	}
	return wg.Wait
}
