package handles

import "strings"

// facebook: a profile is a username or, for those without one, a numeric
// id (facebook.com/profile.php?id=…, facebook.com/people/Name/…/). Facebook
// ignores case and dots in usernames ("John.Smith" is "johnsmith"), so the
// normal form drops both; an id is kept as its digits. A username cannot be
// all digits, so the two never meet.
var facebook = rule{
	hosts: []string{"facebook.com", "fb.com"},
	fromLink: func(l link) (string, string) {
		switch {
		case len(l.path) == 1 && l.path[0] == "profile.php" && isDigits(l.query.Get("id")):
			return l.query.Get("id"), ""
		case len(l.path) == 3 && l.path[0] == "people" && isDigits(l.path[2]):
			return l.path[2], ""
		}
		return only(facebookPages...)(l)
	},
	check: func(s string) (string, string) {
		s = strings.ReplaceAll(strings.TrimPrefix(s, "@"), ".", "")
		if isDigits(s) {
			return facebookID.check(s)
		}
		return facebookName.check(s)
	},
}

var (
	facebookName = nameRule{min: 5, max: 50}
	facebookID   = nameRule{min: 5, max: 20}
)

// facebookPages share the place of a username but are not people.
var facebookPages = []string{
	"groups", "pages", "events", "watch", "share", "sharer.php", "story.php", "permalink.php",
	"photo.php", "photo", "photos", "reel", "reels", "marketplace", "gaming", "hashtag", "login", "help", "profile.php",
}

func isDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
