package web

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/httprate"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/card"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/membership"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

// verifyLimit is how many verification lookups one address may make a
// minute: enough for a person checking a card, too few to walk numbers.
const verifyLimit = 30

func (h *Web) cardRoutes(mux *server.Mux) {
	mux.HandleFunc("GET /card/{file}", h.card)
	limit := httprate.LimitBy(verifyLimit, time.Minute, func(r *http.Request) (string, error) {
		return clientKey(h.clientIP(r)), nil
	})
	mux.Handle("GET /verify/{number}", limit(http.HandlerFunc(h.verify)))
}

// card serves a member's card image from a signed, expiring link
// (membership.CardURL). A link that is not valid, or whose member has been
// erased, is not found.
func (h *Web) card(w http.ResponseWriter, r *http.Request) {
	number, ok := strings.CutSuffix(r.PathValue("file"), ".png")
	if !ok || !membership.CheckCardQuery(h.secretKey, number, r.URL.Query(), time.Now()) {
		http.Error(w, "There is nothing at this address.", http.StatusNotFound)
		return
	}
	m, err := h.db.MemberByNumber(r.Context(), number)
	if apperr.CodeOf(err) == apperr.NotFound {
		http.Error(w, "There is nothing at this address.", http.StatusNotFound)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := m.Language
	if !validLang(lang) {
		lang = "hi"
	}
	c := card.Card{Name: m.Name, AreaLine: areaLabel(store.Area{NameEN: m.AreaNameEN, NameLocal: m.AreaNameLocal}, lang),
		Number: m.Number, Drive: locale.Name(lang, m.DriveName, m.DriveNameLocal), VerifyURL: membership.VerifyURL(h.baseURL, h.secretKey, m.Number), Lang: lang}
	png, err := card.Render(c)
	if errors.Is(err, card.ErrUnsupportedText) {
		c.Name = "" // a script the card's fonts lack: the card without the name beats no card
		png, err = card.Render(c)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Robots-Tag", "noindex")
	w.Write(png)
}

// clientKey buckets an address for rate limits: IPv6 by its /64 (one
// subscriber's network), IPv4 by address.
func clientKey(a netip.Addr) string {
	if a.Is6() && !a.Is4In6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.Unmap().String()
}

type verifyPage struct {
	page
	Number               string
	Valid, Signed        bool
	Initial, Area, Drive string
	Verified             bool
}

// verify answers whether a membership number is valid. With the card's
// signature (the QR code's link) it also shows the name's initial, the
// area and the status; without, only valid or not.
func (h *Web) verify(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r, "hi", h.secure)
	vp := verifyPage{page: newPage(r, lang)}
	vp.Title = vp.T("verify.title")
	number, err := membership.Parse(r.PathValue("number"))
	vp.Number = r.PathValue("number")
	if utf8.RuneCountInString(vp.Number) > 20 {
		vp.Number = string([]rune(vp.Number)[:20]) + "…"
	}
	if err == nil {
		vp.Number = membership.Format(number)
		m, err := h.db.MemberByNumber(r.Context(), number)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
		case err != nil:
			h.fail(w, r, err)
			return
		default:
			vp.Valid = true
			if membership.CheckVerify(h.secretKey, number, r.URL.Query().Get("s")) {
				vp.Signed, vp.Verified, vp.Drive = true, m.Verified, locale.Name(lang, m.DriveName, m.DriveNameLocal)
				vp.Area = areaLabel(store.Area{NameEN: m.AreaNameEN, NameLocal: m.AreaNameLocal}, lang)
				if first, _ := utf8.DecodeRuneInString(m.Name); first != utf8.RuneError {
					vp.Initial = string(first) + "."
				}
			}
		}
	}
	status := http.StatusOK
	if !vp.Valid {
		status = http.StatusNotFound
	}
	h.render(w, r, status, "verify", vp)
}
