package groups

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kinds of group Jodo registers.
const (
	WhatsApp        = "whatsapp"         // a WhatsApp group: chat.whatsapp.com/<code>
	WhatsAppChannel = "whatsapp_channel" // a WhatsApp channel: whatsapp.com/channel/<id>
	Telegram        = "telegram"         // a private Telegram group or channel: t.me/+<hash>, t.me/joinchat/<hash>
	Facebook        = "facebook"         // a Facebook group: facebook.com/groups/<id or name>
)

// Kinds lists them in the order forms show them.
var Kinds = []string{WhatsApp, Telegram, Facebook, WhatsAppChannel}

// Reasons an invite link is refused; the web and bot edges word them.
const (
	Empty      = "empty"      // nothing after trimming
	TooLong    = "too_long"   // longer than any invite link
	NotALink   = "not_a_link" // no site in it, or spaces and control characters
	OtherSite  = "other_site" // a site Jodo takes no group from
	NotInvite  = "not_invite" // the right site, but not a group's invite (a profile, a post, a public t.me name)
	BadCode    = "bad_code"   // an invite path whose code has the wrong shape
	maxInput   = 512
	codeChars  = `[A-Za-z0-9]`
	tgChars    = `[A-Za-z0-9_-]`
	fbNameChar = `[A-Za-z0-9.]`
)

var (
	waCode      = regexp.MustCompile(`^` + codeChars + `{20,24}$`)
	channelID   = regexp.MustCompile(`^` + codeChars + `{20,32}$`)
	tgHash      = regexp.MustCompile(`^` + tgChars + `{16,32}$`)
	fbGroupName = regexp.MustCompile(`^` + fbNameChar + `{3,100}$`)
)

// Invite is a group's invite in its one normal form: the kind and the
// code (case kept where the site tells cases apart). Kind:Code is what is
// hashed for uniqueness and sealed for its owner.
type Invite struct{ Kind, Code string }

// Key is what the keyed hash is made of.
func (i Invite) Key() string { return i.Kind + ":" + i.Code }

// Link is the invite as a link again, for its owner and admins.
func (i Invite) Link() string {
	switch i.Kind {
	case WhatsApp:
		return "https://chat.whatsapp.com/" + i.Code
	case WhatsAppChannel:
		return "https://whatsapp.com/channel/" + i.Code
	case Telegram:
		return "https://t.me/+" + i.Code
	case Facebook:
		return "https://www.facebook.com/groups/" + i.Code
	}
	return ""
}

// ParseInvite reads what people paste for a group (docs/volunteers.md
// lists the forms): with or without https://, www./m./web., a trailing
// slash, a query string or fragment. It refuses with a reason.
func ParseInvite(input string) (Invite, string) {
	s := strings.TrimSpace(input)
	switch {
	case s == "":
		return Invite{}, Empty
	case len(s) > maxInput:
		return Invite{}, TooLong
	case !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }):
		return Invite{}, NotALink
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil || u.Port() != "" || u.Host == "" {
		return Invite{}, NotALink
	}
	host := strings.ToLower(u.Hostname())
	for _, p := range []string{"www.", "m.", "web.", "mobile."} {
		host = strings.TrimPrefix(host, p)
	}
	path := strings.Trim(u.EscapedPath(), "/")
	segs := strings.Split(path, "/")
	switch host {
	case "chat.whatsapp.com":
		return one(WhatsApp, segs, waCode)
	case "whatsapp.com":
		if len(segs) == 2 && segs[0] == "channel" {
			return one(WhatsAppChannel, segs[1:], channelID)
		}
		return Invite{}, NotInvite
	case "t.me", "telegram.me", "telegram.dog":
		return telegram(segs)
	case "facebook.com", "fb.com":
		return facebook(segs)
	}
	return Invite{}, OtherSite
}

// one takes a code that is the whole path.
func one(kind string, segs []string, shape *regexp.Regexp) (Invite, string) {
	if len(segs) != 1 || segs[0] == "" {
		return Invite{}, NotInvite
	}
	if !shape.MatchString(segs[0]) {
		return Invite{}, BadCode
	}
	return Invite{Kind: kind, Code: segs[0]}, ""
}

// telegram: t.me/+<hash> and t.me/joinchat/<hash> are one invite; t.me/name
// is a public name, anyone's to find, not a group's invite.
func telegram(segs []string) (Invite, string) {
	switch {
	case len(segs) == 1 && strings.HasPrefix(segs[0], "+"):
		return one(Telegram, []string{segs[0][1:]}, tgHash)
	case len(segs) == 1 && strings.HasPrefix(segs[0], "%2B"): // "+" as some apps escape it
		return one(Telegram, []string{segs[0][3:]}, tgHash)
	case len(segs) == 2 && segs[0] == "joinchat":
		return one(Telegram, segs[1:], tgHash)
	}
	return Invite{}, NotInvite
}

// facebook: facebook.com/groups/<id or name>[/…]: a group's numeric id or
// its name, which Facebook does not tell apart by case.
func facebook(segs []string) (Invite, string) {
	if len(segs) < 2 || segs[0] != "groups" || segs[1] == "" {
		return Invite{}, NotInvite
	}
	if !fbGroupName.MatchString(segs[1]) {
		return Invite{}, BadCode
	}
	return Invite{Kind: Facebook, Code: strings.ToLower(segs[1])}, ""
}
