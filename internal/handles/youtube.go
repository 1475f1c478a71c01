package handles

import "strings"

// youtube: a channel is found by its handle (youtube.com/@name) or by its
// id (youtube.com/channel/UC…). They are different namespaces and a person
// may paste either, so both are kept, told apart by the form: the handle
// in lower case with its "@" (handles ignore case), the id as it is (ids
// are case-sensitive). Legacy /c/ and /user/ names are neither, and refused.
var youtube = rule{
	hosts: []string{"youtube.com"},
	fromLink: func(l link) (string, string) {
		path := l.path
		if n := len(path); n >= 2 && isPage(path[n-1], youtubeTabs) {
			path = path[:n-1]
		}
		switch {
		case len(path) == 2 && path[0] == "channel" && isChannelID(path[1]):
			return path[1], "" // not any name: "UCabc" must not become the handle "@ucabc"
		case len(path) == 1 && strings.HasPrefix(path[0], "@"):
			return path[0], ""
		}
		return "", NotAProfile
	},
	check: func(s string) (string, string) {
		if isChannelID(s) {
			return s, ""
		}
		name, reason := youtubeHandle.check(s)
		if reason != "" {
			return "", reason
		}
		return "@" + name, ""
	},
}

var youtubeHandle = nameRule{min: 3, max: 30, extra: "._-"}

// youtubeTabs are the parts of a channel's page; a link to one is still a
// link to the channel.
var youtubeTabs = []string{"videos", "shorts", "streams", "featured", "playlists", "community", "about", "posts"}

// isChannelID: "UC" and 22 characters of URL-safe base64.
func isChannelID(s string) bool {
	if len(s) != 24 || !strings.HasPrefix(s, "UC") {
		return false
	}
	for i := 2; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}
