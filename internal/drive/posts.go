package drive

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/locale"
)

// Post is an office bearer's title at one kind of area ("AC social media
// convenor" at each AC). A post grants no permission: it is the org chart,
// not access. Code is its stable name (titles get reworded; holders stay).
type Post struct {
	Code       string `json:"code"`
	Title      string `json:"title"`
	TitleLocal string `json:"title_local,omitempty"` // in Hindi; empty: Title
	AreaKind   string `json:"area_kind"`             // "pc", "ac", "booth", …: the kind of area it is held at
	// Many lets an area have several holders of the post (booth digital
	// volunteers); otherwise one, and appointing another replaces them.
	Many bool `json:"many,omitempty"`
}

// TitleIn is the post's title in lang.
func (p Post) TitleIn(lang string) string { return locale.Name(lang, p.Title, p.TitleLocal) }

var (
	postCodePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)
	areaKindPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,30}$`)
)

// Post finds one of the drive's posts by its code.
func (f *File) Post(code string) (Post, bool) {
	for _, p := range f.Posts {
		if p.Code == code {
			return p, true
		}
	}
	return Post{}, false
}

func validatePosts(posts []Post, p *problems) {
	seen := map[string]bool{}
	for i, post := range posts {
		if !postCodePattern.MatchString(post.Code) {
			p.add("posts[%d].code: %q must be 2 to 63 lower-case letters, digits or dashes", i, post.Code)
		} else if seen[post.Code] {
			p.add("posts[%d].code: %q is given twice", i, post.Code)
		}
		seen[post.Code] = true
		if !oneLine(post.Title) || strings.TrimSpace(post.Title) == "" {
			p.add("posts[%d].title: %q must be text on one line, at most 100 characters", i, post.Title)
		}
		if post.TitleLocal != "" && (!oneLine(post.TitleLocal) || strings.TrimSpace(post.TitleLocal) == "") {
			p.add("posts[%d].title_local: %q must be text on one line, at most 100 characters, or left out", i, post.TitleLocal)
		}
		if !areaKindPattern.MatchString(post.AreaKind) {
			p.add("posts[%d].area_kind: %q is not a kind of area (pc, ac, booth, district, …)", i, post.AreaKind)
		}
	}
}

func oneLine(s string) bool {
	return utf8.ValidString(s) && utf8.RuneCountInString(s) <= 100 && strings.IndexFunc(s, unicode.IsControl) < 0
}
