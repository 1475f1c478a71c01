// Package drive owns the drive definition file (its JSON form, validation and
// canonical export), the target rules it carries and their expansion over an
// area tree, and the drive's calendar. It is pure: no database, no HTTP.
package drive

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/locale"

	// Drive time zones must load on hosts and containers without a zoneinfo database.
	_ "time/tzdata"
)

// Channel is a number people reach the drive on.
type Channel struct {
	Kind   string `json:"kind"`   // missed_call, whatsapp or sms
	Number string `json:"number"` // E.164 after Parse
	// The hook secret is referenced, never written in the file, so drive files
	// can be kept in version control and shown in the admin pages.
	SecretEnv  string `json:"secret_env,omitempty"`
	SecretFile string `json:"secret_file,omitempty"`
	// Off switches a whatsapp channel's sending off: messages to it are
	// still stored and acknowledged, nothing is sent from it, and flows use
	// SMS where they can.
	Off bool `json:"off,omitempty"`
}

// File is a drive definition as written by an admin and exported by `jodo drive export`.
type File struct {
	Version int    `json:"version"`
	Slug    string `json:"slug"`
	Name    string `json:"name"`
	// NameLocal is the name in Hindi, for Hindi pages and messages.
	// Empty: they show Name.
	NameLocal string `json:"name_local,omitempty"`
	// SMSName is the drive's name in its SMS (at most 30 characters, the DLT
	// limit for a variable; Latin letters keep an English SMS in one part).
	// Empty: the slug, cut to 30.
	SMSName string `json:"sms_name,omitempty"`
	// Language is what the drive speaks to people it knows nothing about
	// yet (a missed caller's SMS): "hi" (the default) or "en".
	Language string    `json:"language,omitempty"`
	StartsOn string    `json:"starts_on"` // YYYY-MM-DD, inclusive, in Timezone
	EndsOn   string    `json:"ends_on"`   // YYYY-MM-DD, inclusive, in Timezone
	Timezone string    `json:"timezone"`
	RootArea string    `json:"root_area"`
	Channels []Channel `json:"channels"`
	Targets  []string  `json:"targets"` // rules, in canonical text after Parse
	// Posts are the office bearers' titles the drive appoints to
	// (docs/volunteers.md); none: the drive has no posts.
	Posts []Post `json:"posts,omitempty"`
	// GroupsPerVolunteer is how many groups each volunteer is asked to
	// run ("7 of 10"); 0: DefaultGroupsPerVolunteer.
	GroupsPerVolunteer int `json:"groups_per_volunteer,omitempty"`
}

// DefaultGroupsPerVolunteer is the reference drive's ask: ten WhatsApp
// groups each.
const DefaultGroupsPerVolunteer = 10

// GroupsAsked is how many groups each volunteer of the drive is asked to run.
func (f *File) GroupsAsked() int {
	if f.GroupsPerVolunteer > 0 {
		return f.GroupsPerVolunteer
	}
	return DefaultGroupsPerVolunteer
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// Parse reads and validates a drive file. It normalises what has one right
// form (numbers to E.164, rules to canonical text) so that the stored drive
// and its export never depend on how the admin happened to type them.
func Parse(data []byte) (*File, error) {
	var p problems
	if !checkKeys(data, &p) {
		return nil, p.err()
	}
	var f File
	// Unknown keys were already reported, all at once and matched exactly
	// (encoding/json alone would stop at the first and accept "SLUG" for "slug").
	if err := json.Unmarshal(data, &f); err != nil {
		p.add("%s", describeJSONError(data, err))
		return nil, p.err()
	}
	f.validate(&p)
	if err := p.err(); err != nil {
		return nil, err
	}
	return &f, nil
}

func (f *File) validate(p *problems) {
	if f.Version < 1 {
		p.add("version: must be 1 or more, got %d", f.Version)
	}
	if !slugPattern.MatchString(f.Slug) {
		p.add("slug: %q must be 2 to 63 lower-case letters, digits or dashes, starting with a letter or digit", f.Slug)
	}
	if strings.TrimSpace(f.Name) == "" {
		p.add("name: must not be empty")
	}
	if f.NameLocal != "" && strings.TrimSpace(f.NameLocal) == "" || strings.IndexFunc(f.NameLocal, unicode.IsControl) >= 0 || !utf8.ValidString(f.NameLocal) {
		p.add("name_local: %q must be text on one line, or left out", f.NameLocal)
	}
	if n := utf8.RuneCountInString(f.SMSName); n > 30 || strings.IndexFunc(f.SMSName, unicode.IsControl) >= 0 || !utf8.ValidString(f.SMSName) {
		p.add("sms_name: %q must be at most 30 characters on one line (the DLT limit for an SMS variable)", f.SMSName)
	}
	if f.Language != "" && f.Language != "hi" && f.Language != "en" {
		p.add("language: %q must be hi or en", f.Language)
	}
	f.validateCalendar(p)
	if !codePattern.MatchString(f.RootArea) {
		p.add("root_area: %q is not an area code", f.RootArea)
	}
	f.Channels = validateChannels(f.Channels, p)
	f.Targets = canonicalTargets(f.Targets, p)
	validatePosts(f.Posts, p)
	if f.GroupsPerVolunteer < 0 || f.GroupsPerVolunteer > 1000 {
		p.add("groups_per_volunteer: %d must be between 1 and 1000, or left out (10)", f.GroupsPerVolunteer)
	}
}

func (f *File) validateCalendar(p *problems) {
	start, startErr := parseDate(f.StartsOn)
	if startErr != nil {
		p.add("starts_on: %q is not a date like 2026-02-12", f.StartsOn)
	}
	end, endErr := parseDate(f.EndsOn)
	if endErr != nil {
		p.add("ends_on: %q is not a date like 2026-03-12", f.EndsOn)
	}
	if startErr == nil && endErr == nil && end.Before(start) {
		p.add("ends_on: %s is before starts_on %s", f.EndsOn, f.StartsOn)
	}
	if _, err := Zone(f.Timezone); err != nil {
		p.add("timezone: %v", err)
	}
}

func canonicalTargets(texts []string, p *problems) []string {
	out := make([]string, 0, len(texts))
	for i, text := range texts {
		r, err := ParseRule(text)
		if err != nil {
			p.add("targets[%d]: %v", i, err)
			continue
		}
		out = append(out, r.String())
	}
	return out
}

// Rules parses the file's targets. Parse has already checked them, so an error
// here means the File was built or edited without Parse.
func (f *File) Rules() ([]Rule, error) {
	var p problems
	rules := make([]Rule, 0, len(f.Targets))
	for i, text := range f.Targets {
		r, err := ParseRule(text)
		if err != nil {
			p.add("targets[%d]: %v", i, err)
			continue
		}
		rules = append(rules, r)
	}
	return rules, p.err()
}

// Marshal gives the canonical form of the file: indented, fields in a fixed
// order, empty lists as [], and non-ASCII text left readable.
func (f *File) Marshal() ([]byte, error) {
	c := *f
	if c.Channels == nil {
		c.Channels = []Channel{}
	}
	if c.Targets == nil {
		c.Targets = []string{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// NameIn is the drive's name in lang: name_local in Hindi when given.
func (f *File) NameIn(lang string) string { return locale.Name(lang, f.Name, f.NameLocal) }

// SMSLabel is the drive's name as its SMS give it.
func (f *File) SMSLabel() string {
	if f.SMSName != "" {
		return f.SMSName
	}
	return f.Slug[:min(len(f.Slug), 30)]
}

// Lang is the drive's language for people it knows nothing about yet.
func (f *File) Lang() string {
	if f.Language == "" {
		return "hi"
	}
	return f.Language
}

func parseDate(s string) (time.Time, error) {
	return time.Parse(time.DateOnly, s)
}
