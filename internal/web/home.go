package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/drive"
)

// The front page (exactly "/"; any other unknown path stays the server's
// 404): the drives open now, each with its ways in, and sign-in for
// those who are members already.

type homePage struct {
	page
	Drives []homeDrive
	SignIn string // the sign-in page, when sign-in is on
}

type homeDrive struct {
	Name, Until string
	MissedCalls []missedCall
	WhatsApp    []string // wa.me links, prefilled with a greeting in the page's language
	Web         string   // the drive's web join page, when sign-in is on
}

type missedCall struct {
	Number string
	Tel    template.URL // tel: is not a scheme html/template passes by itself
}

// missedCallTo shows a drive number as it is dialled; its tel: URL keeps
// only the digits and a leading +, so it is safe as a URL.
func missedCallTo(e164 string) missedCall {
	shown := drive.Dialled(e164)
	tel := strings.Map(func(r rune) rune {
		if r == '+' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, shown)
	return missedCall{Number: shown, Tel: template.URL("tel:" + tel)}
}

func (h *Web) home(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r, "hi", h.secure)
	files, err := drive.Running(r.Context(), h.db, h.db.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hp := homePage{page: newPage(r, lang)}
	hp.Title, hp.Description = hp.T("home.title"), hp.T("home.description")
	for _, f := range files {
		hp.Drives = append(hp.Drives, h.homeDrive(hp.page, f))
	}
	if h.sessions != nil {
		hp.SignIn = "/signin?lang=" + lang
	}
	h.render(w, r, http.StatusOK, "home", hp)
}

func (h *Web) homeDrive(p page, f drive.File) homeDrive {
	d := homeDrive{Name: f.NameIn(p.Lang)}
	if end, err := time.Parse(time.DateOnly, f.EndsOn); err == nil {
		d.Until = end.Format("02-01-2006")
	}
	for _, ch := range f.Channels {
		switch {
		case ch.Kind == "missed_call":
			d.MissedCalls = append(d.MissedCalls, missedCallTo(ch.Number))
		case ch.Kind == "whatsapp" && !ch.Off:
			d.WhatsApp = append(d.WhatsApp, "https://wa.me/"+strings.TrimPrefix(ch.Number, "+")+"?text="+url.PathEscape(p.T("home.whatsapp.text")))
		}
	}
	if h.sessions != nil {
		d.Web = "/d/" + f.Slug + "/join?lang=" + p.Lang
	}
	return d
}
