package handles

import (
	"net/url"
	"strings"
)

// link is a pasted profile link taken apart.
type link struct {
	host  string   // lower case, without the www./m./mobile./web. prefixes
	path  []string // the non-empty segments, decoded
	query url.Values
}

// mirrors are the prefixes platforms serve the same pages under.
var mirrors = []string{"www.", "m.", "mobile.", "web."}

// siteOf is a host in lower case without its mirror prefixes.
func siteOf(host string) string {
	host = strings.ToLower(host)
	for _, m := range mirrors {
		host = strings.TrimPrefix(host, m)
	}
	return host
}

// parseLink accepts http and https links, and links without a scheme; a
// link with a user or a port is no platform's profile.
func parseLink(s string) (link, string) {
	if scheme, rest, ok := strings.Cut(s, "://"); ok {
		if scheme = strings.ToLower(scheme); scheme != "http" && scheme != "https" {
			return link{}, OtherSite
		}
		s = rest
	}
	u, err := url.Parse("https://" + s)
	if err != nil {
		return link{}, BadCharacters
	}
	if u.User != nil || u.Port() != "" {
		return link{}, OtherSite
	}
	host := siteOf(u.Hostname())
	var path []string
	for seg := range strings.SplitSeq(u.Path, "/") {
		if seg != "" {
			path = append(path, seg)
		}
	}
	return link{host: host, path: path, query: u.Query()}, ""
}

// only gives the single segment of a link like instagram.com/name, refusing
// the platform's own pages (posts, reels, …) that share that place.
func only(pages ...string) func(link) (string, string) {
	return func(l link) (string, string) {
		if len(l.path) != 1 || isPage(l.path[0], pages) {
			return "", NotAProfile
		}
		return l.path[0], ""
	}
}

// under gives the name of a link like sharechat.com/profile/name.
func under(prefix string) func(link) (string, string) {
	return func(l link) (string, string) {
		if len(l.path) != 2 || !strings.EqualFold(l.path[0], prefix) {
			return "", NotAProfile
		}
		return l.path[1], ""
	}
}

func isPage(seg string, pages []string) bool {
	for _, p := range pages {
		if strings.EqualFold(seg, p) {
			return true
		}
	}
	return false
}
