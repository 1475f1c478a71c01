package groups_test

import (
	"testing"

	"github.com/jodo-org/jodo/internal/groups"
)

func TestParseInvite(t *testing.T) {
	for _, c := range []struct{ in, kind, code, reason string }{
		{"https://chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv", groups.WhatsApp, "AbCdEfGhIjKlMnOpQrStUv", ""},
		{" chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv/?utm=x ", groups.WhatsApp, "AbCdEfGhIjKlMnOpQrStUv", ""},
		{"https://whatsapp.com/channel/0029VaAbCdEfGhIjKlMnOp12", groups.WhatsAppChannel, "0029VaAbCdEfGhIjKlMnOp12", ""},
		{"https://www.whatsapp.com/channel/0029VaAbCdEfGhIjKlMnOp12", groups.WhatsAppChannel, "0029VaAbCdEfGhIjKlMnOp12", ""},
		{"https://t.me/+AbCdEfGh12345678", groups.Telegram, "AbCdEfGh12345678", ""},
		{"t.me/joinchat/AbCdEfGh12345678", groups.Telegram, "AbCdEfGh12345678", ""},
		{"https://www.facebook.com/groups/RanchiWarriors/", groups.Facebook, "ranchiwarriors", ""},
		{"m.facebook.com/groups/123456789012345/permalink/99", groups.Facebook, "123456789012345", ""},
		{"", "", "", groups.Empty},
		{"chat.whatsapp.com/short", "", "", groups.BadCode},
		{"https://t.me/ranchi_news", "", "", groups.NotInvite},
		{"https://facebook.com/ranchi.warriors", "", "", groups.NotInvite},
		{"https://wa.me/919876543210", "", "", groups.OtherSite},
		{"https://example.com/groups/x", "", "", groups.OtherSite},
		{"chat.whatsapp.com/Ab Cd", "", "", groups.NotALink},
		{"ftp://chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv", "", "", groups.NotALink},
		{"https://user@chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv", "", "", groups.NotALink},
	} {
		got, reason := groups.ParseInvite(c.in)
		if got.Kind != c.kind || got.Code != c.code || reason != c.reason {
			t.Errorf("%q: %+v %q; want %s %s %q", c.in, got, reason, c.kind, c.code, c.reason)
		}
	}
}

// Whatever is pasted, an invite read is one that reads back from its own
// link as itself, and a refusal says why.
func FuzzParseInvite(f *testing.F) {
	for _, s := range []string{"https://chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv", "t.me/+AbCdEfGh12345678",
		"facebook.com/groups/x.y.z", "whatsapp.com/channel/0029VaAbCdEfGhIjKlMnOp12", "t.me/%2BAbCdEfGh12345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		inv, reason := groups.ParseInvite(in)
		if reason != "" {
			if inv != (groups.Invite{}) {
				t.Fatalf("%q refused (%s) with an invite %+v", in, reason, inv)
			}
			return
		}
		again, reason := groups.ParseInvite(inv.Link())
		if reason != "" || again != inv {
			t.Fatalf("%q → %+v, whose link %q reads %+v %q", in, inv, inv.Link(), again, reason)
		}
	})
}
