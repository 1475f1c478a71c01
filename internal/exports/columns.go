package exports

import (
	"context"
	"strings"

	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/sheet"
	"github.com/jodo-org/jodo/internal/store"
)

// headers are each kind's columns, in English and Hindi.
var headers = map[Kind][][2]string{
	People: {{"membership_no", "सदस्यता नंबर"}, {"name", "नाम"}, {"phone", "फ़ोन"}, {"language", "भाषा"},
		{"pc", "लोकसभा क्षेत्र"}, {"ac", "विधानसभा क्षेत्र"}, {"area_code", "क्षेत्र कोड"}, {"area", "क्षेत्र"},
		{"stage", "चरण"}, {"channel", "माध्यम"}, {"first_seen", "पहली बार"}, {"registered", "पंजीकरण"}, {"verified", "सत्यापन"}},
	Volunteers: {{"name", "नाम"}, {"phone", "फ़ोन"}, {"membership_no", "सदस्यता नंबर"},
		{"pc", "लोकसभा क्षेत्र"}, {"ac", "विधानसभा क्षेत्र"}, {"area_code", "क्षेत्र कोड"}, {"area", "क्षेत्र"},
		{"languages", "भाषाएँ"}, {"handles", "हैंडल"}, {"posts", "पद"}, {"live_groups", "चालू समूह"}, {"active", "सक्रिय"},
		{"volunteer_since", "कार्यकर्ता कब से"}},
	Posts: {{"post", "पद"}, {"pc", "लोकसभा क्षेत्र"}, {"ac", "विधानसभा क्षेत्र"}, {"area_code", "क्षेत्र कोड"}, {"area", "क्षेत्र"},
		{"name", "नाम"}, {"phone", "फ़ोन"}, {"membership_no", "सदस्यता नंबर"}, {"since", "कब से"}},
	Groups: {{"group", "समूह"}, {"kind", "प्रकार"}, {"language", "भाषा"}, {"size", "आकार"},
		{"pc", "लोकसभा क्षेत्र"}, {"ac", "विधानसभा क्षेत्र"}, {"area_code", "क्षेत्र कोड"}, {"area", "क्षेत्र"},
		{"owner", "चलाने वाले"}, {"state", "स्थिति"}, {"last_confirmed", "अंतिम पुष्टि"}, {"state_reason", "कारण"}},
}

func header(k Kind, lang string) []any {
	out := make([]any, len(headers[k]))
	for i, h := range headers[k] {
		out[i] = locale.Name(lang, h[0], h[1])
	}
	return out
}

// number is a phone as the export shows it: masked unless revealed.
func (t *table) number(e164 string) sheet.Made {
	if t.req.Reveal || e164 == "" {
		return sheet.Made(e164)
	}
	return sheet.Made(phone.Mask(e164))
}

func (t *table) people(ctx context.Context) error {
	var after int64
	for {
		page, err := t.e.db.PeoplePage(ctx, t.Prepared.people, after, t.e.page)
		if err != nil {
			return err
		}
		for _, r := range page {
			place, err := t.places.place(ctx, r.Area, t.req.Lang)
			if err != nil {
				return err
			}
			cells := append([]any{r.MembershipNo, r.Name, t.number(r.Phone), r.Language}, place...)
			cells = append(cells, string(r.Stage), r.Channel, day(r.FirstSeen), day(r.Registered), day(r.Verified))
			if err := t.row(ctx, cells...); err != nil {
				return err
			}
			after = r.ParticipationID
		}
		if len(page) < t.e.page {
			return nil
		}
	}
}

func (t *table) volunteers(ctx context.Context) error {
	q := t.vols
	q.Limit = t.e.page
	for {
		page, err := t.e.db.VolunteersPage(ctx, q)
		if err != nil {
			return err
		}
		people := make([]int64, len(page))
		for i, v := range page {
			people[i] = v.PersonID
		}
		live, err := t.e.db.LiveGroupCounts(ctx, t.drive.ID, people)
		if err != nil {
			return err
		}
		for _, v := range page {
			place, err := t.places.place(ctx, v.Area, t.req.Lang)
			if err != nil {
				return err
			}
			cells := append([]any{v.Name, t.number(v.Phone), v.MembershipNo}, place...)
			cells = append(cells, strings.Join(v.Languages, ", "), t.handles(v.Handles), t.postTitles(v.Posts),
				live[v.PersonID], yes(v.Active, t.req.Lang), day(v.StartedAt))
			if err := t.row(ctx, cells...); err != nil {
				return err
			}
			q.After = v.ParticipationID
		}
		if len(page) < t.e.page {
			return nil
		}
	}
}

// handles are a volunteer's handles, "platform: handle" apart by "; ",
// a WhatsApp handle (a number) masked as numbers are.
func (t *table) handles(hs []store.Handle) string {
	out := make([]string, len(hs))
	for i, h := range hs {
		name, handle := h.Platform, h.Handle
		if pl, ok := handles.Lookup(h.Platform); ok {
			name = pl.Name
		}
		if h.Platform == "whatsapp" {
			handle = string(t.number(handle))
		}
		out[i] = name + ": " + handle
	}
	return strings.Join(out, "; ")
}

// postTitles are the posts held, each with its area's code.
func (t *table) postTitles(as []store.Appointment) string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = t.title(a.Post)
	}
	return strings.Join(out, "; ")
}

func (t *table) title(code string) string {
	if post, ok := t.file.Post(code); ok {
		return post.TitleIn(t.req.Lang)
	}
	return code
}

func (t *table) posts(ctx context.Context) error {
	q := t.Prepared.posts
	q.Limit = t.e.page
	for {
		page, err := t.e.db.HoldingsPage(ctx, q)
		if err != nil {
			return err
		}
		for _, h := range page {
			place, err := t.places.place(ctx, h.Area, t.req.Lang)
			if err != nil {
				return err
			}
			cells := append([]any{t.title(h.Post)}, place...)
			cells = append(cells, h.Name, t.number(h.Phone), h.MembershipNo, day(h.AppointedAt))
			if err := t.row(ctx, cells...); err != nil {
				return err
			}
			q.After = h.ID
		}
		if len(page) < t.e.page {
			return nil
		}
	}
}

func (t *table) groups(ctx context.Context) error {
	q := t.Prepared.groups
	q.Limit = t.e.page
	for {
		page, err := t.e.db.GroupsPage(ctx, q)
		if err != nil {
			return err
		}
		for _, g := range page {
			place, err := t.places.place(ctx, g.Area, t.req.Lang)
			if err != nil {
				return err
			}
			cells := append([]any{g.Name, g.Kind, g.Language, g.Size}, place...)
			cells = append(cells, g.Owner, g.State, day(g.ConfirmedAt), g.StateReason)
			if err := t.row(ctx, cells...); err != nil {
				return err
			}
			q.After = g.ID
		}
		if len(page) < t.e.page {
			return nil
		}
	}
}

func yes(b bool, lang string) string {
	if b {
		return locale.Name(lang, "yes", "हाँ")
	}
	return locale.Name(lang, "no", "नहीं")
}
