package handles

// The rules of each platform; docs/volunteers.md says where each comes from
// and which are Jodo's guesses.
var rules = map[string]rule{
	"whatsapp":  whatsapp,
	"facebook":  facebook,
	"instagram": instagram,
	"x":         x,
	"youtube":   youtube,
	"telegram":  telegram,
	"sharechat": {hosts: []string{"sharechat.com"}, fromLink: under("profile"), check: indian.check},
	"moj":       {hosts: []string{"mojapp.in"}, fromLink: atName, check: indian.check},
	"josh":      {hosts: []string{"share.myjosh.in", "myjosh.in"}, fromLink: under("profile"), check: indian.check},
	"koo":       {hosts: []string{"kooapp.com"}, fromLink: under("profile"), check: indian.check},
	"linkedin":  linkedin,
}

var instagram = rule{
	hosts:    []string{"instagram.com", "instagr.am"},
	fromLink: only("p", "reel", "reels", "stories", "explore", "tv", "accounts", "direct"),
	check:    nameRule{min: 1, max: 30, extra: "._", noEdge: ".", noDouble: "."}.check,
}

var x = rule{
	hosts:    []string{"x.com", "twitter.com"},
	fromLink: only("i", "home", "search", "hashtag", "intent", "share", "explore", "settings", "messages", "notifications"),
	check:    nameRule{min: 1, max: 15, extra: "_"}.check,
}

// telegram: t.me/+… and t.me/joinchat/… are invite links to groups; a
// second segment (t.me/name/123) is a post.
var telegram = rule{
	hosts: []string{"t.me", "telegram.me", "telegram.dog"},
	fromLink: func(l link) (string, string) {
		switch {
		case len(l.path) > 0 && (l.path[0] == "joinchat" || l.path[0][0] == '+'):
			return "", InviteLink
		case len(l.path) == 2 && l.path[0] == "s": // the web preview of a channel
			return l.path[1], ""
		}
		return only("addstickers", "addemoji", "addlist", "share", "proxy", "socks")(l)
	},
	check: nameRule{min: 5, max: 32, extra: "_", firstAlpha: true, noEdge: "_"}.check,
}

var linkedin = rule{
	hosts: []string{"linkedin.com", "in.linkedin.com"},
	fromLink: func(l link) (string, string) {
		if len(l.path) >= 3 && l.path[0] == "in" && isPage(l.path[2], []string{"details", "recent-activity", "overlay"}) {
			l.path = l.path[:2]
		}
		return under("in")(l)
	},
	check: nameRule{min: 3, max: 100, extra: "-"}.check,
}

// indian is Jodo's rule for ShareChat, Moj, Josh and Koo, which publish
// none: letters, digits, ".", "_" and "-" (Josh's profile links carry a
// UUID), up to 50, without case.
var indian = nameRule{min: 1, max: 50, extra: "._-"}

// atName gives the name of a link like mojapp.in/@name.
func atName(l link) (string, string) {
	if len(l.path) != 1 || len(l.path[0]) < 2 || l.path[0][0] != '@' {
		return "", NotAProfile
	}
	return l.path[0], ""
}
