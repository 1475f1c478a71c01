package demo

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/jodo-org/jodo/internal/assets"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/server"
)

//go:embed templates/phone.html static/phone.css locales/*.json
var phoneFiles embed.FS

// Languages are the phone page's, each catalog complete.
var Languages = []string{"hi", "en"}

var catalog = locale.MustLoad(phoneFiles, "locales", Languages)

// The page's style sheet, served under its content hash like the site's
// static files: the page's policy allows no inline style.
var phoneCSS, phoneCSSPath = func() ([]byte, string) {
	b, err := phoneFiles.ReadFile("static/phone.css")
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(b)
	return b, "/demo/static/phone." + hex.EncodeToString(sum[:4]) + ".css"
}()

var phoneTemplate = template.Must(template.New("phone").Funcs(template.FuncMap{
	"static": assets.URL, "css": func() string { return phoneCSSPath },
}).ParseFS(phoneFiles, "templates/phone.html"))

// Phone is /demo/phone, a phone in the browser: a placeholder number gives
// the drive a missed call and reads the SMS that follows, or chats with the
// drive's WhatsApp bot. Only jodo demo registers it.
type Phone struct {
	live *Live
	log  *slog.Logger
}

// NewPhone is the page acting through live.
func NewPhone(live *Live, log *slog.Logger) *Phone { return &Phone{live: live, log: log} }

// Routes registers the page, the parts it polls and its actions. Its
// forms are refused from other sites like the member pages'.
func (p *Phone) Routes(mux *server.Mux) {
	forms := server.PostedForms(4<<10, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "unreadable form", http.StatusBadRequest)
	})
	mux.HandleFunc("GET /demo/phone", p.page)
	mux.HandleFunc("GET /demo/phone/sms", p.smsPart)
	mux.HandleFunc("GET /demo/phone/chat", p.chatPart)
	mux.Handle("POST /demo/phone/call", forms(http.HandlerFunc(p.call)))
	mux.Handle("POST /demo/phone/say", forms(http.HandlerFunc(p.say)))
	mux.Handle("POST /demo/phone/tap", forms(http.HandlerFunc(p.tap)))
	mux.HandleFunc("GET "+phoneCSSPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Write(phoneCSS)
	})
}

// view is what the template gets.
type view struct {
	Lang, Other, Number, Shown, Suggest, App, Error, Notice string
	TollFree, WhatsApp, Typed                               string
	Texts                                                   []SMS
	Chat                                                    []Bubble
}

// T is a message in the page's language.
func (v view) T(id string, pairs ...string) string { return catalog.Text(v.Lang, id, pairs...) }

// Q is the page's query for number, app and lang.
func (v view) Q(app string) string {
	q := url.Values{"n": {v.Number}, "lang": {v.Lang}}
	if app != "" {
		q.Set("app", app)
	}
	return q.Encode()
}

// Href is path with the page's query for app: a link, whole, so that the
// template does not escape its query as one value.
func (v view) Href(path, app string) template.URL { return template.URL(path + "?" + v.Q(app)) }

// SwitchHref is this page in the other language.
func (v view) SwitchHref() template.URL {
	q := url.Values{"lang": {v.Other}}
	if v.Number != "" {
		q.Set("n", v.Number)
	}
	if v.App != "" {
		q.Set("app", v.App)
	}
	return template.URL("/demo/phone?" + q.Encode())
}

// newView reads the language and the number asked for; a number that is
// not a live one is an error to show.
func (p *Phone) newView(w http.ResponseWriter, r *http.Request) view {
	v := view{Lang: locale.FromRequest(w, r, "hi", false), TollFree: tollFree(p.live.TollFree), WhatsApp: p.live.Chat.display}
	v.Other = locale.Other(v.Lang)
	v.App = r.FormValue("app")
	if raw := strings.TrimSpace(r.FormValue("n")); raw != "" {
		if n, ok := liveNumber(raw); ok {
			v.Number, v.Shown = n, shownNumber(n)
		} else {
			v.Error = "error.number"
		}
	}
	if v.Number == "" {
		v.Suggest = shownNumber(LivePhone(rand.IntN(phoneNumbers)))
	}
	return v
}

// phoneNumbers is how many of the live numbers the page suggests from:
// +91 70000 10000 to +91 70000 49999; the trickle uses those above.
const phoneNumbers = 40_000

// liveNumber normalises a typed number and wants it live.
func liveNumber(raw string) (string, bool) {
	n, err := phone.Normalize(raw)
	return n, err == nil && IsLive(n)
}

// tollFree is 1800 000 0000, as India writes toll-free numbers.
func tollFree(n string) string {
	if len(n) == 11 && strings.HasPrefix(n, "1800") {
		return n[:4] + " " + n[4:7] + " " + n[7:]
	}
	return n
}

// shownNumber is +91 70000 12345.
func shownNumber(e164 string) string { return e164[:3] + " " + e164[3:8] + " " + e164[8:] }

func (p *Phone) page(w http.ResponseWriter, r *http.Request) {
	v := p.newView(w, r)
	if v.Number != "" {
		v.Texts, v.Chat = p.live.SMS.Texts(v.Number), p.live.Chat.Transcript(v.Number)
	}
	if t := r.FormValue("text"); len(t) <= 1000 {
		v.Typed = t
	}
	if r.FormValue("done") == "call" {
		v.Notice = "notice.call"
	}
	status := http.StatusOK
	if v.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	p.render(w, r, status, "layout", v)
}

func (p *Phone) smsPart(w http.ResponseWriter, r *http.Request)  { p.part(w, r, "sms") }
func (p *Phone) chatPart(w http.ResponseWriter, r *http.Request) { p.part(w, r, "chat") }

// part is the SMS list or the chat, for the page's polling.
func (p *Phone) part(w http.ResponseWriter, r *http.Request, block string) {
	v := p.newView(w, r)
	if v.Number == "" {
		http.NotFound(w, r)
		return
	}
	p.render(w, r, http.StatusOK, block, p.filled(v))
}

// render writes the page (block "layout") or a polled part of it.
func (p *Phone) render(w http.ResponseWriter, r *http.Request, status int, block string, v view) {
	var buf bytes.Buffer
	if err := phoneTemplate.ExecuteTemplate(&buf, block, v); err != nil {
		p.log.ErrorContext(r.Context(), "rendering the demo phone", "err", err)
		http.Error(w, "Something went wrong. कुछ गड़बड़ हो गई।", http.StatusInternalServerError)
		return
	}
	respond.PrivatePage(w, status, pageCSP, buf.Bytes())
}

// pageCSP: the page's own files only, no inline script or style, no
// frames, and requests only to the server that served it.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// linkPattern finds the links in an SMS.
var linkPattern = regexp.MustCompile(`https?://[^\s]+`)

// piece is a part of a message: text, or a link to tap (Href) shown as
// written (Link).
type piece struct{ Text, Link, Href string }

// Linked splits a message into text and links. A wa.me link to the
// drive's WhatsApp number opens this phone's chat with its text typed,
// as a phone opens WhatsApp: the page never sends anyone elsewhere.
func (v view) Linked(body string) []piece {
	var out []piece
	last := 0
	for _, m := range linkPattern.FindAllStringIndex(body, -1) {
		link := body[m[0]:m[1]]
		p := piece{Link: link, Href: link}
		if u, err := url.Parse(link); err == nil && u.Host == "wa.me" && strings.Trim(u.Path, "/") == v.WhatsApp {
			p.Href = "/demo/phone?" + v.Q("wa") + "&" + url.Values{"text": {u.Query().Get("text")}}.Encode()
		}
		out = append(out, piece{Text: body[last:m[0]]}, p)
		last = m[1]
	}
	return append(out, piece{Text: body[last:]})
}
