// Package console serves the organisers' pages under /console: the
// progress of a drive in the areas a staff member may see, finding people
// and a person's page (numbers masked, one revealed with a reason), and
// the audit log for admins. Every page asks who is signed in, reads their
// roles for the request (access) and shows only what their scope covers;
// the rules and the audit are the domain's (drive, directory), this
// package only parses, asks and renders, in Hindi and English.
package console

import (
	"bytes"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/assets"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/exports"
	"github.com/jodo-org/jodo/internal/flags"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/posts"
	"github.com/jodo-org/jodo/internal/requests"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

// templates are the pages, each the shell with its content.
var templates = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	funcs := template.FuncMap{"static": assets.URL, "indian": indian, "int64": func(i int) int64 { return int64(i) }}
	for _, name := range []string{"dashboard", "people", "person", "volunteers", "groups", "recruiters", "posts", "flags", "audit", "message", "drive_settings", "export_reason", "group_invite"} {
		out[name] = template.Must(template.New(name).Funcs(funcs).
			ParseFS(templateFiles, "templates/layout.html", "templates/parts.html", "templates/"+name+".html"))
	}
	return out
}()

// Sessions tells who is signed in on a request (signin.Signin).
type Sessions interface {
	Person(r *http.Request) (personID int64, ok bool, err error)
}

// Deps is what the console needs.
type Deps struct {
	DB        *store.DB
	Sessions  Sessions
	Directory *directory.Directory
	Groups    *groups.Groups // the groups register (marking a group invalid)
	Secure    bool           // JODO_BASE_URL is https: cookies are Secure
	Poll      time.Duration  // how often an open dashboard refreshes (JODO_DASHBOARD_POLL)
	Log       *slog.Logger
	Flags     flags.Rules        // the velocity flags' thresholds (JODO_FLAG_*)
	Requests  *requests.Requests // people's requests handled by staff
	Exports   *exports.Exports   // the lists as CSV or XLSX (nil: no list exports)
}

// Console holds the pages' dependencies.
type Console struct {
	db       *store.DB
	sessions Sessions
	dir      *directory.Directory
	groups   *groups.Groups
	secure   bool
	poll     time.Duration
	log      *slog.Logger
	maps     *mapCache
	// appointments are the posts' appointments (the org chart's actions).
	appointments *posts.Posts
	flagRules    flags.Rules
	requests     *requests.Requests
	exports      *exports.Exports
}

// New returns the console.
func New(d Deps) *Console {
	c := &Console{db: d.DB, sessions: d.Sessions, dir: d.Directory, groups: d.Groups, secure: d.Secure, poll: d.Poll, log: d.Log, maps: newMapCache(),
		appointments: posts.New(d.DB), flagRules: d.Flags, requests: d.Requests, exports: d.Exports}
	if c.poll <= 0 {
		c.poll = 45 * time.Second
	}
	return c
}

// maxForm bounds a posted form: a reason is at most 200 characters.
const maxForm = 8 << 10

// Routes registers the console's pages, each with the permission it needs.
// Posted requests are refused when a browser says they come from another
// site, their bodies are bounded, and a body that is not UTF-8 or holds a
// NUL is a 400 page in the person's language (as internal/web does).
// The people search is a POST so that what is searched for stays out of
// addresses.
func (c *Console) Routes(mux *server.Mux) {
	post := server.PostedForms(maxForm, c.unreadable)
	mux.Guard("GET /console", access.ProgressRead, c.guard(access.ProgressRead, c.dashboard))
	mux.Guard("GET /console/dashboard.csv", access.ProgressRead, c.guard(access.ProgressRead, c.download))
	mux.Guard("GET /console/dashboard.xlsx", access.ProgressRead, c.guard(access.ProgressRead, c.downloadXLSX))
	mux.Guard("GET /console/export/{kind}", access.PeopleRead, c.guard(access.PeopleRead, c.export))
	mux.Guard("POST /console/export/{kind}", access.PeopleReveal, post(c.guard(access.PeopleReveal, c.export)))
	mux.Guard("GET /console/people", access.PeopleRead, c.guard(access.PeopleRead, c.people))
	mux.Guard("POST /console/people", access.PeopleRead, post(c.guard(access.PeopleRead, c.people)))
	mux.Guard("GET /console/people/{id}", access.PeopleRead, c.guard(access.PeopleRead, c.person))
	mux.Guard("POST /console/people/{id}/reveal", access.PeopleReveal, post(c.guard(access.PeopleReveal, c.reveal)))
	mux.Guard("POST /console/people/{id}/correct", access.PeopleRequests, post(c.guard(access.PeopleRequests, c.correctPerson)))
	mux.Guard("POST /console/people/{id}/requests", access.PeopleRequests, post(c.guard(access.PeopleRequests, c.recordRequest)))
	mux.Guard("POST /console/people/{id}/requests/confirm", access.PeopleRequests, post(c.guard(access.PeopleRequests, c.confirmRequest)))
	mux.Guard("GET /console/volunteers", access.PeopleRead, c.guard(access.PeopleRead, c.volunteers))
	mux.Guard("GET /console/groups", access.PeopleRead, c.guard(access.PeopleRead, c.groupList))
	mux.Guard("POST /console/groups/invalid", access.GroupsManage, post(c.guard(access.GroupsManage, c.markInvalid)))
	mux.Guard("POST /console/groups/{group}/invite", access.GroupsInvite, post(c.guard(access.GroupsInvite, c.showInvite)))
	mux.Guard("GET /console/recruiters", access.ProgressRead, c.guard(access.ProgressRead, c.recruiters))
	mux.Guard("GET /console/posts", access.PeopleRead, c.guard(access.PeopleRead, c.posts))
	mux.Guard("POST /console/posts/appoint", access.PostsWrite, post(c.guard(access.PostsWrite, c.appoint)))
	mux.Guard("POST /console/posts/vacate", access.PostsWrite, post(c.guard(access.PostsWrite, c.vacate)))
	mux.Guard("GET /console/flags", access.PeopleRead, c.guard(access.PeopleRead, c.flags))
	mux.Guard("GET /console/audit", access.AuditRead, c.guard(access.AuditRead, c.audit))
	mux.Guard("GET /console/drives", access.DrivesWrite, c.guard(access.DrivesWrite, c.drives))
	mux.Guard("GET /console/drives/{slug}", access.DrivesWrite, c.guard(access.DrivesWrite, c.driveSettings))
	mux.Guard("POST /console/drives/{slug}", access.DrivesWrite, c.postDriveForm(c.guard(access.DrivesWrite, c.saveDrive)))
}

// unreadable is the 400 page of a posted form that is not UTF-8 or holds a NUL.
func (c *Console) unreadable(w http.ResponseWriter, r *http.Request) {
	c.message(w, r, asker{lang: pageLang(w, r, c.secure)}, http.StatusBadRequest, "unreadable")
}

// pageCSP lets a console page run and style itself only from Jodo's own
// files (no inline script or style, no eval) and talk only to Jodo.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// render writes a page (or, with block, one part of it for htmx) into a
// buffer first, so a template error is a clean 500, not half a page.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name, block string, data any) {
	var buf bytes.Buffer
	if block == "" {
		block = "layout"
	}
	if err := templates[name].ExecuteTemplate(&buf, block, data); err != nil {
		c.log.ErrorContext(r.Context(), "rendering a console page", "page", name, "err", err)
		http.Error(w, "Something went wrong. कुछ गड़बड़ हो गई।", http.StatusInternalServerError)
		return
	}
	respond.PrivatePage(w, status, pageCSP, buf.Bytes())
}
