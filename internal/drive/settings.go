package drive

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// Settings are what an admin edits of a drive in the console (docs/drives.md,
// "Editing a drive in the console"). Everything else of the stored file
// (slug, root, time zone, language, SMS name) is kept as it is.
type Settings struct {
	Name, NameLocal    string
	StartsOn, EndsOn   string
	Channels           []ChannelEdit
	Targets            string // the target rules, one a line
	Posts              string // the posts, one a line (PostLines' form)
	GroupsPerVolunteer string // "" or "0": the default
}

// HookSecretPrefix starts the name of the environment variable a number
// added in the console may read its hook secret from: the console must not
// point a channel at another of the server's variables (PATH, say), whose
// value would then open the drive's webhooks.
const HookSecretPrefix = "JODO_HOOK_SECRET_"

// ChannelEdit is one channel row of the form. A row standing for a stored
// channel (the same position) keeps its kind and secret reference as
// stored; a row with no number is dropped.
type ChannelEdit struct {
	Kind, Number, SecretEnv string
	Off                     bool
}

// SettingsOf is what the form shows of f.
func SettingsOf(f File) Settings {
	s := Settings{Name: f.Name, NameLocal: f.NameLocal, StartsOn: f.StartsOn, EndsOn: f.EndsOn,
		Targets: strings.Join(f.Targets, "\n"), Posts: PostLines(f.Posts)}
	if f.GroupsPerVolunteer > 0 {
		s.GroupsPerVolunteer = strconv.Itoa(f.GroupsPerVolunteer)
	}
	for _, ch := range f.Channels {
		s.Channels = append(s.Channels, ChannelEdit{Kind: ch.Kind, Number: ch.Number, SecretEnv: ch.SecretEnv, Off: ch.Off})
	}
	return s
}

// PostLines writes posts one a line as
// "code | area kind | title | title in Hindi | many", the last two left
// out when empty.
func PostLines(posts []Post) string {
	lines := make([]string, 0, len(posts))
	for _, p := range posts {
		fields := []string{p.Code, p.AreaKind, p.Title}
		if p.TitleLocal != "" || p.Many {
			fields = append(fields, p.TitleLocal)
		}
		if p.Many {
			fields = append(fields, "many")
		}
		lines = append(lines, strings.Join(fields, " | "))
	}
	return strings.Join(lines, "\n")
}

// parsePostLines reads PostLines' form; blank lines are skipped.
func parsePostLines(text string, p *problems) []Post {
	var out []Post
	for i, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, "|")
		for j := range f {
			f[j] = strings.TrimSpace(f[j])
		}
		if len(f) < 3 || len(f) > 5 || len(f) == 5 && !strings.EqualFold(f[4], "many") && f[4] != "" {
			p.add("posts line %d: %q: write \"code | area kind | title\", then optionally \"| title in Hindi\" and \"| many\"", i+1, strings.TrimSpace(line))
			continue
		}
		post := Post{Code: f[0], AreaKind: strings.ToLower(f[1]), Title: f[2]}
		if len(f) > 3 {
			post.TitleLocal = f[3]
		}
		post.Many = len(f) == 5 && f[4] != ""
		out = append(out, post)
	}
	return out
}

// Edited is the stored file with the settings applied, validated as a
// drive file is (Parse), at version + 1. Its error is an *Error listing
// every problem.
func (s Settings) Edited(stored File) (*File, error) {
	var p problems
	f := stored
	f.Version = stored.Version + 1
	f.Name, f.NameLocal = strings.TrimSpace(s.Name), strings.TrimSpace(s.NameLocal)
	f.StartsOn, f.EndsOn = strings.TrimSpace(s.StartsOn), strings.TrimSpace(s.EndsOn)
	f.Channels = nil
	for i, ch := range s.Channels {
		number := strings.TrimSpace(ch.Number)
		if number == "" {
			continue
		}
		c := Channel{Kind: ch.Kind, Number: number, SecretEnv: strings.TrimSpace(ch.SecretEnv), Off: ch.Off}
		if i < len(stored.Channels) {
			kept := stored.Channels[i]
			c.Kind, c.SecretEnv, c.SecretFile = kept.Kind, kept.SecretEnv, kept.SecretFile
		} else if c.SecretEnv != "" && !strings.HasPrefix(c.SecretEnv, HookSecretPrefix) {
			p.add("channels[%d].secret_env: %q: a number added here may only name a variable starting %s (other secret references: jodo drive apply)", i, c.SecretEnv, HookSecretPrefix)
		}
		f.Channels = append(f.Channels, c)
	}
	f.Targets = nil
	for _, line := range strings.Split(s.Targets, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			f.Targets = append(f.Targets, line)
		}
	}
	f.Posts = parsePostLines(s.Posts, &p)
	f.GroupsPerVolunteer = 0
	if g := strings.TrimSpace(s.GroupsPerVolunteer); g != "" {
		n, err := strconv.Atoi(g)
		if err != nil {
			p.add("groups_per_volunteer: %q is not a whole number", g)
		}
		f.GroupsPerVolunteer = n
	}
	data, err := f.Marshal()
	if err != nil {
		return nil, err
	}
	parsed, err := Parse(data)
	if e, ok := errors.AsType[*Error](err); ok {
		p = append(p, e.Problems...)
	} else if err != nil {
		return nil, err
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return parsed, nil
}

// Editing is a stored drive an admin may edit: its file as stored.
type Editing struct {
	Drive store.Drive
	File  File
}

// ForEdit is the drive slug for an actor holding DrivesWrite over its
// root: Forbidden when the root lies outside their scope.
func ForEdit(ctx context.Context, db *store.DB, by access.Actor, slug string) (Editing, error) {
	if !by.Can(access.DrivesWrite) {
		return Editing{}, apperr.New(apperr.Forbidden, "editing a drive needs %s", access.DrivesWrite)
	}
	d, _, err := AreaIn(ctx, db, by.Scope(access.DrivesWrite), slug, "")
	if err != nil {
		return Editing{}, err
	}
	f, err := Open(d.File)
	if err != nil {
		return Editing{}, err
	}
	return Editing{Drive: d, File: f}, nil
}

// Editable lists the drives whose root lies in the actor's DrivesWrite scope.
func Editable(ctx context.Context, db *store.DB, by access.Actor) ([]store.Drive, error) {
	drives, err := db.Drives(ctx)
	if err != nil {
		return nil, err
	}
	scope := by.Scope(access.DrivesWrite)
	var out []store.Drive
	for _, d := range drives {
		root, err := db.GetArea(ctx, d.RootArea)
		if err != nil {
			return nil, err
		}
		if ok, err := access.CanSee(ctx, db, scope, root); err != nil {
			return nil, err
		} else if ok {
			out = append(out, d)
		}
	}
	return out, nil
}

// Preview expands f's targets over the areas stored under its root, as
// saving it would store them.
func Preview(ctx context.Context, db *store.DB, f *File) ([]Target, error) {
	rules, err := f.Rules()
	if err != nil {
		return nil, err
	}
	areas, err := db.DriveSubtree(ctx, f.RootArea)
	if err != nil {
		return nil, err
	}
	return Expand(rules, f.RootArea, treeOf(areas))
}

// PreviewEdit is the targets drive e would have with settings s (Edited,
// then Preview); the error of settings that do not validate, or of rules
// that do not expand, is an *Error.
func PreviewEdit(ctx context.Context, db *store.DB, e Editing, s Settings) ([]Target, error) {
	f, err := s.Edited(e.File)
	if err != nil {
		return nil, err
	}
	return Preview(ctx, db, f)
}

// Edit applies settings to drive slug as an admin made them from version
// seen, and saves it as `jodo drive apply` would at version seen + 1 —
// only if the drive is still at seen (else a Conflict: someone else saved
// it meanwhile). Audited (drive_edit) with what changed, before and
// after. The error of settings that do not validate is an *Error.
func Edit(ctx context.Context, db *store.DB, by access.Actor, slug string, s Settings, seen int) (*File, error) {
	e, err := ForEdit(ctx, db, by, slug)
	if err != nil {
		return nil, err
	}
	if e.Drive.Version != seen {
		return nil, staleEdit(slug, seen)
	}
	f, err := s.Edited(e.File)
	if err != nil {
		return nil, err
	}
	d, expand, err := toStore(f)
	if err != nil {
		return nil, err
	}
	audit := store.AuditEntry{Actor: by.Label, Scope: by.ScopeLabel(), Action: "drive_edit", Detail: Changes(e.File, *f)}
	err = db.SaveDriveAt(ctx, d, expand, seen, &audit)
	if errors.Is(err, store.ErrDriveMoved) {
		return nil, staleEdit(slug, seen)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ErrStale is in the chain of Edit's Conflict when someone else saved the
// drive after the edit's version was opened.
var ErrStale = errors.New("drive: edited from an old version")

func staleEdit(slug string, seen int) error {
	return fmt.Errorf("%w: %w", apperr.New(apperr.Conflict, "drive %s was saved by someone else after you opened version %d", slug, seen), ErrStale)
}

// Changes is a compact before/after of the fields the console edits that
// differ between two versions of a file: "version 3 → 4; name: "A" → "B";
// targets: - "…" + "…"". The file holds no secrets, only their names.
func Changes(before, after File) string {
	parts := []string{fmt.Sprintf("%s version %d → %d", after.Slug, before.Version, after.Version)}
	field := func(name, a, b string) {
		if a != b {
			parts = append(parts, fmt.Sprintf("%s: %q → %q", name, a, b))
		}
	}
	field("name", before.Name, after.Name)
	field("name_local", before.NameLocal, after.NameLocal)
	field("starts_on", before.StartsOn, after.StartsOn)
	field("ends_on", before.EndsOn, after.EndsOn)
	lists := func(name string, a, b []string) {
		var d []string
		for _, x := range a {
			if !slices.Contains(b, x) {
				d = append(d, fmt.Sprintf("- %q", x))
			}
		}
		for _, x := range b {
			if !slices.Contains(a, x) {
				d = append(d, fmt.Sprintf("+ %q", x))
			}
		}
		if len(d) > 0 {
			parts = append(parts, name+": "+strings.Join(d, " "))
		}
	}
	lists("channels", channelLines(before.Channels), channelLines(after.Channels))
	lists("targets", before.Targets, after.Targets)
	lists("posts", strings.Split(PostLines(before.Posts), "\n"), strings.Split(PostLines(after.Posts), "\n"))
	field("groups_per_volunteer", strconv.Itoa(before.GroupsAsked()), strconv.Itoa(after.GroupsAsked()))
	return strings.Join(parts, "; ")
}

func channelLines(chs []Channel) []string {
	out := make([]string, len(chs))
	for i, ch := range chs {
		out[i] = ch.Kind + " " + ch.Number
		if ch.Off {
			out[i] += " off"
		}
	}
	return out
}
