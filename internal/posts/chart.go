package posts

import (
	"context"
	"slices"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
)

// OrgChart is a drive's org chart at an area: the posts held at the area and
// at each of its children, seat by seat, and the level below the
// children summed up per child (a PC's ACs, each with how many of its
// booths have their digital volunteer).
type OrgChart struct {
	Drive store.Drive
	Area  store.Area
	Posts []drive.Post // the drive file's, in its order
	Seats []Seat       // the area's own, then each child's
	Below []Below
	// Filled of Slots: every seat and every area of the level below, a
	// many-holder post's area filled by its first holder.
	Filled, Slots int
	// Progress holds volunteers and office_bearers at the area against
	// their targets.
	Progress []drive.MetricProgress
}

// Seat is one post at one area: vacant when Holders is empty.
type Seat struct {
	Area    store.Area
	Post    drive.Post
	Holders []store.Holder
}

// Below is one post at the areas under a child: Filled of Areas held.
type Below struct {
	Parent                 store.Area
	Post                   drive.Post
	Areas, Filled, Holders int
}

// chartMetrics are the progress metrics the chart shows.
var chartMetrics = []string{"volunteers", "office_bearers"}

// Chart reads the org chart of drive slug at area code ("" for the
// drive's root) for actor, whose access.PeopleRead scope must cover it:
// holders are people. Outside the scope it is forbidden; an area the
// drive does not cover is invalid.
func Chart(ctx context.Context, db *store.DB, actor access.Actor, slug, code string) (OrgChart, error) {
	if !actor.Can(access.PeopleRead) {
		return OrgChart{}, apperr.New(apperr.Forbidden, "Your role does not allow this (it needs %s).", access.PeopleRead)
	}
	d, area, err := drive.AreaIn(ctx, db, actor.Scope(access.PeopleRead), slug, code)
	if err != nil {
		return OrgChart{}, err
	}
	f, err := drive.Open(d.File)
	if err != nil {
		return OrgChart{}, err
	}
	children, err := db.ListAreas(ctx, store.AreaFilter{Parent: area.Code})
	if err != nil {
		return OrgChart{}, err
	}
	c := OrgChart{Drive: d, Area: area, Posts: f.Posts}
	places := append([]store.Area{area}, withPosts(children, f.Posts)...)
	if err := db.View(ctx, func(tx *store.Tx) error { return c.read(ctx, tx, places) }); err != nil {
		return OrgChart{}, err
	}
	report, err := drive.Progress(ctx, db, d, drive.ProgressQuery{Area: area, Now: db.Now()})
	if err != nil {
		return OrgChart{}, err
	}
	for _, m := range report.Metrics {
		if slices.Contains(chartMetrics, m.Metric) {
			c.Progress = append(c.Progress, m)
		}
	}
	return c, nil
}

// withPosts are the areas of a kind some post is held at.
func withPosts(areas []store.Area, posts []drive.Post) []store.Area {
	var out []store.Area
	for _, a := range areas {
		if len(postsOf(posts, a.Kind)) > 0 {
			out = append(out, a)
		}
	}
	return out
}

func postsOf(posts []drive.Post, kind string) []drive.Post {
	var out []drive.Post
	for _, p := range posts {
		if p.AreaKind == kind {
			out = append(out, p)
		}
	}
	return out
}

// read fills the seats of places (the area and its children) and the
// level below the children.
func (c *OrgChart) read(ctx context.Context, tx *store.Tx, places []store.Area) error {
	codes := make([]string, len(places))
	for i, a := range places {
		codes[i] = a.Code
	}
	held, err := store.HoldersAt(ctx, tx, c.Drive.ID, codes)
	if err != nil {
		return err
	}
	for _, a := range places {
		for _, p := range postsOf(c.Posts, a.Kind) {
			s := Seat{Area: a, Post: p}
			for _, h := range held {
				if h.AreaID == a.ID && h.Post == p.Code {
					s.Holders = append(s.Holders, h)
				}
			}
			c.Seats = append(c.Seats, s)
			c.Slots++
			if len(s.Holders) > 0 {
				c.Filled++
			}
		}
	}
	return c.readBelow(ctx, tx, places[1:])
}

// readBelow sums up, per child, each kind of grandchild some post is
// held at.
func (c *OrgChart) readBelow(ctx context.Context, tx *store.Tx, children []store.Area) error {
	if len(children) == 0 {
		return nil
	}
	codes := make([]string, len(children))
	for i, a := range children {
		codes[i] = a.Code
	}
	var kinds []string
	for _, p := range c.Posts {
		if !slices.Contains(kinds, p.AreaKind) {
			kinds = append(kinds, p.AreaKind)
		}
	}
	for _, kind := range kinds {
		seats, err := store.SeatsBelow(ctx, tx, c.Drive.ID, codes, kind)
		if err != nil {
			return err
		}
		c.addBelow(children, postsOf(c.Posts, kind), seats)
	}
	return nil
}

func (c *OrgChart) addBelow(children []store.Area, posts []drive.Post, seats []store.Seats) {
	for _, child := range children {
		areas := 0
		for _, s := range seats {
			if s.Parent == child.Code && s.Post == "" {
				areas = s.Areas
			}
		}
		if areas == 0 {
			continue
		}
		for _, p := range posts {
			b := Below{Parent: child, Post: p, Areas: areas}
			for _, s := range seats {
				if s.Parent == child.Code && s.Post == p.Code {
					b.Filled, b.Holders = s.Filled, s.Holders
				}
			}
			c.Below = append(c.Below, b)
			c.Slots += b.Areas
			c.Filled += b.Filled
		}
	}
}
