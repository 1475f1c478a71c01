package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/httprate"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

// Referrals on the web: /r/{code} leads to the join page of the drive the
// code's owner is a member of (the one running now; the latest if
// several), carrying the code through the one-time-code steps as a hidden
// field; the new lead is referred in the transaction that makes it
// (referrals.Refer decides whether it counts). /me shows a member their
// link and what it has brought.

// referralLimit is how many /r/ links one address may open a minute:
// plenty for people sharing a link, too few to guess codes.
const referralLimit = 20

func (h *Web) referralRoutes(mux *server.Mux) {
	limit := httprate.LimitBy(referralLimit, time.Minute, func(r *http.Request) (string, error) {
		return clientKey(h.clientIP(r)), nil
	})
	mux.Handle("GET /r/{ref}", limit(http.HandlerFunc(h.referral)))
}

// referral sends a referral link on: to its owner's drive's join page with
// the code, or, for a code nobody has (or whose owner is in no running
// drive), to the front page with no code.
func (h *Web) referral(w http.ResponseWriter, r *http.Request) {
	code, ok := refCode(r.PathValue("ref"))
	lang := r.URL.Query().Get("lang")
	if !validLang(lang) {
		lang = ""
	}
	to := "/"
	if ok && h.sessions != nil {
		slug, err := h.referrerDrive(r.Context(), code)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if slug != "" {
			q := url.Values{"ref": {code}}
			if lang != "" {
				q.Set("lang", lang)
			}
			to = "/d/" + slug + "/join?" + q.Encode()
		}
	}
	if to == "/" && lang != "" {
		to += "?lang=" + lang
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex")
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// refCode is a referral code exactly as a link or a hidden field carries
// it (nothing around it), upper case.
func refCode(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) != links.ReferralCodeLen {
		return "", false
	}
	return links.ParseReferralCode(s)
}

// referrerDrive is the slug of the running drive the code's owner is a
// member of, the latest to start if several; "" for none or an unknown
// code.
func (h *Web) referrerDrive(ctx context.Context, code string) (string, error) {
	files, err := drive.Running(ctx, h.db, h.db.Now())
	if err != nil {
		return "", err
	}
	ids := make([]int64, len(files))
	for i, f := range files {
		d, err := h.db.DriveBySlug(ctx, f.Slug)
		if err != nil {
			return "", err
		}
		ids[i] = d.ID
	}
	var slug, starts string
	err = h.db.View(ctx, func(tx *store.Tx) error {
		referrer, err := h.refs.Referrer(ctx, tx, code)
		if apperr.CodeOf(err) == apperr.NotFound {
			return nil
		} else if err != nil {
			return err
		}
		for i, f := range files {
			part, err := store.FindParticipation(ctx, tx, referrer, ids[i])
			if apperr.CodeOf(err) == apperr.NotFound || (err == nil && part.RegisteredAt.IsZero()) {
				continue
			} else if err != nil {
				return err
			}
			if slug == "" || f.StartsOn > starts {
				slug, starts = f.Slug, f.StartsOn
			}
		}
		return nil
	})
	return slug, err
}

// referFrom records, in the transaction that made the lead, that the code
// in the join steps referred the person's participation in the drive.
func (h *Web) referFrom(ctx context.Context, tx *store.Tx, code string, person, driveID int64) error {
	if code == "" {
		return nil
	}
	part, err := store.FindParticipation(ctx, tx, person, driveID)
	if err != nil {
		return err
	}
	_, err = h.refs.Refer(ctx, tx, part.ID, code)
	return err
}

// referralCode is the member's referral code, given to them now if they
// have none (so in a writing transaction); "" for someone who is no
// member of any drive.
func (h *Web) referralCode(ctx context.Context, person int64) (string, error) {
	var code string
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		p, err := store.GetPerson(ctx, tx, person)
		if err != nil || p.MembershipNo == "" {
			return err
		}
		code, err = h.refs.CodeFor(ctx, tx, person)
		return err
	})
	return code, err
}

// waJoin is a wa.me link to number whose text is "JOIN <code>", as the
// join SMS writes its links.
func waJoin(number, code string) string {
	return "https://wa.me/" + strings.TrimPrefix(number, "+") + "?text=JOIN%20" + url.PathEscape(code)
}
