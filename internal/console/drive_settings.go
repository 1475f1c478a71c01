package console

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/server"
)

// maxDriveForm bounds a posted drive settings form: a drive's rules and
// posts are a few dozen lines.
const maxDriveForm = 64 << 10

// postDriveForm bounds and checks a posted drive settings form as the
// console's other forms are (Routes), with room for a drive's rules.
func (c *Console) postDriveForm(h http.Handler) http.Handler {
	return server.PostedForms(maxDriveForm, c.unreadable)(h)
}

// drivePage is the list of drives an admin may edit (Drives), or one
// drive's settings form (Slug set) with what the last post found: the
// problems to fix, the targets the rules expand to, or that it was saved.
type drivePage struct {
	shell
	Drives    []driveLink
	Slug      string
	DriveName string
	Root      string
	Version   int
	Form      driveForm
	// ChannelKinds are what a new channel may be.
	ChannelKinds []string
	Problem      string   // missing, invalid, stale, conflict: the frame to show
	Problems     []string // the drive file's own words, one a line
	Preview      *previewView
	Saved        bool
}

type driveLink struct{ Href, Name, Slug, Root, Window, Version string }

// driveForm is what the form shows: the stored settings, or the admin's
// input kept as they typed it.
type driveForm struct {
	Name, NameLocal, StartsOn, EndsOn string
	Targets, Posts, Groups            string
	Channels                          []channelRow
}

// channelRow is one channel of the form: a stored one (its kind and
// secret reference shown, kept as stored) or a new one.
type channelRow struct {
	Index                int
	Kind, Number, Secret string
	Off, Stored          bool
}

// previewView is the targets the rules expand to, an area a row.
type previewView struct {
	Metrics []string
	Rows    []previewRow
}

type previewRow struct {
	Area   string
	Values []previewValue
}

type previewValue struct {
	Value    string
	Explicit bool
}

// drives lists the drives whose root lies in the admin's drives.write scope.
func (c *Console) drives(w http.ResponseWriter, r *http.Request, a asker) {
	list, err := drive.Editable(r.Context(), c.db, a.actor)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	p := drivePage{shell: c.newShell(r, a, "/console/drives", "drives.title")}
	for _, d := range list {
		f, err := drive.Open(d.File)
		if err != nil {
			c.fail(w, r, a, err)
			return
		}
		p.Drives = append(p.Drives, driveLink{Href: driveHref(d.Slug, a.lang), Name: f.NameIn(a.lang), Slug: d.Slug, Root: d.RootArea,
			Window: d.StartsOn + " – " + d.EndsOn, Version: strconv.Itoa(d.Version)})
	}
	c.render(w, r, http.StatusOK, "drive_settings", "", p)
}

func driveHref(slug, lang string) string {
	return "/console/drives/" + url.PathEscape(slug) + "?" + url.Values{"lang": {lang}}.Encode()
}

// driveSettings shows a drive's settings form (drive.ForEdit).
func (c *Console) driveSettings(w http.ResponseWriter, r *http.Request, a asker) {
	e, err := drive.ForEdit(r.Context(), c.db, a.actor, r.PathValue("slug"))
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	p := c.drivePage(r, a, e, drive.SettingsOf(e.File), e.Drive.Version)
	p.Saved = r.URL.Query().Get("done") == "saved"
	c.render(w, r, http.StatusOK, "drive_settings", "", p)
}

// saveDrive previews (action=preview) or saves (drive.Edit) the posted
// settings. What does not validate comes back with the input kept (422);
// a form opened before someone else saved is refused (409) with the input
// kept; a save goes to the form's page with a notice.
func (c *Console) saveDrive(w http.ResponseWriter, r *http.Request, a asker) {
	ctx := r.Context()
	e, err := drive.ForEdit(ctx, c.db, a.actor, r.PathValue("slug"))
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	s, seen, ok := readDriveForm(r)
	if !ok {
		p := c.drivePage(r, a, e, drive.SettingsOf(e.File), e.Drive.Version)
		p.Problem = "missing"
		c.render(w, r, http.StatusUnprocessableEntity, "drive_settings", "", p)
		return
	}
	p := c.drivePage(r, a, e, s, seen)
	if r.PostFormValue("action") == "preview" {
		targets, err := drive.PreviewEdit(ctx, c.db, e, s)
		if err != nil {
			c.driveProblem(w, r, a, p, err)
			return
		}
		p.Preview = p.preview(targets)
		c.render(w, r, http.StatusOK, "drive_settings", "", p)
		return
	}
	if _, err := drive.Edit(ctx, c.db, a.actor, e.Drive.Slug, s, seen); err != nil {
		c.driveProblem(w, r, a, p, err)
		return
	}
	http.Redirect(w, r, "/console/drives/"+url.PathEscape(e.Drive.Slug)+"?"+url.Values{"done": {"saved"}, "lang": {a.lang}}.Encode(), http.StatusSeeOther)
}

// driveProblem shows why settings were not previewed or saved, with the
// input kept: the drive file's problems (422), a stale form (409), a
// number another drive owns (409).
func (c *Console) driveProblem(w http.ResponseWriter, r *http.Request, a asker, p drivePage, err error) {
	status := http.StatusUnprocessableEntity
	switch de, isFile := errors.AsType[*drive.Error](err); {
	case isFile:
		p.Problem, p.Problems = "invalid", de.Problems
	case errors.Is(err, drive.ErrStale):
		p.Problem, status = "stale", http.StatusConflict
	case apperr.CodeOf(err) == apperr.Conflict:
		p.Problem, p.Problems, status = "conflict", []string{apperr.MessageOf(err)}, http.StatusConflict
	case apperr.CodeOf(err) == apperr.Invalid:
		p.Problem, p.Problems = "invalid", []string{apperr.MessageOf(err)}
	default:
		c.fail(w, r, a, err)
		return
	}
	c.render(w, r, status, "drive_settings", "", p)
}

// readDriveForm reads the posted settings and the version they were made
// from; ok is false when the form is not the settings form.
func readDriveForm(r *http.Request) (s drive.Settings, seen int, ok bool) {
	f := r.PostForm
	seen, err := strconv.Atoi(f.Get("version"))
	if err != nil || seen < 1 || !f.Has("name") || !f.Has("targets") {
		return s, 0, false
	}
	s = drive.Settings{Name: f.Get("name"), NameLocal: f.Get("name_local"), StartsOn: f.Get("starts_on"), EndsOn: f.Get("ends_on"),
		Targets: normalLines(f.Get("targets")), Posts: normalLines(f.Get("posts")), GroupsPerVolunteer: f.Get("groups_per_volunteer")}
	kinds, numbers, secrets := f["channel_kind"], f["channel_number"], f["channel_secret_env"]
	off := map[string]bool{}
	for _, i := range f["channel_off"] {
		off[i] = true
	}
	for i, number := range numbers {
		ch := drive.ChannelEdit{Number: number, Off: off[strconv.Itoa(i)]}
		if i < len(kinds) {
			ch.Kind = kinds[i]
		}
		if i < len(secrets) {
			ch.SecretEnv = secrets[i]
		}
		s.Channels = append(s.Channels, ch)
	}
	return s, seen, true
}

// normalLines is a textarea's text with its line ends as "\n".
func normalLines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// drivePage is the form of drive e showing settings s, made from version seen.
func (c *Console) drivePage(r *http.Request, a asker, e drive.Editing, s drive.Settings, seen int) drivePage {
	p := drivePage{shell: c.newShell(r, a, "/console/drives", "drives.edit.title"), Slug: e.Drive.Slug,
		DriveName: e.File.NameIn(a.lang), Root: e.Drive.RootArea, Version: seen, ChannelKinds: drive.ChannelKinds}
	p.Title = p.T("drives.edit.heading", "Drive", p.DriveName)
	p.Form = driveForm{Name: s.Name, NameLocal: s.NameLocal, StartsOn: s.StartsOn, EndsOn: s.EndsOn, Targets: s.Targets, Posts: s.Posts,
		Groups: s.GroupsPerVolunteer}
	for i, ch := range s.Channels {
		// Index is the row's place in the form as shown (what its switch posts), which a dropped blank row shifts.
		row := channelRow{Index: len(p.Form.Channels), Kind: ch.Kind, Number: ch.Number, Off: ch.Off, Secret: ch.SecretEnv}
		if i < len(e.File.Channels) {
			kept := e.File.Channels[i]
			row.Stored, row.Kind, row.Secret = true, kept.Kind, secretRef(kept)
		} else if strings.TrimSpace(ch.Number) == "" {
			continue // a blank new row: the form adds one anyway
		}
		p.Form.Channels = append(p.Form.Channels, row)
	}
	p.Form.Channels = append(p.Form.Channels, channelRow{Index: len(p.Form.Channels), Kind: "missed_call"})
	return p
}

// secretRef names where a channel's hook secret is read from (never the secret).
func secretRef(ch drive.Channel) string {
	switch {
	case ch.SecretEnv != "":
		return "secret_env " + ch.SecretEnv
	case ch.SecretFile != "":
		return "secret_file " + ch.SecretFile
	}
	return ""
}

// preview is the targets as a table, an area a row, a metric a column
// (only the metrics that have a target somewhere).
func (p drivePage) preview(targets []drive.Target) *previewView {
	used := map[string]bool{}
	for _, t := range targets {
		used[t.Metric] = true
	}
	v := &previewView{}
	var metrics []string
	for _, m := range drive.Metrics {
		if used[m] {
			metrics = append(metrics, m)
			v.Metrics = append(v.Metrics, p.T("metric."+m))
		}
	}
	rows := map[string]int{}
	for _, t := range targets {
		i, seen := rows[t.Area]
		if !seen {
			i = len(v.Rows)
			rows[t.Area] = i
			v.Rows = append(v.Rows, previewRow{Area: t.Area, Values: make([]previewValue, len(metrics))})
			for j := range metrics {
				v.Rows[i].Values[j].Value = "—"
			}
		}
		for j, m := range metrics {
			if m == t.Metric {
				v.Rows[i].Values[j] = previewValue{Value: indian(t.Value), Explicit: t.Explicit}
			}
		}
	}
	return v
}
