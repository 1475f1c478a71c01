package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// refer gives a share of the members a referrer: a member of their AC
// registered before they first came. Referrers are often referred
// themselves, so chains form; a verified recruit credits the chain above
// (referrals.Verified: direct to the referrer, indirect up to three
// levels more).
func (g *planner) refer() {
	byAC := map[int64][]int{}
	credit := map[int]*store.DemoCredit{}
	for i := range g.ps {
		p := &g.ps[i]
		if p.AreaID == 0 {
			continue
		}
		r := g.stream(streamRefer, g.keys[i])
		if earlier := byAC[p.AreaID]; len(earlier) > 0 && r.Float64() < referredShare {
			for range 3 {
				k := earlier[max(0, len(earlier)-1-r.IntN(200))]
				if !g.ps[k].Registered.After(p.FirstSeen) {
					p.ReferredBy = k + 1
					break
				}
			}
		}
		byAC[p.AreaID] = append(byAC[p.AreaID], i)
	}
	for i, p := range g.ps {
		if p.ReferredBy == 0 || p.Verified.IsZero() {
			continue
		}
		g.ps[i].Credited = p.Verified
		up := p.ReferredBy - 1
		for level := 0; level < 4; level++ {
			c := credit[up]
			if c == nil {
				c = &store.DemoCredit{Person: up}
				credit[up] = c
			}
			if level == 0 {
				c.Direct++
				g.activeBy(up, p.Verified)
			} else {
				c.Indirect++
			}
			c.At = later(c.At, p.Verified)
			if g.ps[up].ReferredBy == 0 {
				break
			}
			up = g.ps[up].ReferredBy - 1
		}
	}
	for i := range g.ps {
		if c := credit[i]; c != nil {
			g.credits = append(g.credits, *c)
		}
	}
}

// volunteer makes a share of the members volunteers at their AC, with
// languages, a handle for most, and groups for some.
func (g *planner) volunteer() {
	langs := []string{"hi", "hi,en", "hi,sck", "hi,sat", "hi,x-khortha", "en", "hi,bn", "hi,kru"}
	for i := range g.ps {
		p := &g.ps[i]
		r := g.stream(streamVolunteer, g.keys[i])
		if p.Registered.IsZero() || r.Float64() >= volunteerShare {
			continue
		}
		if p.Volunteer = g.after(r, p.Registered, time.Hour, 72*time.Hour); p.Volunteer.IsZero() {
			continue
		}
		p.VolunteerVia = "web"
		if p.Channel == "whatsapp" {
			p.VolunteerVia = "whatsapp"
		}
		p.Languages = langs[r.IntN(len(langs))]
		p.Consents = append(p.Consents, consent(store.PurposeVolunteer, p.Language, p.VolunteerVia, p.Volunteer))
		if r.Float64() < handleShare {
			platform := []string{"instagram", "x", "telegram"}[r.IntN(3)]
			p.Handles = []store.Handle{{Platform: platform, Handle: "demo_" + strconv.FormatInt(int64(i), 36), CreatedAt: p.Volunteer}}
		}
		g.register(r, i)
	}
}

// register gives a volunteer none to three groups, WhatsApp or Telegram,
// with invites marked demo_ (see Invites).
func (g *planner) register(r *rand.Rand, i int) {
	p := g.ps[i]
	n := pick(r.Float64(), []float64{0.45, 0.3, 0.15, 0.1})
	for range n {
		at := g.after(r, p.Volunteer, time.Hour, 48*time.Hour)
		if at.IsZero() {
			return
		}
		kind := "whatsapp"
		if r.Float64() < 0.25 {
			kind = "telegram"
		}
		name := fmt.Sprintf("Demo group %d", len(g.groups)+1)
		if p.Language == "hi" {
			name = fmt.Sprintf("डेमो समूह %d", len(g.groups)+1)
		}
		g.groups = append(g.groups, store.DemoGroup{Person: i, AreaID: p.AreaID, Kind: kind, Channel: p.VolunteerVia,
			Name: name, Language: "hi", Size: []string{"1-50", "51-100", "101-256", "257-512"}[r.IntN(4)], RegisteredAt: at})
		g.activeBy(i, at)
	}
}

// appoint fills most PCs' coordinator posts and half the ACs' convenor
// posts with volunteers of there, a day or more after they volunteered.
func (g *planner) appoint() {
	var vols []int
	for i, p := range g.ps {
		if !p.Volunteer.IsZero() {
			vols = append(vols, i)
		}
	}
	seen := map[string]bool{}
	for _, i := range vols {
		p := g.ps[i]
		r := g.stream(streamAppoint, g.keys[i])
		for _, post := range []struct {
			code  string
			area  int64
			share float64
		}{{"pc-sm-coordinator", g.pcOf[p.AreaID], coordinatorPCs}, {"ac-sm-convenor", p.AreaID, convenorShare}} {
			key := post.code + "/" + strconv.FormatInt(post.area, 10)
			if seen[key] {
				continue
			}
			seen[key] = true
			if r.Float64() >= post.share {
				continue
			}
			at := g.after(r, p.Volunteer, 24*time.Hour, 96*time.Hour)
			if at.IsZero() {
				seen[key] = false // another volunteer of there may be appointed
				continue
			}
			g.appts = append(g.appts, store.DemoAppointment{Person: i, Post: post.code, AreaID: post.area, At: at,
				AppointedBy: demoAppointedBy})
			g.activeBy(i, at)
			break
		}
	}
}

// activeBy notes that person i did something that makes a participant
// active (a post, a group, a verified recruit) at at: the first such
// moment is when they became active.
func (g *planner) activeBy(i int, at time.Time) {
	if p := &g.ps[i]; p.Active.IsZero() || at.Before(p.Active) {
		p.Active = at
	}
}

// later is the later of two times.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
