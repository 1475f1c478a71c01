package handles

import (
	"strings"

	"github.com/jodo-org/jodo/internal/phone"
)

// whatsapp: a WhatsApp account is its phone number, stored in E.164 as
// everywhere else in Jodo; wa.me/919876543210 and api.whatsapp.com/send?
// phone=… are links to one, chat.whatsapp.com/… invites to a group.
var whatsapp = rule{
	hosts:  []string{"wa.me", "api.whatsapp.com", "whatsapp.com", "chat.whatsapp.com"},
	spaces: true,
	fromLink: func(l link) (string, string) {
		switch {
		case l.host == "chat.whatsapp.com":
			return "", InviteLink
		case l.host == "wa.me" && len(l.path) == 1 && l.path[0] != "message":
			return "+" + strings.TrimPrefix(l.path[0], "+"), ""
		case l.host != "wa.me" && len(l.path) == 1 && l.path[0] == "send" && l.query.Get("phone") != "":
			return "+" + strings.TrimPrefix(l.query.Get("phone"), "+"), ""
		}
		return "", NotAProfile
	},
	check: func(s string) (string, string) {
		e164, err := phone.Normalize(s)
		if err != nil {
			return "", BadNumber
		}
		return e164, ""
	},
}
