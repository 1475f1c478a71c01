// Package web serves the pages people open from their phones. For now that
// is the registration link an SMS carries, /j/{token}, which resolves its
// token; the registration form itself comes with web registration.
package web

import (
	"errors"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/store"
)

// Web holds the pages' dependencies.
type Web struct {
	db    *store.DB
	links *links.Links
	log   *slog.Logger
}

// New returns the pages.
func New(db *store.DB, l *links.Links, log *slog.Logger) *Web {
	return &Web{db: db, links: l, log: log}
}

// Routes registers the pages.
func (h *Web) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /j/{token}", h.join)
}

// linkPage is what /j/{token} shows, in Hindi and English: a valid link
// (the registration form will be here), an expired one, or an unknown one.
type linkPage struct {
	Status               string // "valid", "expired", "unknown"
	TitleHI, TitleEN     string
	MessageHI, MessageEN string
}

var pages = map[string]linkPage{
	"valid": {Status: "valid", TitleHI: "आपका लिंक सही है", TitleEN: "Your link works",
		MessageHI: "कॉल करने के लिए धन्यवाद। सदस्यता फ़ॉर्म जल्द ही यहाँ खुलेगा।",
		MessageEN: "Thank you for calling. The membership form opens here soon."},
	"expired": {Status: "expired", TitleHI: "यह लिंक पुराना हो गया है", TitleEN: "This link has expired",
		MessageHI: "लिंक 7 दिन तक चलता है। नया लिंक पाने के लिए फिर से मिस्ड कॉल दें।",
		MessageEN: "Links last 7 days. Give a missed call again to get a new one."},
	"unknown": {Status: "unknown", TitleHI: "यह लिंक सही नहीं है", TitleEN: "This link is not valid",
		MessageHI: "SMS में आया पूरा लिंक खोलें, या नया लिंक पाने के लिए फिर से मिस्ड कॉल दें।",
		MessageEN: "Open the whole link from the SMS, or give a missed call again to get a new one."},
}

var linkTemplate = template.Must(template.New("link").Parse(`<!doctype html>
<html lang="hi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>{{.TitleHI}} · {{.TitleEN}}</title>
<style>body{font-family:"Noto Sans",system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}h1{font-size:1.4rem}p{font-size:1.1rem}</style>
</head><body data-link="{{.Status}}">
<h1>{{.TitleHI}}</h1><p>{{.MessageHI}}</p>
<h1 lang="en">{{.TitleEN}}</h1><p lang="en">{{.MessageEN}}</p>
</body></html>
`))

// join resolves a registration token: 200 for a valid one, 410 for an
// expired one, 404 for anything else.
func (h *Web) join(w http.ResponseWriter, r *http.Request) {
	_, err := h.db.ResolveToken(r.Context(), h.links.TokenHash(r.PathValue("token")))
	page, status := pages["valid"], http.StatusOK
	switch {
	case errors.Is(err, store.ErrLinkExpired):
		page, status = pages["expired"], http.StatusGone
	case apperr.CodeOf(err) == apperr.NotFound:
		page, status = pages["unknown"], http.StatusNotFound
	case err != nil:
		h.log.ErrorContext(r.Context(), "resolving a registration link", "err", err)
		http.Error(w, "Something went wrong. कुछ गड़बड़ हुई। Please try again.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	if err := linkTemplate.Execute(w, page); err != nil {
		h.log.WarnContext(r.Context(), "writing the link page", "err", err)
	}
}
