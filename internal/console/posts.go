package console

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/exports"
	"github.com/jodo-org/jodo/internal/posts"
	"github.com/jodo-org/jodo/internal/store"
)

// postsPage is the org chart of a drive at an area (posts.Chart): each
// post there and at its children, filled or vacant, the level below
// summed up, and the office bearers and volunteers against targets. The
// same page says why an appointment was not made (Problem) or that the
// post is held (Held, with the form that replaces its holder).
type postsPage struct {
	shell
	Drives, Areas []option
	NoDrive       bool
	Outside       bool
	Heading       string
	DriveName     string
	Filled, Slots string
	Metrics       []postMetric
	Seats         []seatView
	Below         []belowView
	CanWrite      bool
	Self          string // this page's address, where a vacate comes back to
	Done          string // "appointed", "vacated": the notice to show
	Problem       string // why an appointment or vacancy was refused
	Export        *exportBar
	ProblemDetail string
	Held          *heldView
}

type postMetric struct{ Name, Actual, Target string }

type seatView struct {
	Area, AreaHref, Title string
	Own                   bool // the area's own post, not a child's
	Holders               []holderView
}

type holderView struct {
	Name, Href, Since string
	Appointment       int64
}

type belowView struct{ Area, AreaHref, Title, Filled, Areas, Holders string }

// heldView is a held post and the appointment asked for, posted again
// with replace=1 to vacate the holder first.
type heldView struct {
	Title, Area                         string
	Holders                             []holderView
	Drive, Post, AreaCode, Person, Back string
}

// posts shows the chart of ?drive= (else the first drive of the scope)
// at ?area= (else the first of the scope's places in it).
func (c *Console) posts(w http.ResponseWriter, r *http.Request, a asker) {
	p := postsPage{shell: c.newShell(r, a, "/console/posts", "posts.title"), Done: doneNotice(r.URL.Query().Get("done"))}
	q := r.URL.Query()
	err := c.fillPosts(r.Context(), &p, a, q.Get("drive"), strings.TrimSpace(q.Get("area")))
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	c.render(w, r, http.StatusOK, "posts", "", p)
}

// doneNotice is a notice the page knows, else none.
func doneNotice(done string) string {
	if done == "appointed" || done == "vacated" {
		return done
	}
	return ""
}

func (c *Console) fillPosts(ctx context.Context, p *postsPage, a asker, slug, code string) error {
	pk, ok, err := c.pick(ctx, a, access.PeopleRead, slug, code)
	if err != nil || !ok {
		p.NoDrive = err == nil
		return err
	}
	d, places := pk.drive, pk.places
	p.Drives, p.DriveName = pk.drives, pk.name
	if code == "" && len(places) > 0 {
		code = places[0].Code
	}
	p.Areas = areaOptions(places, code, a.lang)
	chart, err := posts.Chart(ctx, c.db, a.actor, d.Slug, code)
	if apperr.CodeOf(err) == apperr.Invalid {
		p.Outside = true // an area of the scope that the drive does not cover
		return nil
	}
	if err != nil {
		return err
	}
	p.Areas = drilledTo(p.Areas, chart.Area, a.lang)
	p.fill(chart, a.actor.Can(access.PostsWrite))
	p.Export = c.exportBar(a, exports.Posts, "drive", chart.Drive.Slug, "area", chart.Area.Code)
	return nil
}

// fill puts the chart on the page.
func (p *postsPage) fill(chart posts.OrgChart, canWrite bool) {
	p.Heading = areaLabel(chart.Area, p.Lang)
	p.Title = p.T("posts.heading", "Area", p.Heading)
	p.Self = chartHref(chart.Drive.Slug, chart.Area.Code)
	p.Filled, p.Slots = indian(int64(chart.Filled)), indian(int64(chart.Slots))
	p.CanWrite = canWrite
	for _, m := range chart.Progress {
		pm := postMetric{Name: p.T("metric." + m.Metric), Actual: indian(m.Actual), Target: "—"}
		if m.Target != nil {
			pm.Target = indian(*m.Target)
		}
		p.Metrics = append(p.Metrics, pm)
	}
	for _, s := range chart.Seats {
		v := seatView{Area: areaLabel(s.Area, p.Lang), Title: s.Post.TitleIn(p.Lang), Own: s.Area.ID == chart.Area.ID,
			Holders: p.holders(s.Holders)}
		if !v.Own {
			v.AreaHref = chartHref(chart.Drive.Slug, s.Area.Code)
		}
		p.Seats = append(p.Seats, v)
	}
	for _, b := range chart.Below {
		p.Below = append(p.Below, belowView{Area: areaLabel(b.Parent, p.Lang), AreaHref: chartHref(chart.Drive.Slug, b.Parent.Code),
			Title: b.Post.TitleIn(p.Lang), Filled: indian(int64(b.Filled)), Areas: indian(int64(b.Areas)), Holders: indian(int64(b.Holders))})
	}
}

func (t tr) holders(hs []store.Holder) []holderView {
	out := make([]holderView, 0, len(hs))
	for _, h := range hs {
		name := h.Name
		if name == "" {
			name = t.T("people.noname")
		}
		out = append(out, holderView{Name: name, Href: "/console/people/" + strconv.FormatInt(h.PersonID, 10),
			Since: when(h.AppointedAt), Appointment: h.ID})
	}
	return out
}

// chartHref is the chart of drive slug at area code.
func chartHref(slug, code string) string {
	return "/console/posts?" + url.Values{"drive": {slug}, "area": {code}}.Encode()
}
