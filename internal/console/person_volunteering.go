package console

import (
	"context"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/store"
)

// volunteerView is one drive the person volunteers (or volunteered) in.
type volunteerView struct{ Drive, Area, Languages, Since, Ended string }

// handleView is a handle as staff see it (a WhatsApp number masked).
type handleView struct{ Platform, Handle string }

// postView is one holding of a post: appointed, and vacated or held now.
type postView struct {
	ID                                         int64
	Title, Drive, Area, Appointed, AppointedBy string
	Vacated, VacatedBy, Why                    string
	Held, CanVacate                            bool
}

// appointChoices are the choices of the "Appoint to a post" form for one drive the person
// volunteers in: the drive's posts and the areas, in the asker's
// posts.write scope, of the volunteer's own area's line (booth, AC, PC…).
type appointChoices struct {
	Drive, DriveName string
	PersonID         int64
	Posts, Areas     []option
}

// volunteering is the person page's Volunteering and Posts sections.
type volunteering struct {
	Volunteering []volunteerView
	Handles      []handleView
	Posts        []postView
	Appoint      []appointChoices
}

// volunteeringOf fills the person page's volunteering sections for a,
// with the appoint and vacate forms where a holds posts.write.
func (c *Console) volunteeringOf(ctx context.Context, a asker, t tr, p directory.Person) (volunteering, error) {
	var out volunteering
	drives := map[int64]directory.Participation{}
	for _, pp := range p.Participations {
		drives[pp.DriveID] = pp
	}
	files := map[int64]drive.File{}
	for id := range drives {
		d, err := c.db.DriveBySlug(ctx, drives[id].DriveSlug)
		if err != nil {
			return volunteering{}, err
		}
		if files[id], err = drive.Open(d.File); err != nil {
			return volunteering{}, err
		}
	}
	writes := a.actor.Scope(access.PostsWrite)
	for _, v := range p.Volunteering {
		pp := drives[v.DriveID]
		vv := volunteerView{Drive: locale.Name(a.lang, pp.DriveName, pp.DriveNameLocal), Area: areaLabel(p.Areas[v.AreaID], a.lang),
			Languages: languageNames(v.Languages, a.lang), Since: when(v.StartedAt), Ended: when(v.EndedAt)}
		out.Volunteering = append(out.Volunteering, vv)
		if !v.EndedAt.IsZero() || !store.InScope(writes, p.Areas[v.AreaID]) {
			continue
		}
		form, err := c.appointChoices(ctx, a.lang, writes, pp, files[v.DriveID], p.Areas[v.AreaID])
		if err != nil {
			return volunteering{}, err
		}
		form.PersonID = p.ID
		if len(form.Posts) > 0 && len(form.Areas) > 0 {
			out.Appoint = append(out.Appoint, form)
		}
	}
	for _, h := range p.Handles {
		pl, _ := handles.Lookup(h.Platform)
		out.Handles = append(out.Handles, handleView{Platform: pl.Name, Handle: h.Handle})
	}
	for _, ap := range p.Appointments {
		pp := drives[ap.DriveID]
		pv := postView{ID: ap.ID, Title: ap.Post, Drive: locale.Name(a.lang, pp.DriveName, pp.DriveNameLocal),
			Area: areaLabel(p.Areas[ap.AreaID], a.lang), Appointed: when(ap.AppointedAt), AppointedBy: ap.AppointedBy,
			Vacated: when(ap.VacatedAt), VacatedBy: ap.VacatedBy, Held: ap.VacatedAt.IsZero()}
		f := files[ap.DriveID]
		if post, ok := f.Post(ap.Post); ok {
			pv.Title = post.TitleIn(a.lang)
		}
		if ap.VacatedWhy != "" {
			pv.Why = t.T("person.vol.why." + ap.VacatedWhy)
		}
		pv.CanVacate = pv.Held && store.InScope(writes, p.Areas[ap.AreaID])
		out.Posts = append(out.Posts, pv)
	}
	return out, nil
}

// appointChoices is the appoint form for a volunteer of pp's drive working
// at home: the drive's posts, and the areas of home's line that lie in
// scope and hold one of them.
func (c *Console) appointChoices(ctx context.Context, lang string, scope []store.Area, pp directory.Participation, f drive.File,
	home store.Area) (appointChoices, error) {
	form := appointChoices{Drive: pp.DriveSlug, DriveName: locale.Name(lang, pp.DriveName, pp.DriveNameLocal)}
	kinds := map[string]bool{}
	for _, post := range f.Posts {
		kinds[post.AreaKind] = true
		form.Posts = append(form.Posts, option{Value: post.Code, Label: post.TitleIn(lang) + " (" + post.AreaKind + ")"})
	}
	line, err := c.db.AreasByCodes(ctx, strings.Split(strings.Trim(home.Path, "/"), "/"))
	if err != nil {
		return appointChoices{}, err
	}
	for _, area := range line {
		if kinds[area.Kind] && store.InScope(scope, area) {
			form.Areas = append(form.Areas, option{Value: area.Code, Label: areaLabel(area, lang), Selected: area.ID == home.ID})
		}
	}
	return form, nil
}

// languageNames are language codes as names in lang, comma-separated.
func languageNames(codes []string, lang string) string {
	names := make([]string, 0, len(codes))
	for _, code := range codes {
		l, ok := handles.LanguageOf(code)
		switch {
		case !ok:
			names = append(names, code)
		case lang == "hi":
			names = append(names, l.Hindi)
		default:
			names = append(names, l.English)
		}
	}
	return strings.Join(names, ", ")
}
