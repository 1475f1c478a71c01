// Package web serves the pages people open from their phones: the front
// page (the drives open now and how to join them), the registration link
// an SMS carries (/j/{token}), the membership page and card it leads to. Pages are server-rendered html/template in Hindi and
// English, work without JavaScript, and make no external requests.
package web

import (
	"bytes"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/assets"
	"github.com/jodo-org/jodo/internal/enrol"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/referrals"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/subkey"
)

//go:embed templates/*.html
var templateFiles embed.FS

// templates are the pages, each the layout with its content.
var templates = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range []string{"home", "join", "joined", "message", "verify", "signin", "signinlink", "me", "volunteer", "group", "enrol", "enrol_notice"} {
		out[name] = template.Must(template.New(name).Funcs(template.FuncMap{"static": assets.URL}).
			ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html"))
	}
	return out
}()

// Deps is what the pages need.
type Deps struct {
	DB        *store.DB
	Links     *links.Links
	SecretKey []byte // JODO_SECRET_KEY: suppression hashes, membership signatures
	BaseURL   string // JODO_BASE_URL
	Log       *slog.Logger
	// Sessions signs people in; nil: no sign-in or /me pages.
	Sessions Sessions
	// ClientIP is the request's client address, believing X-Forwarded-For
	// only from trusted proxies (signin.Signin.ClientIP); nil: the peer.
	ClientIP func(*http.Request) netip.Addr
	// Enrol lets volunteers enrol members at their door; nil: no SMS
	// provider can carry its code, so /me offers no enrolment.
	Enrol *enrol.Enrol
}

// Web holds the pages' dependencies.
type Web struct {
	db        *store.DB
	links     *links.Links
	people    *people.People
	secretKey []byte
	baseURL   string
	secure    bool // https: cookies are Secure
	log       *slog.Logger
	sessions  Sessions
	clientIP  func(*http.Request) netip.Addr
	groups    *groups.Groups
	refs      *referrals.Referrals
	deviceKey []byte // keys the device cookie's hash in registration marks
	enrol     *enrol.Enrol
}

// New returns the pages.
func New(d Deps) *Web {
	h := &Web{db: d.DB, links: d.Links, people: people.New(d.SecretKey), secretKey: d.SecretKey, baseURL: d.BaseURL, log: d.Log,
		secure: strings.HasPrefix(d.BaseURL, "https://"), sessions: d.Sessions, clientIP: d.ClientIP,
		groups: groups.New(d.SecretKey), refs: referrals.New(d.SecretKey), deviceKey: subkey.Derive(d.SecretKey, "device"), enrol: d.Enrol}
	if h.clientIP == nil {
		h.clientIP = peerAddr
	}
	return h
}

// maxForm bounds a posted form: the largest, the join form, is well under.
const maxForm = 16 << 10

// Routes registers the pages. State-changing requests are refused when a
// browser says they come from another site (http.CrossOriginProtection),
// and their bodies are bounded.
func (h *Web) Routes(mux *server.Mux) {
	forms := server.PostedForms(maxForm, func(w http.ResponseWriter, r *http.Request) {
		h.message(w, r, pageLang(w, r, "hi", h.secure), http.StatusBadRequest, "unreadable")
	})
	post := func(f http.HandlerFunc) http.Handler { return forms(f) }
	mux.HandleFunc("GET /{$}", h.home)
	mux.HandleFunc("GET /static/{name}", assets.Serve)
	mux.HandleFunc("GET /robots.txt", robots)
	// Browsers ask for the icon here on pages without its link (error pages, JSON).
	mux.HandleFunc("GET /favicon.ico", assets.ServeFile("favicon.ico"))
	mux.HandleFunc("GET /j/{token}", h.join)
	mux.Handle("POST /j/{token}", post(h.submit))
	h.cardRoutes(mux)
	h.signinRoutes(mux, post)
	h.meRoutes(mux, post)
	h.driveJoinRoutes(mux, post)
	h.referralRoutes(mux)
}

// peerAddr is the address of the connection's other end.
func peerAddr(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr()
}

// render writes a page; templates render into a buffer first, so a
// template error is a clean 500, not half a page.
func (h *Web) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := templates[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		h.log.ErrorContext(r.Context(), "rendering a page", "page", name, "err", err)
		http.Error(w, "Something went wrong. कुछ गड़बड़ हो गई।", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", pageCSP)
	if ix, ok := data.(interface{ indexed() bool }); !ok || !ix.indexed() {
		w.Header().Set("X-Robots-Tag", "noindex")
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pageCSP lets a page run only Jodo's own script files (no inline script,
// no eval), load images from Jodo, and post forms to Jodo.
const pageCSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// messagePage is a page that only says something: a link that cannot be
// used, an under-18 refusal, a sign-out.
type messagePage struct {
	page
	Kind, Heading, Body string
	Retry               string // a page offering a new link, if any
}

func (h *Web) message(w http.ResponseWriter, r *http.Request, lang string, status int, kind string) {
	h.messageRetry(w, r, lang, status, kind, "")
}

// messageRetry is message with a link to a drive's join page, where a
// new link can be had (an expired link's drive is known).
func (h *Web) messageRetry(w http.ResponseWriter, r *http.Request, lang string, status int, kind, slug string) {
	p := newPage(r, lang)
	m := messagePage{page: p, Kind: kind, Heading: "link." + kind + ".title", Body: "link." + kind + ".body"}
	if slug != "" && h.sessions != nil {
		m.Retry = "/d/" + slug + "/join?lang=" + lang
	}
	if kind == "under18" || kind == "error" || kind == "signedout" || kind == "erased" || kind == "unreadable" || kind == "notmember" {
		m.Heading, m.Body = kind+".title", kind+".body"
	}
	m.Title = p.T(m.Heading)
	h.render(w, r, status, "message", m)
}

// fail answers an unexpected error with a page in the person's language.
func (h *Web) fail(w http.ResponseWriter, r *http.Request, err error) {
	lang := pageLang(w, r, "hi", h.secure)
	if apperr.CodeOf(err) == apperr.Invalid {
		h.message(w, r, lang, http.StatusBadRequest, "unknown")
		return
	}
	h.log.ErrorContext(r.Context(), "page failed", "path_pattern", r.Pattern, "err", err)
	h.message(w, r, lang, http.StatusInternalServerError, "error")
}

// joined shows the member their number and card.
func (h *Web) joined(w http.ResponseWriter, r *http.Request, lang string, jc joinContext) {
	ctx := r.Context()
	var jp joinedPage
	var registered bool
	err := h.db.View(ctx, func(tx *store.Tx) error {
		part, err := store.GetParticipation(ctx, tx, jc.link.ParticipationID)
		if err != nil {
			return err
		}
		registered = !part.RegisteredAt.IsZero()
		p, err := store.GetPerson(ctx, tx, jc.link.PersonID)
		if err != nil {
			return err
		}
		jp.Name, jp.Number = p.Name, p.MembershipNo
		if p.AreaID != 0 {
			a, err := store.AreaByID(ctx, tx, p.AreaID)
			if err != nil {
				return err
			}
			jp.Area = areaLabel(a, lang)
		}
		return nil
	})
	if apperr.CodeOf(err) == apperr.NotFound || (err == nil && (!registered || jp.Number == "")) {
		h.message(w, r, lang, http.StatusNotFound, "unknown") // refused (under 18) or erased since
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	jp.page = newPage(r, lang)
	jp.Drive = jc.file.NameIn(lang)
	jp.Title = jp.T("joined.title", "Name", jp.Name)
	jp.CardURL = h.cardURL(jp.Number)
	jp.Number = displayNumber(jp.Number)
	if h.sessions != nil {
		jp.MeURL = "/me?lang=" + lang
	}
	h.render(w, r, http.StatusOK, "joined", jp)
}
