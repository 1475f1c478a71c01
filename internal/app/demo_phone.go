package app

import (
	"log/slog"
	"strings"

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
