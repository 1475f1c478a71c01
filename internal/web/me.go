package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/graph"
	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

type consentRow struct {
	Purpose, Label, State, StateLabel, Date string
}

type stageRow struct{ Label, Date string }

type driveRow struct {
	Name, Slug string
	Stages     []stageRow
	Member     bool           // a registered member: may volunteer
	Volunteer  *volunteerCard // volunteering there now
	Groups     *groupsCard    // their groups there, when they volunteer
	// RefWhatsApp is a wa.me link to the drive's WhatsApp number whose
	// text is "JOIN <referral code>"; Direct and Indirect are the
	// recruits credited to them there.
	RefWhatsApp      string
	Direct, Indirect int64
	// Mark is what their web registration there came from (kept 30
	// days for the velocity flags); nil: none kept.
	Mark *markRow
}

// markRow is a registration mark as /me shows it: the network prefix,
// whether a device hash is kept, the day it was kept and the day it goes.
type markRow struct {
	Network     string
	Device      bool
	Date, Until string
}

type messageRow struct {
	Date, Channel, State, Error, Body string
}

// requestRow is a request the person made to staff offline, as staff
// recorded it: what, how it came, when, by which role, and its state.
type requestRow struct{ Kind, Channel, Date, Role, State string }

type meForm struct{ Name, Language string }

type mePage struct {
	page
	Notice                             string
	Errors                             map[string]string
	Name, Phone, Area, Number, CardURL string
	RefCode, RefLink                   string // the member's referral code and link
	Form                               meForm
	ACGroups                           []acGroup
	Consents                           []consentRow
	Drives                             []driveRow
	Messages                           []messageRow
	Requests                           []requestRow
	// ImportSource and ImportDay say which import brought them in (""
	// when none did); LegacyNo is the number its source gave them.
	ImportSource, ImportDay, LegacyNo string
	CanEnrol                          bool // volunteers may enrol members at their door (an SMS provider carries the code)
}

func (h *Web) meRoutes(mux *server.Mux, post func(http.HandlerFunc) http.Handler) {
	if h.sessions == nil {
		return
	}
	mux.HandleFunc("GET /me", h.me)
	mux.Handle("POST /me/details", post(h.meDetails))
	mux.Handle("POST /me/consent", post(h.meConsent))
	mux.Handle("POST /me/erase", post(h.meErase))
	h.volunteerRoutes(mux, post)
	h.groupRoutes(mux, post)
	h.enrolRoutes(mux, post)
}

// signedIn is the session's person, or a redirect to sign-in.
func (h *Web) signedIn(w http.ResponseWriter, r *http.Request) (int64, bool) {
	person, ok, err := h.sessions.Person(r)
	if err != nil {
		h.fail(w, r, err)
		return 0, false
	}
	if !ok {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return 0, false
	}
	return person, true
}

func (h *Web) me(w http.ResponseWriter, r *http.Request) {
	person, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	notice := map[string]string{"saved": "me.saved", "consent": "me.consent.changed", "ended": "me.membership.ended",
		"volunteer": "me.volunteer.done", "unvolunteered": "me.volunteer.ended", "group": "me.group.done",
		"group_confirmed": "me.group.confirmed", "group_removed": "me.group.removed"}[r.URL.Query().Get("done")]
	h.renderMe(w, r, person, pageLang(w, r, "", h.secure), notice, nil, nil, http.StatusOK)
}

// renderMe shows everything Jodo holds about the person. form, when set,
// is what they typed into the correction form.
func (h *Web) renderMe(w http.ResponseWriter, r *http.Request, person int64, lang, notice string, errs map[string]string, form *meForm, status int) {
	ctx := r.Context()
	mp := mePage{CanEnrol: h.enrol != nil}
	var d people.Data
	var acCode, root string
	var cards map[int64]*volunteerCard
	var extras map[int64]driveExtra
	refCode, err := h.referralCode(ctx, person)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	err = h.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = h.people.MyData(ctx, tx, person, 50); err != nil {
			return err
		}
		if lang == "" {
			lang = d.Person.Language
			if !validLang(lang) {
				lang = "hi"
			}
		}
		if d.Person.AreaID != 0 {
			acCode = h.acCodeOf(ctx, tx, d.Person.AreaID)
		}
		if cards, err = volunteerCards(ctx, tx, d, lang); err != nil {
			return err
		}
		extras, err = h.driveExtras(ctx, tx, d, cards, refCode, lang)
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, consents := d.Person, d.Consents
	for _, ph := range d.Phones {
		mp.Phone = phone.Mask(ph)
	}
	mp.page = newPage(r, lang)
	mp.Title = mp.T("me.title")
	mp.Notice, mp.Errors = notice, errs
	mp.Name, mp.Number = p.Name, displayNumber(p.MembershipNo)
	if p.MembershipNo != "" {
		mp.CardURL = h.cardURL(p.MembershipNo)
	}
	if refCode != "" {
		mp.RefCode, mp.RefLink = refCode, strings.TrimSuffix(h.baseURL, "/")+"/r/"+refCode
	}
	mp.ImportSource, mp.LegacyNo = d.Origin.Source, d.Origin.LegacyNo
	if on, err := time.Parse(time.DateOnly, d.Origin.Day); err == nil {
		mp.ImportDay = on.Format("02-01-2006")
	}
	mp.Form = meForm{Name: p.Name, Language: p.Language}
	if form != nil {
		mp.Form = *form
	}
	for _, pt := range d.Participations {
		row := driveRow{Name: locale.Name(lang, pt.DriveName, pt.DriveNameLocal), Slug: pt.DriveSlug, Member: !pt.RegisteredAt.IsZero(),
			Volunteer: cards[pt.ID], Groups: extras[pt.ID].groups, RefWhatsApp: extras[pt.ID].whatsApp}
		for _, c := range d.Credits {
			if c.DriveID == pt.DriveID {
				row.Direct, row.Indirect = c.Direct, c.Indirect
			}
		}
		for _, m := range d.Marks {
			if m.ParticipationID == pt.ID {
				row.Mark = &markRow{Network: m.Network, Device: m.Device != "", Date: day(m.At), Until: day(m.At.AddDate(0, 0, 30))}
			}
		}
		for _, s := range []struct {
			label string
			at    time.Time
		}{{"stage.lead", pt.LeadAt}, {"stage.registered", pt.RegisteredAt}, {"stage.verified", pt.VerifiedAt}} {
			if !s.at.IsZero() {
				row.Stages = append(row.Stages, stageRow{Label: s.label, Date: day(s.at)})
			}
		}
		mp.Drives = append(mp.Drives, row)
		if root == "" {
			root = pt.RootArea
		}
	}
	if root == "" {
		if root, err = h.geographyRoot(ctx); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	acs, districts, err := h.areaChoices(ctx, root)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	mp.ACGroups = acGroups(acs, districts, lang, "", acCode)
	if i := slices.IndexFunc(acs, func(a store.Area) bool { return a.Code == acCode }); i >= 0 {
		mp.Area = areaLabel(acs[i], lang)
	}
	for _, purpose := range []string{store.PurposeMembership, store.PurposeWhatsApp, store.PurposeSMS, store.PurposeVolunteer} {
		row := consentRow{Purpose: purpose, Label: "consent." + purpose, State: "never", StateLabel: "consent.never"}
		if i := slices.IndexFunc(consents, func(c store.Consent) bool { return c.Purpose == purpose }); i >= 0 {
			c := consents[i]
			row.State, row.StateLabel, row.Date = "granted", "consent.granted", day(c.GrantedAt)
			if !c.WithdrawnAt.IsZero() {
				row.State, row.StateLabel, row.Date = "withdrawn", "consent.withdrawn", day(c.WithdrawnAt)
			}
		}
		mp.Consents = append(mp.Consents, row)
	}
	for _, m := range d.Messages {
		body := m.Body
		if m.Channel == store.ChannelWhatsApp {
			if o, err := graph.DecodeOutgoing(body); err == nil {
				body = o.Summary()
			}
		}
		mp.Messages = append(mp.Messages, messageRow{Date: m.CreatedAt.In(ist.Zone).Format("02-01-2006 15:04"), Channel: m.Channel,
			State: m.State, Error: m.Error, Body: body})
	}
	for _, q := range d.Requests {
		mp.Requests = append(mp.Requests, requestRow{Kind: "me.request.kind." + q.Kind, Channel: "me.request.channel." + q.Channel,
			Date: day(q.CreatedAt), Role: "me.request.role." + q.ActorRole, State: "me.request.state." + q.State})
	}
	h.render(w, r, status, "me", mp)
}

// meDetails corrects the person's name, language and constituency.
func (h *Web) meDetails(w http.ResponseWriter, r *http.Request) {
	person, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	lang := pageLang(w, r, "hi", h.secure)
	form := meForm{Name: cleanName(r.PostFormValue("name")), Language: r.PostFormValue("language")}
	if !validLang(form.Language) {
		form.Language = lang
	}
	errs := map[string]string{}
	if n := utf8.RuneCountInString(form.Name); n < 2 || n > names.MaxLen || !strings.ContainsFunc(form.Name, unicode.IsLetter) {
		errs["name"] = "err.name"
	} else if names.HasHidden(form.Name) {
		errs["name"] = "err.name.hidden"
	}
	area, err := h.db.GetArea(r.Context(), r.PostFormValue("ac"))
	if err != nil || area.Kind != "ac" || area.Retired {
		errs["ac"] = "err.ac"
	}
	if len(errs) > 0 {
		h.renderMe(w, r, person, lang, "", errs, &form, http.StatusUnprocessableEntity)
		return
	}
	err = h.db.Update(r.Context(), func(tx *store.Tx) error {
		return h.people.CorrectDetails(r.Context(), tx, person, form.Name, form.Language, area)
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me?done=saved&lang="+form.Language, http.StatusSeeOther)
}

// meConsent grants or withdraws one purpose's consent.
func (h *Web) meConsent(w http.ResponseWriter, r *http.Request) {
	person, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	lang := pageLang(w, r, "hi", h.secure)
	purpose, action := r.PostFormValue("purpose"), r.PostFormValue("action")
	if !slices.Contains([]string{store.PurposeMembership, store.PurposeWhatsApp, store.PurposeSMS, store.PurposeVolunteer}, purpose) ||
		(action != "grant" && action != "withdraw") {
		h.fail(w, r, apperr.New(apperr.Invalid, "unknown consent change"))
		return
	}
	if purpose == store.PurposeVolunteer && action == "withdraw" && r.PostFormValue("confirm") != "yes" {
		h.renderMe(w, r, person, lang, "", map[string]string{"volunteer": "err.volunteer.confirm"}, nil, http.StatusUnprocessableEntity)
		return
	}
	err := h.db.Update(r.Context(), func(tx *store.Tx) error {
		return h.people.ChangeConsent(r.Context(), tx, people.ConsentChange{PersonID: person, Purpose: purpose, Grant: action == "grant",
			NoticeVersion: NoticeVersion, Language: lang, Channel: "web", Evidence: "me", Detail: purpose})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	done := "consent"
	switch {
	case purpose == store.PurposeMembership && action == "withdraw":
		done = "ended" // and the page offers erasure next
	case purpose == store.PurposeVolunteer:
		done = "unvolunteered"
	}
	http.Redirect(w, r, "/me?done="+done+"&lang="+lang, http.StatusSeeOther)
}

// meErase erases the person's data, after a confirmation, and ends every
// session.
func (h *Web) meErase(w http.ResponseWriter, r *http.Request) {
	person, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	lang := pageLang(w, r, "hi", h.secure)
	if r.PostFormValue("confirm") != "yes" {
		h.renderMe(w, r, person, lang, "", map[string]string{"erase": "err.erase.confirm"}, nil, http.StatusUnprocessableEntity)
		return
	}
	err := h.db.Update(r.Context(), func(tx *store.Tx) error { return h.people.Erase(r.Context(), tx, person, "") })
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.sessions.End(r.Context(), w, r)
	h.message(w, r, lang, http.StatusOK, "erased")
}

// audit writes one entry in its own transaction; a failure is logged, not
// shown (the action itself is done).
func (h *Web) audit(ctx context.Context, person int64, action, detail string) {
	err := h.db.Update(ctx, func(tx *store.Tx) error { return h.people.Audit(ctx, tx, person, action, detail) })
	if err != nil {
		h.log.ErrorContext(ctx, "audit log", "action", action, "err", err)
	}
}
