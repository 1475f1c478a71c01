package handles

// Platform is a social platform volunteers work on.
type Platform struct {
	Code string // stable, stored with each handle
	Name string // as the platform writes itself
}

// Platforms are the ones the issue names, in the order forms show them.
var Platforms = []Platform{
	{"whatsapp", "WhatsApp"},
	{"facebook", "Facebook"},
	{"instagram", "Instagram"},
	{"x", "X"},
	{"youtube", "YouTube"},
	{"telegram", "Telegram"},
	{"sharechat", "ShareChat"},
	{"moj", "Moj"},
	{"josh", "Josh"},
	{"koo", "Koo"},
	{"linkedin", "LinkedIn"},
}

// Lookup finds a platform by its code.
func Lookup(code string) (Platform, bool) {
	for _, p := range Platforms {
		if p.Code == code {
			return p, true
		}
	}
	return Platform{}, false
}
